package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// flexFixture adds the reference data sample, a bakery in Almere with a
// location and a draft assignment to the common fixture.
type flexFixture struct {
	*fixture
	employer   *flex.Employer
	assignment *flex.Assignment
}

func newFlexFixture(t testing.TB, db *store.DB) *flexFixture {
	t.Helper()
	ctx := context.Background()
	f := &flexFixture{fixture: newFixture(t, db)}
	importSample(t, db)
	e, err := db.CreateEmployer(ctx, f.manager, flex.Employer{Name: "Bakkerij De Korenschoof",
		Locations: []flex.Location{{Name: "Winkel", Address: "Stationsstraat 1", Postcode4: "1315"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.employer = e
	f.assignment, err = db.CreateAssignment(ctx, f.manager, flexAssignment(e))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func importSample(t testing.TB, db *store.DB) {
	t.Helper()
	ctx, sys := context.Background(), &opstap.Actor{System: true}
	pc, _ := refdata.Sample.Open(refdata.SamplePostcodes)
	defer pc.Close()
	if _, err := db.ImportPostcodes(ctx, sys, "sample", pc); err != nil {
		t.Fatal(err)
	}
	oc, _ := refdata.Sample.Open(refdata.SampleOccupations)
	defer oc.Close()
	if _, err := db.ImportOccupations(ctx, sys, "sample", oc); err != nil {
		t.Fatal(err)
	}
}

func flexAssignment(e *flex.Employer) flex.Assignment {
	start, _ := opstap.ParseDate("2030-03-03")
	return flex.Assignment{EmployerID: e.ID, LocationID: e.Locations[0].ID, Title: "Bakery help", Occupation: "8160.2",
		RequiredSkills: []string{"7512.1"}, HoursPerWeek: 24, Days: []string{"mon", "tue", "wed"}, StartTime: "06:00", EndTime: "14:00",
		Start: start, PlannedEnd: start.AddMonths(3)}
}

func fieldOrCode(err error) string {
	if err == nil {
		return ""
	}
	if e := opstap.AsError(err); e != nil {
		if e.Field != "" {
			return e.Field
		}
		return e.Code
	}
	return err.Error()
}

func TestFlexAssignmentBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		if f.assignment.HourlyRateCents != flex.DefaultHourlyRateCents || f.assignment.Postcode4 != "1315" || f.assignment.ISCO != "8160" {
			t.Fatalf("defaults [003 art 5 lid 8]: %+v", f.assignment)
		}
		tests := []struct {
			name  string
			actor *opstap.Actor
			edit  func(*flex.Assignment)
			want  string
		}{
			{"end before start", f.manager, func(a *flex.Assignment) { a.PlannedEnd = a.Start.AddDays(-1) }, "planned_end"},
			{"0 hours", f.manager, func(a *flex.Assignment) { a.HoursPerWeek = 0 }, "hours_per_week"},
			{"61 hours", f.manager, func(a *flex.Assignment) { a.HoursPerWeek = 61 }, "hours_per_week"},
			{"unknown postcode", f.manager, func(a *flex.Assignment) { a.Postcode4 = "9999" }, "postcode4"},
			{"unknown occupation", f.manager, func(a *flex.Assignment) { a.Occupation = "0000.0" }, "occupation"},
			{"unknown required skill", f.manager, func(a *flex.Assignment) { a.RequiredSkills = []string{"x.1"} }, "required_skills"},
			{"unknown wished skill", f.manager, func(a *flex.Assignment) { a.WishedSkills = []string{"x.1"} }, "wished_skills"},
			{"employer of another municipality [003 art 5 lid 6]", f.other, func(*flex.Assignment) {}, "municipality"},
			{"coach is no acquirer of local employers", f.coach, func(*flex.Assignment) {}, opstap.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := flexAssignment(f.employer)
				tt.edit(&in)
				_, err := db.CreateAssignment(context.Background(), tt.actor, in)
				if got := fieldOrCode(err); got != tt.want {
					t.Fatalf("got %q (%v), want %q", got, err, tt.want)
				}
			})
		}
	})
}

func TestFlexEmployerLocationPostcode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		_, err := db.AddLocation(ctx, f.manager, f.employer.ID, flex.Location{Name: "Depot", Address: "Weg 2", Postcode4: "9999"})
		if fieldOrCode(err) != "location.postcode4" {
			t.Fatalf("unknown postcode: %v", err)
		}
		if _, err := db.AddLocation(ctx, f.other, f.employer.ID, flex.Location{Name: "Depot", Address: "Weg 2", Postcode4: "1316"}); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("other municipality: %v", err)
		}
		// A national account is the provider's [003 art 5 lid 6].
		if _, err := db.CreateEmployer(ctx, f.manager, flex.Employer{Name: "Keten", National: true, Municipalities: []string{"0034"}}); fieldOrCode(err) != "national" {
			t.Fatalf("case manager national account: %v", err)
		}
		n, err := db.CreateEmployer(ctx, f.coach, flex.Employer{Name: "Keten", National: true, Municipalities: []string{"0034", "0995"}})
		if err != nil || !n.Serves("0995") {
			t.Fatalf("national account: %v", err)
		}
		for _, a := range []*opstap.Actor{f.manager, f.other} {
			es, err := db.FindEmployers(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, e := range es {
				names[e.Name] = true
			}
			if !names["Keten"] || names["Bakkerij De Korenschoof"] != (a == f.manager) {
				t.Fatalf("employers seen by %s: %v", a.Email, names)
			}
		}
	})
}

func TestFlexDisplacementCheckBeforeOpening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx, id := context.Background(), f.assignment.ID
		// DOMAIN.md §5: no opening or filling without a positive check.
		for _, s := range []flex.Status{flex.StatusOpen, flex.StatusFilled} {
			if _, err := db.SetAssignmentStatus(ctx, f.manager, id, s); fieldOrCode(err) != opstap.ECONFLICT {
				t.Fatalf("%s without check: %v", s, err)
			}
		}
		check := flex.DisplacementCheck{CheckedOn: opstap.DateOf(db.Now()), Positive: true, Motivation: "Extra hands next to the bakers, no vacancy is filled."}
		if _, err := db.RecordDisplacementCheck(ctx, f.other, id, check); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("another municipality's check: %v", err)
		}
		if _, err := db.RecordDisplacementCheck(ctx, f.coach, id, check); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the provider's check: %v", err)
		}
		a, err := db.RecordDisplacementCheck(ctx, f.manager, id, check)
		if err != nil || a.Check == nil || a.Check.CheckedBy != f.manager.UserID {
			t.Fatalf("check: %v %+v", err, a)
		}
		if a, err = db.SetAssignmentStatus(ctx, f.manager, id, flex.StatusOpen); err != nil || a.Status != flex.StatusOpen {
			t.Fatalf("open: %v", err)
		}
		// A later negative check closes it.
		check.Positive = false
		if a, err = db.RecordDisplacementCheck(ctx, f.manager, id, check); err != nil || a.Status != flex.StatusClosed {
			t.Fatalf("negative check: %v %+v", err, a)
		}
	})
}

// flexCandidate registers a candidate with a flex profile, matchable,
// visible, and returns it.
func (f *flexFixture) flexCandidate(t testing.TB, ref, first string, hours int) *candidate.Candidate {
	t.Helper()
	ctx := context.Background()
	c := f.register(t, ref, first, "Test")
	_, err := f.db.SaveFlexProfile(ctx, f.coach, c.ID, flex.Profile{HoursPerWeek: hours, Days: []string{"mon", "tue", "wed", "thu", "fri"},
		MaxTravelKm: 20, Occupations: []flex.ProfileOccupation{{Code: "8160.2", ExperienceMonths: 12}}, Skills: []string{"7512.1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		a    *opstap.Actor
		flag access.Flag
	}{{f.manager, access.FlagMatchable}, {f.coach, access.FlagCoachApproval}} {
		if err := f.db.SetFlexFlag(ctx, s.a, c.ID, s.flag, true); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestFlexProfileAndRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		anna := f.flexCandidate(t, "F-1", "Anna", 32)
		bert := f.flexCandidate(t, "F-2", "Bert", 8) // too few hours
		_, err := db.SaveFlexProfile(ctx, f.coach, anna.ID, flex.Profile{HoursPerWeek: 32, Skills: []string{"nope"}})
		if fieldOrCode(err) != "skills" {
			t.Fatalf("unknown skill: %v", err)
		}
		// Only the case manager sets matchable [003 art 5 lid 5]; only the candidate consents.
		if err := db.SetFlexFlag(ctx, f.coach, anna.ID, access.FlagMatchable, true); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach sets matchable: %v", err)
		}
		if err := db.SetFlexFlag(ctx, f.manager, anna.ID, access.FlagConsent, true); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("manager consents for the candidate: %v", err)
		}
		rk, err := db.RankCandidates(ctx, f.manager, f.assignment.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		// Not visible yet: the candidate did not consent.
		if len(rk.Results) != 0 || len(rk.Excluded) != 2 {
			t.Fatalf("without consent: %+v", rk)
		}
		p, err := db.FlexProfile(ctx, f.manager, anna.ID, store.PurposeMatching, "")
		if err != nil || !p.Matchable || p.CoachApprovedAt == nil || p.ConsentAt != nil || len(p.Occupations) != 1 || p.Occupations[0].ISCO != "8160" {
			t.Fatalf("profile: %v %+v", err, p)
		}
		for _, c := range []*candidate.Candidate{anna, bert} {
			self := f.portalActor(t, c)
			if err := db.SetFlexFlag(ctx, self, c.ID, access.FlagConsent, true); err != nil {
				t.Fatal(err)
			}
		}
		if rk, err = db.RankCandidates(ctx, f.manager, f.assignment.ID, 10); err != nil {
			t.Fatal(err)
		}
		if len(rk.Results) != 1 || rk.Results[0].CandidateID != anna.ID || rk.Results[0].Name != "Anna Test" || len(rk.Results[0].Criteria) == 0 {
			t.Fatalf("ranking: %+v", rk)
		}
		if len(rk.Excluded) != 1 || rk.Excluded[0].CandidateID != bert.ID {
			t.Fatalf("excluded: %+v", rk.Excluded)
		}
		if _, err := db.RankCandidates(ctx, f.other, f.assignment.ID, 10); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("another municipality ranks: %v", err)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: anna.ID})
		if err != nil {
			t.Fatal(err)
		}
		reads := 0
		for _, e := range es {
			if e.Purpose == store.PurposeMatching && e.Action == "read" && e.ActorUserID == f.manager.UserID {
				reads++
			}
		}
		if reads < 2 {
			t.Fatalf("ranking reads not logged: %d", reads)
		}
	})
}

func TestFlexProposalFromAnotherMunicipality(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		born, _ := opstap.ParseDate("1990-01-01")
		c, err := db.RegisterCandidate(ctx, f.other, candidate.Registration{CommissionerOrgID: f.municipality2, ExternalRef: "L-1",
			Basic: candidate.Basic{FirstName: "Lea", LastName: "Lelystad", BirthDate: born, Postcode: "8211AA"}, BSN: "111222333",
			BenefitKind: "participatiewet", BenefitStart: born.AddMonths(12 * 30)})
		if err != nil {
			t.Fatal(err)
		}
		// [003 art 5 lid 5, 7]: the municipality matches its own candidates.
		if _, err := db.ExplainMatch(ctx, f.manager, f.assignment.ID, c.ID); fieldOrCode(err) != "candidate_id" {
			t.Fatalf("candidate of another municipality: %v", err)
		}
		own := f.flexCandidate(t, "F-3", "Cor", 40)
		m, err := db.ExplainMatch(ctx, f.manager, f.assignment.ID, own.ID)
		if err != nil || m.Name != "Cor Test" || !m.Excluded {
			t.Fatalf("own candidate without consent: %v %+v", err, m)
		}
	})
}

// TestFlexSettings: the case manager sets the matching weights; the
// default hourly rate of a new assignment has one source, the contract
// terms in force on its start (the agreement's 11,75 without terms), which
// the settings show and cannot change [003 art 5 lid 8].
func TestFlexSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		s := flex.DefaultSettings("0034")
		s.Weights.Distance = -1
		if err := db.SetFlexSettings(ctx, f.manager, s); fieldOrCode(err) != "weights.distance" {
			t.Fatalf("negative weight: %v", err)
		}
		s.Weights.Distance = 0.5
		if err := db.SetFlexSettings(ctx, f.other, s); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("other municipality: %v", err)
		}
		s.HourlyRateCents = 1250
		if err := db.SetFlexSettings(ctx, f.manager, s); fieldOrCode(err) != "hourly_rate_cents" {
			t.Fatalf("a default rate besides the contract terms: %v", err)
		}
		s.HourlyRateCents = 0
		if err := db.SetFlexSettings(ctx, f.manager, s); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FlexSettings(ctx, "0034"); err != nil || got.HourlyRateCents != 1175 || got.Weights.Distance != 0.5 {
			t.Fatalf("settings without terms: %v %+v", err, got)
		}
		terms := billing.DefaultTerms("0034", opstap.Date{Year: 2020, Month: 1, Day: 1})
		terms.HourlyRate = 1250
		if _, err := db.AddContractTerms(ctx, &opstap.Actor{System: true}, terms); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FlexSettings(ctx, "0034"); err != nil || got.HourlyRateCents != 1250 {
			t.Fatalf("settings with terms: %v %+v", err, got)
		}
		a, err := db.CreateAssignment(ctx, f.manager, flexAssignment(f.employer))
		if err != nil || a.HourlyRateCents != 1250 {
			t.Fatalf("rate from the contract terms [003 art 5 lid 8]: %v %+v", err, a)
		}
	})
}

// portalActor gives the candidate a portal account.
func (f *flexFixture) portalActor(t testing.TB, c *candidate.Candidate) *opstap.Actor {
	t.Helper()
	ctx, sys := context.Background(), &opstap.Actor{System: true}
	u, err := f.db.CreateUser(ctx, sys, account.NewUser{OrgID: f.municipality, Email: c.ID + "@example.nl", Name: "candidate",
		Grants: []access.GrantSpec{{Role: opstap.RoleCandidate}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.LinkCandidateUser(ctx, sys, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	return u.Actor(f.db.Now(), "127.0.0.1")
}

// TestFlexOnlyTheMunicipalitySetsTheRate: the employer is charged an hourly
// rate set by the municipality [003 art 5 lid 8], also on a national
// account, whose assignments the provider's staff may otherwise manage.
func TestFlexOnlyTheMunicipalitySetsTheRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		n, err := db.CreateEmployer(ctx, f.coach, flex.Employer{Name: "Keten", National: true, Municipalities: []string{"0034"},
			Locations: []flex.Location{{Name: "Filiaal", Address: "Markt 1", Postcode4: "1315"}}})
		if err != nil {
			t.Fatal(err)
		}
		in := flexAssignment(n)
		in.Municipality, in.HourlyRateCents = "0034", 2000
		if _, err := db.CreateAssignment(ctx, f.coach, in); fieldOrCode(err) != "hourly_rate_cents" || opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("provider staff set a rate: %v", err)
		}
		in.HourlyRateCents = 0
		as, err := db.CreateAssignment(ctx, f.coach, in)
		if err != nil || as.HourlyRateCents != 1175 {
			t.Fatalf("provider staff, municipality's rate: %v, %+v", err, as)
		}
		in.HourlyRateCents = 1300
		if as, err = db.UpdateAssignment(ctx, f.manager, as.ID, in); err != nil || as.HourlyRateCents != 1300 {
			t.Fatalf("the municipality sets the rate: %v", err)
		}
		in.Title = "Vakkenvuller"
		if as, err = db.UpdateAssignment(ctx, f.coach, as.ID, in); err != nil || as.HourlyRateCents != 1300 || as.Title != "Vakkenvuller" {
			t.Fatalf("provider staff keeping the rate: %v", err)
		}
		in.HourlyRateCents = 1400
		if _, err := db.UpdateAssignment(ctx, f.coach, as.ID, in); fieldOrCode(err) != "hourly_rate_cents" {
			t.Fatalf("provider staff changed the rate: %v", err)
		}
		if got, _ := db.FindAssignment(ctx, f.manager, as.ID); got.HourlyRateCents != 1300 {
			t.Fatalf("rate after a refused change: %d", got.HourlyRateCents)
		}
	})
}

// TestAssignmentActs_003art5lid6: a page offers the forms the store will
// accept. Only the case manager of the assignment's municipality records
// its displacement check and sets its rate, also on a national account
// the provider's staff manage; the provider's staff change only a national
// account's assignments [003 art 5 lid 6, 8].
func TestAssignmentActs_003art5lid6(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		n, err := db.CreateEmployer(ctx, f.coach, flex.Employer{Name: "Keten", National: true, Municipalities: []string{"0034"},
			Locations: []flex.Location{{Name: "Filiaal", Address: "Markt 1", Postcode4: "1315"}}})
		if err != nil {
			t.Fatal(err)
		}
		in := flexAssignment(n)
		in.Municipality = "0034"
		national, err := db.CreateAssignment(ctx, f.coach, in)
		if err != nil {
			t.Fatal(err)
		}
		fresh := &flex.Assignment{Municipality: "0034"}
		all := access.AssignmentActs{Manage: true, Check: true, SetRate: true}
		tests := []struct {
			name  string
			actor *opstap.Actor
			as    *flex.Assignment
			want  access.AssignmentActs
		}{
			{"the municipality's case manager, local employer", f.manager, f.assignment, all},
			{"the municipality's case manager, national account", f.manager, national, all},
			{"the municipality's case manager, new", f.manager, fresh, all},
			{"provider staff, local employer", f.coach, f.assignment, access.AssignmentActs{}},
			{"provider staff, national account", f.coach, national, access.AssignmentActs{Manage: true}},
			{"provider staff, new", f.coach, fresh, access.AssignmentActs{Manage: true}},
			{"another municipality", f.other, f.assignment, access.AssignmentActs{}},
		}
		for _, tt := range tests {
			got, err := db.AssignmentActs(ctx, tt.actor, tt.as)
			if err != nil || got != tt.want {
				t.Errorf("%s: %+v, %v; want %+v", tt.name, got, err, tt.want)
			}
		}
		// The store agrees when it is done.
		check := flex.DisplacementCheck{CheckedOn: opstap.DateOf(db.Now()), Positive: true, Motivation: "Extra hands next to the bakers, no vacancy is filled."}
		for _, tt := range tests[3:] {
			if tt.as.ID == "" {
				continue
			}
			if _, err := db.RecordDisplacementCheck(ctx, tt.actor, tt.as.ID, check); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Errorf("%s recorded the check: %v", tt.name, err)
			}
			terms := *tt.as
			terms.Title += " (changed)"
			_, err := db.UpdateAssignment(ctx, tt.actor, tt.as.ID, terms)
			if refused := opstap.ErrorCode(err) == opstap.EFORBIDDEN; refused == tt.want.Manage || (!refused && err != nil) {
				t.Errorf("%s changed the terms: %v, want manage=%v", tt.name, err, tt.want.Manage)
			}
		}
	})
}
