package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
)

func init() { routeGroups = append(routeGroups, (*Handler).agreementRoutes) }

// agreementRoutes: the privacy statement and the cooperation agreement at
// the start of a trajectory [000 art 4; 004].
func (h *Handler) agreementRoutes() []route {
	return []route{
		{"GET /api/v1/candidates/{id}/agreements", h.authed(h.agreements)},
		{"POST /api/v1/candidates/{id}/agreements", h.authed(h.offerAgreement)},
		{"POST /api/v1/agreements/{id}/signed", h.authed(h.signedAgreement)},
		{"GET /api/v1/portal/agreements", h.authed(h.ownAgreements)},
		{"POST /api/v1/portal/agreements/{id}/accept", h.authed(h.acceptAgreement)},
	}
}

func (h *Handler) agreements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.listAgreements(w, r, a, r.PathValue("id"))
}

func (h *Handler) ownAgreements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err != nil {
		return err
	}
	return h.listAgreements(w, r, a, id)
}

func (h *Handler) listAgreements(w http.ResponseWriter, r *http.Request, a *opstap.Actor, candidateID string) error {
	gs, err := h.DB.Agreements(r.Context(), a, candidateID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"agreements": gs})
	return nil
}

func (h *Handler) offerAgreement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in privacy.Agreement
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	g, err := h.DB.OfferAgreement(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, g)
	return nil
}

func (h *Handler) signedAgreement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		DocumentID string `json:"document_id" validate:"required,max=100"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	g, err := h.DB.RecordSignedAgreement(r.Context(), a, r.PathValue("id"), in.DocumentID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, g)
	return nil
}

func (h *Handler) acceptAgreement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	g, err := h.DB.AcceptAgreement(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, g)
	return nil
}
