package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/timesheet"
)

func period(start, end string) figures.Period {
	s, _ := opstap.ParseDate(start)
	e, _ := opstap.ParseDate(end)
	return figures.Period{Start: s, End: e}
}

// figuresFixture is the hours fixture registered on 1 February 2030 (Anna's
// benefit started on 12 March 2018: 142 months), with approved hours in
// March (24) and April (6), the matchable status switched off and on again
// on 2 May, and the placement (from Sunday 3 March) ended early on 15 April.
func figuresFixture(t *testing.T, db *store.DB) *hoursFixture {
	t.Helper()
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2030, 2, 1, 10, 0, 0, 0, time.UTC) }
	f := newHoursFixture(t, db)
	week := []timesheet.Entry{entry(f.mon, hours(8)), entry(f.mon.AddDays(1), hours(8)), entry(f.mon.AddDays(2), hours(8))}
	if _, err := db.EnterHours(ctx, f.boss, f.p.ID, week); err != nil {
		t.Fatal(err)
	}
	// A day the candidate enters and the employer approves: counted once approved.
	ls, err := db.EnterHours(ctx, f.self, f.p.ID, []timesheet.Entry{entry(f.mon.AddDays(28), hours(6))})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DecideHours(ctx, f.boss, f.p.ID, []string{ls[0].ID}, true, ""); err != nil {
		t.Fatal(err)
	}
	for _, on := range []bool{false, true} {
		if err := db.SetFlexFlag(ctx, f.manager, f.anna.ID, access.FlagMatchable, on); err != nil {
			t.Fatal(err)
		}
	}
	ended, _ := opstap.ParseDate("2030-04-15")
	if err := db.EndPlacement(ctx, f.manager, f.p.ID, flex.PlacementEnd{Outcome: flex.OutcomeEndedEarly, On: ended, Reason: "The bakery closed for renovation."}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFiguresSurviveErasure: an erased candidate still counts in the
// figures of the past (issue 10 item 2), and is matchable no more from the
// day of the erasure.
func TestFiguresSurviveErasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := figuresFixture(t, db)
		ctx := context.Background()
		spring := period("2030-01-01", "2030-04-30")
		// By hand: one registration, 142 months on benefit (100 % above 1 and
		// 3 years); matchable on 30 April; one placement of 44 days (3 March –
		// 15 April: 1.4 months) at 24 hours with 30 approved hours: 20.75 an hour a month.
		want := figures.Figures{Period: spring, Registrations: 1, BenefitOver1Year: figures.Share{Count: 1, Percent: 100},
			BenefitOver3Years: figures.Share{Count: 1, Percent: 100}, MatchableOnEnd: 1, Placements: 1, UniquePlacedCandidates: 1,
			AvgHoursPerMonth: 208, AvgDurationMonths: 14}
		before, err := db.MunicipalityFigures(ctx, f.manager, "0034", spring)
		if err != nil || before.Figures != want || before.Municipality.Name != "Gemeente Almere" || before.Version != figures.DefinitionVersion || len(before.Trend) != 4 {
			t.Fatalf("before erasure: %v\n  %+v\nwant\n  %+v", err, before, want)
		}
		if m := before.Trend[2]; m.Placements != 1 || m.MatchableOnEnd != 1 || before.Trend[1].Registrations != 1 || before.Trend[0].MatchableOnEnd != 0 {
			t.Fatalf("trend: %+v", before.Trend)
		}
		if _, err := db.EraseCandidate(ctx, f.privacy, f.anna.ID); err != nil {
			t.Fatal(err)
		}
		after, err := db.MunicipalityFigures(ctx, f.finance, "0034", spring)
		if err != nil || after.Figures != want {
			t.Fatalf("after erasure: %v\n  %+v\nwant\n  %+v", err, after.Figures, want)
		}
		// Erased on 2 May: matchable on 1 May, not at the end of the year.
		year, err := db.MunicipalityFigures(ctx, f.finance, "0034", period("2030-01-01", "2030-12-31"))
		if err != nil || year.Figures.MatchableOnEnd != 0 || year.Trend[3].MatchableOnEnd != 1 || year.Trend[4].MatchableOnEnd != 0 || year.Figures.Placements != 1 {
			t.Fatalf("the year after erasure: %v %+v", err, year)
		}
		if storetest.ClearIn(t, db, "figure_placements", "Anna", "candidate_id") != 0 {
			t.Fatal("a name in the facts")
		}
	})
}

// TestFiguresBackfill: facts missing from before migration 00028 (months on
// benefit, sealed; minutes per month worked) are derived at start, once.
func TestFiguresBackfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := figuresFixture(t, db)
		ctx := context.Background()
		spring := period("2030-01-01", "2030-04-30")
		want, err := db.MunicipalityFigures(ctx, f.manager, "0034", spring)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`UPDATE figure_registrations SET benefit_checked = FALSE, on_benefit = FALSE, benefit_months = 0`,
			`DELETE FROM figure_placement_minutes`} {
			if _, err := db.SQL.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		lost, err := db.MunicipalityFigures(ctx, f.manager, "0034", spring)
		if err != nil || lost.Figures.BenefitOver1Year.Count != 0 || lost.Figures.AvgHoursPerMonth != 0 {
			t.Fatalf("without the facts: %v %+v", err, lost)
		}
		for range 2 {
			if err := db.BackfillFigureFacts(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.MunicipalityFigures(ctx, f.manager, "0034", spring)
		if err != nil || got.Figures != want.Figures {
			t.Fatalf("after the backfill: %v\n  %+v\nwant\n  %+v", err, got.Figures, want.Figures)
		}
	})
}

// TestFiguresRefusals: each refusal names its field or says it is
// forbidden, and changes nothing.
func TestFiguresRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		year := period("2030-01-01", "2030-12-31")
		tests := []struct {
			name  string
			actor *opstap.Actor
			cbs   string
			p     figures.Period
			want  string
		}{
			{"end before start", f.manager, "0034", period("2030-12-31", "2030-01-01"), "end"},
			{"no start", f.manager, "0034", figures.Period{End: year.End}, "start"},
			{"unknown municipality", f.finance, "9999", year, "municipality"},
			{"another municipality's figures", f.other, "0034", year, opstap.EFORBIDDEN},
			{"a coach reads no figures", f.coach, "0034", year, opstap.EFORBIDDEN},
			{"an employer reads no figures", f.boss, "0034", year, opstap.EFORBIDDEN},
			{"the provider's finance any municipality", f.finance, "0995", year, ""},
			{"the own municipality", f.other, "0995", year, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.MunicipalityFigures(ctx, tt.actor, tt.cbs, tt.p)
				if got := fieldOrCode(err); got != tt.want {
					t.Fatalf("got %q (%v), want %q", got, err, tt.want)
				}
			})
		}
		own, err := db.FigureMunicipalities(ctx, f.manager)
		if err != nil || len(own) != 1 || own[0].CBS != "0034" {
			t.Fatalf("a case manager's municipalities: %v %+v", err, own)
		}
		all, err := db.FigureMunicipalities(ctx, f.finance)
		if err != nil || len(all) != 2 {
			t.Fatalf("finance's municipalities: %v %+v", err, all)
		}
	})
}
