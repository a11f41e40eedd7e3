package api

import (
	"net/http"

	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/download"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/httpx"
)

func init() { routeGroups = append(routeGroups, (*Handler).reportRoutes) }

// reportRoutes: consents, reports with candidate approval, sharing with the
// commissioner and the commissioner's shared documents (DOMAIN.md §3).
func (h *Handler) reportRoutes() []route {
	return []route{
		{"GET /api/v1/candidates/{id}/consents", h.authed(h.consents)},
		{"POST /api/v1/candidates/{id}/consents", h.authed(h.recordConsent)},
		{"GET /api/v1/candidates/{id}/reports", h.authed(h.reports)},
		{"POST /api/v1/candidates/{id}/reports", h.authed(h.createReport)},
		{"POST /api/v1/candidates/{id}/oral-reports", h.authed(h.oralReport)},
		{"PUT /api/v1/reports/{id}", h.authed(h.updateReport)},
		{"POST /api/v1/reports/{id}/submit", h.authed(h.submitReport)},
		{"POST /api/v1/reports/{id}/approve", h.authed(h.approveReport)},
		{"POST /api/v1/reports/{id}/comment", h.authed(h.commentReport)},
		{"POST /api/v1/reports/{id}/share", h.authed(h.shareReport)},
		{"GET /api/v1/shared-documents", h.authed(h.sharedDocuments)},
		{"GET /api/v1/shared-documents/{id}/pdf", h.authed(download.Files{DB: h.DB}.SharedReport)},
	}
}

func (h *Handler) consents(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cs, err := h.DB.Consents(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"consents": nonNil(cs), "current": consent.Current(cs)})
	return nil
}

func (h *Handler) recordConsent(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in consent.Change
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := h.DB.RecordConsent(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (h *Handler) reports(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rs, err := h.DB.Reports(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"reports": nonNil(rs)})
	return nil
}

// writeReport decodes a draft, stores it with do and answers with status.
func (h *Handler) writeReport(w http.ResponseWriter, r *http.Request, status int, do func(dossier.ReportDraft) (*dossier.Report, error)) error {
	var in dossier.ReportDraft
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	rep, err := do(in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, rep)
	return nil
}

func (h *Handler) createReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.writeReport(w, r, http.StatusCreated, func(d dossier.ReportDraft) (*dossier.Report, error) {
		return h.DB.CreateReport(r.Context(), a, r.PathValue("id"), d)
	})
}

func (h *Handler) updateReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.writeReport(w, r, http.StatusOK, func(d dossier.ReportDraft) (*dossier.Report, error) {
		return h.DB.UpdateReport(r.Context(), a, r.PathValue("id"), d)
	})
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.SubmitReport(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) approveReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in dossier.ReportDecision
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.ApproveReport(r.Context(), a, r.PathValue("id"), in.Version))
}

func (h *Handler) commentReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in dossier.ReportDecision
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.CommentReport(r.Context(), a, r.PathValue("id"), in.Version, in.Comment))
}

func (h *Handler) shareReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in dossier.ShareRequest
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	s, err := h.DB.ShareReport(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, s)
	return nil
}

func (h *Handler) oralReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in dossier.OralReport
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	s, err := h.DB.RecordOralReport(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, s)
	return nil
}

func (h *Handler) sharedDocuments(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ds, err := h.DB.SharedWithOrganisation(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"documents": nonNil(ds)})
	return nil
}
