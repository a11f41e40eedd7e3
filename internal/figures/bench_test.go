package figures_test

import (
	"fmt"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
)

// benchFacts are facts of the dashboard benchmark's size (10,000
// candidates, 20,000 placements with minutes in four months each) in
// memory, to measure the Go part of the dashboard alone.
func benchFacts() (figures.Facts, figures.Period) {
	first := opstap.Date{Year: 2024, Month: 1, Day: 1}
	f := figures.Facts{Erased: map[string]opstap.Date{}}
	for i := range 10000 {
		id := fmt.Sprintf("c%05d", i)
		reg := first.AddDays(i % 730)
		f.Registrations = append(f.Registrations, figures.Registration{Candidate: id, RegisteredOn: reg, OnBenefit: true, BenefitMonths: i % 60})
		f.Matchable = append(f.Matchable, figures.MatchableChange{Candidate: id, On: reg.AddDays(5), Seq: 1, Matchable: true})
		if i%3 == 0 {
			f.Matchable = append(f.Matchable, figures.MatchableChange{Candidate: id, On: reg.AddDays(90), Seq: 2})
		}
		for j := range 2 {
			start := reg.AddDays(10 + 120*j)
			p := figures.Placement{ID: fmt.Sprintf("p%05d-%d", i, j), Candidate: id, First: start, Last: start.AddDays(99), HoursPerWeek: 16 + i%20,
				Minutes: map[opstap.Month]int64{}}
			for m := opstap.MonthOf(start); !m.After(opstap.MonthOf(p.Last)); m = m.Next() {
				p.Minutes[m] = 4800
			}
			f.Placements = append(f.Placements, p)
		}
	}
	return f, figures.Period{Start: first.AddMonths(12), End: first.AddMonths(24).AddDays(-1)}
}

// BenchmarkComputeTrend is the dashboard's Go work before the months were
// split (Compute and Trend over the period's facts).
func BenchmarkComputeTrend(b *testing.B) {
	f, p := benchFacts()
	for b.Loop() {
		figures.Compute(f, p)
		figures.Trend(f, p)
	}
}

// BenchmarkComputeMonths is the dashboard's Go work now: the facts split
// into months (a closed month would come from its snapshot), then the
// period and each month computed.
func BenchmarkComputeMonths(b *testing.B) {
	f, p := benchFacts()
	for b.Loop() {
		figures.ComputeMonths(f.ByMonth(p), p)
	}
}
