package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/figures/figurestest"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestProviderFigures: the provider's management sees every municipality's
// figures beside those of the period before, and the total; a
// municipality's case manager may not (issue 10 item 8).
func TestProviderFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		today := figurestest.Today
		db.Now = func() time.Time { return time.Date(today.Year, today.Month, today.Day, 11, 0, 0, 0, time.UTC) }
		recs, err := history.ParseCSV(bytes.NewReader(figurestest.CSV), today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportHistory(ctx, f.manager, "0034", recs); err != nil {
			t.Fatal(err)
		}
		lelystad, err := history.ParseCSV(strings.NewReader("kind;candidate;date\nregistration;L1;2024-05-01\nregistration;L2;2023-05-01\nregistration;L3;2023-06-01\n"), today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportHistory(ctx, f.admin, "0995", lelystad); err != nil {
			t.Fatal(err)
		}
		got, err := db.ProviderFigures(ctx, f.finance, figurestest.Year)
		if err != nil {
			t.Fatal(err)
		}
		if got.Previous != (figures.Period{Start: opstap.Date{Year: 2023, Month: 1, Day: 1}, End: opstap.Date{Year: 2023, Month: 12, Day: 31}}) || len(got.Municipalities) != 2 {
			t.Fatalf("periods %v %v, %d municipalities", got.Period, got.Previous, len(got.Municipalities))
		}
		almere, lely := got.Municipalities[0], got.Municipalities[1]
		if almere.Municipality.CBS != "0034" || almere.Current != figurestest.WantYear() {
			t.Errorf("Almere now: %+v", almere.Current)
		}
		// 2023 by hand: r7 registered on 31 December (more than 3 years on
		// benefit), p1 placed on 15 November, c6 matchable and gone to work.
		prev := almere.Previous
		if prev.Registrations != 1 || prev.BenefitOver3Years.Count != 1 || prev.Placements != 1 || prev.MatchableOnEnd != 1 || prev.OutflowRegularWork != 1 {
			t.Errorf("Almere before: %+v", prev)
		}
		if lely.Municipality.CBS != "0995" || lely.Current.Registrations != 1 || lely.Previous.Registrations != 2 {
			t.Errorf("Lelystad: %+v", lely)
		}
		if got.Total.Current.Registrations != 7 || got.Total.Previous.Registrations != 3 || got.Total.Current.Placements != 6 ||
			got.Total.Current.AvgHoursPerMonth != figurestest.WantYear().AvgHoursPerMonth {
			t.Errorf("total: %+v", got.Total)
		}
		// May closed and read, then c1's history corrected: the view counts
		// May from its snapshot, like the dashboard.
		if err := db.ClosePeriod(ctx, f.finance, opstap.Month{Year: 2024, Month: 5}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ProviderFigures(ctx, f.finance, figurestest.Year); err != nil {
			t.Fatal(err)
		}
		fix, err := history.ParseCSV(strings.NewReader("kind;candidate;date;matchable\nmatchable;c1;2024-03-01;ja\n"), today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportHistory(ctx, f.manager, "0034", fix); err != nil {
			t.Fatal(err)
		}
		if again, err := db.ProviderFigures(ctx, f.finance, figurestest.Year); err != nil || again.Municipalities[0].Current.OutflowRegularWork != 2 {
			t.Errorf("after the correction: %v %+v", err, again.Municipalities[0].Current)
		}
		for _, tt := range []struct {
			name  string
			actor *opstap.Actor
			p     figures.Period
			want  string
		}{
			{"a municipality's case manager", f.manager, figurestest.Year, opstap.EFORBIDDEN},
			{"a coach", f.coach, figurestest.Year, opstap.EFORBIDDEN},
			{"end before start", f.admin, figures.Period{Start: figurestest.Year.End, End: figurestest.Year.Start}, "end"},
		} {
			if _, err := db.ProviderFigures(ctx, tt.actor, tt.p); fieldOrCode(err) != tt.want {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
			}
		}
	})
}
