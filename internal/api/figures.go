package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/render"
)

func init() { routeGroups = append(routeGroups, (*Handler).figureRoutes) }

// figureRoutes: the municipality's figures (issue 10 items 1, 9).
func (h *Handler) figureRoutes() []route {
	return []route{
		{"GET /api/v1/figures/municipalities", h.authed(h.figureMunicipalities)},
		{"GET /api/v1/figures/provider", h.authed(h.providerFigures)},
		{"GET /api/v1/figures/{municipality}", h.authed(h.municipalityFigures)},
		{"GET /api/v1/figures/{municipality}/placements", h.authed(h.figurePlacements)},
		{"GET /api/v1/figures/{municipality}/records", h.authed(h.figureRecords)},
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

// municipalityFigures answers ?start=&end=; both are required, as the
// period's edges change every figure.
func (h *Handler) municipalityFigures(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := figurePeriod(r)
	if err != nil {
		return err
	}
	out, err := h.DB.MunicipalityFigures(r.Context(), a, r.PathValue("municipality"), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
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

// figurePlacements answers the rows behind the placement figures (issue
// 10 item 8).
func (h *Handler) figurePlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := figurePeriod(r)
	if err != nil {
		return err
	}
	out, err := h.DB.FigurePlacementFacts(r.Context(), a, r.PathValue("municipality"), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
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
	var b []byte
	if format == "csv" {
		b, err = render.PlacementsCSV(out)
	} else {
		b, err = render.PlacementsXLSX(out, httpx.Lang(r))
	}
	if err != nil {
		return err
	}
	render.WriteFile(w, render.FigureContentType(format), render.PlacementsFileName(out, format), b)
	return nil
}

// providerFigures answers every municipality's figures beside those of the
// period before (issue 10 item 8).
func (h *Handler) providerFigures(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := figurePeriod(r)
	if err != nil {
		return err
	}
	out, err := h.DB.ProviderFigures(r.Context(), a, p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// figureRecords answers the pseudonymous records behind every figure of
// the period (issue 10 item 7).
func (h *Handler) figureRecords(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := figurePeriod(r)
	if err != nil {
		return err
	}
	out, err := h.DB.MunicipalityRecords(r.Context(), a, r.PathValue("municipality"), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
