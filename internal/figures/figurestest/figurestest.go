// Package figurestest holds the hand-made dataset of the municipality's
// figures (issue 10): a municipality's year 2024 (a leap year) as a history
// import file, and the figures computed from it by hand. The pure tests of
// internal/figures and the store's tests on both engines load it through
// the history import (internal/history), so the import and the figures are
// checked against the same hand-computed values.
package figurestest

import (
	_ "embed"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
)

// CSV is the dataset as a history file (docs/history-import.md). Its
// candidates and placements, by reference:
//
//   - registrations r1, r2 on 29 February 2024 (12 and 11 months on benefit),
//     r4, r5 on 15 June (36 and 35 months), r6 on 31 December without benefit,
//     r7 before the year, r8 after it, c9 on 10 March (50 months);
//   - matchable: c1 on 1 March, off on 10 May and on again on 20 May; c2 on and
//     off on 1 July (the file's order decides); c3 from 1 April until 15
//     November; c4 from 2025; c5 on 31 December; c6 since 2023; c7 on and off
//     in August; c9 from 1 April until 1 March 2025;
//   - placements p1 (before the year), p2 from 31 January (a month-end start),
//     p3 from 29 February, p4 exactly 6 months, p5 still running on Today, p6
//     starting on the year's last day and ending in 2025, p7 after the year,
//     p8 of c9 in the summer;
//   - ends for regular work: c1 in May, c9 twice (August, September), c2 in
//     2025, c6 in 2023; c7's end of term in October does not count.
//
//go:embed dataset.csv
var CSV []byte

// CBS is the municipality the dataset is imported for (Almere).
const CBS = "0034"

// Today is the day the dataset is imported and counted on: p5 still runs,
// every other placement has ended.
var Today = opstap.Date{Year: 2025, Month: 3, Day: 1}

// Year is the period the figures are computed for.
var Year = figures.Period{Start: opstap.Date{Year: 2024, Month: 1, Day: 1}, End: opstap.Date{Year: 2024, Month: 12, Day: 31}}

// WantYear are the year's figures, computed by hand.
func WantYear() figures.Figures {
	return figures.Figures{
		Period:        Year,
		Registrations: 6, // r1 r2 r4 r5 r6 c9
		// r1 r4 r5 c9 of 6 = 66.7 %; r4 c9 of 6 = 33.3 %
		BenefitOver1Year:  figures.Share{Count: 4, Percent: 67},
		BenefitOver3Years: figures.Share{Count: 2, Percent: 33},
		MatchableOnEnd:    4, // c1 c5 c6 c9
		Placements:        6, // p2 p3 p4 p5 p6 p8
		// p2 p4; p4; p3 p5 p6
		PlacementsOver3Months: 2,
		PlacementsOver6Months: 1,
		PlacementsOver24Hours: 3,
		// c1 c2 c3 c4 c9
		UniquePlacedCandidates: 5,
		// 94,440 minutes = 1,574 hours over 566 days = 18.5955 months: 84.64
		AvgHoursPerMonth: 846,
		// 18.5955 months / 6 = 3.099
		AvgDurationMonths:  31,
		OutflowRegularWork: 2, // c1, c9 (twice)
	}
}

// WantMonths are figures of months of the year's trend, computed by hand
// (Period left out: each is its whole month).
func WantMonths() map[opstap.Month]figures.Figures {
	type F = figures.Figures
	return map[opstap.Month]figures.Figures{
		// p2 alone: 14,640 minutes over 91 days (2.9897 months): 81.61 h/month.
		{Year: 2024, Month: 1}: {Placements: 1, PlacementsOver3Months: 1, UniquePlacedCandidates: 1, MatchableOnEnd: 1,
			AvgHoursPerMonth: 816, AvgDurationMonths: 30},
		// r1 (12 months) and r2 (11) on 29 February; p3: 17,400 minutes over 90 days: 98.08.
		{Year: 2024, Month: 2}: {Registrations: 2, BenefitOver1Year: figures.Share{Count: 1, Percent: 50}, Placements: 1,
			PlacementsOver24Hours: 1, UniquePlacedCandidates: 1, MatchableOnEnd: 1, AvgHoursPerMonth: 981, AvgDurationMonths: 30},
		// c1 off on 10 May and on again on 20 May: c1 c3 c6 c9.
		{Year: 2024, Month: 5}: F{MatchableOnEnd: 4, OutflowRegularWork: 1},
		// c7 on and off within August: c1 c3 c6 c9.
		{Year: 2024, Month: 8}: F{MatchableOnEnd: 4, OutflowRegularWork: 1},
		// p5 running: L is 31 October, 31 days; only October's 7,000 minutes: 114.55.
		{Year: 2024, Month: 10}: {Placements: 1, PlacementsOver24Hours: 1, UniquePlacedCandidates: 1, MatchableOnEnd: 4,
			AvgHoursPerMonth: 1145, AvgDurationMonths: 10},
		// c3 no longer matchable from 15 November: c1 c6 c9.
		{Year: 2024, Month: 11}: F{MatchableOnEnd: 3},
		// r6 without benefit; p6: 11,100 minutes over 47 days: 119.81; c5 matchable on the last day.
		{Year: 2024, Month: 12}: {Registrations: 1, Placements: 1, PlacementsOver24Hours: 1,
			UniquePlacedCandidates: 1, MatchableOnEnd: 4, AvgHoursPerMonth: 1198, AvgDurationMonths: 15},
	}
}

// CheckTrend compares the months of the year's trend with the
// hand-computed ones.
func CheckTrend(t testing.TB, tr []figures.Month) {
	t.Helper()
	if len(tr) != 12 {
		t.Fatalf("the trend has %d months, want 12", len(tr))
	}
	for m, want := range WantMonths() {
		var got *figures.Month
		for i := range tr {
			if tr[i].Month == m {
				got = &tr[i]
			}
		}
		if got == nil {
			t.Fatalf("no month %s in the trend", m)
		}
		want.Period = figures.Period{Start: m.First(), End: m.Last()}
		if got.Figures != want {
			t.Errorf("%s =\n  %+v\nwant\n  %+v", m, got.Figures, want)
		}
	}
}
