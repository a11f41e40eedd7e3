package api

import (
	"context"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).figureRoutes) }

// figureRoutes: the municipality's figures (issue 10 items 1, 9).
func (h *Handler) figureRoutes() []route {
	return []route{
		{"GET /api/v1/figures/municipalities", h.authed(h.figureMunicipalities)},
		{"GET /api/v1/figures/provider", h.authed(periodJSON(func(ctx context.Context, a *opstap.Actor, _ string, p figures.Period) (*store.ProviderFigures, error) {
			return h.DB.ProviderFigures(ctx, a, p)
		}))},
		{"GET /api/v1/figures/{municipality}", h.authed(periodJSON(h.DB.MunicipalityFigures))},
		{"GET /api/v1/figures/{municipality}/placements", h.authed(periodJSON(h.DB.FigurePlacementFacts))},
		{"GET /api/v1/figures/{municipality}/records", h.authed(periodJSON(h.DB.MunicipalityRecords))},
		{"GET /api/v1/figures/{municipality}/placements/{format}", h.authed(h.figurePlacementsFile)},
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

// figurePeriod reads the required ?start=&end=.
func figurePeriod(r *http.Request) (figures.Period, error) {
	q := r.URL.Query()
	var p figures.Period
	var err error
	if p.Start, err = dateParam("start", q.Get("start"), opstap.Date{}); err != nil {
		return p, err
	}
	p.End, err = dateParam("end", q.Get("end"), opstap.Date{})
	return p, err
}

// figurePlacementsFile is the same rows as CSV or XLSX.
func (h *Handler) figurePlacementsFile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	format := r.PathValue("format")
	if format != "csv" && format != "xlsx" {
		return opstap.Errorf(opstap.ENOTFOUND, "no such export")
	}
	p, err := figurePeriod(r)
	if err != nil {
		return err
	}
	out, err := h.DB.FigurePlacementFacts(r.Context(), a, r.PathValue("municipality"), p)
	if err != nil {
		return err
	}
	return download.FigurePlacements(w, r, out, format)
}

// periodJSON answers, as JSON, what read gives for the municipality of the
// path over the required ?start=&end= (the period's edges change every
// figure): the dashboard, its records and the placement facts, and the
// provider-wide view.
func periodJSON[T any](read func(context.Context, *opstap.Actor, string, figures.Period) (T, error)) func(http.ResponseWriter, *http.Request, *opstap.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		p, err := figurePeriod(r)
		if err != nil {
			return err
		}
		out, err := read(r.Context(), a, r.PathValue("municipality"), p)
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusOK, out)
		return nil
	}
}
