package figures_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/figures/figurestest"
	"github.com/opstap/opstap/internal/history"
)

// dataset loads the hand-made dataset through the history import.
func dataset(t *testing.T) figures.Facts {
	t.Helper()
	recs, err := history.ParseCSV(bytes.NewReader(figurestest.CSV), figurestest.Today)
	if err != nil {
		t.Fatalf("the dataset does not import: %v", err)
	}
	return history.ToFacts(figurestest.CBS, recs).Figures(figurestest.Today)
}

func date(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestComputeYear(t *testing.T) {
	if got, want := figures.Compute(dataset(t), figurestest.Year), figurestest.WantYear(); got != want {
		t.Errorf("Compute =\n  %+v\nwant\n  %+v", got, want)
	}
}

func TestTrend(t *testing.T) {
	figurestest.CheckTrend(t, figures.Trend(dataset(t), figurestest.Year))
}

// TestTrendCutsThePeriod: the first and last months are cut to the period,
// so a placement starting before the period's first day is not counted in
// its first month.
func TestTrendCutsThePeriod(t *testing.T) {
	tr := figures.Trend(dataset(t), figures.Period{Start: date("2024-02-15"), End: date("2024-03-05")})
	if len(tr) != 2 {
		t.Fatalf("Trend has %d months, want 2", len(tr))
	}
	if tr[0].Start != date("2024-02-15") || tr[0].End != date("2024-02-29") || tr[1].Start != date("2024-03-01") || tr[1].End != date("2024-03-05") {
		t.Errorf("months = %v %v, want 15–29 February and 1–5 March", tr[0].Period, tr[1].Period)
	}
	// March 1–5: p4 starts, no registration (c9 registers on 10 March).
	if tr[1].Placements != 1 || tr[1].Registrations != 0 || tr[0].Placements != 1 {
		t.Errorf("placements %d, %d and registrations %d, want 1, 1 and 0", tr[0].Placements, tr[1].Placements, tr[1].Registrations)
	}
}

func TestEmptyPeriod(t *testing.T) {
	p := figures.Period{Start: date("2030-01-01"), End: date("2030-01-31")}
	got := figures.Compute(dataset(t), p)
	// c1 c5 c6 and c4 (from 2025) stay matchable; c9 no more from 1 March 2025.
	want := figures.Figures{Period: p, MatchableOnEnd: 4}
	if got != want {
		t.Errorf("Compute = %+v, want %+v", got, want)
	}
}

// TestErasedAfterThePeriod: a candidate erased after the period still
// counts in its figures; from the day of the erasure they are matchable no
// more.
func TestErasedAfterThePeriod(t *testing.T) {
	f := dataset(t)
	f.Erased = map[string]opstap.Date{history.CandidateID(figurestest.CBS, "c1"): date("2025-01-10")}
	if got, want := figures.Compute(f, figurestest.Year), figurestest.WantYear(); got != want {
		t.Errorf("Compute =\n  %+v\nwant\n  %+v", got, want)
	}
	// c4 c5 c6 c9; c1 erased.
	if got := figures.Compute(f, figures.Period{Start: date("2025-01-01"), End: date("2025-01-31")}); got.MatchableOnEnd != 4 {
		t.Errorf("matchable on 31 January 2025 = %d, want 4", got.MatchableOnEnd)
	}
	// On the day before the erasure c1 still counts: c1 c4 c5 c6 c9.
	if got := figures.Compute(f, figures.Period{Start: date("2025-01-01"), End: date("2025-01-09")}); got.MatchableOnEnd != 5 {
		t.Errorf("matchable on 9 January 2025 = %d, want 5", got.MatchableOnEnd)
	}
}

// TestPlacementFacts: the rows behind the year's placement figures, by
// first day, each with L, its days and approved minutes as counted by hand.
func TestPlacementFacts(t *testing.T) {
	rows := figures.PlacementFacts(dataset(t), figurestest.Year)
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %d %d %s %t%t%t %t", strings.TrimPrefix(r.ID, "history:0034:placement:"), r.Last, r.Days, r.ApprovedMinutes,
			r.Months.String(), r.Over3Months, r.Over6Months, r.Over24Hours, r.Running))
	}
	want := []string{
		"p2 2024-04-30 91 14640 3.0 truefalsefalse false",
		"p3 2024-05-28 90 17400 3.0 falsefalsetrue false",
		"p4 2024-09-01 185 24100 6.1 truetruefalse false",
		"p8 2024-08-02 61 6200 2.0 falsefalsefalse false",
		"p5 2024-12-31 92 21000 3.0 falsefalsetrue true", // running: L is the period's end, January's hours after it
		"p6 2025-02-15 47 11100 1.5 falsefalsetrue false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// 94,440 minutes over 566 days, as the year's figures say.
	var minutes int64
	days := 0
	for _, r := range rows {
		minutes, days = minutes+r.ApprovedMinutes, days+r.Days
	}
	if minutes != 94440 || days != 566 {
		t.Errorf("%d minutes over %d days, want 94,440 over 566", minutes, days)
	}
}

// TestComputeMonths: the year put together from the facts of its months
// gives the same figures and trend as from the year's facts, so a month
// may count from its frozen facts (item 7).
func TestComputeMonths(t *testing.T) {
	f := dataset(t)
	got, trend := figures.ComputeMonths(f.ByMonth(figurestest.Year), figurestest.Year)
	if got != figurestest.WantYear() {
		t.Errorf("Compute =\n  %+v\nwant\n  %+v", got, figurestest.WantYear())
	}
	figurestest.CheckTrend(t, trend)
	// Each month's own facts, as a snapshot keeps them, count the same.
	own := map[opstap.Month]figures.Facts{}
	for m := range f.ByMonth(figurestest.Year) {
		own[m] = f.Month(m)
	}
	got, trend = figures.ComputeMonths(own, figurestest.Year)
	if got != figurestest.WantYear() {
		t.Errorf("from the months' own facts =\n  %+v\nwant\n  %+v", got, figurestest.WantYear())
	}
	figurestest.CheckTrend(t, trend)
	// A period cut at both ends: the same as Compute and Trend.
	p := figures.Period{Start: date("2024-02-15"), End: date("2024-05-15")}
	got, trend = figures.ComputeMonths(f.ByMonth(p), p)
	want, wantTrend := figures.Compute(f, p), figures.Trend(f, p)
	if got != want || fmt.Sprint(trend) != fmt.Sprint(wantTrend) {
		t.Errorf("cut period: %+v\nwant %+v\ntrend %v\nwant  %v", got, want, trend, wantTrend)
	}
}

// TestDrillDown: the records behind the year's figures are the ones
// counted by hand.
func TestDrillDown(t *testing.T) {
	r := figures.DrillDown(dataset(t), figurestest.Year)
	ref := func(id string) string { return strings.TrimPrefix(id, "history:0034:") }
	var regs, outs []string
	for _, x := range r.Registrations {
		regs = append(regs, ref(x.Candidate))
	}
	for _, x := range r.Outflows {
		outs = append(outs, ref(x.Candidate)+" "+x.On.String())
	}
	var matchable []string
	for _, id := range r.Matchable {
		matchable = append(matchable, ref(id))
	}
	if got := strings.Join(regs, " "); got != "r1 r2 c9 r4 r5 r6" {
		t.Errorf("registrations %s", got)
	}
	if got := strings.Join(matchable, " "); got != "c1 c5 c6 c9" {
		t.Errorf("matchable %s", got)
	}
	if got := strings.Join(outs, ", "); got != "c1 2024-05-01, c9 2024-08-02, c9 2024-09-10" {
		t.Errorf("outflow %s", got)
	}
	if len(r.Placements) != 6 {
		t.Errorf("%d placements", len(r.Placements))
	}
}
