package api

import (
	"math"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).rightsRoutes) }

// rightsRoutes: data subject rights requests, the access export and the
// candidate's access log [001; 002 art 7; 004 "Inzagerecht"].
func (h *Handler) rightsRoutes() []route {
	return []route{
		{"GET /api/v1/rights-requests", h.authed(h.rightsQueue)},
		{"GET /api/v1/rights-requests/{id}", h.authed(h.rightsRequest)},
		{"POST /api/v1/rights-requests/{id}/assign", h.authed(h.rightsAssign)},
		{"POST /api/v1/rights-requests/{id}/extend", h.authed(h.rightsExtend)},
		{"POST /api/v1/rights-requests/{id}/answer", h.authed(h.rightsAnswer)},
		{"POST /api/v1/rights-requests/{id}/withdraw", h.authed(h.rightsWithdraw)},
		{"GET /api/v1/rights-requests/{id}/letter", h.authed(download.Files{DB: h.DB}.RightsLetter)},
		{"GET /api/v1/rights-requests/{id}/export", h.authed(download.Files{DB: h.DB}.AccessExport)},
		{"GET /api/v1/rights-requests/{id}/manifest", h.authed(h.rightsManifest)},
		{"GET /api/v1/candidates/{id}/rights-requests", h.authed(h.candidateRights)},
		{"POST /api/v1/candidates/{id}/rights-requests", h.authed(h.fileRights)},
		{"GET /api/v1/portal/rights-requests", h.authed(h.ownRights)},
		{"POST /api/v1/portal/rights-requests", h.authed(h.fileOwnRights)},
		{"GET /api/v1/portal/access-log", h.authed(h.ownAccessLog)},
	}
}

func (h *Handler) rightsQueue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	status, q, p, err := queueParams(r)
	if err != nil {
		return err
	}
	rs, pg, err := h.DB.RightsQueue(r.Context(), a, store.RightsFilter{Status: status, Query: q, Paging: p})
	return writePage(w, "requests", rs, pg, err)
}

// writeRights answers with one request, or the error.
func writeRights(w http.ResponseWriter, status int, rr *store.RightsRequest, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, rr)
	return nil
}

func (h *Handler) rightsRequest(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rr, err := h.DB.FindRightsRequest(r.Context(), a, r.PathValue("id"))
	return writeRights(w, http.StatusOK, rr, err)
}

func (h *Handler) rightsAssign(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		HandlerUserID string `json:"handler_user_id" validate:"max=64"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rr, err := h.DB.AssignRightsRequest(r.Context(), a, r.PathValue("id"), in.HandlerUserID)
	return writeRights(w, http.StatusOK, rr, err)
}

func (h *Handler) rightsExtend(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Reason string `json:"reason" validate:"required,max=10000"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rr, err := h.DB.ExtendRightsRequest(r.Context(), a, r.PathValue("id"), in.Reason)
	return writeRights(w, http.StatusOK, rr, err)
}

func (h *Handler) rightsAnswer(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in privacy.RightsAnswer
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rr, err := h.DB.AnswerRightsRequest(r.Context(), a, r.PathValue("id"), in)
	return writeRights(w, http.StatusOK, rr, err)
}

func (h *Handler) rightsWithdraw(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rr, err := h.DB.WithdrawRightsRequest(r.Context(), a, r.PathValue("id"))
	return writeRights(w, http.StatusOK, rr, err)
}

func (h *Handler) rightsManifest(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := h.DB.AccessExportManifest(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (h *Handler) candidateRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rs, err := h.DB.CandidateRightsRequests(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"requests": nonNil(rs)})
	return nil
}

func (h *Handler) fileRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.fileRightsFor(w, r, a, r.PathValue("id"))
}

func (h *Handler) fileRightsFor(w http.ResponseWriter, r *http.Request, a *opstap.Actor, candidateID string) error {
	var n privacy.NewRightsRequest
	if err := httpx.DecodeJSON(w, r, &n); err != nil {
		return err
	}
	rr, err := h.DB.FileRightsRequest(r.Context(), a, candidateID, n)
	return writeRights(w, http.StatusCreated, rr, err)
}

func (h *Handler) ownRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	_, rs, err := h.DB.OwnRightsRequests(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"requests": nonNil(rs)})
	return nil
}

func (h *Handler) fileOwnRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err != nil {
		return err
	}
	return h.fileRightsFor(w, r, a, id)
}

func (h *Handler) ownAccessLog(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err != nil {
		return err
	}
	before, err := httpx.QueryInt(r, "before", 0, 1, math.MaxInt64)
	if err != nil {
		return err
	}
	p, err := h.DB.AccessLog(r.Context(), a, id, int64(before))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}
