package web

import (
	"math"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

type employerHoursData struct {
	Queue      []store.QueueItem
	Placements []*store.PlacementView
	Week       opstap.Date
}

// employerHours is the employer's approval queue and its running
// placements, each with its week of hours.
func (h *Handler) employerHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderEmployerHours(w, r, http.StatusOK, h.newPage(r, "Hours"))
}

func (h *Handler) renderEmployerHours(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	q, err := h.DB.HoursQueue(r.Context(), a)
	if err != nil {
		return err
	}
	ps, _, err := h.DB.EmployerPlacements(r.Context(), a, store.PlacementFilter{Status: flex.PlacementConfirmed, Paging: store.Paging{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	d := employerHoursData{Queue: q, Week: opstap.DateOf(h.DB.Now()), Placements: ps}
	p.Data = d
	return h.render(w, r, status, "hours_employer", p)
}

// decideFromQueue approves or rejects one line of the queue.
func (h *Handler) decideFromQueue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	approve := r.PostFormValue("approve") == "1"
	err := h.DB.DecideHours(r.Context(), a, r.PostFormValue("placement"), r.PostForm["line"], approve, r.PostFormValue("reason"))
	return h.afterPost(w, r, err, "/employer/hours", decidedText(approve), "Hours", h.renderEmployerHours)
}

// portalHours lists the candidate's placements, each leading to its weeks.
func (h *Handler) portalHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "My hours")
	ps, err := h.DB.PortalPlacements(r.Context(), a)
	if err != nil {
		return err
	}
	var out []*store.PlacementView
	for _, pl := range ps {
		if pl.Status == flex.PlacementConfirmed || pl.Status == flex.PlacementEnded {
			out = append(out, pl)
		}
	}
	p.Data = out
	return h.render(w, r, http.StatusOK, "hours_portal", p)
}

func (h *Handler) flaggedPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderFlagged(w, r, http.StatusOK, h.newPage(r, "Hours above contract"))
}

func (h *Handler) renderFlagged(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	ws, err := h.DB.FlaggedWeeks(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	p.Data = ws
	return h.render(w, r, status, "hours_flagged", p)
}

func (h *Handler) noteFlag(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var mon opstap.Date
	err := formDate(r, "monday", &mon)
	if err == nil {
		err = h.DB.NoteFlag(r.Context(), a, r.PostFormValue("placement"), mon)
	}
	return h.afterPost(w, r, err, "/hours/flagged", "The week is noted.", "Hours above contract", h.renderFlagged)
}

type monthData struct {
	M     *store.MonthHours
	Month opstap.Month
	Prev  opstap.Month
	Next  opstap.Month
}

// From and To number the placements shown, from 1.
func (d monthData) From() int { return d.M.Page*store.MonthHoursPage + 1 }
func (d monthData) To() int   { return d.M.Page*store.MonthHoursPage + len(d.M.Rows) }

// PrevPage and NextPage are the neighbouring pages, -1 where there is none.
func (d monthData) PrevPage() int { return d.M.Page - 1 }
func (d monthData) NextPage() int {
	if d.M.Page+1 < d.M.Pages {
		return d.M.Page + 1
	}
	return -1
}

// monthPage is a month's hours per placement, for finance and the
// municipality; by default last month.
func (h *Handler) monthPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Hours per month")
	m, err := opstap.ParseMonth(r.URL.Query().Get("month"))
	if r.URL.Query().Get("month") == "" {
		m, err = opstap.MonthOf(opstap.DateOf(h.DB.Now())).Add(-1), nil
	}
	if err != nil {
		return opstap.FieldError("month", "not a valid month")
	}
	page, err := httpx.QueryInt(r, "page", 0, 0, math.MaxInt32)
	if err != nil {
		return err
	}
	mh, err := h.DB.FindMonthHours(r.Context(), a, m, page)
	if err != nil {
		return err
	}
	p.Data = monthData{M: mh, Month: m, Prev: m.Add(-1), Next: m.Next()}
	return h.render(w, r, http.StatusOK, "hours_month", p)
}

type periodsData struct {
	Periods  []store.FinancePeriod
	Today    opstap.Date
	CanClose bool
	CanOpen  bool
}

// Closable reports whether a month can be closed today.
func (d periodsData) Closable(fp store.FinancePeriod) bool {
	return d.CanClose && !fp.Closed && d.Today.After(fp.Month.Last())
}

func (h *Handler) periodsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderPeriods(w, r, http.StatusOK, h.newPage(r, "Closing months"))
}

func (h *Handler) renderPeriods(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	this := opstap.MonthOf(opstap.DateOf(h.DB.Now()))
	ps, err := h.DB.FinancePeriods(r.Context(), a, this.Add(-11), this)
	if err != nil {
		return err
	}
	// Newest first: the month to close is at the top.
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
	p.Data = periodsData{Periods: ps, Today: opstap.DateOf(h.DB.Now()), CanClose: access.Can(a, access.ManageFinance), CanOpen: access.Can(a, access.ReopenPeriods)}
	return h.render(w, r, status, "periods", p)
}

// periodStep closes (finance) or reopens (the admin, with a reason) a month.
func (h *Handler) periodStep(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	m, err := opstap.ParseMonth(r.PathValue("month"))
	if err != nil {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	var done string
	switch r.PathValue("step") {
	case "close":
		err, done = h.DB.ClosePeriod(r.Context(), a, m), "The month is closed."
	case "reopen":
		err, done = h.DB.ReopenPeriod(r.Context(), a, m, r.PostFormValue("reason")), "The month is reopened."
	default:
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	return h.afterPost(w, r, err, "/finance/periods", done, "Closing months", h.renderPeriods)
}
