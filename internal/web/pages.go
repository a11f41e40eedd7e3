package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// roleCard is one block of the home page: what a role can do here.
type roleCard struct {
	Role  opstap.Role
	Title string
	Text  string
	Links []link
}

type link struct{ Href, Label string }

// roleHome says per role what its home page offers.
var roleHome = map[opstap.Role]roleCard{
	opstap.RoleCoach: {Title: "Coach", Text: "You guide the candidates assigned to you. Other dossiers open only with a stated reason, which is logged.",
		Links: []link{{Href: "/candidates", Label: "My candidates"}, {Href: "/candidates/new", Label: "Register a candidate"}, {Href: "/shared", Label: "Shared documents"}}},
	opstap.RoleMedicalExpert:  {Title: "Medical expert", Text: "You alone read and write the medical segment of dossiers.", Links: []link{{Href: "/candidates", Label: "Candidates"}}},
	opstap.RoleFinance:        {Title: "Finance", Text: "Money, invoices and settlements; no dossier contents."},
	opstap.RolePrivacyOfficer: {Title: "Privacy officer", Text: "Rights requests, the breach register, access reviews and the audit log.", Links: []link{{Href: "/audit", Label: "Audit log"}, {Href: "/break-glass", Label: "Dossiers opened with a reason"}}},
	opstap.RoleComplaintsDesk: {Title: "Complaints desk", Text: "Complaints and their handling.", Links: []link{{Href: "/complaints", Label: "Complaints"}}},
	opstap.RoleAdmin:          {Title: "Application administrator", Text: "Accounts, roles and configuration; no dossier contents.", Links: []link{{Href: "/admin/users", Label: "Accounts and rights"}}},
	opstap.RoleAuditor:        {Title: "Auditor", Text: "Read-only access for quality testing, for a limited time, and logged.", Links: []link{{Href: "/audit", Label: "Audit log"}}},
	opstap.RoleCaseManager: {Title: "Case manager", Text: "You register your organisation's candidates and follow their trajectories and shared reports.",
		Links: []link{{Href: "/candidates", Label: "Candidates"}, {Href: "/candidates/upload", Label: "Register candidates from a file"}, {Href: "/shared", Label: "Shared documents"}}},
	opstap.RoleEmployer:  {Title: "Employer", Text: "Your assignments and the placed candidates' work-relevant information."},
	opstap.RoleCandidate: {Title: "Candidate", Text: "Your trajectory, appointments, reports awaiting your approval, your consents, and who looked at your data.", Links: []link{{Href: "/portal", Label: "My page"}}},
}

type homeData struct {
	Cards    []roleCard
	Grants   []opstap.Grant
	OrgName  string
	Figures  []store.Figure
	Caseload *store.Caseload   // a provider coach's candidates and week (issue 12 item 11)
	Names    map[string]string // candidate id → name, for the week's appointments
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Home")
	u, err := h.DB.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	figures, err := h.DB.HomeFigures(r.Context(), a)
	if err != nil {
		return err
	}
	d := homeData{Grants: a.Grants, OrgName: u.Organisation.Name, Figures: figures}
	if a.OrgKind == opstap.OrgProvider && a.Has(opstap.RoleCoach, opstap.Read) {
		if d.Caseload, err = h.DB.Caseload(r.Context(), a); err != nil {
			return err
		}
		d.Names = map[string]string{}
		for _, row := range d.Caseload.Rows {
			d.Names[row.Candidate.ID] = row.Candidate.DisplayName()
		}
	}
	for _, role := range a.Roles() {
		c := roleHome[role]
		c.Role = role
		d.Cards = append(d.Cards, c)
	}
	p.Data = d
	return h.render(w, r, http.StatusOK, "home", p)
}

type accountData struct {
	User     *store.User
	Tokens   []store.Token
	NewToken string
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, status int, p *page, newToken string) error {
	a := httpx.AuthFrom(r).Actor
	u, err := h.DB.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	ts, err := h.DB.FindTokens(r.Context(), a, a.UserID)
	if err != nil {
		return err
	}
	p.Data = accountData{User: u, Tokens: ts, NewToken: newToken}
	return h.render(w, r, status, "account", p)
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.accountPage(w, r, http.StatusOK, h.newPage(r, "My account"), "")
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "My account")
	var exp *time.Time
	if s := strings.TrimSpace(r.PostFormValue("expires_on")); s != "" {
		d, err := time.ParseInLocation("2006-01-02", s, opstap.Amsterdam)
		if err != nil {
			p.setError(opstap.FieldError("expires_on", "not a valid date"))
			p.Form = r.PostForm
			return h.accountPage(w, r, http.StatusUnprocessableEntity, p, "")
		}
		exp = &d
	}
	plain, _, err := h.DB.CreateToken(r.Context(), a, a.UserID, r.PostFormValue("name"), exp)
	if err != nil {
		p.setError(err)
		p.Form = r.PostForm
		return h.accountPage(w, r, httpx.Status(err), p, "")
	}
	p.Flash = i18n.T(p.Lang, "Token created. Copy it now: it is shown only once.")
	return h.accountPage(w, r, http.StatusCreated, p, plain)
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := h.DB.RevokeToken(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	h.redirect(w, r, "/account", i18n.T(httpx.Lang(r), "Token revoked."))
	return nil
}
