package api

import (
	"math"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).dossierRoutes) }

func (h *Handler) dossierRoutes() []route {
	return []route{
		{"GET /api/v1/candidates/{id}/dossier/entries", h.authed(h.listEntries(opstap.CatNotes))},
		{"POST /api/v1/candidates/{id}/dossier/entries", h.authed(h.createEntry(opstap.CatNotes))},
		{"PUT /api/v1/candidates/{id}/dossier/entries/{entry}", h.authed(h.updateEntry)},
		{"GET /api/v1/candidates/{id}/dossier/entries/{entry}/history", h.authed(h.entryHistory)},
		{"GET /api/v1/candidates/{id}/documents", h.authed(h.documents)},
		{"POST /api/v1/candidates/{id}/documents", h.authed(h.uploadDocument)},
		{"GET /api/v1/candidates/{id}/documents/{doc}", h.authed(h.downloadDocument)},
		{"GET /api/v1/candidates/{id}/medical/entries", h.authed(h.listEntries(opstap.CatMedical))},
		{"POST /api/v1/candidates/{id}/medical/entries", h.authed(h.createEntry(opstap.CatMedical))},
		{"GET /api/v1/candidates/{id}/limitations", h.authed(h.limitations)},
		{"PUT /api/v1/candidates/{id}/limitations", h.authed(h.setLimitations)},
	}
}

func (h *Handler) listEntries(cat opstap.Category) func(http.ResponseWriter, *http.Request, *opstap.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		page, err := httpx.QueryInt(r, "page", 0, 0, math.MaxInt32)
		if err != nil {
			return err
		}
		q := store.EntryQuery{Kind: dossier.EntryKind(r.URL.Query().Get("kind")), Page: page}
		l, err := h.DB.Entries(r.Context(), a, r.PathValue("id"), cat, q, store.PurposeGuidance, statedReason(r))
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusOK, l)
		return nil
	}
}

// createEntry adds an entry of the route's segment; a kind of the other
// segment is refused, so the paths say what they hold.
func (h *Handler) createEntry(cat opstap.Category) func(http.ResponseWriter, *http.Request, *opstap.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		var in dossier.EntryInput
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			return err
		}
		if in.Kind.Category() != cat {
			return opstap.FieldError("kind", "unknown kind of dossier entry")
		}
		e, err := h.DB.CreateEntry(r.Context(), a, r.PathValue("id"), in, store.PurposeGuidance)
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusCreated, e)
		return nil
	}
}

func (h *Handler) updateEntry(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in dossier.EntryInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := h.DB.UpdateEntry(r.Context(), a, r.PathValue("id"), r.PathValue("entry"), in, store.PurposeGuidance)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, e)
	return nil
}

func (h *Handler) entryHistory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	vs, err := h.DB.EntryHistory(r.Context(), a, r.PathValue("id"), r.PathValue("entry"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"versions": vs})
	return nil
}

func (h *Handler) documents(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	docs, err := h.DB.Documents(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"documents": docs})
	return nil
}

func (h *Handler) uploadDocument(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	up, err := httpx.ReadUpload(w, r, "file", dossier.MaxDocumentSize)
	if err != nil {
		return err
	}
	doc, err := h.DB.UploadDocument(r.Context(), a, r.PathValue("id"), dossier.DocumentKind(r.FormValue("kind")), up.Filename, up.Content)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, doc)
	return nil
}

func (h *Handler) downloadDocument(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	doc, content, err := h.DB.DownloadDocument(r.Context(), a, r.PathValue("id"), r.PathValue("doc"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.ServeDocument(w, doc, content)
	return nil
}

func (h *Handler) limitations(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	l, err := h.DB.Limitations(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, statedReason(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, l)
	return nil
}

func (h *Handler) setLimitations(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Codes             []string `json:"codes" validate:"required,items=100,max=50"`
		SharedWithConsent bool     `json:"shared_with_consent" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	l, err := h.DB.SetLimitations(r.Context(), a, r.PathValue("id"), store.Limitations{Codes: in.Codes, SharedWithConsent: in.SharedWithConsent})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, l)
	return nil
}
