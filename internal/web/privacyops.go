package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/privacy"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerPrivacyOps)
	addNav(navItem{Order: 86, Href: "/privacy/breaches", Label: "Data breaches", Caps: []access.Capability{access.ManageBreaches}})
	addNav(navItem{Order: 87, Href: "/privacy/processing", Label: "Records of processing", Roles: []opstap.Role{opstap.RolePrivacyOfficer}})
	addNav(navItem{Order: 81, Href: "/privacy/reviews", Label: "Access review", Roles: []opstap.Role{opstap.RoleAdmin}})
}

// registerPrivacyOps adds the access review [003 bewerkers art 5], the
// breach register [AVG art 33/34], the records of processing [AVG art 30]
// and the commissioner's audit package [003 bewerkers art 3].
func (h *Handler) registerPrivacyOps(mux *http.ServeMux) {
	mux.HandleFunc("GET /privacy/reviews", h.authed(h.reviewsPage))
	mux.HandleFunc("POST /privacy/reviews/{id}/reattest", h.authed(h.reviewAction(true)))
	mux.HandleFunc("POST /privacy/reviews/{id}/block", h.authed(h.reviewAction(false)))
	mux.HandleFunc("GET /privacy/breaches", h.authed(h.breachesPage))
	mux.HandleFunc("POST /privacy/breaches", h.authed(h.createBreach))
	mux.HandleFunc("GET /privacy/breaches/{id}", h.authed(h.breachPage))
	mux.HandleFunc("POST /privacy/breaches/{id}", h.authed(h.updateBreach))
	mux.HandleFunc("POST /privacy/breaches/{id}/candidates", h.authed(h.addBreachCandidates))
	mux.HandleFunc("POST /privacy/breaches/{id}/candidates/{cid}/remove", h.authed(h.removeBreachCandidate))
	mux.HandleFunc("POST /privacy/breaches/{id}/controllers/{org}/informed", h.authed(h.controllerInformed))
	mux.HandleFunc("GET /privacy/breaches/{id}/assessment", h.authed(h.assessmentPage))
	mux.HandleFunc("GET /privacy/processing", h.authed(h.processingPage))
	mux.HandleFunc("GET /privacy/processing.pdf", h.authed(download.Files{DB: h.DB}.Processing))
	mux.HandleFunc("GET /privacy/audit-package/{org}", h.authed(download.Files{DB: h.DB}.AuditPackage))
}

type reviewsData struct {
	Grants []store.ReviewGrant
	All    bool
	Now    time.Time
}

func (h *Handler) reviewsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Access review")
	all := r.URL.Query().Get("all") == "1"
	gs, err := h.DB.GrantsForReview(r.Context(), a, all)
	if err != nil {
		return err
	}
	p.Data = reviewsData{Grants: gs, All: all, Now: h.DB.Now()}
	return h.render(w, r, http.StatusOK, "reviews", p)
}

// reviewAction re-attests or blocks one grant.
func (h *Handler) reviewAction(reattest bool) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		id := r.PathValue("id")
		err, done := h.DB.ReviewBlockGrant(r.Context(), a, id), "Right blocked."
		if reattest {
			err, done = h.DB.ReattestGrant(r.Context(), a, id), "Right re-attested."
		}
		if err != nil {
			return err
		}
		h.redirect(w, r, "/privacy/reviews", i18n.T(httpx.Lang(r), done))
		return nil
	}
}

type breachesData struct {
	Breaches   []*store.Breach
	Categories []opstap.Category
	Statuses   []privacy.BreachStatus
	Now        time.Time
}

func (h *Handler) breachesPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderBreaches(w, r, http.StatusOK, h.newPage(r, "Data breaches"))
}

func (h *Handler) renderBreaches(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	bs, err := h.DB.FindBreaches(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	p.Data = breachesData{Breaches: bs, Categories: opstap.Categories, Statuses: privacy.BreachStatuses, Now: h.DB.Now()}
	return h.render(w, r, status, "breaches", p)
}

// parseLocal reads a date-time typed in Amsterdam (datetime-local); empty
// gives nil. In the hour that occurs twice when summer time ends, Go takes
// the first.
func parseLocal(field, s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, l := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "02-01-2006 15:04"} {
		if t, err := time.ParseInLocation(l, s, opstap.Amsterdam); err == nil {
			return &t, nil
		}
	}
	return nil, opstap.FieldError(field, "not a valid date and time")
}

// breachFromForm reads the breach form.
func breachFromForm(r *http.Request) (privacy.BreachInput, error) {
	if err := parseForm(r); err != nil {
		return privacy.BreachInput{}, err
	}
	in := privacy.BreachInput{Description: r.PostFormValue("description"), Measures: r.PostFormValue("measures"),
		Status: privacy.BreachStatus(r.PostFormValue("status")), APReference: r.PostFormValue("ap_reference"), SubjectsToldHow: r.PostFormValue("subjects_told_how")}
	for _, c := range r.PostForm["categories"] {
		in.Categories = append(in.Categories, opstap.Category(c))
	}
	disc, err := parseLocal("discovered_at", r.PostFormValue("discovered_at"))
	if err != nil {
		return in, err
	}
	if disc != nil {
		in.DiscoveredAt = *disc
	}
	if in.APNotifiedAt, err = parseLocal("ap_notified_at", r.PostFormValue("ap_notified_at")); err != nil {
		return in, err
	}
	if s := strings.TrimSpace(r.PostFormValue("subjects_told_on")); s != "" {
		if in.SubjectsToldOn, err = opstap.ParseDate(s); err != nil {
			return in, opstap.FieldError("subjects_told_on", "not a valid date")
		}
	}
	return in, nil
}

func (h *Handler) createBreach(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	in, err := breachFromForm(r)
	var b *store.Breach
	if err == nil {
		b, err = h.DB.CreateBreach(r.Context(), a, in)
	}
	if err != nil {
		p := h.formPage(r, "Data breaches", err)
		return h.renderBreaches(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/privacy/breaches/"+b.ID, i18n.T(httpx.Lang(r), "Breach recorded. The 72-hour clock runs from the discovery."))
	return nil
}

type breachData struct {
	B          *store.Breach
	Clock      privacy.BreachClock
	Categories []opstap.Category
	Statuses   []privacy.BreachStatus
	Query      string
	Found      []*candidate.Candidate
}

// Has reports whether the breach lists category c (for the checkboxes).
func (d breachData) Has(c opstap.Category) bool {
	for _, x := range d.B.Categories {
		if x == c {
			return true
		}
	}
	return false
}

func (h *Handler) breachPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Data breach")
	p.Form = r.URL.Query()
	return h.renderBreach(w, r, http.StatusOK, p)
}

func (h *Handler) renderBreach(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	b, err := h.DB.FindBreach(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if p.Form.Get("description") == "" {
		p.Form = breachForm(b)
	}
	d := breachData{B: b, Clock: b.Clock(h.DB.Now()), Categories: opstap.Categories, Statuses: privacy.BreachStatuses, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if d.Query != "" {
		// The search shows names: a logged read of basic data, which the
		// privacy officer may do to identify who is affected.
		if d.Found, err = h.DB.FindCandidates(r.Context(), a, store.CandidateFilter{Query: d.Query, Limit: 20}); err != nil {
			p.setError(err)
		}
	}
	p.Data = d
	return h.render(w, r, status, "breach", p)
}

func (h *Handler) updateBreach(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	in, err := breachFromForm(r)
	if err == nil {
		_, err = h.DB.UpdateBreach(r.Context(), a, r.PathValue("id"), in)
	}
	if err != nil {
		p := h.formPage(r, "Data breach", err)
		return h.renderBreach(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/privacy/breaches/"+r.PathValue("id"), i18n.T(httpx.Lang(r), "Breach saved."))
	return nil
}

func (h *Handler) addBreachCandidates(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	n, err := h.DB.AddBreachCandidates(r.Context(), a, id, r.PostForm["candidate_id"])
	if err != nil {
		return err
	}
	h.redirect(w, r, "/privacy/breaches/"+id, i18n.N(httpx.Lang(r), "%d candidates added.", n))
	return nil
}

func (h *Handler) removeBreachCandidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	if err := h.DB.RemoveBreachCandidate(r.Context(), a, id, r.PathValue("cid")); err != nil {
		return err
	}
	h.redirect(w, r, "/privacy/breaches/"+id, i18n.T(httpx.Lang(r), "Candidate removed from the breach."))
	return nil
}

func (h *Handler) controllerInformed(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	if err := h.DB.MarkControllerInformed(r.Context(), a, id, r.PathValue("org")); err != nil {
		return err
	}
	h.redirect(w, r, "/privacy/breaches/"+id, i18n.T(httpx.Lang(r), "Recorded that the commissioner was informed."))
	return nil
}

type assessmentData struct {
	B       *store.Breach
	Results []store.AssessedCandidate
	Asked   bool
	New     []string // ids not yet on the breach
}

// assessmentPage answers which candidates an account read between two
// moments (Amsterdam time) from the audit log [AVG art 33].
func (h *Handler) assessmentPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Breach assessment")
	q := r.URL.Query()
	p.Form = q
	b, err := h.DB.FindBreach(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := assessmentData{B: b, Asked: q.Get("account") != ""}
	status := http.StatusOK
	if d.Asked {
		if d.Results, err = h.assess(r, b.ID, q); err != nil {
			p.setError(err)
			status = httpx.Status(err)
		}
		for _, c := range d.Results {
			if !c.Listed {
				d.New = append(d.New, c.CandidateID)
			}
		}
	}
	p.Data = d
	return h.render(w, r, status, "assessment", p)
}

func (h *Handler) assess(r *http.Request, breachID string, q url.Values) ([]store.AssessedCandidate, error) {
	from, err := parseLocal("from", q.Get("from"))
	if err != nil {
		return nil, err
	}
	to, err := parseLocal("to", q.Get("to"))
	if err != nil {
		return nil, err
	}
	if from == nil || to == nil {
		return nil, opstap.FieldError("to", "the end must lie after the start")
	}
	return h.DB.BreachAssessment(r.Context(), httpx.AuthFrom(r).Actor, breachID, q.Get("account"), *from, *to)
}

type processingData struct {
	Rec      *store.ProcessingRecord
	Sections []render.Section
	Kinds    map[opstap.OrgKind]string
}

// AccessText lists a category's roles for the processing page.
func (p *page) AccessText(ra []store.RoleAccess) string {
	return render.AccessText(p.Lang, ra)
}

func (h *Handler) processingPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Records of processing")
	rec, err := h.DB.RecordsOfProcessing(r.Context(), a)
	if err != nil {
		return err
	}
	p.Data = processingData{Rec: rec, Sections: render.ProcessingSections(rec, p.Lang), Kinds: render.OrgKindLabels}
	return h.render(w, r, http.StatusOK, "processing", p)
}

// breachForm fills the edit form from the stored breach.
func breachForm(b *store.Breach) url.Values {
	local := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(opstap.Amsterdam).Format("2006-01-02T15:04")
	}
	return url.Values{"discovered_at": {local(&b.DiscoveredAt)}, "description": {b.Description}, "measures": {b.Measures},
		"status": {string(b.Status)}, "ap_notified_at": {local(b.APNotifiedAt)}, "ap_reference": {b.APReference},
		"subjects_told_on": {b.SubjectsToldOn.String()}, "subjects_told_how": {b.SubjectsToldHow}}
}

// Duration writes a span as days, hours and minutes, without sign.
func (p *page) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int(d.Round(time.Minute).Minutes())
	return p.T("%d d %d h %d min", m/(24*60), m/60%24, m%60)
}

// Paragraphs splits text at blank lines.
func (p *page) Paragraphs(text string) []string {
	return strings.Split(text, "\n\n")
}
