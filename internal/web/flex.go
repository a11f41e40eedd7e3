package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/matching"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerFlex)
	staff := []opstap.Role{opstap.RoleCaseManager, opstap.RoleCoach}
	addNav(navItem{Order: 30, Href: "/assignments", Label: "Assignments", Roles: staff})
	addNav(navItem{Order: 31, Href: "/employers", Label: "Employers", Roles: append(staff, opstap.RoleAdmin)})
	addNav(navItem{Order: 32, Href: "/employer", Label: "Our assignments", Roles: []opstap.Role{opstap.RoleEmployer}})
}

// registerFlex adds the flex platform's pages (issue 5; DOMAIN.md §5).
func (h *Handler) registerFlex(mux *http.ServeMux) {
	mux.HandleFunc("GET /employers", h.authed(h.employersPage))
	mux.HandleFunc("POST /employers", h.authed(h.createEmployer))
	mux.HandleFunc("POST /employers/{id}/locations", h.authed(h.addLocation))
	mux.HandleFunc("GET /assignments", h.authed(h.assignmentsPage))
	mux.HandleFunc("POST /assignments", h.authed(h.createAssignment))
	mux.HandleFunc("GET /assignments/new", h.authed(h.assignmentPage))
	mux.HandleFunc("GET /assignments/{id}", h.authed(h.assignmentPage))
	mux.HandleFunc("POST /assignments/{id}", h.authed(h.updateAssignment))
	mux.HandleFunc("POST /assignments/{id}/check", h.authed(h.displacementCheck))
	mux.HandleFunc("POST /assignments/{id}/status", h.authed(h.assignmentStatus))
	mux.HandleFunc("GET /assignments/{id}/matches", h.authed(h.matchesPage))
	mux.HandleFunc("GET /candidates/{id}/flex", h.authed(h.flexProfilePage))
	mux.HandleFunc("POST /candidates/{id}/flex", h.authed(h.saveFlexProfile))
	mux.HandleFunc("POST /candidates/{id}/flex/flags", h.authed(h.flexFlag))
	mux.HandleFunc("GET /portal/flex", h.authed(h.portalFlex))
	mux.HandleFunc("POST /portal/flex", h.authed(h.portalFlexConsent))
	mux.HandleFunc("GET /employer", h.authed(h.employerPortal))
}

// flexOptions are the choice lists of the flex forms.
type flexOptions struct {
	Days      []string
	DayLabels []string
	Demands   []matching.Conflict
	Employers []*flex.Employer
}

// options are the forms' choices; the employers only for those who may
// see them (an actor the store refuses gets the forms without the list).
func (h *Handler) options(r *http.Request) (flexOptions, error) {
	o := flexOptions{Days: flex.DayNames, DayLabels: flex.DayLabels, Demands: matching.Conflicts}
	var err error
	if o.Employers, err = h.DB.FindEmployers(r.Context(), httpx.AuthFrom(r).Actor); forbidden(err) {
		err = nil
	}
	return o, err
}

// DayLabel returns the label of day i, for templates.
func (o flexOptions) DayLabel(i int) string { return o.DayLabels[i] }

type employersData struct {
	Employers []*flex.Employer
	Provider  bool
}

func (h *Handler) employersPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderEmployers(w, r, http.StatusOK, h.newPage(r, "Employers"))
}

func (h *Handler) renderEmployers(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	es, err := h.DB.FindEmployers(r.Context(), a)
	if err != nil {
		return err
	}
	p.Data = employersData{Employers: es, Provider: a.OrgKind == opstap.OrgProvider}
	return h.render(w, r, status, "employers", p)
}

func (h *Handler) createEmployer(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	e := flex.Employer{Name: r.PostFormValue("name"), National: r.PostFormValue("national") == "on",
		Municipality: strings.TrimSpace(r.PostFormValue("municipality")), Municipalities: splitList(r.PostFormValue("municipalities"))}
	if l := locationForm(r); l.Name != "" || l.Address != "" || l.Postcode4 != "" {
		e.Locations = []flex.Location{l}
	}
	_, err := h.DB.CreateEmployer(r.Context(), a, e)
	return h.afterPost(w, r, err, "/employers", "Employer registered.", "Employers", h.renderEmployers)
}

func locationForm(r *http.Request) flex.Location {
	return flex.Location{Name: r.PostFormValue("location_name"), Address: r.PostFormValue("location_address"), Postcode4: strings.TrimSpace(r.PostFormValue("location_postcode4"))}
}

func (h *Handler) addLocation(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	_, err := h.DB.AddLocation(r.Context(), a, r.PathValue("id"), locationForm(r))
	return h.afterPost(w, r, err, "/employers", "Location added.", "Employers", h.renderEmployers)
}

// afterPost redirects after success, or shows the form again with the error
// beside its field.
func (h *Handler) afterPost(w http.ResponseWriter, r *http.Request, err error, to, done, title string, again renderer) error {
	if err == nil {
		h.redirect(w, r, to, i18nT(r, done))
		return nil
	}
	if s := httpx.Status(err); s != http.StatusUnprocessableEntity && s != http.StatusConflict {
		return err
	}
	return again(w, r, httpx.Status(err), h.formPage(r, title, err))
}

func i18nT(r *http.Request, msg string) string { return (&page{Lang: httpx.Lang(r)}).T(msg) }

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' })
}

type assignmentsData struct {
	Assignments []*flex.Assignment
	Options     flexOptions
	CanCreate   bool
	CBS         string // the case manager's municipality, whose assignments' placements they open
	List        *listView
}

// assignmentsPage lists the assignments a page at a time, found by title,
// employer or occupation, filtered on status, in the order chosen.
func (h *Handler) assignmentsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, q := h.newPage(r, "Assignments"), r.URL.Query()
	p.Form = q
	o, err := h.options(r)
	if err != nil {
		return err
	}
	cbs, err := h.DB.ActorMunicipality(r.Context(), a)
	if err != nil {
		return err
	}
	d := assignmentsData{Options: o, CanCreate: len(o.Employers) > 0, CBS: cbs}
	d.List, err = newList("/assignments", q, "q", "status", "sort")
	d.List.Search = p.T("Search by title, employer or occupation")
	d.List.Statuses = withAll(p, q, choices(q, "status", codes(flex.Statuses), func(s string) string { return p.L("assignment-status", s) }))
	d.List.Sorts = choices(q, "sort", []string{store.SortStart, store.SortNewest, store.SortTitle}, func(s string) string { return p.L("sort", s) })
	d.Assignments, err = rowsOf(d.List, p.Lang, err, func() ([]*flex.Assignment, store.Page, error) {
		return h.DB.FindAssignments(r.Context(), a, store.AssignmentFilter{Status: flex.Status(q.Get("status")), Query: q.Get("q"), Paging: d.List.paging(q.Get("sort"))})
	})
	p.Data = d
	return h.renderList(w, r, p, "assignments", err)
}

// assignmentForm reads the assignment form; a malformed number or date is
// refused naming its field.
func (h *Handler) assignmentForm(r *http.Request) (flex.Assignment, error) {
	if err := parseForm(r); err != nil {
		return flex.Assignment{}, err
	}
	f := r.PostForm
	a := flex.Assignment{EmployerID: f.Get("employer_id"), LocationID: f.Get("location_id"), Title: f.Get("title"), Days: f["days"],
		StartTime: f.Get("start_time"), EndTime: f.Get("end_time"), Postcode4: strings.TrimSpace(f.Get("postcode4")), Demands: f["demands"],
		NeedsDrivingLicence: f.Get("needs_driving_licence") == "on", NeedsTransport: f.Get("needs_transport") == "on"}
	if i := strings.Index(a.LocationID, "/"); i > 0 {
		// The location select carries "employer/location", so one choice sets both.
		a.EmployerID, a.LocationID = a.LocationID[:i], a.LocationID[i+1:]
	}
	err := errors.Join(h.readAssignmentNames(r.Context(), f, &a), formInt(f, "hours_per_week", &a.HoursPerWeek), formInt(f, "places", &a.Places),
		formCents(f, "hourly_rate", &a.HourlyRateCents), flexDate(f, "start", &a.Start), flexDate(f, "planned_end", &a.PlannedEnd), formLimits(&a))
	return a, err
}

// assignmentFields maps the fields the rules name (the API's) to the
// assignment form's where they differ: the form takes the rate in euros.
var assignmentFields = map[string]string{"hourly_rate_cents": "hourly_rate"}

// postedInt reads the whole number posted in field, as formInt.
func postedInt(r *http.Request, field string) (int, error) {
	n := 0
	err := formInt(url.Values{field: {r.PostFormValue(field)}}, field, &n)
	return n, err
}

// formInt reads the whole number in field (0 when empty); one that is not
// a whole number is refused naming the field.
func formInt(f url.Values, field string, dst *int) error {
	s := strings.TrimSpace(f.Get(field))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return opstap.FieldError(field, "not a whole number")
	}
	*dst = n
	return nil
}

// formCents reads an amount in euros ("11,75" or "11.75") as exact cents.
func formCents(f url.Values, field string, dst *int) error {
	s := strings.TrimSpace(f.Get(field))
	if s == "" {
		return nil
	}
	c, err := opstap.ParseCents(s)
	if err != nil {
		return opstap.FieldError(field, "not an amount")
	}
	*dst = int(c)
	return nil
}

func flexDate(f url.Values, field string, dst *opstap.Date) error {
	s := strings.TrimSpace(f.Get(field))
	if s == "" {
		return nil
	}
	d, err := opstap.ParseDate(s)
	if err != nil {
		return opstap.FieldError(field, "not a valid date")
	}
	*dst = d
	return nil
}

func (h *Handler) createAssignment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	in, err := h.assignmentForm(r)
	var as *flex.Assignment
	if err == nil {
		as, err = h.DB.CreateAssignment(r.Context(), a, in)
	}
	to := "/assignments"
	if as != nil {
		to += "/" + as.ID
	}
	return h.afterPost(w, r, opstap.RenameFields(err, assignmentFields), to, "Assignment created as a draft.", "New assignment", h.renderAssignment)
}

type assignmentData struct {
	A       *flex.Assignment
	Options flexOptions
	// CanManage: the form to change the terms and the status buttons, for
	// who the store lets change them (access.FlexRole.MayManageAssignment);
	// others who may see the assignment see its terms read-only.
	CanManage bool
	CanCheck  bool
	// CanSetRate: only the municipality's own case manager sets the hourly
	// rate [003 art 5 lid 8]; others see it, read-only.
	CanSetRate bool
	Today      string
	Targets    []string // statuses the status buttons offer
	// Placements are the assignment's placements, for its municipality.
	Placements []*store.PlacementView
	// Names are the occupation's and skills' names by code, for the
	// read-only terms.
	Names map[string]string
}

// Rate is the assignment's hourly rate as money.
func (d assignmentData) Rate() opstap.Cents { return opstap.Cents(d.A.HourlyRateCents) }

// Demands are the message IDs of what the work demands, for the read-only
// terms: the demand codes, then the driving licence and own transport.
func (d assignmentData) Demands() []string {
	out := append([]string{}, d.A.Demands...)
	if d.A.NeedsDrivingLicence {
		out = append(out, "Driving licence needed")
	}
	if d.A.NeedsTransport {
		out = append(out, "Own transport needed")
	}
	return out
}

// Location names the assignment's location as the form's choice does,
// "" when it is not among the employers the actor may see.
func (d assignmentData) Location() string {
	for _, e := range d.Options.Employers {
		if e.ID != d.A.EmployerID {
			continue
		}
		for _, l := range e.Locations {
			if l.ID == d.A.LocationID {
				return l.Name + " (" + l.Postcode4 + ")"
			}
		}
	}
	return ""
}

func (h *Handler) assignmentPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderAssignment(w, r, http.StatusOK, h.newPage(r, "Assignment"))
}

func (h *Handler) renderAssignment(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	as := &flex.Assignment{Status: flex.StatusDraft}
	if id := r.PathValue("id"); id != "" {
		var err error
		if as, err = h.DB.FindAssignment(r.Context(), a, id); err != nil {
			return err
		}
	}
	cbs, err := h.DB.ActorMunicipality(r.Context(), a)
	if err != nil {
		return err
	}
	if as.ID == "" {
		as.Municipality = cbs
	}
	o, err := h.options(r)
	if err != nil {
		return err
	}
	acts, err := h.DB.AssignmentActs(r.Context(), a, as)
	if err != nil {
		return err
	}
	d := assignmentData{A: as, Options: o, CanManage: acts.Manage, CanCheck: acts.Check, CanSetRate: acts.SetRate,
		Today: opstap.DateOf(h.DB.Now()).String(), Targets: []string{"open", "filled", "closed"}}
	if d.CanCheck && as.ID != "" {
		if d.Placements, err = h.DB.AssignmentPlacements(r.Context(), a, as.ID); err != nil {
			return err
		}
	}
	if !d.CanManage && as.ID != "" {
		if d.Names, err = h.DB.OccupationLabels(r.Context(), append(append([]string{as.Occupation}, as.RequiredSkills...), as.WishedSkills...)); err != nil {
			return err
		}
	}
	if len(p.Form) == 0 && as.ID != "" {
		p.Form = assignmentValues(as)
		if err := h.assignmentNames(r.Context(), as, p.Form); err != nil {
			return err
		}
	}
	p.Data = d
	return h.render(w, r, status, "assignment", p)
}

// assignmentValues fills the edit form from a stored assignment.
func assignmentValues(a *flex.Assignment) url.Values {
	v := url.Values{"title": {a.Title}, "hours_per_week": {strconv.Itoa(a.HoursPerWeek)}, "days": a.Days,
		"start_time": {a.StartTime}, "end_time": {a.EndTime}, "postcode4": {a.Postcode4}, "start": {a.Start.String()},
		"planned_end": {a.PlannedEnd.String()}, "hourly_rate": {strconv.FormatFloat(float64(a.HourlyRateCents)/100, 'f', 2, 64)},
		"places": {strconv.Itoa(a.Places)}, "demands": a.Demands, "location_id": {a.EmployerID + "/" + a.LocationID}}
	if a.PlannedEnd.IsZero() {
		v.Set("planned_end", "")
	}
	for k, on := range map[string]bool{"needs_driving_licence": a.NeedsDrivingLicence, "needs_transport": a.NeedsTransport} {
		if on {
			v.Set(k, "on")
		}
	}
	return v
}

func (h *Handler) updateAssignment(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	in, err := h.assignmentForm(r)
	if err == nil {
		_, err = h.DB.UpdateAssignment(r.Context(), a, r.PathValue("id"), in)
	}
	return h.afterPost(w, r, opstap.RenameFields(err, assignmentFields), "/assignments/"+r.PathValue("id"), "Assignment saved.", "Assignment", h.renderAssignment)
}

func (h *Handler) displacementCheck(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	c := flex.DisplacementCheck{Positive: r.PostFormValue("outcome") == "positive", Motivation: r.PostFormValue("motivation")}
	err := flexDate(r.PostForm, "checked_on", &c.CheckedOn)
	if err == nil && r.PostFormValue("outcome") == "" {
		err = opstap.FieldError("outcome", "choose the outcome")
	}
	if err == nil {
		err = formLimits(&c)
	}
	if err == nil {
		_, err = h.DB.RecordDisplacementCheck(r.Context(), a, r.PathValue("id"), c)
	}
	return h.afterPost(w, r, err, "/assignments/"+r.PathValue("id"), "Displacement check recorded.", "Assignment", h.renderAssignment)
}

func (h *Handler) assignmentStatus(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	_, err := h.DB.SetAssignmentStatus(r.Context(), a, r.PathValue("id"), flex.Status(r.PostFormValue("status")))
	return h.afterPost(w, r, err, "/assignments/"+r.PathValue("id"), "Status changed.", "Assignment", h.renderAssignment)
}

func (h *Handler) matchesPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Matching candidates")
	// k from the page's own links; anything else (0) asks the default number.
	k, _ := strconv.Atoi(r.URL.Query().Get("k"))
	rk, err := h.DB.RankCandidates(r.Context(), a, r.PathValue("id"), k)
	if err != nil {
		return err
	}
	p.Data = rk
	return h.render(w, r, http.StatusOK, "flex_matches", p)
}

// Percent shows a score in [0,1] as a whole percentage, for templates.
func (p *page) Percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// Explain translates an engine explanation: its format is a catalogue key.
func (p *page) Explain(e matching.Explanation) string {
	if e.Format == "" {
		return e.Detail
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = a
		if s, ok := a.(string); ok && (s == "yes" || s == "no") {
			args[i] = p.T(s)
		}
	}
	out := p.T(e.Format, args...)
	if p.Lang == "nl" {
		out = decimalPoint.ReplaceAllString(out, "$1,$2") // 12.4 km → 12,4 km
	}
	return out
}

// decimalPoint finds a decimal point between digits in an explanation.
var decimalPoint = regexp.MustCompile(`(\d)\.(\d)`)

type flexProfileData struct {
	P             *flex.Profile
	Options       flexOptions
	Matches       *store.AssignmentRanking
	IsCaseManager bool
	IsCoach       bool
	// OccRows are the work-experience lines of the form.
	OccRows []occupationRow
}

func (h *Handler) flexProfilePage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderFlexProfile(w, r, http.StatusOK, h.newPage(r, "Flex profile"))
}

func (h *Handler) renderFlexProfile(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a, id := httpx.AuthFrom(r).Actor, r.PathValue("id")
	prof, err := h.DB.FlexProfile(r.Context(), a, id, store.PurposeMatching, "")
	if err != nil {
		return err
	}
	d := flexProfileData{P: prof, Options: flexOptions{Days: flex.DayNames, DayLabels: flex.DayLabels},
		IsCaseManager: a.Has(opstap.RoleCaseManager, opstap.Write), IsCoach: a.Has(opstap.RoleCoach, opstap.Write)}
	// Matches only for those who may rank: the others' page has none.
	if d.Matches, err = h.DB.RankAssignmentsFor(r.Context(), a, id, ""); err != nil && !forbidden(err) {
		return err
	}
	if len(p.Form) == 0 {
		p.Form = profileValues(prof)
		if err := h.profileNames(r.Context(), prof, p.Form); err != nil {
			return err
		}
	}
	d.OccRows = occupationRows(p.Form)
	p.Data = d
	return h.render(w, r, status, "flex_profile", p)
}

func profileValues(p *flex.Profile) url.Values {
	v := url.Values{"hours_per_week": {strconv.Itoa(p.HoursPerWeek)}, "days": p.Days, "max_travel_km": {strconv.Itoa(p.MaxTravelKm)}}
	if !p.AvailableFrom.IsZero() {
		v.Set("available_from", p.AvailableFrom.String())
	}
	for k, on := range map[string]bool{"driving_licence": p.DrivingLicence, "own_transport": p.OwnTransport} {
		if on {
			v.Set(k, "on")
		}
	}
	return v
}

// profileForm reads the profile form, its occupations and skills by name.
func (h *Handler) profileForm(r *http.Request) (flex.Profile, error) {
	if err := parseForm(r); err != nil {
		return flex.Profile{}, err
	}
	f := r.PostForm
	p := flex.Profile{Days: f["days"], DrivingLicence: f.Get("driving_licence") == "on", OwnTransport: f.Get("own_transport") == "on"}
	// The error first: the order in which a return's operands and calls
	// are evaluated is not specified, and the calls fill p.
	err := errors.Join(h.readProfileNames(r.Context(), f, &p), formInt(f, "hours_per_week", &p.HoursPerWeek), formInt(f, "max_travel_km", &p.MaxTravelKm),
		flexDate(f, "available_from", &p.AvailableFrom), formLimits(&p))
	return p, err
}

func (h *Handler) saveFlexProfile(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := h.profileForm(r)
	if err == nil {
		_, err = h.DB.SaveFlexProfile(r.Context(), a, r.PathValue("id"), p)
	}
	return h.afterPost(w, r, err, "/candidates/"+r.PathValue("id")+"/flex", "Flex profile saved.", "Flex profile", h.renderFlexProfile)
}

func (h *Handler) flexFlag(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	err := h.DB.SetFlexFlag(r.Context(), a, r.PathValue("id"), access.Flag(r.PostFormValue("flag")), r.PostFormValue("on") == "1")
	return h.afterPost(w, r, err, "/candidates/"+r.PathValue("id")+"/flex", "Recorded.", "Flex profile", h.renderFlexProfile)
}

func (h *Handler) portalFlex(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderPortalFlex(w, r, http.StatusOK, h.newPage(r, "Visibility to employers"))
}

func (h *Handler) renderPortalFlex(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err != nil {
		return err
	}
	prof, err := h.DB.FlexProfile(r.Context(), a, id, store.PurposeSelf, "")
	if err != nil {
		return err
	}
	p.Data = prof
	return h.render(w, r, status, "portal_flex", p)
}

func (h *Handler) portalFlexConsent(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err == nil {
		err = h.DB.SetFlexFlag(r.Context(), a, id, access.FlagConsent, r.PostFormValue("on") == "1")
	}
	return h.afterPost(w, r, err, "/portal/flex", "Your choice is recorded.", "Visibility to employers", h.renderPortalFlex)
}

// employerPortal is the employer's start page: its own assignments. The
// proposed and placed candidates come with placements.
func (h *Handler) employerPortal(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Our assignments")
	as, _, err := h.DB.FindAssignments(r.Context(), a, store.AssignmentFilter{Paging: store.Paging{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	p.Data = assignmentsData{Assignments: as}
	return h.render(w, r, http.StatusOK, "employer_portal", p)
}
