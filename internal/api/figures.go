package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/httpx"
)

func init() { routeGroups = append(routeGroups, (*Handler).figureRoutes) }

// figureRoutes: the municipality's figures (issue 10 items 1, 9).
func (h *Handler) figureRoutes() []route {
	return []route{
		{"GET /api/v1/figures/municipalities", h.authed(h.figureMunicipalities)},
		{"GET /api/v1/figures/{municipality}", h.authed(h.municipalityFigures)},
	}
}

func (h *Handler) figureMunicipalities(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	out, err := h.DB.FigureMunicipalities(r.Context(), a)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"municipalities": out})
	return nil
}

// municipalityFigures answers ?start=&end=; both are required, as the
// period's edges change every figure.
func (h *Handler) municipalityFigures(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q := r.URL.Query()
	var p figures.Period
	var err error
	if p.Start, err = dateParam("start", q.Get("start"), opstap.Date{}); err != nil {
		return err
	}
	if p.End, err = dateParam("end", q.Get("end"), opstap.Date{}); err != nil {
		return err
	}
	out, err := h.DB.MunicipalityFigures(r.Context(), a, r.PathValue("municipality"), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
