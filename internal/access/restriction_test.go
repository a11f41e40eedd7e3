package access_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// TestRestrictionAllowsMatrix checks every role × procedure × action of
// what a restriction of processing still allows against a hand-written
// table [AVG art 18(2)]; docs/security.md lists the same.
func TestRestrictionAllowsMatrix(t *testing.T) {
	const r, w = "r", "rw"
	want := map[opstap.Role]map[access.Procedure]string{
		opstap.RoleCandidate:      {access.ProcComplaint: w, access.ProcRights: w},
		opstap.RoleCoach:          {access.ProcRights: w},
		opstap.RoleComplaintsDesk: {access.ProcComplaint: w},
		opstap.RolePrivacyOfficer: {access.ProcComplaint: r, access.ProcRights: w, access.ProcLegalClaims: w},
	}
	roles := []opstap.Role{opstap.RoleCandidate, opstap.RoleCoach, opstap.RoleMedicalExpert, opstap.RoleFinance, opstap.RolePrivacyOfficer,
		opstap.RoleComplaintsDesk, opstap.RoleAdmin, opstap.RoleAuditor, opstap.RoleCaseManager, opstap.RoleEmployer}
	for _, role := range roles {
		for _, p := range []access.Procedure{access.ProcComplaint, access.ProcRights, access.ProcLegalClaims} {
			got := ""
			if access.RestrictionAllows(role, p, opstap.Read) {
				got = r
			}
			if access.RestrictionAllows(role, p, opstap.Write) {
				got = w
				if !access.RestrictionAllows(role, p, opstap.Read) {
					t.Errorf("%s/%s: write without read", role, p)
				}
			}
			if got != want[role][p] {
				t.Errorf("%s/%s: %q, want %q", role, p, got, want[role][p])
			}
		}
	}
}

// TestDecideIdentify: under a restriction the complaints desk still
// identifies the candidate of a complaint, not for anything else; without
// one, DecideIdentify is Decide.
func TestDecideIdentify(t *testing.T) {
	restricted := subject()
	restricted.Restricted = true
	desk := provider("u-desk", grantOf(opstap.RoleComplaintsDesk, opstap.Write))
	coach := provider("u-other-coach", grantOf(opstap.RoleCoach, opstap.Write))
	tests := []struct {
		name  string
		a     *opstap.Actor
		s     access.Subject
		p     access.Procedure
		allow bool
	}{
		{"desk, restricted, complaint", desk, restricted, access.ProcComplaint, true},
		{"desk, restricted, rights", desk, restricted, access.ProcRights, false},
		{"desk, not restricted", desk, subject(), access.ProcRights, true},
		{"assigned coach, restricted, complaint", provider(coachID, grantOf(opstap.RoleCoach, opstap.Write)), restricted, access.ProcComplaint, false},
		{"other coach, restricted, rights", coach, restricted, access.ProcRights, false}, // basic needs a reason, restricted or not
	}
	for _, tt := range tests {
		d := access.DecideIdentify(tt.a, tt.s, tt.p)
		if d.Allowed != tt.allow {
			t.Errorf("%s: %+v", tt.name, d)
		}
		if !d.Allowed && tt.s.Restricted && d.Reason == "" {
			t.Errorf("%s: denied without reason", tt.name)
		}
	}
}
