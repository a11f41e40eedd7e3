package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).rightsExecutionRoutes) }

// rightsExecutionRoutes: rectification and screening requests carried out
// by the system [001; 002 art 7.2].
func (h *Handler) rightsExecutionRoutes() []route {
	return []route{
		{"GET /api/v1/rights-requests/{id}/change", h.authed(h.rightsChange)},
		{"PUT /api/v1/rights-requests/{id}/rectification", h.authed(h.setRectification)},
		{"PUT /api/v1/rights-requests/{id}/screening", h.authed(h.setScreening)},
		{"GET /api/v1/rights-requests/{id}/change/apply", h.authed(h.changeToApply)},
		{"POST /api/v1/rights-requests/{id}/change/apply", h.authed(h.applyRectification)},
	}
}

func (h *Handler) writeChange(w http.ResponseWriter, c *store.RightsChange, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *Handler) rightsChange(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	c, err := h.DB.FindRightsChange(r.Context(), a, r.PathValue("id"))
	return h.writeChange(w, c, err)
}

func (h *Handler) setRectification(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in privacy.Rectification
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := h.DB.SetRectification(r.Context(), a, r.PathValue("id"), in)
	return h.writeChange(w, c, err)
}

func (h *Handler) setScreening(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Categories []opstap.Category `json:"categories" validate:"required,items=20,max=50"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := h.DB.SetScreening(r.Context(), a, r.PathValue("id"), in.Categories)
	return h.writeChange(w, c, err)
}

func (h *Handler) changeToApply(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	c, err := h.DB.RightsChangeToApply(r.Context(), a, r.PathValue("id"))
	return h.writeChange(w, c, err)
}

func (h *Handler) applyRectification(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	c, err := h.DB.ApplyRectification(r.Context(), a, r.PathValue("id"))
	return h.writeChange(w, c, err)
}
