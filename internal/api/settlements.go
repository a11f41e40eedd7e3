package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() { routeGroups = append(routeGroups, (*Handler).settlementRoutes) }

// settlementRoutes: the half-year settlement with a municipality (issue 9
// item 6; seed 003 art 6.1 lid 5, 6.2 lid 4).
func (h *Handler) settlementRoutes() []route {
	return []route{
		{"GET /api/v1/settlements", h.authed(h.settlements)},
		{"GET /api/v1/settlements/{municipality}/{half_year}", h.authed(h.settlement)},
		{"POST /api/v1/settlements/{municipality}/{half_year}", h.authed(h.drawUpSettlement)},
		{"GET /api/v1/settlements/{municipality}/{half_year}/pdf", h.authed(h.settlementFile("pdf"))},
		{"GET /api/v1/settlements/{municipality}/{half_year}/xlsx", h.authed(h.settlementFile("xlsx"))},
	}
}

// HalfYearParam reads a half year (2026-H1) from a path or query value;
// empty gives def. The pages use it too.
func HalfYearParam(v string, def billing.HalfYear) (billing.HalfYear, error) {
	if v == "" {
		return def, nil
	}
	h, err := billing.ParseHalfYear(v)
	if err != nil {
		return h, opstap.FieldError("half_year", "not a half year (2026-H1)")
	}
	return h, nil
}

// LastHalfYear is the latest half year that has ended on today: the one to
// settle.
func LastHalfYear(today opstap.Date) billing.HalfYear {
	h := billing.HalfYearOf(opstap.MonthOf(today))
	if h.Half == 1 {
		return billing.HalfYear{Year: h.Year - 1, Half: 2}
	}
	return billing.HalfYear{Year: h.Year, Half: 1}
}

func (h *Handler) settlements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	half, err := HalfYearParam(r.URL.Query().Get("half_year"), LastHalfYear(opstap.DateOf(h.DB.Now())))
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
	half, err := HalfYearParam(r.PathValue("half_year"), billing.HalfYear{})
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
	half, err := HalfYearParam(r.PathValue("half_year"), billing.HalfYear{})
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

func (h *Handler) settlementFile(format string) func(http.ResponseWriter, *http.Request, *opstap.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		return WriteSettlementFile(w, r, h.DB, a, format)
	}
}

// WriteSettlementFile sends a settlement as PDF or XLSX, made from the
// stored statement with the names the reader may see; the pages use it too.
func WriteSettlementFile(w http.ResponseWriter, r *http.Request, db *store.DB, a *opstap.Actor, format string) error {
	half, err := HalfYearParam(r.PathValue("half_year"), billing.HalfYear{})
	if err != nil {
		return err
	}
	v, err := db.SettlementForFile(r.Context(), a, r.PathValue("municipality"), half, format)
	if err != nil {
		return err
	}
	if format == "xlsx" {
		b, err := render.SettlementXLSX(v)
		if err != nil {
			return err
		}
		render.WriteFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render.SettlementFileName(v, "xlsx"), b)
		return nil
	}
	at := db.Now()
	if v.DrawnUpAt != nil {
		at = *v.DrawnUpAt
	}
	b, err := render.SettlementPDF(v, at)
	if err != nil {
		return err
	}
	render.WritePDF(w, render.SettlementFileName(v, "pdf"), b)
	return nil
}
