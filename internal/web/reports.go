package web

import (
	"net/http"
	"strconv"

	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/download"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerReports)
	addNav(navItem{Order: 30, Href: "/shared", Label: "Shared documents", Roles: []opstap.Role{opstap.RoleCaseManager, opstap.RoleCoach}})
}

func (h *Handler) registerReports(mux *http.ServeMux) {
	mux.HandleFunc("GET /candidates/{id}/reports", h.authed(h.reportsPage))
	mux.HandleFunc("POST /candidates/{id}/reports", h.authed(h.createReport))
	mux.HandleFunc("POST /candidates/{id}/reports/{report}/edit", h.authed(h.editReport))
	mux.HandleFunc("POST /candidates/{id}/reports/{report}/submit", h.authed(h.submitReport))
	mux.HandleFunc("POST /candidates/{id}/reports/{report}/share", h.authed(h.shareReport))
	mux.HandleFunc("POST /candidates/{id}/oral-reports", h.authed(h.oralReport))
	mux.HandleFunc("POST /candidates/{id}/consents", h.authed(h.staffConsent))
	mux.HandleFunc("GET /portal/reports", h.authed(h.portalReports))
	mux.HandleFunc("POST /portal/reports/{report}/approve", h.authed(h.approveReport))
	mux.HandleFunc("POST /portal/reports/{report}/comment", h.authed(h.commentReport))
	mux.HandleFunc("GET /portal/consents", h.authed(h.portalConsents))
	mux.HandleFunc("POST /portal/consents", h.authed(h.portalConsent))
	mux.HandleFunc("GET /shared", h.authed(h.sharedList))
	mux.HandleFunc("GET /shared/{id}/pdf", h.authed(download.Files{DB: h.DB}.SharedReport))
}

// activityRows is how many plan lines the form offers; empty ones are dropped.
const activityRows = 5

// reportsData is what the report pages show.
type reportsData struct {
	CandidateID string
	Reports     []dossier.Report
	Oral        []dossier.Sharing
	Consents    []consent.Record
	Current     map[consent.Topic]consent.Record
	Forms       []store.Document // signed agreements a paper consent can point to
	Kinds       []dossier.ReportKind
	Grounds     []dossier.LegalGround
	Topics      []consent.Topic
}

// planRow is one line of the action plan form.
type planRow struct {
	I, N int // index in the form, number shown
	A    dossier.Activity
}

// PlanRows returns activityRows form lines filled from c (a
// dossier.ReportContent, or nothing for a new plan).
func (d *reportsData) PlanRows(c any) []planRow {
	var acts []dossier.Activity
	if rc, ok := c.(dossier.ReportContent); ok {
		acts = rc.Activities
	}
	rows := make([]planRow, max(activityRows, len(acts)))
	for i := range rows {
		rows[i] = planRow{I: i, N: i + 1}
		if i < len(acts) {
			rows[i].A = acts[i]
		}
	}
	return rows
}

func newReportsData(id string) *reportsData {
	return &reportsData{CandidateID: id, Kinds: dossier.ReportKinds, Grounds: dossier.LegalGrounds, Topics: consent.Topics}
}

// load fills the data; each part needs its own right, so a missing one
// leaves that part empty rather than failing the page.
func (d *reportsData) load(h *Handler, r *http.Request, withOral bool) error {
	a := httpx.AuthFrom(r).Actor
	var err error
	if d.Reports, err = h.DB.Reports(r.Context(), a, d.CandidateID); err != nil {
		return err
	}
	if withOral {
		if d.Oral, err = h.DB.OralReports(r.Context(), a, d.CandidateID); err != nil {
			return err
		}
	}
	if d.Consents, err = h.DB.Consents(r.Context(), a, d.CandidateID); err != nil {
		return err
	}
	d.Current = consent.Current(d.Consents)
	// A reader without the right to the documents records consent without
	// a form; the store then refuses what needs one, naming the field.
	docs, err := h.DB.Documents(r.Context(), a, d.CandidateID, store.PurposeConsent, "")
	if err != nil && !forbidden(err) {
		return err
	}
	for _, doc := range docs {
		if doc.Kind == dossier.DocSignedAgreement {
			d.Forms = append(d.Forms, doc)
		}
	}
	return nil
}

func (h *Handler) reportsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.showReports(w, r, http.StatusOK, h.newPage(r, "Reports"))
}

func (h *Handler) showReports(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	d := newReportsData(r.PathValue("id"))
	if err := d.load(h, r, true); err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, status, "reports", p)
}

// draftFromForm reads a report draft: title, text, the health-data mark
// and the plan lines the form sent.
func draftFromForm(r *http.Request) (dossier.ReportDraft, error) {
	f := r.PostForm
	d := dossier.ReportDraft{Kind: dossier.ReportKind(f.Get("kind")), HealthData: f.Get("health_data") == "on",
		Content: dossier.ReportContent{Title: f.Get("title"), Body: f.Get("body")}}
	for i := 0; f.Has("activity_" + strconv.Itoa(i)); i++ {
		n := strconv.Itoa(i)
		d.Content.Activities = append(d.Content.Activities, dossier.Activity{Activity: f.Get("activity_" + n), Product: f.Get("product_" + n),
			Planned: f.Get("planned_" + n), Achieved: f.Get("achieved_" + n)})
	}
	// A plan line's error is reported on the plan ("activities"), as the
	// domain's own are.
	return d, formLimits(&d.Content)
}

// staffAction runs do and returns to the reports page, or shows the page
// again with the error beside the form.
func (h *Handler) staffAction(w http.ResponseWriter, r *http.Request, do func(a *opstap.Actor) error, done string) error {
	if err := r.ParseForm(); err != nil {
		return opstap.Errorf(opstap.EBADREQUEST, "malformed request")
	}
	if err := do(httpx.AuthFrom(r).Actor); err != nil {
		p := h.formPage(r, "Reports", err)
		return h.showReports(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/candidates/"+r.PathValue("id")+"/reports", i18n.T(httpx.Lang(r), done))
	return nil
}

func (h *Handler) createReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.staffAction(w, r, func(a *opstap.Actor) error {
		d, err := draftFromForm(r)
		if err == nil {
			_, err = h.DB.CreateReport(r.Context(), a, r.PathValue("id"), d)
		}
		return err
	}, "Report saved as a draft.")
}

func (h *Handler) editReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.staffAction(w, r, func(a *opstap.Actor) error {
		d, err := draftFromForm(r)
		if err == nil {
			_, err = h.DB.UpdateReport(r.Context(), a, r.PathValue("report"), d)
		}
		return err
	}, "Report saved as a draft.")
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.staffAction(w, r, func(a *opstap.Actor) error {
		return h.DB.SubmitReport(r.Context(), a, r.PathValue("report"))
	}, "Report submitted to the candidate for approval.")
}

func (h *Handler) shareReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.staffAction(w, r, func(a *opstap.Actor) error {
		v, err := postedInt(r, "version")
		if err != nil {
			return err
		}
		s := dossier.ShareRequest{Version: v, LegalGround: dossier.LegalGround(r.PostFormValue("legal_ground")), Explanation: r.PostFormValue("explanation")}
		err = formLimits(&s)
		if err == nil {
			_, err = h.DB.ShareReport(r.Context(), a, r.PathValue("report"), s)
		}
		return err
	}, "Report shared with the commissioner.")
}

func (h *Handler) oralReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.staffAction(w, r, func(a *opstap.Actor) error {
		o := dossier.OralReport{LegalGround: dossier.LegalGround(r.PostFormValue("legal_ground")), Explanation: r.PostFormValue("explanation"),
			Note: r.PostFormValue("note")}
		err := formLimits(&o)
		if err == nil {
			_, err = h.DB.RecordOralReport(r.Context(), a, r.PathValue("id"), o)
		}
		return err
	}, "Oral report recorded.")
}

func consentFromForm(r *http.Request) consent.Change {
	return consent.Change{Topic: consent.Topic(r.PostFormValue("topic")), Given: r.PostFormValue("given") == "yes",
		Purpose: r.PostFormValue("purpose"), Method: consent.Method(r.PostFormValue("method")), DocumentID: r.PostFormValue("document_id")}
}

func (h *Handler) staffConsent(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.staffAction(w, r, func(a *opstap.Actor) error {
		_, err := h.DB.RecordConsent(r.Context(), a, r.PathValue("id"), consentFromForm(r))
		return err
	}, "Consent recorded.")
}

// portalPage shows one of the candidate's own pages.
func (h *Handler) portalPage(w http.ResponseWriter, r *http.Request, status int, p *page, tmpl string) error {
	id, err := h.DB.OwnCandidateID(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	d := newReportsData(id)
	if err := d.load(h, r, false); err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, status, tmpl, p)
}

func (h *Handler) portalReports(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.portalPage(w, r, http.StatusOK, h.newPage(r, "My reports"), "portal_reports")
}

func (h *Handler) portalConsents(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.portalPage(w, r, http.StatusOK, h.newPage(r, "My consents"), "portal_consents")
}

// portalAction runs a candidate's action and returns to the page, or
// shows it again with the error.
func (h *Handler) portalAction(w http.ResponseWriter, r *http.Request, title, tmpl, back string, do func(a *opstap.Actor) error, done string) error {
	if err := r.ParseForm(); err != nil {
		return opstap.Errorf(opstap.EBADREQUEST, "malformed request")
	}
	if err := do(httpx.AuthFrom(r).Actor); err != nil {
		p := h.formPage(r, title, err)
		return h.portalPage(w, r, httpx.Status(err), p, tmpl)
	}
	h.redirect(w, r, back, i18n.T(httpx.Lang(r), done))
	return nil
}

func (h *Handler) approveReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.portalAction(w, r, "My reports", "portal_reports", "/portal/reports", func(a *opstap.Actor) error {
		v, err := postedInt(r, "version")
		if err != nil {
			return err
		}
		return h.DB.ApproveReport(r.Context(), a, r.PathValue("report"), v)
	}, "Thank you: you approved this version.")
}

func (h *Handler) commentReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.portalAction(w, r, "My reports", "portal_reports", "/portal/reports", func(a *opstap.Actor) error {
		v, err := postedInt(r, "version")
		if err != nil {
			return err
		}
		d := dossier.ReportDecision{Version: v, Comment: r.PostFormValue("comment")}
		if err := formLimits(&d); err != nil {
			return err
		}
		return h.DB.CommentReport(r.Context(), a, r.PathValue("report"), d.Version, d.Comment)
	}, "Your comment was sent to your coach.")
}

func (h *Handler) portalConsent(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.portalAction(w, r, "My consents", "portal_consents", "/portal/consents", func(a *opstap.Actor) error {
		id, err := h.DB.OwnCandidateID(r.Context(), a)
		if err != nil {
			return err
		}
		c := consentFromForm(r)
		c.Method = consent.Portal
		_, err = h.DB.RecordConsent(r.Context(), a, id, c)
		return err
	}, "Your choice was recorded.")
}

func (h *Handler) sharedList(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Shared documents")
	ds, err := h.DB.SharedWithOrganisation(r.Context(), a)
	if err != nil {
		return err
	}
	p.Data = ds
	return h.render(w, r, http.StatusOK, "shared", p)
}
