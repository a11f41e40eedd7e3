package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerCandidates)
	addNav(navItem{Order: 10, Href: "/candidates", Label: "Candidates", Roles: []opstap.Role{
		opstap.RoleCoach, opstap.RoleCaseManager, opstap.RoleMedicalExpert, opstap.RolePrivacyOfficer, opstap.RoleComplaintsDesk, opstap.RoleAuditor, opstap.RoleFinance}})
	addNav(navItem{Order: 5, Href: "/portal", Label: "My page", Roles: []opstap.Role{opstap.RoleCandidate}})
	addNav(navItem{Order: 86, Href: "/break-glass", Label: "Dossiers opened with a reason", Caps: []access.Capability{access.ReadAuditLog}})
}

func (h *Handler) registerCandidates(mux *http.ServeMux) {
	mux.HandleFunc("GET /candidates", h.authed(h.candidateList))
	mux.HandleFunc("POST /candidates/search", h.authed(h.candidateList))
	mux.HandleFunc("GET /candidates/new", h.authed(h.candidateForm))
	mux.HandleFunc("POST /candidates", h.authed(h.registerCandidate))
	mux.HandleFunc("GET /candidates/upload", h.authed(h.uploadForm))
	mux.HandleFunc("POST /candidates/upload", h.authed(h.upload))
	mux.HandleFunc("GET /candidates/{id}", h.authed(h.candidateOverview))
	mux.HandleFunc("POST /candidates/{id}/open", h.authed(h.candidateOverview))
	mux.HandleFunc("GET /candidates/{id}/edit/{category}", h.authed(h.categoryForm))
	mux.HandleFunc("POST /candidates/{id}/edit/{category}", h.authed(h.saveCategory))
	mux.HandleFunc("GET /portal", h.authed(h.portal))
	mux.HandleFunc("GET /break-glass", h.authed(h.breakGlassList))
}

type candidateListData struct {
	Candidates  []*candidate.Candidate
	Query       string
	All         bool
	CanRegister bool
	IsCoach     bool
	NeedsReason bool // a search of all candidates asks for a stated reason
	// Paging, order and filter (issue 12 item 12).
	Sort, Commissioner string
	Orgs               []account.Organisation // the commissioners to filter on, for provider staff
	List               *listView
}

// candidateList lists and searches. A coach's search of all candidates
// needs a stated reason: the page asks for it in a form that posts the
// query and the reason, so neither ends up in a URL.
func (h *Handler) candidateList(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Candidates")
	q, reason := r.URL.Query(), ""
	if r.Method == http.MethodPost {
		q, reason = r.PostForm, r.PostFormValue("reason")
	}
	d := candidateListData{Query: q.Get("q"), All: q.Get("all") == "1", CanRegister: access.Can(a, access.RegisterCandidates), IsCoach: a.Has(opstap.RoleCoach, opstap.Read),
		Sort: q.Get("sort"), Commissioner: q.Get("commissioner")}
	l, err := newList("/candidates", q, "q", "sort", "commissioner", "all")
	d.List = l
	if a.OrgKind == opstap.OrgProvider {
		orgs, oerr := h.DB.FindOrganisations(r.Context())
		if oerr != nil {
			return oerr
		}
		for _, o := range orgs {
			if o.Kind.Commissioner() {
				d.Orgs = append(d.Orgs, o)
			}
		}
	}
	pg := l.paging(d.Sort)
	d.Candidates, err = rowsOf(l, p.Lang, err, func() ([]*candidate.Candidate, store.Page, error) {
		return h.DB.CandidatePage(r.Context(), a, store.CandidateFilter{Query: d.Query, All: d.All, Reason: reason,
			Sort: d.Sort, Commissioner: d.Commissioner, Offset: pg.Offset, Limit: pg.Limit})
	})
	if e := opstap.AsError(err); e != nil && e.Field == "reason" {
		// A coach's search of all candidates: ask for the reason.
		if reason != "" {
			p.setError(err)
		}
		d.NeedsReason = true
		p.Data = d
		return h.render(w, r, http.StatusForbidden, "candidates", p)
	}
	p.Data = d
	return h.renderList(w, r, p, "candidates", err)
}

type registerData struct {
	Orgs         []account.Organisation
	FixedOrg     string
	BenefitKinds []string
	// Existing is the candidate a refused registration names by its BSN,
	// when the user may open that file: the way to it, not a second person.
	Existing string
}

func (h *Handler) registerPage(w http.ResponseWriter, r *http.Request, status int, p *page, cause error) error {
	a := httpx.AuthFrom(r).Actor
	d := registerData{BenefitKinds: candidate.BenefitKinds}
	var dup *candidate.DuplicateBSN
	if errors.As(cause, &dup) {
		d.Existing = dup.CandidateID
	}
	if a.OrgKind.Commissioner() {
		d.FixedOrg = a.OrgID
	} else {
		orgs, err := h.DB.FindOrganisations(r.Context())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.Kind.Commissioner() {
				d.Orgs = append(d.Orgs, o)
			}
		}
	}
	p.Data = d
	return h.render(w, r, status, "candidate_new", p)
}

func (h *Handler) candidateForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.registerPage(w, r, http.StatusOK, h.newPage(r, "Register a candidate"), nil)
}

// formDate parses an optional date field, naming it on error.
func formDate(r *http.Request, field string, dst *opstap.Date) error {
	v := r.PostFormValue(field)
	if v == "" {
		return nil
	}
	d, err := opstap.ParseDate(v)
	if err != nil {
		return opstap.FieldError(field, "not a valid date")
	}
	*dst = d
	return nil
}

func registrationFromForm(r *http.Request) (candidate.Registration, error) {
	f := r.PostFormValue
	reg := candidate.Registration{
		CommissionerOrgID: f("commissioner_org_id"), ExternalRef: f("external_ref"), BSN: f("bsn"), BenefitKind: f("benefit_kind"),
		Basic: candidate.Basic{FirstName: f("first_name"), LastName: f("last_name"), Gender: f("gender"), Street: f("street"),
			HouseNumber: f("house_number"), Postcode: f("postcode"), City: f("city"), Phone: f("phone"), Email: f("email")},
	}
	rest := reg
	rest.Basic = candidate.Basic{} // checked on its own, so that its fields keep the form's names
	return reg, errors.Join(formDate(r, "birth_date", &reg.Basic.BirthDate), formDate(r, "benefit_start", &reg.BenefitStart),
		formLimits(&reg.Basic), formLimits(&rest))
}

func (h *Handler) registerCandidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	reg, err := registrationFromForm(r)
	var c *candidate.Candidate
	if err == nil {
		c, err = h.DB.RegisterCandidate(r.Context(), a, reg)
	} else {
		// A date that does not parse stops the registration, but the other
		// fields are checked too, as the store would, so that one submit
		// shows every mistake.
		reg.OwnCommissioner(a)
		err = errors.Join(err, reg.Validate(opstap.DateOf(h.DB.Now())))
	}
	if err != nil {
		p := h.formPage(r, "Register a candidate", err)
		return h.registerPage(w, r, httpx.Status(err), p, err)
	}
	h.redirect(w, r, "/candidates/"+c.ID, i18n.T(httpx.Lang(r), "Candidate registered."))
	return nil
}

type uploadData struct {
	registerData
	Result *store.BulkResult
	Rows   []candidate.RowError
}

func (h *Handler) uploadPage(w http.ResponseWriter, r *http.Request, status int, p *page, d uploadData) error {
	a := httpx.AuthFrom(r).Actor
	if a.OrgKind.Commissioner() {
		d.FixedOrg = a.OrgID
	} else {
		orgs, err := h.DB.FindOrganisations(r.Context())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.Kind.Commissioner() {
				d.Orgs = append(d.Orgs, o)
			}
		}
	}
	p.Data = d
	return h.render(w, r, status, "candidate_upload", p)
}

func (h *Handler) uploadForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.uploadPage(w, r, http.StatusOK, h.newPage(r, "Register candidates from a file"), uploadData{})
}

func (h *Handler) upload(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Register candidates from a file")
	var d uploadData
	up, err := httpx.ReadUpload(w, r, "file", candidate.MaxCSVFile)
	if err != nil {
		if opstap.ErrorCode(err) == opstap.EINVALID {
			err = opstap.FieldError("file", "choose a CSV file")
		}
		p.setError(err)
		return h.uploadPage(w, r, httpx.Status(err), p, d)
	}
	org := candidate.BulkCommissioner(a, r.FormValue("commissioner_org_id"))
	rows, err := candidate.ParseCSV(bytes.NewReader(up.Content), org, opstap.DateOf(h.DB.Now()))
	var res store.BulkResult
	if err == nil {
		res, err = h.DB.RegisterBulk(r.Context(), a, rows)
	}
	var fe *candidate.FileError
	switch {
	case errors.As(err, &fe):
		p.setError(err)
		d.Rows = fe.Rows
		return h.uploadPage(w, r, http.StatusUnprocessableEntity, p, d)
	case err != nil:
		return err
	}
	d.Result = &res
	p.Flash = i18n.N(p.Lang, "%d candidates registered, %d already known and skipped.", res.Created, res.Skipped)
	return h.uploadPage(w, r, http.StatusOK, p, d)
}

// RowMessage translates a bulk-file error for the page.
func (p *page) RowMessage(e candidate.RowError) string { return p.T(e.Message, e.Args...) }

// categoryView is one data category on the overview page.
type categoryView struct {
	Category opstap.Category
	Value    any
	Denied   string
	Editable bool
}

type overviewData struct {
	Candidate   *candidate.Candidate
	Categories  []categoryView
	NeedsReason bool
	Reason      string
	// Filed are the rights requests the signed-in coach filed for the
	// candidate, where the home page's "Opvolgen" leads (#filed-requests).
	Filed []store.FiledRequest
}

// overviewCategories are shown on the overview; the dossier, medical and
// report pages show the rest.
var overviewCategories = []opstap.Category{opstap.CatBSN, opstap.CatBenefit, opstap.CatEducation, opstap.CatPreferences, opstap.CatFinancial}

func (h *Handler) candidateOverview(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	reason := r.PostFormValue("reason")
	p := h.newPage(r, "Candidate")
	c, err := h.DB.FindCandidate(r.Context(), a, id, store.PurposeGuidance, reason)
	if e := opstap.AsError(err); e != nil && e.Code == opstap.EFORBIDDEN && e.Field == "reason" {
		// Not assigned: ask for the reason ("break the glass") [001].
		if reason != "" {
			p.setError(err)
		}
		p.Data = overviewData{NeedsReason: true, Candidate: &candidate.Candidate{ID: id}}
		return h.render(w, r, http.StatusForbidden, "candidate", p)
	} else if err != nil {
		return err
	}
	// The dossier's reason form posts here and goes back to the dossier:
	// the reason travels in the form body only, never in a URL, and the
	// opening it records keeps the file's other pages open for a while.
	if next := httpx.LocalPath(r.PostFormValue("next")); reason != "" && strings.HasPrefix(next, "/candidates/"+c.ID+"/") {
		h.redirect(w, r, next, "")
		return nil
	}
	d := overviewData{Candidate: c, Reason: reason}
	for _, cat := range overviewCategories {
		cv := categoryView{Category: cat}
		s := access.Subject{CandidateID: c.ID, CommissionerOrgID: c.CommissionerOrgID, CoachUserID: c.CoachUserID, CandidateUserID: c.UserID, Restricted: c.Restricted}
		if !access.Decide(a, s, cat, opstap.Read, reason).Allowed {
			continue // not shown at all: the page does not hint at data one may not see
		}
		cv.Editable = access.Decide(a, s, cat, opstap.Write, "").Allowed
		cv.Value, err = h.DB.ReadCategory(r.Context(), a, c.ID, cat, store.PurposeGuidance, reason)
		if err != nil {
			cv.Denied = httpx.Message(p.Lang, err)
		}
		d.Categories = append(d.Categories, cv)
	}
	if d.Filed, err = h.DB.FiledRightsRequests(r.Context(), a, c.ID); err != nil {
		return err
	}
	p.Title = c.DisplayName()
	p.Data = d
	return h.render(w, r, http.StatusOK, "candidate", p)
}

type categoryFormData struct {
	Candidate *candidate.Candidate
	Category  opstap.Category
}

var editable = map[opstap.Category]bool{opstap.CatBasic: true, opstap.CatBSN: true, opstap.CatBenefit: true, opstap.CatEducation: true, opstap.CatPreferences: true, opstap.CatFinancial: true}

func (h *Handler) categoryPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	cat := opstap.Category(r.PathValue("category"))
	if !editable[cat] {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	c, err := h.DB.FindCandidate(r.Context(), a, r.PathValue("id"), store.PurposeGuidance, "")
	if err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		v, err := h.DB.ReadCategory(r.Context(), a, c.ID, cat, store.PurposeGuidance, "")
		if err != nil {
			return err
		}
		p.Form = formValues(v)
	}
	p.Data = categoryFormData{Candidate: c, Category: cat}
	return h.render(w, r, status, "candidate_edit", p)
}

// formValues flattens a category value into form fields by JSON name.
func formValues(v any) map[string][]string {
	out := map[string][]string{}
	if v == nil {
		return out
	}
	// v is one of the store's category structs (strings, numbers, dates),
	// which always encode, and encoded as an object decode into m.
	b, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(b, &m) // see above
	for k, x := range m {
		switch y := x.(type) {
		case string:
			if d, err := opstap.ParseDate(y); err == nil && len(y) == 10 {
				y = d.String()
			}
			out[k] = []string{y}
		case float64:
			out[k] = []string{strconv.FormatFloat(y, 'f', -1, 64)}
		}
	}
	return out
}

// categoryFields lists each editable category's form fields and whether
// they are numbers (the JSON needs the right type).
var categoryFields = map[opstap.Category][]string{
	opstap.CatBasic:       {"first_name", "last_name", "birth_date", "gender", "nationality", "street", "house_number", "postcode", "city", "phone", "email"},
	opstap.CatBSN:         {"bsn"},
	opstap.CatBenefit:     {"kind", "start"},
	opstap.CatEducation:   {"level", "diplomas", "work_experience"},
	opstap.CatPreferences: {"hours_per_week#", "occupations", "max_travel_km#", "wishes"},
	opstap.CatFinancial:   {"iban", "account_holder"},
}

func (h *Handler) categoryForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.categoryPage(w, r, http.StatusOK, h.newPage(r, "Edit data"))
}

func (h *Handler) saveCategory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	cat := opstap.Category(r.PathValue("category"))
	m := map[string]any{}
	var err error
	for _, f := range categoryFields[cat] {
		name, number := f, false
		if f[len(f)-1] == '#' {
			name, number = f[:len(f)-1], true
		}
		v := r.PostFormValue(name)
		if number {
			n := 0
			if v != "" {
				if n, err = strconv.Atoi(v); err != nil {
					err = opstap.FieldError(name, "enter a whole number")
					break
				}
			}
			m[name] = n
			continue
		}
		m[name] = v
	}
	if err == nil {
		raw, _ := json.Marshal(m) // strings and ints: always encodes
		if v, verr := store.CategoryValue(cat); verr == nil && json.Unmarshal(raw, v) == nil {
			err = formLimits(v)
		}
		if err == nil {
			err = h.DB.WriteCategory(r.Context(), a, r.PathValue("id"), cat, raw, store.PurposeGuidance)
		}
	}
	if err != nil {
		p := h.formPage(r, "Edit data", err)
		return h.categoryPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/candidates/"+r.PathValue("id"), i18n.T(httpx.Lang(r), "Saved."))
	return nil
}

func (h *Handler) portal(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "My page")
	cs, err := h.DB.FindCandidates(r.Context(), a, store.CandidateFilter{})
	if err != nil {
		return err
	}
	if len(cs) == 0 || cs[0].UserID != a.UserID {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	p.Data = cs[0]
	return h.render(w, r, http.StatusOK, "portal", p)
}

func (h *Handler) breakGlassList(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Dossiers opened with a reason")
	bs, err := h.DB.FindBreakGlass(r.Context(), a, 200)
	if err != nil {
		return err
	}
	p.Data = bs
	return h.render(w, r, http.StatusOK, "breakglass", p)
}

// candidateTab is one section of a candidate's file: the category its page
// reads first, and whether that page shows a partial view (the employer's
// view of the overview) instead of refusing it.
type candidateTab struct {
	Suffix, Label string
	Cat           opstap.Category
	Partial       bool
}

var candidateTabs = []candidateTab{{"", "Overview", opstap.CatBasic, true}, {"/trajectory", "Trajectory", opstap.CatBasic, false},
	{"/dossier", "Dossier", opstap.CatNotes, false}, {"/reports", "Reports", opstap.CatReports, false},
	{"/agreements", "Agreements", opstap.CatNotes, false}, {"/flex", "Flex profile", opstap.CatPreferences, false},
	{"/medical", "Medical", opstap.CatMedical, false}}

// CandidateTabs lists the sections of candidate id's file the actor may
// open, decided by the access policy as those pages decide: a section that
// asks for a stated reason first is shown, one the policy refuses is not.
// A candidate the store does not know has no tabs; another error stops the
// page's rendering, which the adapter answers with the error page.
func (p *page) CandidateTabs(id string) ([]candidateTab, error) {
	cats := make([]opstap.Category, len(candidateTabs))
	for i, t := range candidateTabs {
		cats[i] = t.Cat
	}
	ds, err := p.readDecisions(id, cats...)
	if opstap.ErrorCode(err) == opstap.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []candidateTab
	for _, t := range candidateTabs {
		d := ds[t.Cat]
		if d.NeedsReason || d.Allowed && (t.Partial || d.View == access.ViewAll) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Fields flattens a category value for display, keyed by JSON name.
func (p *page) Fields(v any) map[string]string {
	out := map[string]string{}
	for k, vs := range formValues(v) {
		if len(vs) > 0 && vs[0] != "" && vs[0] != "0" {
			out[k] = vs[0]
		}
	}
	return out
}

// CategoryFields lists a category's form field names.
func (p *page) CategoryFields(cat opstap.Category) []string {
	var out []string
	for _, f := range categoryFields[cat] {
		if f[len(f)-1] == '#' {
			f = f[:len(f)-1]
		}
		out = append(out, f)
	}
	return out
}
