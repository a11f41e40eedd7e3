package figures

import (
	"testing"

	"github.com/opstap/opstap"
)

func day(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func month(s string) opstap.Month {
	m, err := opstap.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func TestMonthsOnBenefit(t *testing.T) {
	tests := []struct {
		start, registered string
		want              int
	}{
		{"2023-02-28", "2024-02-29", 12},
		{"2023-03-31", "2024-02-29", 11}, // 31 March + 11 months = 29 February
		{"2024-02-29", "2025-02-28", 12}, // 29 February + 12 months = 28 February
		{"2024-02-29", "2025-02-27", 11},
		{"2021-06-15", "2024-06-15", 36},
		{"2021-06-16", "2024-06-15", 35},
		{"2024-01-31", "2024-02-29", 1},
		{"2024-01-31", "2024-02-28", 0},
		{"2024-05-01", "2024-04-30", 0}, // benefit after registration
		{"", "2024-04-30", 0},
	}
	for _, tt := range tests {
		var start opstap.Date
		if tt.start != "" {
			start = day(tt.start)
		}
		if got := MonthsOnBenefit(start, day(tt.registered)); got != tt.want {
			t.Errorf("MonthsOnBenefit(%s, %s) = %d, want %d", tt.start, tt.registered, got, tt.want)
		}
	}
}

func TestLongerThan(t *testing.T) {
	tests := []struct {
		first, last string
		n           int
		want        bool
	}{
		{"2024-01-31", "2024-04-30", 3, true}, // month-end start: + 3 months = 30 April
		{"2024-01-31", "2024-04-29", 3, false},
		{"2024-02-29", "2024-05-28", 3, false},
		{"2024-02-29", "2024-05-29", 3, true},
		{"2023-11-30", "2024-02-29", 3, true},
		{"2023-11-30", "2024-02-28", 3, false},
		{"2024-03-01", "2024-09-01", 6, true},
		{"2024-03-01", "2024-08-31", 6, false},
	}
	for _, tt := range tests {
		if got := LongerThan(day(tt.first), day(tt.last), tt.n); got != tt.want {
			t.Errorf("LongerThan(%s, %s, %d) = %t, want %t", tt.first, tt.last, tt.n, got, tt.want)
		}
	}
}

func TestPeriodValidate(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		field      string
	}{
		{"a year", "2024-01-01", "2024-12-31", ""},
		{"one day", "2024-02-29", "2024-02-29", ""},
		{"no start", "", "2024-12-31", "start"},
		{"no end", "2024-01-01", "", "end"},
		{"end before start", "2024-12-31", "2024-01-01", "end"},
		{"ten years", "2015-01-01", "2024-12-31", ""},
		{"too long", "2015-01-01", "2025-01-01", "end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Period
			if tt.start != "" {
				p.Start = day(tt.start)
			}
			if tt.end != "" {
				p.End = day(tt.end)
			}
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if e := opstap.AsError(err); e == nil || e.Field != tt.field {
				t.Fatalf("Validate() = %v, want an error on field %q", err, tt.field)
			}
		})
	}
}

func reg(id, registered, benefitStart string) Registration {
	r := Registration{Candidate: id, RegisteredOn: day(registered)}
	if benefitStart != "" {
		r.OnBenefit, r.BenefitMonths = true, MonthsOnBenefit(day(benefitStart), r.RegisteredOn)
	}
	return r
}

func change(id, on string, seq int64, matchable bool) MatchableChange {
	return MatchableChange{Candidate: id, On: day(on), Seq: seq, Matchable: matchable}
}

func placement(id, cand, first, last string, running bool, hours int, minutes map[string]int64) Placement {
	p := Placement{ID: id, Candidate: cand, First: day(first), Last: day(last), Running: running, HoursPerWeek: hours,
		Minutes: map[opstap.Month]int64{}}
	for m, n := range minutes {
		p.Minutes[month(m)] = n
	}
	return p
}

// dataset is a municipality's year 2024 (a leap year), made by hand. The
// expected figures in the tests below were computed by hand from it; the
// comments give the sums.
func dataset() Facts {
	return Facts{
		Registrations: []Registration{
			reg("r1", "2024-02-29", "2023-02-28"), // 12 months: > 1 year
			reg("r2", "2024-02-29", "2023-03-31"), // 11 months
			reg("r4", "2024-06-15", "2021-06-15"), // 36: > 3 years
			reg("r5", "2024-06-15", "2021-06-16"), // 35: > 1 year only
			reg("r6", "2024-12-31", ""),           // no benefit
			reg("r7", "2023-12-31", "2010-01-01"), // before the period
			reg("r8", "2025-01-01", "2010-01-01"), // after it
			reg("c9", "2024-03-10", "2020-01-01"), // 50 months; erased after the period
		},
		Matchable: []MatchableChange{
			change("c1", "2024-03-01", 1, true),
			change("c1", "2024-05-10", 2, false), // back and forth within May
			change("c1", "2024-05-20", 3, true),
			change("c2", "2024-07-01", 2, false), // the same day: seq decides
			change("c2", "2024-07-01", 1, true),
			change("c3", "2024-04-01", 1, true), // erased on 15 November
			change("c4", "2025-01-05", 1, true), // after the period
			change("c5", "2024-12-31", 1, true), // on the last day
			change("c6", "2023-06-01", 1, true), // before the period, never changed
			change("c7", "2024-08-03", 1, true),
			change("c7", "2024-08-20", 2, false),
			change("c9", "2024-04-01", 1, true),
		},
		Erased: map[string]opstap.Date{"c3": day("2024-11-15"), "c9": day("2025-03-01")},
		Placements: []Placement{
			// Before the period: not counted.
			placement("p1", "c1", "2023-11-15", "2024-03-31", false, 20, map[string]int64{"2023-11": 3000, "2024-03": 3000}),
			// Month-end start: 31 January + 3 months = 30 April, so > 3 months; 91 days.
			placement("p2", "c1", "2024-01-31", "2024-04-30", false, 20, map[string]int64{"2024-01": 240, "2024-02": 4800, "2024-03": 4800, "2024-04": 4800}),
			// 29 February + 3 months = 29 May: not > 3 months; 90 days; 28 hours.
			placement("p3", "c2", "2024-02-29", "2024-05-28", false, 28, map[string]int64{"2024-03": 6000, "2024-04": 6000, "2024-05": 5400}),
			// Exactly + 6 months: > 3 and > 6; 24 hours is not above 24; 185 days.
			placement("p4", "c3", "2024-03-01", "2024-09-01", false, 24, map[string]int64{"2024-03": 4000, "2024-04": 4000, "2024-05": 4000, "2024-06": 4000, "2024-07": 4000, "2024-08": 4000, "2024-09": 100}),
			// Still running: L is the period's end, 92 days; January 2025's hours fall after L.
			placement("p5", "c1", "2024-10-01", "2025-03-31", true, 32, map[string]int64{"2024-10": 7000, "2024-11": 7000, "2024-12": 7000, "2025-01": 7000}),
			// Starts on the last day, ended after the period: its own L, 47 days.
			placement("p6", "c4", "2024-12-31", "2025-02-15", false, 30, map[string]int64{"2024-12": 300, "2025-01": 7200, "2025-02": 3600}),
			// After the period: not counted.
			placement("p7", "c5", "2025-01-02", "2025-02-02", false, 40, nil),
			// The erased candidate's: 61 days.
			placement("p8", "c9", "2024-06-03", "2024-08-02", false, 12, map[string]int64{"2024-06": 3000, "2024-07": 3000, "2024-08": 200}),
		},
		Outflows: []Outflow{
			{Candidate: "c1", On: day("2024-05-01")},
			{Candidate: "c9", On: day("2024-08-02")},
			{Candidate: "c9", On: day("2024-09-10")}, // the same candidate again
			{Candidate: "c2", On: day("2025-01-01")},
			{Candidate: "c6", On: day("2023-12-31")},
		},
	}
}

func TestComputeYear(t *testing.T) {
	p := Period{Start: day("2024-01-01"), End: day("2024-12-31")}
	got := Compute(dataset(), p)
	want := Figures{
		Period:        p,
		Registrations: 6, // r1 r2 r4 r5 r6 c9
		// r1 r4 r5 c9 of 6 = 66.7 %; r4 c9 of 6 = 33.3 %
		BenefitOver1Year:  Share{Count: 4, Percent: 67},
		BenefitOver3Years: Share{Count: 2, Percent: 33},
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
	if got != want {
		t.Errorf("Compute =\n  %+v\nwant\n  %+v", got, want)
	}
}

func TestTrend(t *testing.T) {
	f := dataset()
	p := Period{Start: day("2024-01-01"), End: day("2024-12-31")}
	tr := Trend(f, p)
	if len(tr) != 12 {
		t.Fatalf("Trend has %d months, want 12", len(tr))
	}
	tests := []struct {
		month string
		want  Figures
	}{
		// p2 alone: 14,640 minutes over 91 days (2.9897 months): 81.61 h/month.
		{"2024-01", Figures{Placements: 1, PlacementsOver3Months: 1, UniquePlacedCandidates: 1, MatchableOnEnd: 1,
			AvgHoursPerMonth: 816, AvgDurationMonths: 30}},
		// r1 (12 months) and r2 (11) on 29 February; p3: 17,400 minutes over 90 days: 98.08.
		{"2024-02", Figures{Registrations: 2, BenefitOver1Year: Share{1, 50}, Placements: 1, PlacementsOver24Hours: 1,
			UniquePlacedCandidates: 1, MatchableOnEnd: 1, AvgHoursPerMonth: 981, AvgDurationMonths: 30}},
		// c1 off on 10 May and on again on 20 May: c1 c3 c6 c9.
		{"2024-05", Figures{MatchableOnEnd: 4, OutflowRegularWork: 1}},
		// c7 on and off within August: c1 c3 c6 c9.
		{"2024-08", Figures{MatchableOnEnd: 4, OutflowRegularWork: 1}},
		// p5 running: L is 31 October, 31 days; only October's 7,000 minutes: 114.55.
		{"2024-10", Figures{Placements: 1, PlacementsOver24Hours: 1, UniquePlacedCandidates: 1, MatchableOnEnd: 4,
			AvgHoursPerMonth: 1145, AvgDurationMonths: 10}},
		// c3 erased on 15 November: c1 c6 c9.
		{"2024-11", Figures{MatchableOnEnd: 3}},
		// r6 without benefit; p6: 11,100 minutes over 47 days: 119.81; c5 matchable on the last day.
		{"2024-12", Figures{Registrations: 1, BenefitOver1Year: Share{0, 0}, Placements: 1, PlacementsOver24Hours: 1,
			UniquePlacedCandidates: 1, MatchableOnEnd: 4, AvgHoursPerMonth: 1198, AvgDurationMonths: 15}},
	}
	for _, tt := range tests {
		m := month(tt.month)
		var got *Month
		for i := range tr {
			if tr[i].Month == m {
				got = &tr[i]
			}
		}
		if got == nil {
			t.Fatalf("no month %s in the trend", tt.month)
		}
		tt.want.Period = Period{Start: m.First(), End: m.Last()}
		if got.Figures != tt.want {
			t.Errorf("%s =\n  %+v\nwant\n  %+v", tt.month, got.Figures, tt.want)
		}
	}
}

// TestTrendCutsThePeriod: the first and last months are cut to the period,
// so a placement starting before the period's first day is not counted in
// its first month.
func TestTrendCutsThePeriod(t *testing.T) {
	tr := Trend(dataset(), Period{Start: day("2024-02-15"), End: day("2024-03-05")})
	if len(tr) != 2 {
		t.Fatalf("Trend has %d months, want 2", len(tr))
	}
	if tr[0].Start != day("2024-02-15") || tr[0].End != day("2024-02-29") || tr[1].Start != day("2024-03-01") || tr[1].End != day("2024-03-05") {
		t.Errorf("months = %v %v, want 15–29 February and 1–5 March", tr[0].Period, tr[1].Period)
	}
	// March 1–5: p4 starts, no registration (c9 registers on 10 March).
	if tr[1].Placements != 1 || tr[1].Registrations != 0 || tr[0].Placements != 1 {
		t.Errorf("placements %d, %d and registrations %d, want 1, 1 and 0", tr[0].Placements, tr[1].Placements, tr[1].Registrations)
	}
}

func TestEmptyPeriod(t *testing.T) {
	p := Period{Start: day("2030-01-01"), End: day("2030-01-31")}
	got := Compute(dataset(), p)
	// c1 c5 c6 and c4 (from 2025) stay matchable; c9 was erased in 2025.
	want := Figures{Period: p, MatchableOnEnd: 4}
	if got != want {
		t.Errorf("Compute = %+v, want %+v", got, want)
	}
}

func TestTenths(t *testing.T) {
	tests := []struct {
		t           Tenths
		text, dutch string
	}{
		{846, "84.6", "84,6"}, {30, "3.0", "3,0"}, {0, "0.0", "0,0"}, {1145, "114.5", "114,5"},
	}
	for _, tt := range tests {
		b, _ := tt.t.MarshalJSON()
		if tt.t.String() != tt.text || tt.t.Dutch() != tt.dutch || string(b) != tt.text {
			t.Errorf("%d: %q %q %s, want %q %q", tt.t, tt.t.String(), tt.t.Dutch(), b, tt.text, tt.dutch)
		}
	}
}

func TestWholePercent(t *testing.T) {
	tests := []struct{ part, whole, want int }{
		{0, 0, 0}, {1, 2, 50}, {2, 3, 67}, {1, 3, 33}, {1, 200, 1}, {1, 201, 0}, {288, 288, 100},
	}
	for _, tt := range tests {
		if got := wholePercent(tt.part, tt.whole); got != tt.want {
			t.Errorf("wholePercent(%d, %d) = %d, want %d", tt.part, tt.whole, got, tt.want)
		}
	}
}
