package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/trajectory"
)

func init() { loaders = append(loaders, loadHistory) }

// historyCandidates is how many candidates Almere's past holds: enough for
// charts with a shape, few enough that every test loading the demo hardly
// notices (docs/benchmarks.md, BenchmarkLoad).
const historyCandidates = 80

// loadHistory gives Almere a past from before Opstap: fifteen months of
// registrations, matchable status, placements with their approved hours,
// and outflow, up to the end of last month, imported the way a
// municipality brings its history (docs/history-import.md). So a newcomer
// opening the figures sees a year of real charts. The history is made up
// from a fixed seed, so every demo shows the same.
func loadHistory(ctx context.Context, db *store.DB, _ *Data) error {
	today := opstap.DateOf(db.Now())
	recs := demoHistory(today)
	if err := history.Validate(recs, today); err != nil {
		return err
	}
	_, err := db.ImportHistory(ctx, &opstap.Actor{System: true}, "0034", recs)
	return err
}

// demoHistory makes up the records of Almere's past up to the last day of
// the month before today.
func demoHistory(today opstap.Date) []history.Record {
	rng := rand.New(rand.NewPCG(34, 2026))
	end := opstap.MonthOf(today).First().AddDays(-1)
	first := opstap.MonthOf(today).Add(-15).First()
	span := first.DaysUntil(end) + 1
	yes, no := true, false
	var recs []history.Record
	add := func(r history.Record) { recs = append(recs, r) }
	placed := 0
	for i := range historyCandidates {
		ref := fmt.Sprintf("ALM-%04d", 1001+i)
		reg := first.AddDays(rng.IntN(span))
		r := history.Record{Kind: history.KindRegistration, Candidate: ref, Date: reg}
		if rng.IntN(100) >= 15 { // most are on benefit, a third of them less than a year
			months := rng.IntN(12)
			if rng.IntN(3) > 0 {
				months = 12 + rng.IntN(61)
			}
			r.BenefitStart = reg.AddMonths(-months).AddDays(-rng.IntN(28))
		}
		add(r)
		if rng.IntN(100) >= 70 {
			continue
		}
		on := reg.AddDays(5 + rng.IntN(26))
		if on.After(end) {
			continue
		}
		add(history.Record{Kind: history.KindMatchable, Candidate: ref, Date: on, Matchable: &yes})
		from := on.AddDays(10 + rng.IntN(50))
		if rng.IntN(100) < 25 { // a pause: off for a while, then on again
			off := on.AddDays(20 + rng.IntN(60))
			if back := off.AddDays(14 + rng.IntN(30)); !back.After(end) {
				add(history.Record{Kind: history.KindMatchable, Candidate: ref, Date: off, Matchable: &no})
				add(history.Record{Kind: history.KindMatchable, Candidate: ref, Date: back, Matchable: &yes})
				from = back.AddDays(7 + rng.IntN(30))
			}
		}
		if rng.IntN(100) >= 65 || from.After(end) {
			continue
		}
		placed++
		recs = append(recs, demoPlacement(rng, ref, fmt.Sprintf("PL-%04d", placed), from, end)...)
	}
	return recs
}

// demoPlacement is a placement from first of 1 to 9 months with its
// approved hours per month worked up to end, and, when it led to regular
// work, the trajectory's end.
func demoPlacement(rng *rand.Rand, cand, ref string, first, end opstap.Date) []history.Record {
	hours := []int{12, 16, 20, 24, 28, 32, 36}[rng.IntN(7)]
	last := first.AddMonths(1 + rng.IntN(9)).AddDays(-1 - rng.IntN(10))
	p := history.Record{Kind: history.KindPlacement, Candidate: cand, Placement: ref, FirstDay: first, LastDay: last, HoursPerWeek: hours}
	if !last.After(end) {
		switch n := rng.IntN(100); {
		case n < 30:
			p.Outcome = flex.OutcomeRegularWork
		case n < 50:
			p.Outcome = flex.OutcomeEndedEarly
		default:
			p.Outcome = flex.OutcomeCompleted
		}
	}
	recs := []history.Record{p}
	for m := opstap.MonthOf(first); !m.After(opstap.MonthOf(last)) && !m.After(opstap.MonthOf(end)); m = m.Next() {
		from, to := m.First(), m.Last()
		if from.Before(first) {
			from = first
		}
		if to.After(last) {
			to = last
		}
		if to.After(end) {
			to = end
		}
		// The contract's hours over the days worked, 80–100 % of them approved.
		days := from.DaysUntil(to) + 1
		minutes := hours * 60 * days * (80 + rng.IntN(21)) / (7 * 100)
		if minutes > 0 {
			recs = append(recs, history.Record{Kind: history.KindHours, Placement: ref, Month: m, Hours: opstap.Minutes(minutes).String()})
		}
	}
	// Placed, the candidate is not matchable; back on after a placement that
	// did not lead to regular work, gone to work after one that did.
	no, yes := false, true
	recs = append(recs, history.Record{Kind: history.KindMatchable, Candidate: cand, Date: first, Matchable: &no})
	switch {
	case !last.Before(end):
	case p.Outcome == flex.OutcomeRegularWork:
		recs = append(recs, history.Record{Kind: history.KindEnd, Candidate: cand, Date: last.AddDays(1), Reason: trajectory.EndRegularWork})
	default:
		recs = append(recs, history.Record{Kind: history.KindMatchable, Candidate: cand, Date: last.AddDays(1), Matchable: &yes})
	}
	return recs
}
