package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
)

func init() { routeGroups = append(routeGroups, (*Handler).employerCVRoutes) }

func (h *Handler) employerCVRoutes() []route {
	return []route{
		{"GET /api/v1/employer/candidates/{id}/cvs", h.authed(h.employerCVs)},
		{"GET /api/v1/employer/candidates/{id}/cvs/{doc}", h.authed(h.employerCV)},
	}
}

func (h *Handler) employerCVs(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	docs, err := h.DB.EmployerCVs(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"documents": nonNil(docs)})
	return nil
}

func (h *Handler) employerCV(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	doc, content, err := h.DB.EmployerCV(r.Context(), a, r.PathValue("id"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	httpx.ServeDocument(w, doc, content)
	return nil
}
