package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/privacy"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/accesslog"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerRights)
	addNav(navItem{Order: 65, Href: "/privacy/requests", Label: "Privacy requests", Roles: []opstap.Role{opstap.RolePrivacyOfficer}})
}

// registerRights adds the pages of the data subject rights [001; 002 art
// 7; 004 "Inzagerecht"]: the privacy officer's queue and handling, staff
// filing on a candidate's behalf, and the candidate's portal pages with
// the access log (issue 4 point 7).
func (h *Handler) registerRights(mux *http.ServeMux) {
	mux.HandleFunc("GET /privacy/requests", h.authed(h.rightsQueue))
	mux.HandleFunc("GET /privacy/requests/{id}", h.authed(h.rightsPage))
	mux.HandleFunc("POST /privacy/requests/{id}/{step}", h.authed(h.rightsStep))
	mux.HandleFunc("GET /privacy/requests/{id}/letter", h.authed(download.Files{DB: h.DB}.RightsLetter))
	mux.HandleFunc("GET /privacy/requests/{id}/manifest", h.authed(h.rightsManifest))
	mux.HandleFunc("GET /candidates/{id}/rights/new", h.authed(h.newRightsForm))
	mux.HandleFunc("POST /candidates/{id}/rights", h.authed(h.fileRightsForCandidate))
	mux.HandleFunc("GET /portal/rights", h.authed(h.portalRights))
	mux.HandleFunc("POST /portal/rights", h.authed(h.portalFileRights))
	mux.HandleFunc("POST /portal/rights/{id}/withdraw", h.authed(h.portalWithdrawRights))
	mux.HandleFunc("GET /portal/rights/{id}/letter", h.authed(download.Files{DB: h.DB}.RightsLetter))
	mux.HandleFunc("GET /portal/rights/{id}/export", h.authed(download.Files{DB: h.DB}.AccessExport))
	mux.HandleFunc("GET /portal/access", h.authed(h.portalAccess))
}

// RightsLabel names a right, a status or an access log code for people.
func (p *page) RightsLabel(code any) string {
	switch c := code.(type) {
	case privacy.RightsKind:
		return p.T(privacy.RightsKindLabels[c])
	case privacy.RightsStatus:
		return p.T(privacy.RightsStatusLabels[c])
	case string:
		if l, ok := accessLogLabels[c]; ok {
			return p.T(l)
		}
		if family, code, ok := strings.Cut(c, ":"); ok && i18n.HasLabel(family, code) {
			return p.L(family, code)
		}
		return c
	}
	return ""
}

// accessLogLabels name the purposes and events of the audit log for the
// candidate.
// TestAccessLogLabelsComplete keeps it complete: every purpose and event
// the store and the audit log define has a label, so no code reaches a
// Dutch page (issue 12 item 9).
var accessLogLabels = map[string]string{
	store.PurposeGuidance: "Guidance and coaching", store.PurposeRegistration: "Registration", store.PurposeOverview: "Lists of candidates",
	store.PurposeReporting: "Reports to your commissioner", store.PurposeSelf: "Your own use", store.PurposeConsent: "Your consents",
	store.PurposeComplaint: "Handling a complaint", store.PurposeRights: "Handling your privacy request",
	"audit": "Supervision of the use of data", store.PurposeBreach: "Register of data breaches", store.PurposeDisclosure: "Disclosure required by law",
	store.PurposeRetention: "Retention and erasure", store.PurposeFigures: "Figures for your municipality, without your name",
	store.PurposeMatching: "Matching with assignments", store.PurposeHandover: "Hand-over to another provider", store.PurposeInvoicing: "Invoicing",
	store.PurposeManagementReport: "Reports to your municipality", store.PurposePayout: "Payment of your premium", store.PurposePlacement: "Your placement",
	store.PurposePrivacy: "Privacy protection", store.PurposeSettlement: "Settlement with your municipality", store.PurposeHours: "Your worked hours",
	"role:system": "Opstap (automatic)", audit.EventRead: "Read", audit.EventSearch: "Found in a search", audit.EventWrite: "Changed",
	audit.EventExport: "Exported", audit.EventBreakGlass: "Opened with a stated reason",
	audit.EventLogin: "Signed in", audit.EventLoginFailed: "Sign-in failed", audit.EventLogout: "Signed out", audit.EventMFA: "Second factor",
	audit.EventGrantChange: "Rights changed", audit.EventUserChange: "Account changed", audit.EventTokenChange: "API key changed",
	audit.EventVerify: "Audit log checked", audit.EventOrgChange: "Organisation changed", audit.EventPeriod: "Month closed or reopened",
	audit.EventInvoice: "Invoiced or settled", audit.EventImport: "Imported",
}

// rightsQueue is the privacy officer's queue a page at a time.
func (h *Handler) rightsQueue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return queuePage(h, w, r, a, h.newPage(r, "Privacy requests"), "/privacy/requests", "rights_queue", h.DB.RightsQueue)
}

type rightsData struct {
	R        *store.RightsRequest
	Statuses []privacy.RightsStatus
}

// answerStatuses are the answers the privacy officer chooses from.
var answerStatuses = []privacy.RightsStatus{privacy.RightsGranted, privacy.RightsPartlyGranted, privacy.RightsRefused}

func (h *Handler) rightsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderRights(w, r, http.StatusOK, h.newPage(r, "Privacy request"))
}

func (h *Handler) renderRights(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	rr, err := h.DB.FindRightsRequest(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p.Data = rightsData{R: rr, Statuses: answerStatuses}
	return h.render(w, r, status, "rights_request", p)
}

// rightsSteps are the handling steps with the message shown after each.
var rightsSteps = map[string]string{
	"assign": "You handle this request.", "extend": "Deadline extended; the candidate is told.",
	"answer": "Answer recorded; the candidate is told.", "withdraw": "Withdrawal recorded.",
}

func (h *Handler) rightsStep(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	step, id := r.PathValue("step"), r.PathValue("id")
	done, ok := rightsSteps[step]
	if !ok {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	a, ctx := a, r.Context()
	var err error
	switch step {
	case "assign":
		_, err = h.DB.AssignRightsRequest(ctx, a, id, "")
	case "extend":
		_, err = h.DB.ExtendRightsRequest(ctx, a, id, r.PostFormValue("reason"))
	case "answer":
		_, err = h.DB.AnswerRightsRequest(ctx, a, id, privacy.RightsAnswer{Status: privacy.RightsStatus(r.PostFormValue("status")), Text: r.PostFormValue("text")})
	default:
		_, err = h.DB.WithdrawRightsRequest(ctx, a, id)
	}
	if err != nil {
		p := h.formPage(r, "Privacy request", err)
		p.Form.Set("step", step)
		return h.renderRights(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/privacy/requests/"+url.PathEscape(id), i18n.T(httpx.Lang(r), done))
	return nil
}

// manifestParts name the parts of an access export for the privacy officer.
var manifestParts = map[string]string{
	"categories": "Data categories", "limitations": "Shared limitations", "dossier_entries": "Dossier entries",
	"dossier_entry_versions": "Earlier versions of dossier entries", "documents": "Documents", "trajectories": "Trajectories",
	"consents": "Consents", "reports": "Reports", "sharings": "Reports shared", "complaints": "Complaints",
	"break_glass": "Openings with a stated reason", "rights_requests": "Privacy requests", "hours": "Hours worked", "access_log": "Access log entries",
}

// ManifestLabel names a part of an access export.
func (p *page) ManifestLabel(part string) string { return p.T(manifestParts[part]) }

type manifestData struct {
	R *store.RightsRequest
	M *store.ExportManifest
}

// rightsManifest shows the privacy officer what the export of an access
// request holds; the export itself is the candidate's.
func (h *Handler) rightsManifest(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	a, id := a, r.PathValue("id")
	m, err := h.DB.AccessExportManifest(r.Context(), a, id)
	if err != nil {
		return err
	}
	rr, err := h.DB.FindRightsRequest(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := h.newPage(r, "What the export holds")
	p.Data = manifestData{R: rr, M: m}
	return h.render(w, r, http.StatusOK, "rights_manifest", p)
}

type newRightsData struct {
	CandidateID string
	Kinds       []privacy.RightsKind
}

func (h *Handler) newRightsForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "File a privacy request")
	p.Data = newRightsData{CandidateID: r.PathValue("id"), Kinds: privacy.RightsKinds}
	return h.render(w, r, http.StatusOK, "rights_new", p)
}

// formRights reads the filing form.
func formRights(r *http.Request) (privacy.NewRightsRequest, error) {
	n := privacy.NewRightsRequest{Kind: privacy.RightsKind(r.PostFormValue("kind")), Description: r.PostFormValue("description")}
	if v := strings.TrimSpace(r.PostFormValue("received_on")); v != "" {
		d, err := opstap.ParseDate(v)
		if err != nil {
			return n, opstap.FieldError("received_on", "not a valid date")
		}
		n.ReceivedOn = d
	}
	return n, nil
}

func (h *Handler) fileRightsForCandidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id := r.PathValue("id")
	n, err := formRights(r)
	var rr *store.RightsRequest
	if err == nil {
		rr, err = h.DB.FileRightsRequest(r.Context(), a, id, n)
	}
	if err != nil {
		p := h.formPage(r, "File a privacy request", err)
		p.Data = newRightsData{CandidateID: id, Kinds: privacy.RightsKinds}
		return h.render(w, r, httpx.Status(err), "rights_new", p)
	}
	to := "/candidates/" + url.PathEscape(id)
	if access.IsPrivacyOfficer(a, false) {
		to = "/privacy/requests/" + url.PathEscape(rr.ID)
	}
	h.redirect(w, r, to, i18n.T(httpx.Lang(r), "Request registered."))
	return nil
}

type portalRightsData struct {
	Requests []store.RightsRequest
	Kinds    []privacy.RightsKind
}

func (h *Handler) portalRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderPortalRights(w, r, http.StatusOK, h.newPage(r, "My privacy rights"))
}

func (h *Handler) renderPortalRights(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	_, rs, err := h.DB.OwnRightsRequests(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	p.Data = portalRightsData{Requests: rs, Kinds: privacy.RightsKinds}
	return h.render(w, r, status, "portal_rights", p)
}

func (h *Handler) portalFileRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	if err == nil {
		_, err = h.DB.FileRightsRequest(r.Context(), a, id, privacy.NewRightsRequest{Kind: privacy.RightsKind(r.PostFormValue("kind")), Description: r.PostFormValue("description")})
	}
	if err != nil {
		p := h.formPage(r, "My privacy rights", err)
		return h.renderPortalRights(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/portal/rights", i18n.T(httpx.Lang(r), "Your request has been received. We answer within one month."))
	return nil
}

func (h *Handler) portalWithdrawRights(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if _, err := h.DB.WithdrawRightsRequest(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	h.redirect(w, r, "/portal/rights", i18n.T(httpx.Lang(r), "Your request has been withdrawn."))
	return nil
}

// portalAccessData is the log of who used the data and the disclosures
// the law required [004 "Verstrekken gegevens aan derden"].
type portalAccessData struct {
	*store.AccessLogPage
	Days        []accesslog.Day // the page's lines per day and per person
	Disclosures []*store.Disclosure
}

// groupAccessLog reads a page of the log as days of visits.
func groupAccessLog(entries []store.AccessLogEntry) []accesslog.Day {
	lines := make([]accesslog.Line, len(entries))
	for i, e := range entries {
		lines[i] = accesslog.Line{At: e.At, Actor: e.Actor, Name: e.ActorName, Role: e.Role, Organisation: e.Organisation,
			Event: e.Event, Category: e.Category, Purpose: e.Purpose, Refused: e.Outcome == "denied"}
	}
	return accesslog.Group(lines, opstap.Amsterdam)
}

func (h *Handler) portalAccess(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Who used my data")
	id, err := h.DB.OwnCandidateID(r.Context(), a)
	var d portalAccessData
	if err == nil {
		// The page's own "older" link carries the position; anything else
		// (0) shows the newest entries.
		before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
		d.AccessLogPage, err = h.DB.AccessLog(r.Context(), a, id, before)
	}
	if err == nil {
		d.Days = groupAccessLog(d.Entries)
	}
	if err == nil {
		d.Disclosures, err = h.DB.CandidateDisclosures(r.Context(), a, id)
	}
	if err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, http.StatusOK, "portal_access", p)
}
