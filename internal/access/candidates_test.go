package access_test

import (
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// Candidate lists [001 "Wat gebeurt er met verwerkte gegevens": in the
// first place only the adviser assigned to a client sees them]: a coach
// lists their caseload, or every candidate when they widen the list; other
// provider staff every candidate, a commissioner its own, a candidate
// themself, anybody else (a user without an active grant) nobody.
func TestCandidateListScope_001(t *testing.T) {
	coachAdmin := mkActor(coachID, "org-provider", opstap.OrgProvider, opstap.RoleCoach, opstap.Write)
	coachAdmin.Grants = append(coachAdmin.Grants, opstap.Grant{Role: opstap.RoleAdmin, Access: opstap.Write})
	noGrants := &opstap.Actor{UserID: coachID, OrgID: "org-provider", OrgKind: opstap.OrgProvider}
	for _, c := range []struct {
		name string
		a    *opstap.Actor
		all  bool
		want access.CandidateScope
	}{
		{"coach: their caseload", coach, false, access.ScopeCaseload},
		{"coach widens the list", coach, true, access.ScopeAll},
		{"coach who is also admin", coachAdmin, false, access.ScopeAll},
		{"coach at a commissioner", mkActor(coachID, commissionerID, opstap.OrgMunicipality, opstap.RoleCoach, opstap.Read), false, access.ScopeCommissioner},
		{"medical expert", medical, false, access.ScopeAll},
		{"privacy officer", privacyR, false, access.ScopeAll},
		{"case manager", caseMgr, false, access.ScopeCommissioner},
		{"case manager widens nothing", caseMgr, true, access.ScopeCommissioner},
		{"candidate", candidate, false, access.ScopeSelf},
		{"candidate widens nothing", candidate, true, access.ScopeSelf},
		{"client employer", employer, false, access.ScopeNobody},
		{"grants all blocked or expired", noGrants, false, access.ScopeNobody},
		{"system", system, false, access.ScopeAll},
		{"nobody", nil, false, access.ScopeNobody},
	} {
		if got := access.CandidateListScope(c.a, c.all); got != c.want {
			t.Errorf("%s: scope %d, want %d", c.name, got, c.want)
		}
	}
}

// A search beyond a coach's caseload searches candidates they may not open,
// so it needs a stated reason as opening one does [001 "Wat gebeurt er met
// verwerkte gegevens"]; the reason then counts (break the glass). No other
// search needs one.
func TestDecideSearch_001(t *testing.T) {
	const good = "Vervanging van collega tijdens verlof"
	for _, c := range []struct {
		name   string
		a      *opstap.Actor
		all    bool
		reason string
		want   access.Decision
	}{
		{"coach in their caseload", coach, false, "", access.Decision{Allowed: true, Role: opstap.RoleCoach}},
		{"coach searches all without a reason", coach, true, "", access.Decision{Role: opstap.RoleCoach, NeedsReason: true, Reason: access.ReasonSearchAll}},
		{"coach searches all, blank reason", coach, true, "   ", access.Decision{Role: opstap.RoleCoach, NeedsReason: true, Reason: access.ReasonSearchAll}},
		{"coach searches all, reason too short", coach, true, "kort", access.Decision{Role: opstap.RoleCoach, NeedsReason: true, Reason: access.ReasonTooShort}},
		{"coach searches all with a reason", coach, true, good, access.Decision{Allowed: true, Role: opstap.RoleCoach, BreakGlass: true}},
		{"coach's reason on their own caseload counts for nothing", coach, false, good, access.Decision{Allowed: true, Role: opstap.RoleCoach}},
		{"medical expert searches all", medical, true, "", access.Decision{Allowed: true, Role: opstap.RoleMedicalExpert}},
		{"case manager", caseMgr, true, "", access.Decision{Allowed: true, Role: opstap.RoleCaseManager}},
		{"candidate", candidate, true, "", access.Decision{Allowed: true, Role: opstap.RoleCandidate}},
		{"system", system, true, "", access.Decision{Allowed: true, Relation: access.RelationOwnOrganisation}},
		{"nobody", nil, true, good, access.Decision{Reason: access.ReasonNoActor}},
	} {
		if got := access.DecideSearch(c.a, c.all, c.reason); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// Functional limitations not shared with consent: the medical expert who
// records them [002 art 4.3: medical data only for the engaged experts] and
// the candidate [002 art 7.1: their right of access] see them; the coach,
// the case manager and the employer only when the candidate agreed to share
// them [002 art 5.1: no medical information for the employer; 004
// "Toestemming kandidaat"].
func TestSeesUnsharedLimitations_002art4_7(t *testing.T) {
	for _, c := range []struct {
		name    string
		a       *opstap.Actor
		allowed bool // the read of the category itself
		want    bool
	}{
		{"medical expert", medical, true, true},
		{"candidate", candidate, true, true},
		{"assigned coach", coach, true, false},
		{"case manager", caseMgr, true, false},
		{"employer of the placement", employer, true, false},
		{"another candidate", stranger, false, false},
	} {
		d := access.Decide(c.a, subject(), opstap.CatLimitations, opstap.Read, "")
		if d.Allowed != c.allowed {
			t.Errorf("%s: read allowed=%v, want %v", c.name, d.Allowed, c.allowed)
		}
		if got := access.SeesUnsharedLimitations(d); got != c.want {
			t.Errorf("%s: sees unshared %v, want %v", c.name, got, c.want)
		}
	}
}

// TestCandidateListShows: whom a candidate list may count. Every role that
// reads basic data lists someone; candidates under a restriction of
// processing show to the privacy officer and to the candidate themself only
// [002 art 7.3]; the administrator and a blocked grant list no one.
func TestCandidateListShows(t *testing.T) {
	blocked := grantOf(opstap.RoleCoach, opstap.Write)
	blocked.BlockedAt = &time.Time{}
	for _, tt := range []struct {
		name string
		a    *opstap.Actor
		want access.ListShows
	}{
		{"coach", provider(coachID, grantOf(opstap.RoleCoach, opstap.Write)), access.ListShows{Anyone: true}},
		{"medical expert", provider("u-doc", grantOf(opstap.RoleMedicalExpert, opstap.Write)), access.ListShows{Anyone: true}},
		{"finance", provider("u-fin", grantOf(opstap.RoleFinance, opstap.Write)), access.ListShows{Anyone: true}},
		{"complaints desk", provider("u-kl", grantOf(opstap.RoleComplaintsDesk, opstap.Read)), access.ListShows{Anyone: true}},
		{"privacy officer", provider("u-fg", grantOf(opstap.RolePrivacyOfficer, opstap.Write)), access.ListShows{Anyone: true, Restricted: true}},
		{"coach and privacy officer", provider("u-fg", grantOf(opstap.RoleCoach, opstap.Write), grantOf(opstap.RolePrivacyOfficer, opstap.Write)), access.ListShows{Anyone: true, Restricted: true}},
		{"provider auditor", provider("u-audit", grantOf(opstap.RoleAuditor, opstap.Read)), access.ListShows{Anyone: true}},
		{"case manager", &opstap.Actor{UserID: "u-km", OrgID: commissionerID, OrgKind: opstap.OrgMunicipality, Grants: []opstap.Grant{grantOf(opstap.RoleCaseManager, opstap.Write)}}, access.ListShows{Anyone: true}},
		{"candidate", &opstap.Actor{UserID: candidateUser, Grants: []opstap.Grant{grantOf(opstap.RoleCandidate, opstap.Write)}}, access.ListShows{Anyone: true, Restricted: true}},
		{"administrator", provider("u-admin", grantOf(opstap.RoleAdmin, opstap.Write)), access.ListShows{}},
		{"coach of a municipality", &opstap.Actor{UserID: coachID, OrgID: commissionerID, OrgKind: opstap.OrgMunicipality, Grants: []opstap.Grant{grantOf(opstap.RoleCoach, opstap.Write)}}, access.ListShows{}},
		{"blocked grant", provider(coachID, blocked), access.ListShows{}},
		{"nobody", nil, access.ListShows{}},
	} {
		if got := access.CandidateListShows(tt.a); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
