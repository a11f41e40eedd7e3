package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/csvfile"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).candidateRoutes) }

func (h *Handler) candidateRoutes() []route {
	return []route{
		{"GET /api/v1/candidates", h.authed(h.candidates)},
		{"POST /api/v1/candidates", h.authed(h.registerCandidate)},
		{"POST /api/v1/candidates/bulk", h.authed(h.registerBulk)},
		{"GET /api/v1/candidates/{id}", h.authed(h.candidate)},
		{"GET /api/v1/candidates/{id}/data/{category}", h.authed(h.readCategory)},
		{"PUT /api/v1/candidates/{id}/data/{category}", h.authed(h.writeCategory)},
		{"GET /api/v1/break-glass", h.authed(h.breakGlass)},
	}
}

// statedReason is the reason for opening a dossier that is not one's own
// (break the glass) [001 "Wat gebeurt er"]: only the X-Opstap-Reason
// header. A reason in the URL would end up in proxy logs, browser history
// and Referer headers, so a query parameter is not read.
func statedReason(r *http.Request) string { return r.Header.Get("X-Opstap-Reason") }

// candidates answers one page of the candidate list (q, all,
// commissioner_org_id and the paging), counted in the caller's scope.
func (h *Handler) candidates(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	all, err := httpx.QueryBool(r, "all")
	p, perr := listPaging(r)
	if err := errors.Join(err, perr); err != nil {
		return err
	}
	q := r.URL.Query()
	cs, pg, err := h.DB.CandidatePage(r.Context(), a, store.CandidateFilter{Query: q.Get("q"), All: all, Reason: statedReason(r),
		Commissioner: q.Get("commissioner_org_id"), Sort: p.Sort, Offset: p.Offset, Limit: p.Limit})
	return writePage(w, "candidates", cs, pg, err)
}

func (h *Handler) registerCandidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var reg candidate.Registration
	if err := httpx.DecodeJSON(w, r, &reg); err != nil {
		return err
	}
	c, err := h.DB.RegisterCandidate(r.Context(), a, reg)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
	return nil
}

// bulkError is the 422 body of a rejected bulk file.
type bulkError struct {
	Error httpx.ErrorDetail `json:"error"`
	Rows  []bulkRowError    `json:"rows"`
}

type bulkRowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (h *Handler) registerBulk(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	org := candidate.BulkCommissioner(a, r.URL.Query().Get("commissioner_org_id"))
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		return opstap.Errorf(opstap.EUNSUPPORTED, "send the file as text/csv")
	}
	data, err := httpx.ReadBody(w, r, candidate.MaxCSVFile)
	if err != nil {
		return err
	}
	rows, err := candidate.ParseCSV(bytes.NewReader(data), org, opstap.DateOf(h.DB.Now()))
	var res store.BulkResult
	if err == nil {
		res, err = h.DB.RegisterBulk(r.Context(), a, rows)
	}
	if writeFileError(w, r, err) {
		return nil
	} else if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

// writeFileError answers a rejected file (a *csvfile.FileError) with 422
// and every row's problem in the caller's language, and reports whether it
// did.
func writeFileError(w http.ResponseWriter, r *http.Request, err error) bool {
	var fe *csvfile.FileError
	if !errors.As(err, &fe) {
		return false
	}
	lang := httpx.Lang(r)
	body := bulkError{Error: httpx.ErrorDetail{Code: opstap.EINVALID, Field: "file", Message: httpx.Message(lang, err)}}
	for _, re := range fe.Rows {
		body.Rows = append(body.Rows, bulkRowError{Row: re.Row, Field: re.Field, Message: i18n.T(lang, re.Message, re.Args...)})
	}
	httpx.WriteJSON(w, http.StatusUnprocessableEntity, body)
	return true
}

func (h *Handler) candidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	c, err := h.DB.FindCandidate(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, c)
	return nil
}

// category is the category in the path, one of those this operation serves
// (the document's enum); medical data, limitations, notes and reports have
// their own operations, so they are not found here rather than invalid.
func category(r *http.Request) (opstap.Category, error) {
	c := opstap.Category(r.PathValue("category"))
	if _, err := store.CategoryValue(c); !c.Valid() || err != nil {
		return "", &opstap.Error{Code: opstap.ENOTFOUND, Message: "no such data category here; medical data and limitations are under /limitations", Field: "category"}
	}
	return c, nil
}

func (h *Handler) readCategory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cat, err := category(r)
	if err != nil {
		return err
	}
	v, err := h.DB.ReadCategory(r.Context(), a, r.PathValue("id"), cat, store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"category": cat, "data": v})
	return nil
}

func (h *Handler) writeCategory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cat, err := category(r)
	if err != nil {
		return err
	}
	v, err := store.CategoryValue(cat)
	if err != nil {
		return err
	}
	if err := httpx.DecodeJSON(w, r, v); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return h.noContent(w, h.DB.WriteCategory(r.Context(), a, r.PathValue("id"), cat, raw, store.PurposeGuidance))
}

func (h *Handler) breakGlass(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	bs, err := h.DB.FindBreakGlass(r.Context(), a, 200)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"openings": nonNil(bs)})
	return nil
}
