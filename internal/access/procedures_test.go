package access_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// Actors of the procedure tables.
var (
	coach     = mkActor(coachID, "org-provider", opstap.OrgProvider, opstap.RoleCoach, opstap.Write)
	otherCo   = mkActor("u-other-coach", "org-provider", opstap.OrgProvider, opstap.RoleCoach, opstap.Write)
	candidate = mkActor(candidateUser, "", "", opstap.RoleCandidate, opstap.Write)
	stranger  = mkActor("u-someone", "", "", opstap.RoleCandidate, opstap.Write)
	privacyR  = mkActor("u-po", "org-provider", opstap.OrgProvider, opstap.RolePrivacyOfficer, opstap.Read)
	privacyW  = mkActor("u-po", "org-provider", opstap.OrgProvider, opstap.RolePrivacyOfficer, opstap.Write)
	desk      = mkActor("u-desk", "org-provider", opstap.OrgProvider, opstap.RoleComplaintsDesk, opstap.Write)
	caseMgr   = mkActor("u-km", commissionerID, opstap.OrgMunicipality, opstap.RoleCaseManager, opstap.Write)
	employer  = mkActor("u-emp", employerID, opstap.OrgClientEmployer, opstap.RoleEmployer, opstap.Write)
	medical   = mkActor("u-arts", "org-provider", opstap.OrgProvider, opstap.RoleMedicalExpert, opstap.Write)
	system    = &opstap.Actor{System: true}
)

func mkActor(user, org string, kind opstap.OrgKind, r opstap.Role, act opstap.Action) *opstap.Actor {
	return &opstap.Actor{UserID: user, OrgID: org, OrgKind: kind, Grants: []opstap.Grant{{Role: r, Access: act}}}
}

func restricted() access.Subject {
	s := subject()
	s.Restricted = true
	return s
}

// Complaints [000 art 12; 004]: the desk reads and handles, the privacy
// officer reads, the candidate reads and files their own; nobody else.
// Under restriction [AVG art 18(2)] the candidate's own complaint goes on.
func TestDecideComplaint(t *testing.T) {
	for _, c := range []struct {
		name   string
		a      *opstap.Actor
		s      access.Subject
		act    opstap.Action
		filing bool
		want   bool
		reason string
	}{
		{"desk reads", desk, subject(), opstap.Read, false, true, ""},
		{"desk handles", desk, subject(), opstap.Write, false, true, ""},
		{"privacy officer reads", privacyR, subject(), opstap.Read, false, true, ""},
		{"privacy officer does not handle", privacyW, subject(), opstap.Write, false, false, access.ReasonComplaintWrite},
		{"candidate reads own", candidate, subject(), opstap.Read, false, true, ""},
		{"candidate files own", candidate, subject(), opstap.Write, true, true, ""},
		{"candidate does not handle", candidate, subject(), opstap.Write, false, false, access.ReasonComplaintWrite},
		{"another candidate", stranger, subject(), opstap.Read, false, false, access.ReasonComplaintRead},
		{"assigned coach does not read", coach, subject(), opstap.Read, false, false, access.ReasonComplaintRead},
		{"case manager does not read", caseMgr, subject(), opstap.Read, false, false, access.ReasonComplaintRead},
		{"system", system, subject(), opstap.Write, false, true, ""},
		{"nobody", nil, subject(), opstap.Read, false, false, access.ReasonNoActor},
		{"restricted: candidate still files", candidate, restricted(), opstap.Write, true, true, ""},
		{"restricted: desk still handles", desk, restricted(), opstap.Write, false, true, ""},
		{"restricted: privacy officer still reads", privacyR, restricted(), opstap.Read, false, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := access.DecideComplaint(c.a, c.s, c.act, c.filing)
			if d.Allowed != c.want || (!c.want && d.Reason != c.reason) {
				t.Errorf("got allowed=%v reason=%q, want %v %q", d.Allowed, d.Reason, c.want, c.reason)
			}
		})
	}
}

// Rights requests [001; 002 art 7]: the privacy officer sees and handles,
// the candidate files, follows and withdraws their own, the assigned coach
// files on their behalf.
func TestDecideRights(t *testing.T) {
	for _, c := range []struct {
		name   string
		a      *opstap.Actor
		s      access.Subject
		act    access.RightsAct
		want   bool
		reason string
	}{
		{"privacy officer reads", privacyR, subject(), access.RightsRead, true, ""},
		{"privacy officer handles", privacyW, subject(), access.RightsHandle, true, ""},
		{"read-only privacy officer does not handle", privacyR, subject(), access.RightsHandle, false, access.ReasonRightsHandle},
		{"candidate reads own", candidate, subject(), access.RightsRead, true, ""},
		{"candidate files", candidate, subject(), access.RightsFile, true, ""},
		{"candidate withdraws", candidate, subject(), access.RightsWithdraw, true, ""},
		{"candidate does not handle", candidate, subject(), access.RightsHandle, false, access.ReasonRightsHandle},
		{"another candidate", stranger, subject(), access.RightsRead, false, access.ReasonRightsRead},
		{"assigned coach files", coach, subject(), access.RightsFile, true, ""},
		{"assigned coach does not read", coach, subject(), access.RightsRead, false, access.ReasonRightsRead},
		{"other coach does not file", otherCo, subject(), access.RightsFile, false, access.ReasonRightsFile},
		{"case manager does not file", caseMgr, subject(), access.RightsFile, false, access.ReasonRightsFile},
		{"medical expert does not read", medical, subject(), access.RightsRead, false, access.ReasonRightsRead},
		{"restricted: candidate still files", candidate, restricted(), access.RightsFile, true, ""},
		{"restricted: coach still files", coach, restricted(), access.RightsFile, true, ""},
		{"restricted: privacy officer still handles", privacyW, restricted(), access.RightsHandle, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := access.DecideRights(c.a, c.s, c.act)
			if d.Allowed != c.want || (!c.want && d.Reason != c.reason) {
				t.Errorf("got allowed=%v reason=%q, want %v %q", d.Allowed, d.Reason, c.want, c.reason)
			}
		})
	}
}

// The export of an access request is for the candidate alone [AVG art
// 15(3)]: the privacy officer who may read the request still may not
// download it.
func TestDecideAccessExport(t *testing.T) {
	self := access.Decision{Allowed: true, Role: opstap.RoleCandidate, Relation: access.RelationSelf}
	officer := access.Decision{Allowed: true, Role: opstap.RolePrivacyOfficer, Relation: access.RelationOwnOrganisation}
	for _, c := range []struct {
		name string
		a    *opstap.Actor
		d    access.Decision
		want bool
	}{
		{"candidate", candidate, self, true},
		{"privacy officer", privacyW, officer, false},
		{"refused read stays refused", candidate, access.Decision{Relation: access.RelationSelf}, false},
		{"system", system, access.Decision{}, true},
		{"nobody", nil, self, false},
	} {
		if got := access.DecideAccessExport(c.a, c.d); got.Allowed != c.want || (!c.want && got.Reason != access.ReasonExportCandidate) {
			t.Errorf("%s: got %+v, want allowed=%v", c.name, got, c.want)
		}
	}
}

// The candidate's own absence report and ending [000 art 7, 8]: the
// candidate themself only, never while restricted, never the system.
func TestDecideSelfService(t *testing.T) {
	readOnly := mkActor(candidateUser, "", "", opstap.RoleCandidate, opstap.Read)
	for _, c := range []struct {
		name   string
		a      *opstap.Actor
		s      access.Subject
		want   bool
		reason string
	}{
		{"candidate", candidate, subject(), true, ""},
		{"candidate without write grant", readOnly, subject(), false, access.ReasonNotSelf},
		{"another candidate", stranger, subject(), false, access.ReasonNotSelf},
		{"assigned coach", coach, subject(), false, access.ReasonNotSelf},
		{"system", system, subject(), false, access.ReasonNotSelf},
		{"nobody", nil, subject(), false, access.ReasonNotSelf},
		{"restricted", candidate, restricted(), false, access.ReasonRestricted},
	} {
		if d := access.DecideSelfService(c.a, c.s); d.Allowed != c.want || d.Reason != c.reason {
			t.Errorf("%s: got allowed=%v reason=%q, want %v %q", c.name, d.Allowed, d.Reason, c.want, c.reason)
		}
	}
}

// Flags [003 art 5 lid 5; issue 5 point 4]: matchable only by the case
// manager, the visibility approval only by the assigned coach.
func TestDecideFlag(t *testing.T) {
	cm := access.Decision{Allowed: true, Role: opstap.RoleCaseManager, Relation: access.RelationOwnOrganisation}
	ac := access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: access.RelationAssignedCoach}
	gl := access.Decision{Allowed: true, Role: opstap.RoleCoach, Relation: access.RelationNone, BreakGlass: true}
	for _, c := range []struct {
		flag access.Flag
		d    access.Decision
		want bool
	}{
		{access.FlagMatchable, cm, true},
		{access.FlagMatchable, ac, false},
		{access.FlagCoachApproval, ac, true},
		{access.FlagCoachApproval, cm, false},
		{access.FlagCoachApproval, gl, false},
		{access.FlagMatchable, access.Decision{Role: opstap.RoleCaseManager}, false}, // refused write stays refused
		{access.FlagConsent, ac, false},
	} {
		if got := access.DecideFlag(c.flag, c.d); got.Allowed != c.want {
			t.Errorf("%s by %s/%s: allowed=%v, want %v", c.flag, c.d.Role, c.d.Relation, got.Allowed, c.want)
		}
	}
}

// CVs for an employer [004 "Toestemming kandidaat"]: a client employer with
// a live placement of the candidate, while the consent stands.
func TestDecideEmployerCV(t *testing.T) {
	both := access.CVFacts{PlacedWithActor: true, ConsentGiven: true}
	for _, c := range []struct {
		name   string
		a      *opstap.Actor
		f      access.CVFacts
		reason string // "" = allowed
	}{
		{"placed, consent", employer, both, ""},
		{"placed, no consent", employer, access.CVFacts{PlacedWithActor: true}, access.ReasonCVNotShared},
		{"not placed", employer, access.CVFacts{ConsentGiven: true}, access.ReasonCVNotPlaced},
		{"coach", coach, both, access.ReasonNotEmployer},
		{"case manager", caseMgr, both, access.ReasonNotEmployer},
		{"employer role at a provider", mkActor("u-x", "org-provider", opstap.OrgProvider, opstap.RoleEmployer, opstap.Read), both, access.ReasonNotEmployer},
		{"nobody", nil, both, access.ReasonNotEmployer},
	} {
		d := access.DecideEmployerCV(c.a, c.f)
		if d.Allowed != (c.reason == "") || d.Reason != c.reason {
			t.Errorf("%s: got allowed=%v reason=%q, want reason %q", c.name, d.Allowed, d.Reason, c.reason)
		}
	}
}

// The proposal card for an employer [004 "Toestemming kandidaat"; 003 art
// 7.7 lid 2]: the employer of the placement, through the placement view of
// the category, while the candidate shows the profile to employers; nobody
// else through this rule, and never the whole category.
func TestDecideEmployerProfile(t *testing.T) {
	other := subject()
	other.EmployerOrgIDs = nil
	restricted := subject()
	restricted.Restricted = true
	for _, c := range []struct {
		name    string
		a       *opstap.Actor
		s       access.Subject
		cat     opstap.Category
		visible bool
		reason  string // "" = allowed
	}{
		{"employer, experience, shown", employer, subject(), opstap.CatEducation, true, ""},
		{"employer, availability, shown", employer, subject(), opstap.CatPreferences, true, ""},
		{"employer, not shown", employer, subject(), opstap.CatEducation, false, access.ReasonProfileNotShown},
		{"employer of another placement", employer, other, opstap.CatPreferences, true, "the candidate has no current placement at your organisation"},
		{"employer, restricted", employer, restricted, opstap.CatPreferences, true, "processing of this candidate's data is restricted"},
		{"employer, medical", employer, subject(), opstap.CatMedical, true, "medical data is for medical experts only"},
		{"case manager reads the whole category, no consent needed", caseMgr, subject(), opstap.CatEducation, false, ""},
		{"coach reads the whole category, no consent needed", coach, subject(), opstap.CatPreferences, false, ""},
		{"case manager, shared reports only", caseMgr, subject(), opstap.CatReports, true, access.ReasonLimitedView},
	} {
		d := access.DecideEmployerProfile(access.Decide(c.a, c.s, c.cat, opstap.Read, ""), c.visible)
		if d.Allowed != (c.reason == "") || d.Reason != c.reason {
			t.Errorf("%s: got allowed=%v reason=%q, want reason %q", c.name, d.Allowed, d.Reason, c.reason)
		}
	}
}

// TestSharingSide_000art5: the provider informs the commissioner
// (Opdrachtgever: a municipality, UWV or an employer commissioning a
// trajectory) of plans and progress [000 art 5]: the commissioner's case
// manager receives, the provider's coach sends; nobody else has a side.
func TestSharingSide_000art5(t *testing.T) {
	tests := []struct {
		name string
		a    *opstap.Actor
		want access.SharingSide
	}{
		{"a municipality's case manager", caseMgr, access.SharingReceiver},
		{"UWV's case manager, read only", mkActor("u-uwv", "org-uwv", opstap.OrgUWV, opstap.RoleCaseManager, opstap.Read), access.SharingReceiver},
		{"a commissioning employer's case manager", mkActor("u-ec", "org-ec", opstap.OrgEmployerClient, opstap.RoleCaseManager, opstap.Write), access.SharingReceiver},
		{"the provider's coach", coach, access.SharingSender},
		{"a case manager at the provider", mkActor("u-pkm", "org-provider", opstap.OrgProvider, opstap.RoleCaseManager, opstap.Write), access.SharingNone},
		{"a coach at a municipality", mkActor("u-mc", commissionerID, opstap.OrgMunicipality, opstap.RoleCoach, opstap.Write), access.SharingNone},
		{"a client employer", employer, access.SharingNone},
		{"the privacy officer", privacyW, access.SharingNone},
		{"the candidate", candidate, access.SharingNone},
		{"nobody", nil, access.SharingNone},
	}
	for _, tt := range tests {
		if got := access.SharingSideOf(tt.a); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A coach follows the deadline of a request they filed for their candidate,
// and nobody else through this rule [002 art 7; issue 12 item 11].
func TestDecideRightsFollow(t *testing.T) {
	restricted := subject()
	restricted.Restricted = true
	for _, c := range []struct {
		name    string
		a       *opstap.Actor
		s       access.Subject
		filedBy string
		allowed bool
	}{
		{"the coach who filed it", coach, subject(), coachID, true},
		{"the coach, filed by the candidate", coach, subject(), candidateUser, false},
		{"another coach who filed it, no longer the coach", otherCo, subject(), "u-other-coach", false},
		{"the case manager", caseMgr, subject(), "u-km", false},
		{"nobody", nil, subject(), coachID, false},
		// Restriction leaves the coach the rights procedure they filed
		// (restriction.go): the request may be the restriction itself.
		{"the coach, processing restricted", coach, restricted, coachID, true},
	} {
		if d := access.DecideRightsFollow(c.a, c.s, c.filedBy); d.Allowed != c.allowed {
			t.Errorf("%s: allowed=%v (%s), want %v", c.name, d.Allowed, d.Reason, c.allowed)
		}
	}
}
