package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/timesheet"
)

func init() {
	// list makes a slice in a template: the three inputs of a day's row.
	funcs["list"] = func(xs ...string) []string { return xs }
	registrars = append(registrars, (*Handler).registerTimesheets)
	addNav(navItem{Order: 35, Href: "/employer/hours", Label: "Hours", Roles: []opstap.Role{opstap.RoleEmployer}})
	addNav(navItem{Order: 36, Href: "/portal/hours", Label: "My hours", Roles: []opstap.Role{opstap.RoleCandidate}})
	addNav(navItem{Order: 37, Href: "/hours/flagged", Label: "Hours above contract", Roles: []opstap.Role{opstap.RoleCaseManager}})
	addNav(navItem{Order: 38, Href: "/hours/month", Label: "Hours per month", Roles: []opstap.Role{opstap.RoleFinance, opstap.RoleCaseManager}})
	addNav(navItem{Order: 39, Href: "/finance/periods", Label: "Closing months", Roles: []opstap.Role{opstap.RoleFinance, opstap.RoleAdmin}})
	cardLinks(opstap.RoleEmployer, link{"/employer/hours", "Hours"}, link{"/employer/placements", "Placements"})
	cardLinks(opstap.RoleFinance, link{"/hours/month", "Hours per month"}, link{"/finance/periods", "Closing months"})
	cardLinks(opstap.RoleAdmin, link{"/finance/periods", "Closing months"})
	cardLinks(opstap.RoleCaseManager, link{"/hours/flagged", "Hours above contract"})
}

// cardLinks adds links to a role's card on the home page.
func cardLinks(r opstap.Role, ls ...link) {
	c := roleHome[r]
	c.Links = append(c.Links, ls...)
	roleHome[r] = c
}

// registerTimesheets adds the pages of worked hours and finance periods
// (issue 9 items 2, 7, 8).
func (h *Handler) registerTimesheets(mux *http.ServeMux) {
	mux.HandleFunc("GET /placements/{id}/timesheet", h.authed(h.timesheetPage))
	mux.HandleFunc("POST /placements/{id}/timesheet", h.authed(h.enterWeek))
	mux.HandleFunc("POST /placements/{id}/timesheet/decide", h.authed(h.decideHours))
	mux.HandleFunc("POST /placements/{id}/timesheet/correct", h.authed(h.correctHours))
	mux.HandleFunc("GET /employer/hours", h.authed(h.employerHours))
	mux.HandleFunc("POST /employer/hours/decide", h.authed(h.decideFromQueue))
	mux.HandleFunc("GET /portal/hours", h.authed(h.portalHours))
	mux.HandleFunc("GET /hours/flagged", h.authed(h.flaggedPage))
	mux.HandleFunc("POST /hours/flagged/note", h.authed(h.noteFlag))
	mux.HandleFunc("GET /hours/month", h.authed(h.monthPage))
	mux.HandleFunc("GET /finance/periods", h.authed(h.periodsPage))
	mux.HandleFunc("POST /finance/periods/{month}/{step}", h.authed(h.periodStep))
}

type timesheetData struct {
	V       *store.PlacementHours
	Monday  opstap.Date
	Prev    opstap.Date
	Next    opstap.Date
	Days    []timesheet.DayView
	Week    timesheet.Week
	Enter   bool // the form is offered
	Decide  bool // the reader approves the candidate's hours
	Correct bool // the reader corrects approved hours (timesheet.CanCorrect)
	Form    map[string]string
}

// Value is what an input of the week's form shows: what was just posted,
// else the day's stored value.
func (d timesheetData) Value(i int, name string) string {
	return d.Form[fmt.Sprintf("entries.%d.%s", i, name)]
}

func (h *Handler) timesheetPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderTimesheet(w, r, http.StatusOK, h.newPage(r, "Hours"))
}

// weekOf reads ?week= (any day of the week), defaulting to this week.
func (h *Handler) weekOf(r *http.Request) opstap.Date {
	d, err := opstap.ParseDate(r.URL.Query().Get("week"))
	if err != nil {
		d = opstap.DateOf(h.DB.Now())
	}
	return timesheet.WeekStart(d)
}

func (h *Handler) renderTimesheet(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	mon := h.weekOf(r)
	v, err := h.DB.FindPlacementHours(r.Context(), a, r.PathValue("id"), mon, mon.AddDays(6))
	if err != nil {
		return err
	}
	f := timesheet.Placement{Status: v.Placement.Status, FirstDay: v.Placement.FirstDay, LastDay: v.Placement.LastDay, Hours: v.Placement.Hours}
	d := timesheetData{V: v, Monday: mon, Prev: mon.AddDays(-7), Next: mon.AddDays(7), Week: v.Weeks[0], Decide: v.Source == timesheet.SourceEmployer,
		Correct: timesheet.CanCorrect(v.Source), Days: timesheet.WeekView(mon, v.Lines, f, v.Closed, opstap.DateOf(h.DB.Now()), v.Source), Form: map[string]string{}}
	for _, day := range d.Days {
		d.Enter = d.Enter || day.Enterable
		if day.Pending && v.Source == timesheet.SourceCandidate {
			d.Form[fmt.Sprintf("entries.%d.hours", day.Index)] = day.Original.Minutes.String()
			d.Form[fmt.Sprintf("entries.%d.travel_km", day.Index)] = strconv.Itoa(day.Original.TravelKm)
			d.Form[fmt.Sprintf("entries.%d.transit", day.Index)] = day.Original.TransitCents.String()
		}
	}
	for k, vs := range p.Form {
		d.Form[k] = strings.Join(vs, "")
	}
	p.Data = d
	return h.render(w, r, status, "timesheet", p)
}

// weekFromForm reads the week's rows; a row left blank is skipped. rows
// maps each entry back to its row, so that an error names the right input.
func weekFromForm(r *http.Request) ([]timesheet.Entry, []int, error) {
	var es []timesheet.Entry
	var rows []int
	for i := range 7 {
		f := func(name string) string {
			return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("entries.%d.%s", i, name)))
		}
		hours, km, transit := f("hours"), f("travel_km"), f("transit")
		if hours == "" && km == "" && transit == "" {
			continue
		}
		e, err := parseDay(i, f("day"), hours, km, transit)
		if err != nil {
			return nil, nil, err
		}
		es, rows = append(es, e), append(rows, i)
	}
	if len(es) == 0 {
		return nil, nil, opstap.FieldError("entries.0.hours", "enter the hours of at least one day")
	}
	return es, rows, nil
}

// parseDay reads one row of the week's form; blank amounts are zero.
func parseDay(i int, day, hours, km, transit string) (timesheet.Entry, error) {
	var e timesheet.Entry
	var err error
	if e.Day, err = opstap.ParseDate(day); err != nil {
		return e, opstap.FieldError(timesheet.Field(i, "hours"), "not a valid date")
	}
	if hours != "" {
		if e.Minutes, err = opstap.ParseHours(hours); err != nil {
			return e, opstap.FieldError(timesheet.Field(i, "hours"), "not a number of hours: write 7,5 or 7:30")
		}
	}
	if km != "" {
		if e.TravelKm, err = strconv.Atoi(km); err != nil {
			return e, opstap.FieldError(timesheet.Field(i, "travel_km"), "not a whole number")
		}
	}
	if transit != "" {
		if e.TransitCents, err = opstap.ParseCents(transit); err != nil {
			return e, opstap.FieldError(timesheet.Field(i, "transit"), "not an amount")
		}
	}
	return e, nil
}

// rowField points an error of entry n back at its row of the form.
func rowField(err error, rows []int) error {
	e := opstap.AsError(err)
	if e == nil {
		return err
	}
	var n int
	var name string
	if _, scanErr := fmt.Sscanf(strings.ReplaceAll(e.Field, ".", " "), "entries %d %s", &n, &name); scanErr == nil && n < len(rows) {
		c := *e
		c.Field = timesheet.Field(rows[n], name)
		return &c
	}
	return err
}

func (h *Handler) enterWeek(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	es, rows, err := weekFromForm(r)
	if err == nil {
		_, err = h.DB.EnterHours(r.Context(), a, r.PathValue("id"), es)
		err = rowField(err, rows)
	}
	return h.afterPost(w, r, err, h.timesheetURL(r), "The hours are saved.", "Hours", h.renderTimesheet)
}

func (h *Handler) timesheetURL(r *http.Request) string {
	return "/placements/" + r.PathValue("id") + "/timesheet?week=" + h.weekOf(r).String()
}

func (h *Handler) decideHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	approve := r.PostFormValue("approve") == "1"
	err := h.DB.DecideHours(r.Context(), a, r.PathValue("id"), r.PostForm["line"], approve, r.PostFormValue("reason"))
	return h.afterPost(w, r, err, h.timesheetURL(r), decidedText(approve), "Hours", h.renderTimesheet)
}

func decidedText(approve bool) string {
	if approve {
		return "The hours are approved."
	}
	return "The hours are rejected; the candidate is told."
}

// correctHours records a correction of one approved day of the week's
// page; a refusal shows beside the fields of that day's form.
func (h *Handler) correctHours(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	c := timesheet.Correction{Reason: r.PostFormValue("reason")}
	e, err := parseCorrection(r)
	if err == nil {
		c.Minutes, c.TravelKm, c.TransitCents = e.Minutes, e.TravelKm, e.TransitCents
		_, err = h.DB.CorrectHours(r.Context(), a, r.PostFormValue("line"), c)
	}
	return h.afterPost(w, r, err, h.timesheetURL(r), "The correction is recorded.", "Hours", h.renderTimesheet)
}

// parseCorrection reads the corrected day; its fields are named without
// the row prefix of the week's form.
func parseCorrection(r *http.Request) (timesheet.Entry, error) {
	f := func(n string) string { return strings.TrimSpace(r.PostFormValue(n)) }
	e, err := parseDay(0, f("day"), f("hours"), f("travel_km"), f("transit"))
	if ae := opstap.AsError(err); ae != nil {
		c := *ae
		c.Field = strings.TrimPrefix(c.Field, "entries.0.")
		return e, &c
	}
	return e, err
}
