package access_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/flex"
)

// The flex platform's parties (DOMAIN.md §5, seed 003): the municipality
// Almere (CBS 0034) acquired a bakery; the provider brought a national
// chain linked to Almere and Amsterdam (0363) [003 art 5 lid 6].
const (
	almere    = "0034"
	amsterdam = "0363"
)

var (
	flexAdmin   = mkActor("u-admin", "org-provider", opstap.OrgProvider, opstap.RoleAdmin, opstap.Write)
	coachRead   = mkActor("u-coach-ro", "org-provider", opstap.OrgProvider, opstap.RoleCoach, opstap.Read)
	otherKM     = mkActor("u-km-ams", "org-amsterdam", opstap.OrgMunicipality, opstap.RoleCaseManager, opstap.Write)
	caseMgrRead = mkActor("u-km-ro", commissionerID, opstap.OrgMunicipality, opstap.RoleCaseManager, opstap.Read)
	chainUser   = mkActor("u-chain", "org-keten", opstap.OrgClientEmployer, opstap.RoleEmployer, opstap.Write)
	otherEmp    = mkActor("u-garage", "org-garage", opstap.OrgClientEmployer, opstap.RoleEmployer, opstap.Write)

	bakery     = &flex.Employer{ID: employerID, Name: "Bakkerij", Municipality: almere, Municipalities: []string{}}
	chain      = &flex.Employer{ID: "org-keten", Name: "Keten", National: true, Municipalities: []string{almere, amsterdam}}
	bakeryJob  = &flex.Assignment{ID: "as-bakery", EmployerID: bakery.ID, Municipality: almere}
	chainJob   = &flex.Assignment{ID: "as-chain", EmployerID: chain.ID, Municipality: almere}
	everyActor = []flexActor{
		{"provider coach", coach, ""},
		{"provider administrator", flexAdmin, ""},
		{"provider coach, read only", coachRead, ""},
		{"system", system, ""},
		{"case manager of Almere", caseMgr, almere},
		{"case manager of Amsterdam", otherKM, amsterdam},
		{"case manager of Almere, read only", caseMgrRead, almere},
		{"the bakery's user", employer, ""},
		{"the chain's user", chainUser, ""},
		{"another employer's user", otherEmp, ""},
		{"nobody", nil, ""},
	}
)

// flexActor is an actor with the CBS code the store finds for its
// organisation (a municipality's; "" for the others).
type flexActor struct {
	name string
	a    *opstap.Actor
	cbs  string
}

// flexActorNamed returns the table's actor of that name.
func flexActorNamed(name string) flexActor {
	for _, f := range everyActor {
		if f.name == name {
			return f
		}
	}
	panic("no actor " + name)
}

func (f flexActor) role() access.FlexRole { return access.FlexRoleOf(f.a, f.cbs) }

// pair is what a rule answers for the bakery (local) and the chain
// (national account).
type pair struct{ local, national bool }

// checkEvery runs rule for every actor of the table against want, which
// must name each of them.
func checkEvery(t *testing.T, want map[string]pair, rule func(r access.FlexRole, local bool) bool) {
	t.Helper()
	for _, f := range everyActor {
		w, ok := want[f.name]
		if !ok {
			t.Fatalf("no expectation for %s", f.name)
		}
		got := pair{rule(f.role(), true), rule(f.role(), false)}
		if got != w {
			t.Errorf("%s: got local=%v national=%v, want %v %v", f.name, got.local, got.national, w.local, w.national)
		}
	}
}

// Who takes part as what: the provider's staff with write access (and the
// system), a case manager with write access for the municipality of their
// organisation, an employer's user for its organisation [003 art 5 lid 6,
// 7]. A CBS code counts only for a case manager.
func TestFlexRoleOf_003art5lid6(t *testing.T) {
	for _, c := range []struct {
		f            flexActor
		provider     bool
		municipality string
		employer     string
		staff        bool
	}{
		{flexActorNamed("provider coach"), true, "", "", true},
		{flexActorNamed("provider administrator"), true, "", "", true},
		{flexActorNamed("provider coach, read only"), false, "", "", false},
		{flexActorNamed("system"), true, "", "", true},
		{flexActorNamed("case manager of Almere"), false, almere, "", true},
		{flexActorNamed("case manager of Amsterdam"), false, amsterdam, "", true},
		{flexActorNamed("case manager of Almere, read only"), false, "", "", false},
		{flexActorNamed("the bakery's user"), false, "", employerID, false},
		{flexActorNamed("the chain's user"), false, "", "org-keten", false},
		{flexActorNamed("another employer's user"), false, "", "org-garage", false},
		{flexActorNamed("nobody"), false, "", "", false},
		{flexActor{"a coach's organisation has no CBS code that counts", coach, almere}, true, "", "", true},
		{flexActor{"a municipality without a CBS code", caseMgr, ""}, false, "", "", false},
		{flexActor{"an employer with a CBS code", employer, almere}, false, "", employerID, false},
	} {
		r := c.f.role()
		if r.Provider() != c.provider || r.Municipality() != c.municipality || r.Employer() != c.employer || r.Staff() != c.staff {
			t.Errorf("%s: got provider=%v municipality=%q employer=%q staff=%v, want %v %q %q %v", c.f.name,
				r.Provider(), r.Municipality(), r.Employer(), r.Staff(), c.provider, c.municipality, c.employer, c.staff)
		}
		if r.CaseManagerOf(almere) != (c.municipality == almere) || r.CaseManagerOf("") || r.UserOf(employerID) != (c.employer == employerID) || r.UserOf("") {
			t.Errorf("%s: CaseManagerOf/UserOf disagree with the role", c.f.name)
		}
	}
}

// The provider's staff manage any employer; a case manager those their
// municipality acquired, not a national account the provider brought
// [003 art 5 lid 6].
func TestMayManageEmployer_003art5lid6(t *testing.T) {
	checkEvery(t, map[string]pair{
		"provider coach":                    {true, true},
		"provider administrator":            {true, true},
		"provider coach, read only":         {false, false},
		"system":                            {true, true},
		"case manager of Almere":            {true, false},
		"case manager of Amsterdam":         {false, false},
		"case manager of Almere, read only": {false, false},
		"the bakery's user":                 {false, false},
		"the chain's user":                  {false, false},
		"another employer's user":           {false, false},
		"nobody":                            {false, false},
	}, func(r access.FlexRole, local bool) bool {
		if local {
			return r.MayManageEmployer(bakery)
		}
		return r.MayManageEmployer(chain)
	})
}

// A case manager sees the employers serving their municipality, a national
// account linked to it included [003 art 5 lid 6]; an employer's user its
// own.
func TestMaySeeEmployer_003art5lid6(t *testing.T) {
	checkEvery(t, map[string]pair{
		"provider coach":                    {true, true},
		"provider administrator":            {true, true},
		"provider coach, read only":         {false, false},
		"system":                            {true, true},
		"case manager of Almere":            {true, true},
		"case manager of Amsterdam":         {false, true},
		"case manager of Almere, read only": {false, false},
		"the bakery's user":                 {true, false},
		"the chain's user":                  {false, true},
		"another employer's user":           {false, false},
		"nobody":                            {false, false},
	}, func(r access.FlexRole, local bool) bool {
		if local {
			return r.MaySeeEmployer(bakery)
		}
		return r.MaySeeEmployer(chain)
	})
}

// An assignment is seen by the provider's staff, the case managers of its
// municipality (Almere's, also on the chain) and the employer's own users.
func TestMaySeeAssignment(t *testing.T) {
	checkEvery(t, map[string]pair{
		"provider coach":                    {true, true},
		"provider administrator":            {true, true},
		"provider coach, read only":         {false, false},
		"system":                            {true, true},
		"case manager of Almere":            {true, true},
		"case manager of Amsterdam":         {false, false},
		"case manager of Almere, read only": {false, false},
		"the bakery's user":                 {true, false},
		"the chain's user":                  {false, true},
		"another employer's user":           {false, false},
		"nobody":                            {false, false},
	}, func(r access.FlexRole, local bool) bool {
		if local {
			return r.MaySeeAssignment(bakeryJob)
		}
		return r.MaySeeAssignment(chainJob)
	})
}

// The municipality acquires and manages its assignments; the provider's
// staff manage a national account's [003 art 5 lid 6], never a local
// employer's.
func TestMayManageAssignment_003art5lid6(t *testing.T) {
	checkEvery(t, map[string]pair{
		"provider coach":                    {false, true},
		"provider administrator":            {false, true},
		"provider coach, read only":         {false, false},
		"system":                            {false, true},
		"case manager of Almere":            {true, true},
		"case manager of Amsterdam":         {false, false},
		"case manager of Almere, read only": {false, false},
		"the bakery's user":                 {false, false},
		"the chain's user":                  {false, false},
		"another employer's user":           {false, false},
		"nobody":                            {false, false},
	}, func(r access.FlexRole, local bool) bool {
		if local {
			return r.MayManageAssignment(bakeryJob, bakery)
		}
		return r.MayManageAssignment(chainJob, chain)
	})
}

// Only the municipality checks that an assignment displaces no regular job
// (DOMAIN.md §5), also on a national account; and only it sets the hourly
// rate the provider invoices [003 art 5 lid 8].
func TestMayCheckAndSetRate_003art5lid8(t *testing.T) {
	want := map[string]pair{
		"provider coach":                    {false, false},
		"provider administrator":            {false, false},
		"provider coach, read only":         {false, false},
		"system":                            {false, false},
		"case manager of Almere":            {true, true},
		"case manager of Amsterdam":         {false, false},
		"case manager of Almere, read only": {false, false},
		"the bakery's user":                 {false, false},
		"the chain's user":                  {false, false},
		"another employer's user":           {false, false},
		"nobody":                            {false, false},
	}
	job := func(local bool) *flex.Assignment {
		if local {
			return bakeryJob
		}
		return chainJob
	}
	t.Run("check", func(t *testing.T) {
		checkEvery(t, want, func(r access.FlexRole, local bool) bool { return r.MayCheck(job(local)) })
	})
	t.Run("rate", func(t *testing.T) {
		checkEvery(t, want, func(r access.FlexRole, local bool) bool { return r.MaySetRate(job(local)) })
	})
}

// A page offers the forms the store accepts: the terms and status to who
// manages the assignment, a new one to the staff for their own
// municipality (the page sets it), the check and the rate to the
// municipality's case manager [003 art 5 lid 6, 8].
func TestAssignmentActs_003art5lid6_8(t *testing.T) {
	all, manage, none := access.AssignmentActs{Manage: true, Check: true, SetRate: true}, access.AssignmentActs{Manage: true}, access.AssignmentActs{}
	want := map[string][3]access.AssignmentActs{ // new, the bakery's, the chain's
		"provider coach":                    {manage, none, manage},
		"provider administrator":            {manage, none, manage},
		"provider coach, read only":         {none, none, none},
		"system":                            {manage, none, manage},
		"case manager of Almere":            {all, all, all},
		"case manager of Amsterdam":         {all, none, none},
		"case manager of Almere, read only": {none, none, none},
		"the bakery's user":                 {none, none, none},
		"the chain's user":                  {none, none, none},
		"another employer's user":           {none, none, none},
		"nobody":                            {none, none, none},
	}
	for _, f := range everyActor {
		r := f.role()
		fresh := &flex.Assignment{Municipality: r.Municipality()}
		got := [3]access.AssignmentActs{r.AssignmentActs(fresh, nil), r.AssignmentActs(bakeryJob, bakery), r.AssignmentActs(chainJob, chain)}
		if w, ok := want[f.name]; !ok || got != w {
			t.Errorf("%s: got %+v, want %+v", f.name, got, w)
		}
	}
}
