package demo

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestDemoHistory: Almere's made-up past passes the import's checks on any
// day, also at a month's end and on 29 February, and gives every month of
// the default dashboard period registrations and the year placements with
// hours, durations and outflow, so the charts have a shape.
func TestDemoHistory(t *testing.T) {
	for _, today := range []opstap.Date{{Year: 2026, Month: 12, Day: 6}, {Year: 2028, Month: 2, Day: 29}, {Year: 2027, Month: 1, Day: 31}} {
		recs := demoHistory(today)
		if err := history.Validate(recs, today); err != nil {
			t.Fatalf("%s: %v", today, err)
		}
		f := history.ToFacts("0034", recs).Figures(today)
		p := figures.Period{Start: opstap.MonthOf(today).Add(-11).First(), End: today}
		year := figures.Compute(f, p)
		if year.Registrations < 40 || year.Placements < 15 || year.PlacementsOver3Months == 0 || year.PlacementsOver24Hours == 0 ||
			year.AvgHoursPerMonth == 0 || year.OutflowRegularWork == 0 || year.MatchableOnEnd < 10 || year.BenefitOver1Year.Count == 0 {
			t.Errorf("%s: the year's figures %+v", today, year)
		}
		empty := 0
		for _, m := range figures.Trend(f, p)[:11] {
			if m.Registrations == 0 {
				empty++
			}
		}
		if empty > 2 {
			t.Errorf("%s: %d of the last 11 months without registrations", today, empty)
		}
		if len(recs) > 800 {
			t.Errorf("%s: %d records; keep the demo cheap", today, len(recs))
		}
	}
}

// BenchmarkDemoHistory measures what Almere's past adds to every demo load:
// checking and importing its records into a fresh SQLite database.
func BenchmarkDemoHistory(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b, store.SQLite)
		if err := db.CreateOrganisation(ctx, &opstap.Actor{System: true}, &account.Organisation{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality, CBSCode: "0034"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := loadHistory(ctx, db, nil); err != nil {
			b.Fatal(err)
		}
	}
}
