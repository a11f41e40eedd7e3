package api

import (
	"math"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/timesheet"
)

func init() { routeGroups = append(routeGroups, (*Handler).timesheetRoutes) }

// timesheetRoutes: worked hours and finance periods (issue 9 items 2, 7
// and 8).
func (h *Handler) timesheetRoutes() []route {
	return []route{
		{"GET /api/v1/placements/{id}/timesheet", h.authed(h.placementTimesheet)},
		{"POST /api/v1/placements/{id}/timesheet", h.authed(h.enterHours)},
		{"POST /api/v1/placements/{id}/timesheet/decisions", h.authed(h.decideHours)},
		{"POST /api/v1/placements/{id}/flags/{monday}/note", h.authed(h.noteFlag)},
		{"POST /api/v1/timesheet-lines/{id}/corrections", h.authed(h.correctHours)},
		{"GET /api/v1/employer/hours", h.authed(h.hoursQueue)},
		{"GET /api/v1/hours/flagged", h.authed(h.flaggedWeeks)},
		{"GET /api/v1/hours/months/{month}", h.authed(h.monthHours)},
		{"GET /api/v1/finance/periods", h.authed(h.financePeriods)},
		{"POST /api/v1/finance/periods/{month}/close", h.authed(h.closePeriod)},
		{"POST /api/v1/finance/periods/{month}/reopen", h.authed(h.reopenPeriod)},
	}
}

// dateParam reads a date query or path value; empty gives def.
func dateParam(field, v string, def opstap.Date) (opstap.Date, error) {
	if v == "" {
		return def, nil
	}
	d, err := opstap.ParseDate(v)
	if err != nil {
		return d, opstap.FieldError(field, "not a valid date")
	}
	return d, nil
}

// monthParam reads a month query or path value; empty gives def.
func monthParam(field, v string, def opstap.Month) (opstap.Month, error) {
	if v == "" {
		return def, nil
	}
	m, err := opstap.ParseMonth(v)
	if err != nil {
		return m, opstap.FieldError(field, "not a valid month")
	}
	return m, nil
}

func (h *Handler) placementTimesheet(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	this := opstap.MonthOf(opstap.DateOf(h.DB.Now()))
	from, err := dateParam("from", r.URL.Query().Get("from"), this.First())
	if err != nil {
		return err
	}
	to, err := dateParam("to", r.URL.Query().Get("to"), opstap.MonthOf(from).Last())
	if err != nil {
		return err
	}
	v, err := h.DB.FindPlacementHours(r.Context(), a, r.PathValue("id"), from, to)
	return reply(w, http.StatusOK, v, err)
}

func (h *Handler) enterHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Entries []timesheet.Entry `json:"entries" validate:"required,items=100"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	ls, err := h.DB.EnterHours(r.Context(), a, r.PathValue("id"), in.Entries)
	return reply(w, http.StatusCreated, map[string]any{"lines": ls}, err)
}

func (h *Handler) decideHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in struct {
		Lines   []string `json:"lines" validate:"required,items=1000,max=64"`
		Approve *bool    `json:"approve" validate:"required"`
		Reason  string   `json:"reason" validate:"max=2000"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Approve == nil {
		return opstap.FieldError("approve", "choose to approve or reject")
	}
	return h.noContent(w, h.DB.DecideHours(r.Context(), a, r.PathValue("id"), in.Lines, *in.Approve, in.Reason))
}

func (h *Handler) correctHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var in timesheet.Correction
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	l, err := h.DB.CorrectHours(r.Context(), a, r.PathValue("id"), in)
	return reply(w, http.StatusCreated, l, err)
}

func (h *Handler) noteFlag(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	mon, err := dateParam("monday", r.PathValue("monday"), opstap.Date{})
	if err != nil {
		return err
	}
	return h.noContent(w, h.DB.NoteFlag(r.Context(), a, r.PathValue("id"), mon))
}

func (h *Handler) hoursQueue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	q, err := h.DB.HoursQueue(r.Context(), a)
	return reply(w, http.StatusOK, map[string]any{"lines": q}, err)
}

func (h *Handler) flaggedWeeks(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ws, err := h.DB.FlaggedWeeks(r.Context(), a)
	return reply(w, http.StatusOK, map[string]any{"weeks": ws}, err)
}

func (h *Handler) monthHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := monthParam("month", r.PathValue("month"), opstap.Month{})
	if err != nil {
		return err
	}
	page, err := httpx.QueryInt(r, "page", 0, 0, math.MaxInt32)
	if err != nil {
		return err
	}
	v, err := h.DB.FindMonthHours(r.Context(), a, m, page)
	return reply(w, http.StatusOK, v, err)
}

func (h *Handler) financePeriods(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	this := opstap.MonthOf(opstap.DateOf(h.DB.Now()))
	from, err := monthParam("from", r.URL.Query().Get("from"), this.Add(-11))
	if err != nil {
		return err
	}
	to, err := monthParam("to", r.URL.Query().Get("to"), this)
	if err != nil {
		return err
	}
	ps, err := h.DB.FinancePeriods(r.Context(), a, from, to)
	return reply(w, http.StatusOK, map[string]any{"periods": ps}, err)
}

func (h *Handler) closePeriod(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := monthParam("month", r.PathValue("month"), opstap.Month{})
	if err != nil {
		return err
	}
	return h.noContent(w, h.DB.ClosePeriod(r.Context(), a, m))
}

func (h *Handler) reopenPeriod(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	m, err := monthParam("month", r.PathValue("month"), opstap.Month{})
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason" validate:"required,max=2000"`
	}
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	return h.noContent(w, h.DB.ReopenPeriod(r.Context(), a, m, in.Reason))
}
