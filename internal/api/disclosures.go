package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
)

func init() { routeGroups = append(routeGroups, (*Handler).disclosureRoutes) }

// disclosureRoutes: the register of disclosures required by law [000 art
// 6; 003 bewerkers art 4.2], kept by the privacy officer and shown to the
// candidate.
func (h *Handler) disclosureRoutes() []route {
	return []route{
		{"GET /api/v1/privacy/disclosures", h.authed(h.disclosures)},
		{"GET /api/v1/privacy/disclosures/{id}", h.authed(h.disclosure)},
		{"POST /api/v1/privacy/disclosures/{id}/candidate-informed", h.authed(h.disclosureInformed)},
		{"GET /api/v1/candidates/{id}/disclosures", h.authed(h.candidateDisclosures)},
		{"POST /api/v1/candidates/{id}/disclosures", h.authed(h.recordDisclosure)},
		{"GET /api/v1/portal/disclosures", h.authed(h.ownDisclosures)},
	}
}

func (h *Handler) disclosures(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	xs, err := h.DB.FindDisclosures(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"disclosures": nonNil(xs)})
	return nil
}

func (h *Handler) disclosure(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	x, err := h.DB.FindDisclosure(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, x)
	return nil
}

func (h *Handler) recordDisclosure(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in privacy.Disclosure
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := h.DB.RecordDisclosure(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, x)
	return nil
}

func (h *Handler) disclosureInformed(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		On opstap.Date `json:"on" validate:"required"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := h.DB.InformOfDisclosure(r.Context(), a, r.PathValue("id"), in.On)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, x)
	return nil
}

func (h *Handler) candidateDisclosures(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.listDisclosures(w, r, a, r.PathValue("id"))
}

func (h *Handler) ownDisclosures(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err != nil {
		return err
	}
	return h.listDisclosures(w, r, a, id)
}

func (h *Handler) listDisclosures(w http.ResponseWriter, r *http.Request, a *opstap.Actor, candidateID string) error {
	xs, err := h.DB.CandidateDisclosures(r.Context(), a, candidateID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"disclosures": nonNil(xs)})
	return nil
}
