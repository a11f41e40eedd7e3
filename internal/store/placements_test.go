package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// placementFixture has an open assignment (24 hours, Monday to Wednesday,
// one place), a ready candidate with a portal account and an employer's user.
type placementFixture struct {
	*flexFixture
	anna *candidate.Candidate
	self *opstap.Actor
	boss *opstap.Actor
}

func newPlacementFixture(t testing.TB, db *store.DB) *placementFixture {
	t.Helper()
	ctx := context.Background()
	f := &placementFixture{flexFixture: newFlexFixture(t, db)}
	f.openAssignment(t, f.assignment.ID)
	f.anna = f.flexCandidate(t, "P-1", "Anna", 32)
	f.self = f.portalActor(t, f.anna)
	if err := db.SetFlexFlag(ctx, f.self, f.anna.ID, access.FlagConsent, true); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: f.employer.ID, Email: "baas@korenschoof.nl", Name: "Baas",
		Grants: []access.GrantSpec{{Role: opstap.RoleEmployer}}})
	if err != nil {
		t.Fatal(err)
	}
	f.boss = u.Actor(db.Now(), "127.0.0.1")
	return f
}

func (f *placementFixture) openAssignment(t testing.TB, id string) {
	t.Helper()
	ctx := context.Background()
	check := flex.DisplacementCheck{CheckedOn: opstap.DateOf(f.db.Now()), Positive: true, Motivation: "Extra hands next to the bakers, no vacancy is filled."}
	if _, err := f.db.RecordDisplacementCheck(ctx, f.manager, id, check); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SetAssignmentStatus(ctx, f.manager, id, flex.StatusOpen); err != nil {
		t.Fatal(err)
	}
}

// accepted proposes Anna for the assignment; candidate and employer accept.
func (f *placementFixture) accepted(t *testing.T) *flex.Placement {
	t.Helper()
	ctx := context.Background()
	p, err := f.db.ProposePlacement(ctx, f.manager, f.assignment.ID, flex.Proposal{CandidateID: f.anna.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*opstap.Actor{f.self, f.boss} {
		if _, err := f.db.AnswerPlacement(ctx, a, p.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func fakeRender(c *store.PlacementConfirmation) ([]byte, []byte, error) {
	return []byte("employer:" + c.CandidateName), []byte("candidate:" + c.Placement.EmployerName), nil
}

// TestPlacementRefusals: each refusal names its rule (issue 5 "Bad input").
func TestPlacementRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlacementFixture(t, db)
		ctx := context.Background()
		draft, err := db.CreateAssignment(ctx, f.manager, flexAssignment(f.employer))
		if err != nil {
			t.Fatal(err)
		}
		notMatchable := f.register(t, "P-2", "Noor", "Test")
		born, _ := opstap.ParseDate("1990-01-01")
		lelystad, err := db.RegisterCandidate(ctx, f.other, candidate.Registration{CommissionerOrgID: f.municipality2, ExternalRef: "L-1",
			Basic: candidate.Basic{FirstName: "Lea", LastName: "L", BirthDate: born, Postcode: "8211AA"}, BSN: "111222333",
			BenefitKind: "participatiewet", BenefitStart: born.AddMonths(12 * 30)})
		if err != nil {
			t.Fatal(err)
		}
		start := f.assignment.Start
		tests := []struct {
			name       string
			actor      *opstap.Actor
			assignment string
			in         flex.Proposal
			want       string
		}{
			{"assignment without displacement check (DOMAIN.md §5)", f.manager, draft.ID, flex.Proposal{CandidateID: f.anna.ID}, opstap.ECONFLICT},
			{"not matchable [003 art 5 lid 5]", f.manager, f.assignment.ID, flex.Proposal{CandidateID: notMatchable.ID}, "candidate_id"},
			{"another municipality's candidate [003 art 5 lid 5, 7]", f.manager, f.assignment.ID, flex.Proposal{CandidateID: lelystad.ID}, "candidate_id"},
			{"beyond the maximum at 32 hours [003 art 5 lid 6]", f.manager, f.assignment.ID,
				flex.Proposal{CandidateID: f.anna.ID, HoursPerWeek: 32, LastDay: start.AddMonths(3)}, "last_day"},
			{"only the municipality proposes [003 art 5 lid 7]", f.coach, f.assignment.ID, flex.Proposal{CandidateID: f.anna.ID}, opstap.EFORBIDDEN},
			{"not another municipality's case manager", f.other, f.assignment.ID, flex.Proposal{CandidateID: f.anna.ID}, opstap.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := db.ProposePlacement(ctx, tt.actor, tt.assignment, tt.in); fieldOrCode(err) != tt.want {
					t.Fatalf("got %v, want %q", err, tt.want)
				}
			})
		}
		if _, err := db.ProposePlacement(ctx, f.manager, f.assignment.ID, flex.Proposal{CandidateID: f.anna.ID}); err != nil {
			t.Fatal(err)
		}
		// A second assignment on overlapping days: Anna is already placed.
		second, err := db.CreateAssignment(ctx, f.manager, flexAssignment(f.employer))
		if err != nil {
			t.Fatal(err)
		}
		f.openAssignment(t, second.ID)
		if _, err := db.ProposePlacement(ctx, f.manager, second.ID, flex.Proposal{CandidateID: f.anna.ID}); fieldOrCode(err) != "candidate_id" {
			t.Fatalf("already placed in overlapping days: %v", err)
		}
		if _, err := db.ProposePlacement(ctx, f.manager, second.ID, flex.Proposal{CandidateID: f.anna.ID, Days: []string{"thu", "fri"}}); err != nil {
			t.Fatalf("other days: %v", err)
		}
		// One place: a second candidate for the first assignment is refused.
		bert := f.flexCandidate(t, "P-3", "Bert", 32)
		if err := db.SetFlexFlag(ctx, f.portalActor(t, bert), bert.ID, access.FlagConsent, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ProposePlacement(ctx, f.manager, f.assignment.ID, flex.Proposal{CandidateID: bert.ID}); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("more placements than places: %v", err)
		}
		busy, err := db.BusyIntervals(ctx, []string{f.anna.ID, bert.ID})
		if err != nil || len(busy[f.anna.ID]) != 2 || len(busy[bert.ID]) != 0 {
			t.Fatalf("busy intervals: %v %+v", err, busy)
		}
	})
}

// TestPlacementLifeCycle: proposed, asked, accepted by both, confirmed with
// a confirmation to each party [003 art 5 lid 4], hours and extension
// [003 art 4, art 5 lid 6], outflow ending the flex trajectory.
func TestPlacementLifeCycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlacementFixture(t, db)
		ctx := context.Background()
		tr, err := db.CreateTrajectory(ctx, f.coach, f.anna.ID, store.NewTrajectory{Kind: trajectory.KindFlex})
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.ProposePlacement(ctx, f.manager, f.assignment.ID, flex.Proposal{CandidateID: f.anna.ID})
		if err != nil || p.LastDay != f.assignment.PlannedEnd || p.HoursPerWeek != 24 {
			t.Fatalf("propose: %v %+v", err, p)
		}
		if _, err := db.ConfirmPlacement(ctx, f.manager, p.ID, fakeRender); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("confirm before both accepted: %v", err)
		}
		// The employer sees the name and nothing more [003 art 7.7 lid 2, 002 art 5.1].
		list, _, err := db.EmployerPlacements(ctx, f.boss, store.PlacementFilter{})
		if err != nil || len(list) != 1 || list[0].CandidateName != "Anna Test" {
			t.Fatalf("employer list: %v %+v", err, list)
		}
		if _, err := db.ReadCategory(ctx, f.boss, f.anna.ID, opstap.CatBSN, "", ""); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("employer reads the BSN: %v", err)
		}
		if _, err := db.Entries(ctx, f.boss, f.anna.ID, opstap.CatMedical, store.EntryQuery{}, "", ""); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("employer reads medical data: %v", err)
		}
		if _, err := db.AnswerPlacement(ctx, f.coach, p.ID, true); err == nil {
			t.Fatal("the coach answered for a party")
		}
		for _, a := range []*opstap.Actor{f.self, f.boss} {
			if _, err := db.AnswerPlacement(ctx, a, p.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		// Anna turns 27 in the placement's second month: the confirmation
		// promises the premium from that day only [Participatiewet art 31 lid 7].
		born := p.FirstDay.AddMonths(1).AddMonths(-12 * 27)
		basic, _ := json.Marshal(candidate.Basic{FirstName: "Anna", LastName: "Test", BirthDate: born, Postcode: "1311AB"})
		if err := db.WriteCategory(ctx, f.manager, f.anna.ID, opstap.CatBasic, basic, ""); err != nil {
			t.Fatal(err)
		}
		var seen *store.PlacementConfirmation
		capture := func(c *store.PlacementConfirmation) ([]byte, []byte, error) { seen = c; return fakeRender(c) }
		if p, err = db.ConfirmPlacement(ctx, f.manager, p.ID, capture); err != nil || p.Status != flex.PlacementConfirmed || !p.HasConfirmations {
			t.Fatalf("confirm: %v %+v", err, p)
		}
		if seen.Premium != billing.PremiumPartly || seen.PremiumFrom != p.FirstDay.AddMonths(1) {
			t.Fatalf("premium promise %v from %s, want partly from %s", seen.Premium, seen.PremiumFrom, p.FirstDay.AddMonths(1))
		}
		// Its one place taken, the assignment is filled and leaves the open work.
		if as, err := db.FindAssignment(ctx, f.manager, p.AssignmentID); err != nil || as.Status != flex.StatusFilled {
			t.Fatalf("assignment after the last place: %v %+v", err, as)
		}
		docs := []struct {
			actor *opstap.Actor
			party flex.Party
			want  string
		}{
			{f.boss, flex.PartyEmployer, "employer:Anna Test"},
			{f.self, flex.PartyCandidate, "candidate:Bakkerij De Korenschoof"},
			{f.manager, flex.PartyCandidate, "candidate:Bakkerij De Korenschoof"},
			{f.boss, flex.PartyCandidate, opstap.EFORBIDDEN},
			{f.other, flex.PartyEmployer, opstap.ENOTFOUND},
		}
		for _, d := range docs {
			b, err := db.PlacementDocument(ctx, d.actor, p.ID, d.party)
			if got := string(b) + fieldOrCode(err); got != d.want {
				t.Fatalf("%s's %s confirmation: %q", d.actor.Email, d.party, got)
			}
		}
		// 24 to 32 hours a month in, on a placement of 3 months: beyond the
		// 3-month maximum at 32 hours [003 art 5 lid 6] without an extension.
		change := flex.HoursPeriod{From: p.FirstDay.AddMonths(1), HoursPerWeek: 32}
		if err := db.ChangePlacementHours(ctx, f.manager, p.ID, change); fieldOrCode(err) != "hours_per_week" {
			t.Fatalf("hours change crossing 28: %v", err)
		}
		ext := flex.Extension{Until: p.LastDay, Motivation: "Finishing the season with the team, agreed with the employer."}
		if err := db.ApproveExtension(ctx, f.coach, p.ID, ext, false); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("extension by the provider [003 art 4 lid 2]: %v", err)
		}
		if err := db.ApproveExtension(ctx, f.manager, p.ID, ext, false); err != nil {
			t.Fatal(err)
		}
		if err := db.ChangePlacementHours(ctx, f.manager, p.ID, change); err != nil {
			t.Fatalf("hours change with extension: %v", err)
		}
		v, err := db.FindPlacement(ctx, f.manager, p.ID)
		if err != nil || len(v.Hours) != 2 || v.HoursPerWeek != 32 || len(v.Extensions) != 1 || v.Extensions[0].Motivation != ext.Motivation || v.Extensions[0].ApprovedBy != f.manager.UserID {
			t.Fatalf("placement: %v %+v", err, v)
		}
		if err := db.EndPlacement(ctx, f.manager, p.ID, flex.PlacementEnd{Outcome: flex.OutcomeRegularWork, On: p.FirstDay.AddMonths(2)}); fieldOrCode(err) != "contract_kind" {
			t.Fatalf("outflow without contract: %v", err)
		}
		end := flex.PlacementEnd{Outcome: flex.OutcomeRegularWork, On: p.FirstDay.AddMonths(2), ContractKind: trajectory.ContractFixedTerm, HoursPerWeek: 32}
		if err := db.EndPlacement(ctx, f.manager, p.ID, end); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindTrajectory(ctx, f.coach, tr.ID, store.PurposeGuidance, "")
		if err != nil || got.Status != trajectory.StatusEnded || got.End == nil || got.End.Reason != trajectory.EndRegularWork || got.End.HoursPerWeek != 32 {
			t.Fatalf("trajectory after outflow: %v %+v", err, got)
		}
		busy, err := db.BusyIntervals(ctx, []string{f.anna.ID})
		if err != nil || len(busy[f.anna.ID]) != 0 {
			t.Fatalf("ended placement still busy: %+v", busy)
		}
		if _, _, err := db.EmployerPlacements(ctx, f.boss, store.PlacementFilter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindPlacement(ctx, f.boss, p.ID); err == nil {
			// The employer keeps the placement's header but no longer reads the name.
			t.Fatal("employer reads the candidate after the placement ended")
		}
	})
}

// TestMunicipalityPlacements: the case manager lists the placements of
// their municipality, the ones waiting for the confirmation apart; others
// see none (issue 12 dead end 1).
func TestMunicipalityPlacements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlacementFixture(t, db)
		ctx := context.Background()
		f.accepted(t)
		tests := []struct {
			name   string
			actor  *opstap.Actor
			status flex.PlacementStatus
			want   string // the names listed, or the error's field or code
		}{
			{"all of the municipality", f.manager, "", "Anna Test"},
			{"waiting for confirmation", f.manager, flex.PlacementAccepted, "Anna Test"},
			{"none proposed", f.manager, flex.PlacementProposed, ""},
			{"unknown status", f.manager, "bogus", "status"},
			{"other municipality", f.other, "", ""},
			{"employer", f.boss, "", opstap.EFORBIDDEN},
			{"provider coach", f.coach, "", opstap.EFORBIDDEN},
		}
		for _, tc := range tests {
			ps, _, err := db.MunicipalityPlacements(ctx, tc.actor, store.PlacementFilter{Status: tc.status})
			got := fieldOrCode(err)
			for _, v := range ps {
				got += v.CandidateName
			}
			if got != tc.want {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
	})
}

// TestEmployerProposalCard (issue 12 item 14): the employer answering a
// proposal sees the candidate's experience by name and availability, as
// reads of the education and preferences categories in the log, only while
// the candidate shows a profile to employers; nobody else gets the card, not
// on lists and not after the proposal [003 art 7.7 lid 2, 004].
func TestEmployerProposalCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlacementFixture(t, db)
		ctx := context.Background()
		p, err := db.ProposePlacement(ctx, f.manager, f.assignment.ID, flex.Proposal{CandidateID: f.anna.ID})
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.FindPlacement(ctx, f.boss, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := v.Card
		if c == nil || v.CardWithheld != "" {
			t.Fatalf("no card for the employer: %+v (%q)", c, v.CardWithheld)
		}
		if len(c.Experience) != 1 || c.Experience[0].Months != 12 || !c.Experience[0].Relevant || c.Experience[0].Occupation == "8160.2" || c.Experience[0].Occupation == "" {
			t.Errorf("experience by name, relevant to the bakery assignment: %+v", c.Experience)
		}
		if c.HoursPerWeek != 32 || len(c.Days) != 5 {
			t.Errorf("availability: %+v", c)
		}
		raw, _ := json.Marshal(v)
		var keys map[string]any
		if err := json.Unmarshal(raw, &keys); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"birth_date", "address", "bsn", "postcode4", "email", "phone", "max_travel_km", "skills"} {
			if _, ok := keys[k]; ok {
				t.Errorf("the employer's view holds %q", k)
			}
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{ActorUserID: f.boss.UserID, CandidateID: f.anna.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		read := map[string]int{}
		for _, e := range es {
			if e.Action == string(opstap.Read) && e.Outcome == "allowed" {
				read[e.Category]++
			}
		}
		if read["education"] != 1 || read["preferences"] != 1 || read["basic"] != 1 {
			t.Errorf("logged reads of the card: %v", read)
		}
		// Not for the municipality (it reads the profile itself), not on lists.
		if mv, err := db.FindPlacement(ctx, f.manager, p.ID); err != nil || mv.Card != nil {
			t.Errorf("the municipality's view carries the card: %v %+v", err, mv)
		}
		ls, _, err := db.EmployerPlacements(ctx, f.boss, store.PlacementFilter{})
		if err != nil || len(ls) != 1 || ls[0].Card != nil {
			t.Errorf("the employer's list carries the card: %v %+v", err, ls)
		}
		// The candidate withdraws the profile from employers: the card goes.
		if err := db.SetFlexFlag(ctx, f.self, f.anna.ID, access.FlagConsent, false); err != nil {
			t.Fatal(err)
		}
		if v, err = db.FindPlacement(ctx, f.boss, p.ID); err != nil || v.Card != nil || v.CardWithheld != access.ReasonProfileNotShown {
			t.Errorf("card after the consent is withdrawn: %v %+v %q", err, v.Card, v.CardWithheld)
		}
		if err := db.SetFlexFlag(ctx, f.self, f.anna.ID, access.FlagConsent, true); err != nil {
			t.Fatal(err)
		}
		// Answered by both and confirmed: no longer a proposal to decide on.
		for _, a := range []*opstap.Actor{f.self, f.boss} {
			if _, err := db.AnswerPlacement(ctx, a, p.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ConfirmPlacement(ctx, f.manager, p.ID, fakeRender); err != nil {
			t.Fatal(err)
		}
		if v, err = db.FindPlacement(ctx, f.boss, p.ID); err != nil || v.Card != nil {
			t.Errorf("card on a confirmed placement: %v %+v", err, v.Card)
		}
	})
}

// TestPageFactsAsOneByOne (issue 12 item 12): the facts a list's page reads
// of its candidates in two queries are the ones it read per row before:
// with and without shared limitations, a live placement's employer, under
// a restriction of processing, erased, unknown, and repeated on a page.
func TestPageFactsAsOneByOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, sys := context.Background(), &opstap.Actor{System: true}
		f := newPlacementFixture(t, db)
		f.accepted(t) // Anna: a live placement at the employer
		shared, kept, restricted, erased := f.register(t, "F-1", "Sara", "Deel"), f.register(t, "F-2", "Kees", "Houd"), f.register(t, "F-3", "Rita", "Beperkt"), f.register(t, "F-4", "Eva", "Weg")
		for id, share := range map[string]bool{shared.ID: true, kept.ID: false} {
			if _, err := db.SetLimitations(ctx, f.medic, id, store.Limitations{Codes: []string{"no_night_shifts"}, SharedWithConsent: share}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetRestriction(ctx, sys, restricted.ID, true, "Juistheid betwist door de kandidaat"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EraseCandidate(ctx, sys, erased.ID); err != nil {
			t.Fatal(err)
		}
		ids := []string{f.anna.ID, shared.ID, kept.ID, restricted.ID, erased.ID, "c-unknown", f.anna.ID}
		if err := store.ComparePageFacts(ctx, db, ids); err != nil {
			t.Fatal(err)
		}
	})
}
