package access_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// The expected matrix, written out by hand from DOMAIN.md §1 and §3 — never
// derived from the code under test. One row per role and relation; one cell
// per category in the order of columns:
//
//	W  read and write
//	R  read only
//	G  read only with a stated reason ("break the glass"); no write even then
//	-  nothing
var columns = []opstap.Category{
	opstap.CatBasic, opstap.CatBSN, opstap.CatBenefit, opstap.CatEducation, opstap.CatPreferences,
	opstap.CatLimitations, opstap.CatMedical, opstap.CatFinancial, opstap.CatNotes, opstap.CatReports, opstap.CatTimesheets,
}

const nothing = "- - - - - - - - - - -"

// The candidate every scenario asks about.
const (
	commissionerID = "org-almere" // a municipality
	coachID        = "u-coach"
	candidateUser  = "u-candidate"
	employerID     = "org-bakkerij" // a client employer with a current placement
)

func subject() access.Subject {
	return access.Subject{
		CandidateID:       "c-1",
		CommissionerOrgID: commissionerID,
		CoachUserID:       coachID,
		CandidateUserID:   candidateUser,
		EmployerOrgIDs:    []string{"org-elsewhere", employerID},
	}
}

// scenario is one row of the expected matrix: an actor holding role, of an
// organisation, standing in a relation to the candidate.
type scenario struct {
	name    string
	role    opstap.Role
	userID  string
	orgID   string
	orgKind opstap.OrgKind
	rel     access.Relation // the relation the decision must report
	row     string
}

var matrix = []scenario{
	// Coach [001 "Wat gebeurt er"; 002 art 4.3, 5.1].
	{"assigned", opstap.RoleCoach, coachID, "org-provider", opstap.OrgProvider, access.RelationAssignedCoach, "W W W W W R - W W W -"},
	{"not assigned", opstap.RoleCoach, "u-other-coach", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, "G G G G G G - G G G -"},
	{"assigned but not provider staff", opstap.RoleCoach, coachID, commissionerID, opstap.OrgMunicipality, access.RelationNone, nothing},
	// Medical expert [002 art 4.3].
	{"provider", opstap.RoleMedicalExpert, "u-doc", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, "R - - - - W W - - - -"},
	{"not provider staff", opstap.RoleMedicalExpert, "u-doc", commissionerID, opstap.OrgMunicipality, access.RelationNone, nothing},
	// Finance: money, not the dossier.
	{"provider", opstap.RoleFinance, "u-fin", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, "R - - - - - - W - - W"},
	{"not provider staff", opstap.RoleFinance, "u-fin", employerID, opstap.OrgClientEmployer, access.RelationNone, nothing},
	// Privacy officer and complaints desk.
	{"provider", opstap.RolePrivacyOfficer, "u-fg", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, "R - - - - - - - - - -"},
	{"not provider staff", opstap.RolePrivacyOfficer, "u-fg", "org-uwv", opstap.OrgUWV, access.RelationNone, nothing},
	{"provider", opstap.RoleComplaintsDesk, "u-kl", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, "R - - - - - - - - - -"},
	{"not provider staff", opstap.RoleComplaintsDesk, "u-kl", commissionerID, opstap.OrgMunicipality, access.RelationNone, nothing},
	// Admin [002 art 8.2].
	{"provider", opstap.RoleAdmin, "u-admin", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, nothing},
	{"not provider staff", opstap.RoleAdmin, "u-admin", commissionerID, opstap.OrgMunicipality, access.RelationNone, nothing},
	// Auditor [004 "Inzagerecht"; 003 bewerkers art 3].
	{"provider", opstap.RoleAuditor, "u-audit", "org-provider", opstap.OrgProvider, access.RelationOwnOrganisation, "R - - R - - - - R R -"},
	{"own commissioner", opstap.RoleAuditor, "u-audit", commissionerID, opstap.OrgMunicipality, access.RelationOwnOrganisation, "R - - R - - - - R R -"},
	{"other commissioner", opstap.RoleAuditor, "u-audit", "org-zwolle", opstap.OrgMunicipality, access.RelationNone, nothing},
	{"client employer", opstap.RoleAuditor, "u-audit", employerID, opstap.OrgClientEmployer, access.RelationNone, nothing},
	// Case manager of the commissioner.
	{"own commissioner", opstap.RoleCaseManager, "u-km", commissionerID, opstap.OrgMunicipality, access.RelationOwnOrganisation, "W W W W W R - - - R R"},
	{"other commissioner", opstap.RoleCaseManager, "u-km", "org-zwolle", opstap.OrgMunicipality, access.RelationNone, nothing},
	{"not a commissioner", opstap.RoleCaseManager, "u-km", commissionerID, opstap.OrgProvider, access.RelationNone, nothing},
	// Client employer [003 art 7.7 lid 2; 002 art 5.1].
	{"own placement", opstap.RoleEmployer, "u-werkgever", employerID, opstap.OrgClientEmployer, access.RelationOwnPlacement, "R - - R R R - - - - W"},
	{"no placement", opstap.RoleEmployer, "u-werkgever", "org-slagerij", opstap.OrgClientEmployer, access.RelationNone, nothing},
	{"not a client employer", opstap.RoleEmployer, "u-werkgever", employerID, opstap.OrgEmployerClient, access.RelationNone, nothing},
	// Candidate [002 art 7].
	{"self", opstap.RoleCandidate, candidateUser, "org-provider", opstap.OrgProvider, access.RelationSelf, "W R R W W R R W R R W"},
	{"other", opstap.RoleCandidate, "u-someone-else", "org-provider", opstap.OrgProvider, access.RelationNone, nothing},
}

const validReason = "vervanging tijdens ziekte van de vaste coach"

func actor(sc scenario, access opstap.Action) *opstap.Actor {
	return &opstap.Actor{
		UserID:  sc.userID,
		OrgID:   sc.orgID,
		OrgKind: sc.orgKind,
		Grants:  []opstap.Grant{{ID: "g-1", UserID: sc.userID, Role: sc.role, Access: access}},
	}
}

func cells(t *testing.T, sc scenario) []string {
	t.Helper()
	cs := strings.Fields(sc.row)
	if len(cs) != len(columns) {
		t.Fatalf("%s/%s: row has %d cells, want %d", sc.role, sc.name, len(cs), len(columns))
	}
	return cs
}

// TestMatrixCoversEverything guards the expected matrix itself: every role
// and every category is in it, and every category is known.
func TestMatrixCoversEverything(t *testing.T) {
	if !slices.Equal(columns, opstap.Categories) {
		t.Errorf("columns = %v, want every category %v", columns, opstap.Categories)
	}
	for _, r := range opstap.Roles {
		if !slices.ContainsFunc(matrix, func(sc scenario) bool { return sc.role == r }) {
			t.Errorf("role %s has no row in the expected matrix", r)
		}
	}
}

// TestDecideMatrix checks every role × category × action × relation of the
// expected matrix, with and without a stated reason, with a write grant and
// with a read-only grant.
func TestDecideMatrix(t *testing.T) {
	for _, sc := range matrix {
		for i, cell := range cells(t, sc) {
			cat := columns[i]
			for _, grant := range []opstap.Action{opstap.Write, opstap.Read} {
				for _, act := range []opstap.Action{opstap.Read, opstap.Write} {
					for _, reason := range []string{"", validReason} {
						name := fmt.Sprintf("%s/%s/%s/%s-grant/%s/reason=%t", sc.role, sc.name, cat, grant, act, reason != "")
						t.Run(name, func(t *testing.T) {
							got := access.Decide(actor(sc, grant), subject(), cat, act, reason)
							checkCell(t, sc, cat, cell, grant, act, reason, got)
						})
					}
				}
			}
		}
	}
}

func checkCell(t *testing.T, sc scenario, cat opstap.Category, cell string, grant, act opstap.Action, reason string, got access.Decision) {
	t.Helper()
	var wantAllowed, wantGlass, wantNeeds bool
	switch {
	case act == opstap.Read && (cell == "W" || cell == "R"):
		wantAllowed = true
	case act == opstap.Read && cell == "G":
		wantAllowed, wantGlass, wantNeeds = reason != "", reason != "", reason == ""
	case act == opstap.Write && cell == "W":
		wantAllowed = grant == opstap.Write
	}
	if got.Allowed != wantAllowed || got.BreakGlass != wantGlass || got.NeedsReason != wantNeeds {
		t.Errorf("Allowed, BreakGlass, NeedsReason = %t, %t, %t; want %t, %t, %t (reason %q)",
			got.Allowed, got.BreakGlass, got.NeedsReason, wantAllowed, wantGlass, wantNeeds, got.Reason)
	}
	if got.Role != sc.role || got.Relation != sc.rel {
		t.Errorf("Role, Relation = %s, %s; want %s, %s", got.Role, got.Relation, sc.role, sc.rel)
	}
	if got.Allowed != (got.Reason == "") {
		t.Errorf("Allowed = %t with Reason %q: a denial needs a reason, an allowance none", got.Allowed, got.Reason)
	}
	switch {
	case !got.Allowed && cat == opstap.CatMedical && sc.role != opstap.RoleMedicalExpert && sc.role != opstap.RoleCandidate:
		want(t, got.Reason, "medical data is for medical experts only")
	case act == opstap.Write && cell == "W" && grant == opstap.Read:
		want(t, got.Reason, "read-only access does not allow changes")
	case act == opstap.Write && cell == "G":
		want(t, got.Reason, "only the assigned coach may change this candidate's data")
	}
	if (got.Err() == nil) != got.Allowed {
		t.Errorf("Err() = %v for Allowed = %t", got.Err(), got.Allowed)
	}
}

func want(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
}

// TestDecideMatrixRestricted runs the whole matrix against a candidate whose
// processing is restricted: only the candidate reads their data, and the
// privacy officer the basic data; nothing else, with or without a reason.
func TestDecideMatrixRestricted(t *testing.T) {
	s := subject()
	s.Restricted = true
	for _, sc := range matrix {
		for i, cell := range cells(t, sc) {
			cat := columns[i]
			for _, act := range []opstap.Action{opstap.Read, opstap.Write} {
				t.Run(fmt.Sprintf("%s/%s/%s/%s", sc.role, sc.name, cat, act), func(t *testing.T) {
					got := access.Decide(actor(sc, opstap.Write), s, cat, act, validReason)
					wantAllowed := act == opstap.Read && cell != "-" &&
						(sc.rel == access.RelationSelf || sc.role == opstap.RolePrivacyOfficer && cat == opstap.CatBasic)
					if got.Allowed != wantAllowed || got.NeedsReason || got.BreakGlass {
						t.Fatalf("Allowed, NeedsReason, BreakGlass = %t, %t, %t; want %t, false, false",
							got.Allowed, got.NeedsReason, got.BreakGlass, wantAllowed)
					}
					wouldBe := cell == "W" || (cell == "G" || cell == "R") && act == opstap.Read
					if !wantAllowed && wouldBe {
						want(t, got.Reason, "processing of this candidate's data is restricted")
					}
				})
			}
		}
	}
}

// TestDecideMatrixScreened runs the whole matrix against a candidate who
// had their notes and benefit data screened off [001 "af te schermen"]:
// those categories are for the candidate alone; every other cell is as in
// the normal matrix.
func TestDecideMatrixScreened(t *testing.T) {
	s := subject()
	s.Screened = []opstap.Category{opstap.CatNotes, opstap.CatBenefit}
	for _, sc := range matrix {
		for i, cell := range cells(t, sc) {
			cat := columns[i]
			for _, act := range []opstap.Action{opstap.Read, opstap.Write} {
				t.Run(fmt.Sprintf("%s/%s/%s/%s", sc.role, sc.name, cat, act), func(t *testing.T) {
					normal := access.Decide(actor(sc, opstap.Write), subject(), cat, act, validReason)
					got := access.Decide(actor(sc, opstap.Write), s, cat, act, validReason)
					screened := (cat == opstap.CatNotes || cat == opstap.CatBenefit) && sc.rel != access.RelationSelf
					wantAllowed := normal.Allowed && !screened
					if got.Allowed != wantAllowed {
						t.Fatalf("Allowed = %t, want %t (cell %s)", got.Allowed, wantAllowed, cell)
					}
					if screened && normal.Allowed {
						want(t, got.Reason, "this data is screened off on the candidate's request")
					}
				})
			}
		}
	}
}

func grantOf(r opstap.Role, a opstap.Action) opstap.Grant {
	return opstap.Grant{ID: "g-" + string(r) + "-" + string(a), Role: r, Access: a}
}

func provider(userID string, grants ...opstap.Grant) *opstap.Actor {
	return &opstap.Actor{UserID: userID, OrgID: "org-provider", OrgKind: opstap.OrgProvider, Grants: grants}
}

// TestDecideNamed covers the rules one by one, each with its full decision.
func TestDecideNamed(t *testing.T) {
	restricted := subject()
	restricted.Restricted = true
	noCoach := subject()
	noCoach.CoachUserID, noCoach.CandidateUserID, noCoach.CommissionerOrgID = "", "", ""
	noCoach.EmployerOrgIDs = []string{""}
	ended := subject()
	ended.EmployerOrgIDs = nil

	coach := grantOf(opstap.RoleCoach, opstap.Write)
	other := provider("u-other-coach", coach)
	assigned := provider(coachID, coach)
	blocked := grantOf(opstap.RoleCoach, opstap.Write)
	blocked.BlockedAt = new(blocked.GrantedAt)
	foreign := grantOf(opstap.RoleCoach, opstap.Write)
	foreign.UserID = "u-somebody"
	self := &opstap.Actor{UserID: candidateUser, Grants: []opstap.Grant{grantOf(opstap.RoleCandidate, opstap.Write)}}
	employer := &opstap.Actor{UserID: "u-w", OrgID: employerID, OrgKind: opstap.OrgClientEmployer,
		Grants: []opstap.Grant{grantOf(opstap.RoleEmployer, opstap.Write)}}
	caseManager := func(grants ...opstap.Grant) *opstap.Actor {
		return &opstap.Actor{UserID: "u-km", OrgID: commissionerID, OrgKind: opstap.OrgMunicipality, Grants: grants}
	}
	own, assignedRel := access.RelationOwnOrganisation, access.RelationAssignedCoach

	tests := []struct {
		name   string
		actor  *opstap.Actor
		s      access.Subject
		cat    opstap.Category
		act    opstap.Action
		reason string
		want   access.Decision
	}{
		// Break the glass [001 "Wat gebeurt er"].
		{"glass/no reason", other, subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the candidate is not assigned to you: state a reason"}},
		{"glass/blank reason", other, subject(), opstap.CatNotes, opstap.Read, " \t\n ",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the candidate is not assigned to you: state a reason"}},
		{"glass/too short", other, subject(), opstap.CatNotes, opstap.Read, "even kijk",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the stated reason is too short"}},
		{"glass/short once trimmed", other, subject(), opstap.CatNotes, opstap.Read, "     nodig      ",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the stated reason is too short"}},
		{"glass/nine characters of two bytes", other, subject(), opstap.CatNotes, opstap.Read, "ééééééééé",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the stated reason is too short"}},
		{"glass/exactly ten characters", other, subject(), opstap.CatNotes, opstap.Read, " klachtzaak ",
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: own, BreakGlass: true}},
		{"glass/valid reason", other, subject(), opstap.CatBSN, opstap.Read, validReason,
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: own, BreakGlass: true}},
		{"glass/write with reason", other, subject(), opstap.CatNotes, opstap.Write, validReason,
			access.Decision{Role: opstap.RoleCoach, Relation: own, Reason: "only the assigned coach may change this candidate's data"}},
		{"glass/medical with reason", other, subject(), opstap.CatMedical, opstap.Read, validReason,
			access.Decision{Role: opstap.RoleCoach, Relation: own, Reason: "medical data is for medical experts only"}},
		{"glass/assigned coach needs none", assigned, subject(), opstap.CatNotes, opstap.Read, validReason,
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: assignedRel}},
		{"glass/no coach assigned at all", provider("", coach), noCoach, opstap.CatNotes, opstap.Read, "",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the candidate is not assigned to you: state a reason"}},

		// Read-only grants [003 bewerkers art 5a].
		{"read-only/coach writes", provider(coachID, grantOf(opstap.RoleCoach, opstap.Read)), subject(), opstap.CatNotes, opstap.Write, "",
			access.Decision{Role: opstap.RoleCoach, Relation: assignedRel, Reason: "read-only access does not allow changes"}},
		{"read-only/coach reads", provider(coachID, grantOf(opstap.RoleCoach, opstap.Read)), subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: assignedRel}},
		{"read-only/a write grant beside it", provider(coachID, grantOf(opstap.RoleCoach, opstap.Read), coach), subject(), opstap.CatNotes, opstap.Write, "",
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: assignedRel}},
		{"read-only/auditor with a write grant", provider("u-a", grantOf(opstap.RoleAuditor, opstap.Write)), subject(), opstap.CatNotes, opstap.Write, "",
			access.Decision{Role: opstap.RoleAuditor, Relation: own, Reason: "this role may only read this data"}},

		// Restriction of processing [002 art 7.3].
		{"restricted/assigned coach reads", assigned, restricted, opstap.CatBasic, opstap.Read, "",
			access.Decision{Role: opstap.RoleCoach, Relation: assignedRel, Reason: "processing of this candidate's data is restricted"}},
		{"restricted/other coach with reason", other, restricted, opstap.CatNotes, opstap.Read, validReason,
			access.Decision{Role: opstap.RoleCoach, Relation: own, Reason: "processing of this candidate's data is restricted"}},
		{"restricted/candidate reads medical", self, restricted, opstap.CatMedical, opstap.Read, "",
			access.Decision{Allowed: true, Role: opstap.RoleCandidate, Relation: access.RelationSelf}},
		{"restricted/candidate writes", self, restricted, opstap.CatBasic, opstap.Write, "",
			access.Decision{Role: opstap.RoleCandidate, Relation: access.RelationSelf, Reason: "processing of this candidate's data is restricted"}},
		{"restricted/privacy officer reads basic", provider("u-fg", grantOf(opstap.RolePrivacyOfficer, opstap.Write)), restricted, opstap.CatBasic, opstap.Read, "",
			access.Decision{Allowed: true, Role: opstap.RolePrivacyOfficer, Relation: own}},
		{"restricted/privacy officer writes basic", provider("u-fg", grantOf(opstap.RolePrivacyOfficer, opstap.Write)), restricted, opstap.CatBasic, opstap.Write, "",
			access.Decision{Role: opstap.RolePrivacyOfficer, Relation: own, Reason: "this role may only read this data"}},
		{"restricted/employer reads limitations", employer, restricted, opstap.CatLimitations, opstap.Read, "",
			access.Decision{Role: opstap.RoleEmployer, Relation: access.RelationOwnPlacement, Reason: "processing of this candidate's data is restricted"}},

		// No actor, no usable grant, unknown input.
		{"nil actor", nil, subject(), opstap.CatBasic, opstap.Read, validReason,
			access.Decision{Relation: access.RelationNone, Reason: "no authenticated user"}},
		{"no grants", provider(coachID), subject(), opstap.CatBasic, opstap.Read, "",
			access.Decision{Relation: access.RelationNone, Reason: "no active role"}},
		{"only a blocked grant", provider(coachID, blocked), subject(), opstap.CatBasic, opstap.Read, "",
			access.Decision{Relation: access.RelationNone, Reason: "no active role"}},
		{"only another user's grant", provider(coachID, foreign), subject(), opstap.CatBasic, opstap.Read, "",
			access.Decision{Relation: access.RelationNone, Reason: "no active role"}},
		{"only an unknown role", provider(coachID, grantOf("superuser", opstap.Write)), subject(), opstap.CatBasic, opstap.Read, "",
			access.Decision{Relation: access.RelationNone, Reason: "no active role"}},
		{"unknown category", assigned, subject(), "salary", opstap.Read, "",
			access.Decision{Relation: access.RelationNone, Reason: "unknown data category"}},
		{"unknown action", assigned, subject(), opstap.CatBasic, "delete", "",
			access.Decision{Relation: access.RelationNone, Reason: "unknown action"}},

		// Empty identifiers never match.
		{"empty/candidate account", &opstap.Actor{Grants: []opstap.Grant{grantOf(opstap.RoleCandidate, opstap.Write)}}, noCoach, opstap.CatBasic, opstap.Read, "",
			access.Decision{Role: opstap.RoleCandidate, Relation: access.RelationNone, Reason: "candidates may only see their own data"}},
		{"empty/commissioner", &opstap.Actor{UserID: "u-km", OrgKind: opstap.OrgMunicipality, Grants: []opstap.Grant{grantOf(opstap.RoleCaseManager, opstap.Write)}}, noCoach, opstap.CatBasic, opstap.Read, "",
			access.Decision{Role: opstap.RoleCaseManager, Relation: access.RelationNone, Reason: "not a candidate of your organisation"}},
		{"empty/employer", &opstap.Actor{UserID: "u-w", OrgKind: opstap.OrgClientEmployer, Grants: []opstap.Grant{grantOf(opstap.RoleEmployer, opstap.Write)}}, noCoach, opstap.CatBasic, opstap.Read, "",
			access.Decision{Role: opstap.RoleEmployer, Relation: access.RelationNone, Reason: "the candidate has no current placement at your organisation"}},
		{"employer/placement ended", employer, ended, opstap.CatBasic, opstap.Read, "",
			access.Decision{Role: opstap.RoleEmployer, Relation: access.RelationNone, Reason: "the candidate has no current placement at your organisation"}},
		{"employer/medical", employer, subject(), opstap.CatMedical, opstap.Read, "",
			access.Decision{Role: opstap.RoleEmployer, Relation: access.RelationOwnPlacement, Reason: "medical data is for medical experts only"}},
		{"admin/notes", provider("u-admin", grantOf(opstap.RoleAdmin, opstap.Write)), subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Role: opstap.RoleAdmin, Relation: own, Reason: "administrators have no access to candidates' data"}},
		{"coach outside the provider", &opstap.Actor{UserID: coachID, OrgID: commissionerID, OrgKind: opstap.OrgMunicipality, Grants: []opstap.Grant{coach}}, subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Role: opstap.RoleCoach, Relation: access.RelationNone, Reason: "this role does not apply to your organisation"}},

		// Several roles: any role that allows wins, the plainest first;
		// otherwise the nearest denial is reported.
		{"roles/medical expert beats breaking the glass", provider("u-x", coach, grantOf(opstap.RoleMedicalExpert, opstap.Write)), subject(), opstap.CatBasic, opstap.Read, validReason,
			access.Decision{Allowed: true, Role: opstap.RoleMedicalExpert, Relation: own}},
		{"roles/glass where only the coach reaches", provider("u-x", grantOf(opstap.RoleMedicalExpert, opstap.Write), coach), subject(), opstap.CatNotes, opstap.Read, validReason,
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: own, BreakGlass: true}},
		{"roles/admin and assigned coach write", provider(coachID, grantOf(opstap.RoleAdmin, opstap.Write), coach), subject(), opstap.CatNotes, opstap.Write, "",
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: assignedRel}},
		{"roles/read-only finance and assigned coach", provider(coachID, grantOf(opstap.RoleFinance, opstap.Read), coach), subject(), opstap.CatFinancial, opstap.Write, "",
			access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: assignedRel}},
		{"roles/denied: the coach is nearest", provider("u-x", grantOf(opstap.RoleAdmin, opstap.Write), coach), subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Role: opstap.RoleCoach, Relation: own, NeedsReason: true, Reason: "the candidate is not assigned to you: state a reason"}},
		{"roles/denied: the auditor is nearest", caseManager(grantOf(opstap.RoleCaseManager, opstap.Write), grantOf(opstap.RoleAuditor, opstap.Write)), subject(), opstap.CatNotes, opstap.Write, "",
			access.Decision{Role: opstap.RoleAuditor, Relation: own, Reason: "this role may only read this data"}},
		{"roles/case manager and commissioner's auditor read notes", caseManager(grantOf(opstap.RoleCaseManager, opstap.Write), grantOf(opstap.RoleAuditor, opstap.Read)), subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Allowed: true, Role: opstap.RoleAuditor, Relation: own}},
		{"roles/denied: a relation is nearer than a category", &opstap.Actor{UserID: "u-y", OrgID: employerID, OrgKind: opstap.OrgClientEmployer,
			Grants: []opstap.Grant{grantOf(opstap.RoleEmployer, opstap.Write), grantOf(opstap.RoleCandidate, opstap.Write)}}, subject(), opstap.CatNotes, opstap.Read, "",
			access.Decision{Role: opstap.RoleCandidate, Relation: access.RelationNone, Reason: "candidates may only see their own data"}},
		{"roles/denied: a read-only grant is nearer than a read-only role", provider("u-x", coach, grantOf(opstap.RoleFinance, opstap.Read)), subject(), opstap.CatFinancial, opstap.Write, "",
			access.Decision{Role: opstap.RoleFinance, Relation: own, Reason: "read-only access does not allow changes"}},
		{"roles/denied alike: the first held", &opstap.Actor{UserID: "u-y", OrgID: "org-slagerij", OrgKind: opstap.OrgClientEmployer,
			Grants: []opstap.Grant{grantOf(opstap.RoleEmployer, opstap.Write), grantOf(opstap.RoleCandidate, opstap.Write)}}, subject(), opstap.CatBasic, opstap.Read, "",
			access.Decision{Role: opstap.RoleEmployer, Relation: access.RelationNone, Reason: "the candidate has no current placement at your organisation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := access.Decide(tt.actor, tt.s, tt.cat, tt.act, tt.reason)
			if got != tt.want {
				t.Errorf("Decide =\n  %+v\nwant\n  %+v", got, tt.want)
			}
		})
	}
}

func TestDecisionErr(t *testing.T) {
	if err := (access.Decision{Allowed: true}).Err(); err != nil {
		t.Errorf("allowed: Err() = %v, want nil", err)
	}
	err := access.Decision{Reason: "medical data is for medical experts only"}.Err()
	if e := opstap.AsError(err); e == nil || e.Code != opstap.EFORBIDDEN || e.Message != "medical data is for medical experts only" {
		t.Errorf("denied: Err() = %#v, want a forbidden error with the reason", err)
	}
}

// wantCan is the expected capability table, written out by hand: who holds
// each capability, as "role/grant access/organisation kind".
var wantCan = map[access.Capability][]string{
	access.ManageAccounts:      {"admin/write/provider"},
	access.ReadAuditLog:        {"privacy_officer/read/provider", "privacy_officer/write/provider", "auditor/read/provider", "auditor/write/provider"},
	access.VerifyAuditLog:      {"privacy_officer/read/provider", "privacy_officer/write/provider", "auditor/read/provider", "auditor/write/provider", "admin/read/provider", "admin/write/provider"},
	access.ManageOrganisations: {"admin/write/provider"},
	access.RegisterCandidates:  {"case_manager/write/municipality", "case_manager/write/uwv", "case_manager/write/employer_commissioner", "coach/write/provider"},
	access.ReviewGrants:        {"admin/read/provider", "admin/write/provider", "privacy_officer/read/provider", "privacy_officer/write/provider"},
	access.ManageBreaches:      {"privacy_officer/write/provider"},
	access.HandleComplaints:    {"complaints_desk/read/provider", "complaints_desk/write/provider"},
	access.ManageFinance:       {"finance/write/provider"},
	access.SetHourlyRate:       {"case_manager/write/municipality"},
	access.ManageContractTerms: {"finance/write/provider", "admin/write/provider"},
	access.ManagePremiumCaps:   {"admin/write/provider"},
	access.ReopenPeriods:       {"admin/write/provider"},
	access.ReadOwnInvoices:     {"case_manager/read/municipality", "case_manager/write/municipality", "employer/read/client_employer", "employer/write/client_employer"},
	access.ReadFigures: {"case_manager/read/municipality", "case_manager/write/municipality", "finance/read/provider", "finance/write/provider",
		"admin/read/provider", "admin/write/provider", "auditor/read/provider", "auditor/write/provider"},
	access.ReadManagementReports: {"case_manager/read/municipality", "case_manager/write/municipality", "finance/read/provider", "finance/write/provider"},
	access.ImportFigureHistory:   {"case_manager/write/municipality", "admin/write/provider"},
	access.ReadProviderFigures: {"finance/read/provider", "finance/write/provider", "admin/read/provider", "admin/write/provider",
		"auditor/read/provider", "auditor/write/provider"},
}

// TestCan checks every capability against every role, grant access and
// organisation kind.
func TestCan(t *testing.T) {
	if len(wantCan) != len(access.Capabilities) {
		t.Errorf("the expected table has %d capabilities, the package lists %d", len(wantCan), len(access.Capabilities))
	}
	for _, c := range access.Capabilities {
		holders, ok := wantCan[c]
		if !ok {
			t.Errorf("capability %s is missing from the expected table", c)
		}
		for _, r := range opstap.Roles {
			for _, g := range []opstap.Action{opstap.Read, opstap.Write} {
				for _, k := range opstap.OrgKinds {
					key := fmt.Sprintf("%s/%s/%s", r, g, k)
					a := &opstap.Actor{UserID: "u-1", OrgID: "org-1", OrgKind: k, Grants: []opstap.Grant{grantOf(r, g)}}
					if got, want := access.Can(a, c), slices.Contains(holders, key); got != want {
						t.Errorf("Can(%s, %s) = %t, want %t", key, c, got, want)
					}
				}
			}
		}
	}
}

func TestCanNamed(t *testing.T) {
	blocked := grantOf(opstap.RoleAdmin, opstap.Write)
	blocked.BlockedAt = new(blocked.GrantedAt)
	tests := []struct {
		name  string
		actor *opstap.Actor
		c     access.Capability
		want  bool
	}{
		{"nil actor", nil, access.ReadAuditLog, false},
		{"no grants", provider("u-1"), access.VerifyAuditLog, false},
		{"blocked grant", provider("u-1", blocked), access.ManageAccounts, false},
		{"unknown capability", provider("u-1", grantOf(opstap.RoleAdmin, opstap.Write)), "delete_everything", false},
		{"read and write grant of one role", provider("u-1", grantOf(opstap.RoleFinance, opstap.Read), grantOf(opstap.RoleFinance, opstap.Write)), access.ManageFinance, true},
		{"several roles", provider("u-1", grantOf(opstap.RoleCoach, opstap.Read), grantOf(opstap.RoleComplaintsDesk, opstap.Read)), access.HandleComplaints, true},
		{"several roles, none holds it", provider("u-1", grantOf(opstap.RoleCoach, opstap.Write), grantOf(opstap.RoleFinance, opstap.Write)), access.ReadAuditLog, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := access.Can(tt.actor, tt.c); got != tt.want {
				t.Errorf("Can = %t, want %t", got, tt.want)
			}
		})
	}
}

// TestDecideSharedDocument: the coach who sent a report may download it,
// also once the candidate has another coach; nobody else gains anything.
func TestDecideSharedDocument(t *testing.T) {
	coach := grantOf(opstap.RoleCoach, opstap.Write)
	restricted := subject()
	restricted.Restricted = true
	finance := provider("u-other-coach", grantOf(opstap.RoleFinance, opstap.Write))
	outside := &opstap.Actor{UserID: "u-other-coach", OrgID: commissionerID, OrgKind: opstap.OrgMunicipality, Grants: []opstap.Grant{coach}}
	for _, tc := range []struct {
		name     string
		a        *opstap.Actor
		s        access.Subject
		sharedBy string
		allowed  bool
		rel      access.Relation
	}{
		{"assigned coach, shared by another", provider(coachID, coach), subject(), "u-someone", true, access.RelationAssignedCoach},
		{"former coach who shared it", provider("u-other-coach", coach), subject(), "u-other-coach", true, access.RelationSharer},
		{"other coach who did not share it", provider("u-other-coach", coach), subject(), "u-someone", false, access.RelationOwnOrganisation},
		{"sharer under restriction", provider("u-other-coach", coach), restricted, "u-other-coach", false, access.RelationOwnOrganisation},
		{"sharer without the coach role", finance, subject(), "u-other-coach", false, access.RelationOwnOrganisation},
		{"sharer's account outside the provider", outside, subject(), "u-other-coach", false, access.RelationNone},
		{"nobody shared", provider("", coach), subject(), "", false, access.RelationOwnOrganisation},
		{"no actor", nil, subject(), "u-other-coach", false, access.RelationNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := access.DecideSharedDocument(tc.a, tc.s, tc.sharedBy)
			if d.Allowed != tc.allowed || d.Relation != tc.rel {
				t.Fatalf("got allowed=%v relation=%s (%s), want %v %s", d.Allowed, d.Relation, d.Reason, tc.allowed, tc.rel)
			}
			if d.Allowed && d.View != access.ViewAll {
				t.Fatalf("view %v", d.View)
			}
		})
	}
}
