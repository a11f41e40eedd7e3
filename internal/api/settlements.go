package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/httpx"
)

func init() { routeGroups = append(routeGroups, (*Handler).settlementRoutes) }

// settlementRoutes: the half-year settlement with a municipality (issue 9
// item 6; seed 003 art 6.1 lid 5, 6.2 lid 4).
func (h *Handler) settlementRoutes() []route {
	return []route{
		{"GET /api/v1/settlements", h.authed(h.settlements)},
		{"GET /api/v1/settlements/{municipality}/{half_year}", h.authed(h.settlement)},
		{"POST /api/v1/settlements/{municipality}/{half_year}", h.authed(h.drawUpSettlement)},
		{"GET /api/v1/settlements/{municipality}/{half_year}/pdf", h.authed(download.Files{DB: h.DB}.Settlement("pdf"))},
		{"GET /api/v1/settlements/{municipality}/{half_year}/xlsx", h.authed(download.Files{DB: h.DB}.Settlement("xlsx"))},
	}
}

func (h *Handler) settlements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	half, err := billing.HalfYearField("half_year", r.URL.Query().Get("half_year"), billing.LastHalfYear(opstap.DateOf(h.DB.Now())))
	if err != nil {
		return err
	}
	out, err := h.DB.Settlements(r.Context(), a, half)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"settlements": out})
	return nil
}

func (h *Handler) settlement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	half, err := billing.HalfYearField("half_year", r.PathValue("half_year"), billing.HalfYear{})
	if err != nil {
		return err
	}
	out, err := h.DB.Settlement(r.Context(), a, r.PathValue("municipality"), half)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) drawUpSettlement(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	half, err := billing.HalfYearField("half_year", r.PathValue("half_year"), billing.HalfYear{})
	if err != nil {
		return err
	}
	out, created, err := h.DB.DrawUpSettlement(r.Context(), a, r.PathValue("municipality"), half)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	httpx.WriteJSON(w, status, out)
	return nil
}
