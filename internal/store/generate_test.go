package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestGenerateProfiles: a generated profile makes the candidate proposable
// as the ordinary paths do — matchable, the candidate's own consent in the
// consent register, the coach's approval, limitations shared — drops a
// built matching index, is audited, and only the system may write one.
func TestGenerateProfiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFlexFixture(t, db)
		anna := f.register(t, "G-1", "Anna", "Test")
		bert := f.register(t, "G-2", "Bert", "Test")
		// The index is built before the profiles exist: nobody to propose.
		rk, err := db.RankCandidates(ctx, f.manager, f.assignment.ID, 10)
		if err != nil || rk.Considered != 0 {
			t.Fatalf("before: %v %+v", err, rk)
		}
		from, _ := opstap.ParseDate("2029-06-01")
		cbs := f.assignment.Municipality
		ps := []store.GenProfile{
			{CandidateID: anna.ID, Municipality: cbs, HoursPerWeek: 32, Days: []string{"mon", "tue", "wed", "thu", "fri"}, MaxTravelKm: 20,
				AvailableFrom: from, MatchableOn: from, Occupations: []flex.ProfileOccupation{{Code: "8160.2", ISCO: "8160", ExperienceMonths: 12}},
				Limitations: []string{"no_night_shifts"}},
			{CandidateID: bert.ID, Municipality: cbs, HoursPerWeek: 8, Days: []string{"mon"}, MaxTravelKm: 20, AvailableFrom: from, MatchableOn: from},
		}
		if err := db.GenerateProfiles(ctx, f.coach, f.coach.UserID, ps); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("a coach generates: %v", err)
		}
		if err := db.GenerateProfiles(ctx, &opstap.Actor{System: true}, f.coach.UserID, ps); err != nil {
			t.Fatal(err)
		}
		p, err := db.FlexProfile(ctx, f.coach, anna.ID, store.PurposeMatching, "")
		if err != nil || !p.Matchable || !p.Visible() || p.HoursPerWeek != 32 || len(p.Occupations) != 1 || p.Occupations[0].ISCO != "8160" ||
			p.AvailableFrom != from || !slices.Equal(p.Limitations, []string{"no_night_shifts"}) {
			t.Fatalf("profile: %v %+v", err, p)
		}
		cs, err := db.Consents(ctx, f.coach, anna.ID)
		if err != nil || len(cs) != 1 || cs[0].Topic != consent.ShareCV || !cs[0].Given || cs[0].Method != consent.Portal ||
			cs[0].Purpose != consent.DefaultPurposes[consent.ShareCV] {
			t.Fatalf("consents: %v %+v", err, cs)
		}
		rk, err = db.RankCandidates(ctx, f.manager, f.assignment.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rk.Results) != 1 || rk.Results[0].CandidateID != anna.ID || len(rk.Excluded) != 1 || rk.Excluded[0].CandidateID != bert.ID {
			t.Fatalf("ranking: %+v", rk)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: anna.ID})
		if err != nil {
			t.Fatal(err)
		}
		written := map[opstap.Category]bool{}
		for _, e := range es {
			if e.Action == "write" && e.ActorUserID == "" {
				written[opstap.Category(e.Category)] = true
			}
		}
		for _, c := range []opstap.Category{opstap.CatPreferences, opstap.CatBasic, opstap.CatLimitations} {
			if !written[c] {
				t.Errorf("no audit entry for the generated %s (%v)", c, written)
			}
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}
