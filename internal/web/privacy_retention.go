package web

import (
	"github.com/opstap/opstap/internal/privacy"
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerRetention)
	addNav(navItem{Order: 87, Href: "/privacy/retention", Label: "Retention periods", Roles: []opstap.Role{opstap.RolePrivacyOfficer, opstap.RoleAuditor}})
}

// registerRetention adds the retention pages (issue 4; DOMAIN.md §4)
// [001 "Termijn bewaren gegevens", 004]: rules, dry run, runs with their
// destruction records, legal holds, and the privacy officer's measures on
// one candidate (legal hold, restriction, objection, erasure).
func (h *Handler) registerRetention(mux *http.ServeMux) {
	mux.HandleFunc("GET /privacy/retention", h.authed(h.retentionPage))
	mux.HandleFunc("GET /privacy/retention/dry-run", h.authed(h.retentionDryRunPage))
	mux.HandleFunc("POST /privacy/retention/rules", h.authed(h.retentionSetRule))
	mux.HandleFunc("POST /privacy/retention/run", h.authed(h.retentionRunNow))
	mux.HandleFunc("POST /privacy/retention/measure", h.authed(h.retentionMeasure))
}

type retentionData struct {
	Rules      []store.RetentionRule
	Categories []string
	Runs       []store.RetentionRun
	Holds      []store.LegalHold
	Measures   []string
	CanManage  bool
}

// The measures the privacy officer takes on one candidate.
var retentionMeasures = []string{"legal_hold", "legal_hold_lift", "restrict", "restrict_lift", "objection", "erase"}

func (h *Handler) retentionPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderRetention(w, r, http.StatusOK, h.newPage(r, "Retention periods"))
}

func (h *Handler) renderRetention(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	ctx, a := r.Context(), p.Actor
	d := retentionData{Categories: privacy.RetentionCategories, Measures: retentionMeasures, CanManage: p.HasRole(string(opstap.RolePrivacyOfficer))}
	var err error
	if d.Rules, err = h.DB.RetentionRules(ctx, a); err != nil {
		return err
	}
	if d.Runs, err = h.DB.RetentionRuns(ctx, a, 20); err != nil {
		return err
	}
	if d.Holds, err = h.DB.LegalHolds(ctx, a); err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, status, "retention", p)
}

// dryRunShown caps the rows the page lists; the totals count them all and
// the API returns every one.
const dryRunShown = 500

type dryRunData struct {
	Run   *store.DryRun
	Shown []store.DueCandidate
}

func (h *Handler) retentionDryRunPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Dry run")
	dr, err := h.DB.RetentionDryRun(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	p.Data = dryRunData{Run: dr, Shown: dr.Due[:min(len(dr.Due), dryRunShown)]}
	return h.render(w, r, http.StatusOK, "retention_dryrun", p)
}

// retentionFormError shows the main page again with the error and the
// form as entered.
func (h *Handler) retentionFormError(w http.ResponseWriter, r *http.Request, err error) error {
	p := h.formPage(r, "Retention periods", err)
	return h.renderRetention(w, r, httpx.Status(err), p)
}

func (h *Handler) retentionSetRule(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	years, err := strconv.Atoi(r.PostForm.Get("years"))
	if err != nil {
		years = 0 // validation names the field
	}
	c := privacy.RetentionRuleChange{CommissionerOrgID: r.PostForm.Get("commissioner_org_id"), Category: r.PostForm.Get("category"), Years: years, Note: r.PostForm.Get("note")}
	if err := h.DB.SetRetentionRule(r.Context(), a, c); err != nil {
		return h.retentionFormError(w, r, err)
	}
	h.redirect(w, r, "/privacy/retention", h.newPage(r, "").T("Retention period saved."))
	return nil
}

func (h *Handler) retentionRunNow(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if shown, err := h.confirmFirst(w, r, "Run retention now", msgConfirmRetention, "Yes, erase now", "/privacy/retention"); shown {
		return err
	}
	run, err := h.DB.RunRetention(r.Context(), a, store.RunManual)
	if err != nil {
		return err
	}
	p := h.newPage(r, "")
	h.redirect(w, r, "/privacy/retention#run-"+run.ID, p.N("Retention run done: %d candidates erased.", run.Erased))
	return nil
}

func (h *Handler) retentionMeasure(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx, f := r.Context(), r.PostForm
	reason := f.Get("reason")
	// Staff name the candidate by client number, never by internal id
	// (issue 12 item 7).
	id, err := h.DB.CandidateIDByNumber(ctx, "client_number", f.Get("client_number"))
	if err != nil {
		return h.retentionFormError(w, r, err)
	}
	switch f.Get("measure") {
	case "legal_hold":
		err = h.DB.SetLegalHold(ctx, a, id, reason)
	case "legal_hold_lift":
		err = h.DB.LiftLegalHold(ctx, a, id, reason)
	case "restrict", "restrict_lift":
		err = h.DB.SetRestriction(ctx, a, id, f.Get("measure") == "restrict", reason)
	case "objection":
		err = h.DB.RecordObjection(ctx, a, id, reason)
	case "erase":
		if f.Get("confirm") != "yes" {
			err = opstap.FieldError("confirm", "confirm the erasure: it cannot be undone")
		} else {
			_, err = h.DB.EraseCandidate(ctx, a, id)
		}
	default:
		err = opstap.FieldError("measure", "choose a measure")
	}
	if err != nil {
		return h.retentionFormError(w, r, err)
	}
	p := h.newPage(r, "")
	h.redirect(w, r, "/privacy/retention", p.T("Measure recorded."))
	return nil
}
