package mgmtreport

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
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

// facts is a hand-made municipality: the expected figures in the tests
// below were worked out by hand from it (see the comments there).
func facts() Facts {
	terms := billing.DefaultTerms("0034", day("2025-01-01"))
	terms.TravelRule, terms.TravelPerKm = billing.TravelPerKm, 21
	ch := func(s string, st flex.Status) StatusChange { return StatusChange{On: day(s), Status: st} }
	return Facts{
		Municipality: "0034", MunicipalityName: "Almere", Terms: []billing.Terms{terms},
		Placements: []Placement{
			{ID: "p1", CandidateID: "c1", FirstDay: day("2026-01-05"), LastDay: day("2026-04-04"), HoursPerWeek: 32, AssignmentTitle: "Magazijn"},
			{ID: "p2", CandidateID: "c2", FirstDay: day("2026-02-10"), LastDay: day("2026-02-20"), HoursPerWeek: 24, Ended: true},
			{ID: "p3", CandidateID: "c2", FirstDay: day("2026-02-23"), LastDay: day("2026-08-22"), HoursPerWeek: 20},
			{ID: "p4", CandidateID: "c3", FirstDay: day("2025-08-01"), LastDay: day("2026-02-28"), HoursPerWeek: 20, ExtendedUntil: day("2026-02-28")},
			{ID: "p5", CandidateID: "c4", FirstDay: day("2026-03-02"), LastDay: day("2026-06-01"), HoursPerWeek: 32},
			{ID: "p6", CandidateID: "c5", FirstDay: day("2025-10-01"), LastDay: day("2025-12-31"), HoursPerWeek: 16, Ended: true},
		},
		Assignments: []Assignment{
			{ID: "a1", Changes: []StatusChange{ch("2026-01-02", flex.StatusDraft), ch("2026-01-03", flex.StatusOpen), ch("2026-01-05", flex.StatusFilled)}},
			{ID: "a2", Changes: []StatusChange{ch("2026-02-01", flex.StatusDraft), ch("2026-02-02", flex.StatusOpen)}},
			{ID: "a3", Changes: []StatusChange{ch("2025-12-01", flex.StatusOpen), ch("2026-02-15", flex.StatusClosed)}},
			{ID: "a4", Changes: []StatusChange{ch("2026-02-20", flex.StatusDraft), ch("2026-03-01", flex.StatusOpen)}},
		},
		Hours: []HourLine{
			{PlacementID: "p1", CandidateID: "c1", Day: day("2026-01-30"), Month: month("2026-01"), Minutes: 480, Rate: 1175},
			{PlacementID: "p1", CandidateID: "c1", Day: day("2026-02-02"), Month: month("2026-02"), Minutes: 480, TravelKm: 10, Rate: 1175},
			{PlacementID: "p1", CandidateID: "c1", Day: day("2026-02-03"), Month: month("2026-02"), Minutes: 450, TravelKm: 10, Rate: 1175},
			// a correction of a closed January, booked in February
			{PlacementID: "p1", CandidateID: "c1", Day: day("2026-01-30"), Month: month("2026-02"), Minutes: -60, Rate: 1175},
			{PlacementID: "p2", CandidateID: "c2", Day: day("2026-02-10"), Month: month("2026-02"), Minutes: 240, Transit: 350, Rate: 1200},
			{PlacementID: "p2", CandidateID: "c2", Day: day("2026-02-11"), Month: month("2026-02"), Minutes: 245, Rate: 1200},
			{PlacementID: "p3", CandidateID: "c2", Day: day("2026-02-23"), Month: month("2026-02"), Minutes: 300, Rate: 1175},
			{PlacementID: "p3", CandidateID: "c2", Day: day("2026-02-24"), Month: month("2026-02"), Minutes: 120, Rate: 1175},
			{PlacementID: "p4", CandidateID: "c3", Day: day("2026-02-02"), Month: month("2026-02"), Minutes: 600, Rate: 1175},
			{PlacementID: "p6", CandidateID: "c5", Day: day("2025-12-15"), Month: month("2026-02"), Minutes: 90, Rate: 1175},
		},
		// c1 is 35; c2 turns 27 on 24 February 2026; c3 and c5 were erased.
		Births: map[string]opstap.Date{"c1": day("1990-05-05"), "c2": day("1999-02-24"), "c4": day("1980-01-01")},
		Paid:   map[string]map[opstap.Month]billing.Accrual{"c5": {month("2026-02"): {Month: month("2026-02"), Premium: 300}}},
	}
}

// TestMonthly_003art5lid10 checks every figure of February 2026 against
// values worked out by hand.
func TestMonthly_003art5lid10(t *testing.T) {
	p, err := NewPeriod(month("2026-02"), month("2026-02"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := BuildMonthly(facts(), p, day("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	// p1–p4 meet February; p2 and p3 start in it; p2 ended in it and p4
	// is planned to end on its last day. p5 starts in March, p6 ended in
	// December (its correction is money, not a placement).
	if r.PlacedCandidates != 3 || r.Placements != (PlacementCounts{Running: 4, Started: 2, Ended: 2}) {
		t.Errorf("placements: %d candidates, %+v", r.PlacedCandidates, r.Placements)
	}
	// a2 opened on 2 February and is open on the 28th; a1 is filled; a3
	// closed; a4 is a draft until March.
	if r.Assignments != (AssignmentCounts{Opened: 1, Open: 1, Filled: 1}) {
		t.Errorf("assignments: %+v", r.Assignments)
	}
	// Days up to 28 February: p1 55, p2 11, p3 6, p4 212; mean 71 days =
	// 2.33 months → 2,3. p4 ran more than 6 months (1 Feb ≤ 28 Feb), p1
	// more than 1 (5 Feb) and not 3.
	want := Durations{Average: 23, UnderOne: 2, OneToThree: 1, MoreThanSix: 1, MoreThanThree: 1}
	if r.Durations != want {
		t.Errorf("durations %+v, want %+v", r.Durations, want)
	}
	// c1: 480 + 450 − 60 = 870 min = 14,5 h × 11,75 = 170,375 → 170,38;
	//     20 km × 0,21 = 4,20; premium 14,5 × 2,00 = 29,00.
	// c2: p2 485 min × 12,00 = 97,00; p3 420 min × 11,75 = 82,25; travel
	//     3,50 receipts; premium only for the 120 min from the 27th
	//     birthday: 4,00.
	// c3: 10 h × 11,75 = 117,50; erased and not paid: premium unknown.
	// c5: the correction 1,5 h × 11,75 = 17,625 → 17,63; premium as paid 3,00.
	wantC := []CandidateMoney{
		{CandidateID: "c1", Placements: 1, Minutes: 870, Revenue: 17038, Premium: 2900, PremiumKnown: true, Travel: 420},
		{CandidateID: "c2", Placements: 2, Minutes: 905, Revenue: 17925, Premium: 400, PremiumKnown: true, Travel: 350},
		{CandidateID: "c3", Placements: 1, Minutes: 600, Revenue: 11750},
		{CandidateID: "c5", Minutes: 90, Revenue: 1763, Premium: 300, PremiumKnown: true},
	}
	if !reflect.DeepEqual(r.Candidates, wantC) {
		t.Errorf("candidates\n got %+v\nwant %+v", r.Candidates, wantC)
	}
	if r.Total != (CandidateMoney{Placements: 4, Minutes: 2465, Revenue: 48476, Premium: 3600, Travel: 770}) || r.PremiumUnknown != 1 {
		t.Errorf("total %+v, unknown %d", r.Total, r.PremiumUnknown)
	}
	if len(r.PlacementLines) != 4 || r.PlacementLines[0].ID != "p4" || r.PlacementLines[0].Months != 70 {
		t.Errorf("placement lines %+v", r.PlacementLines)
	}
}

// TestMonthlyMissingTerms: hours on a day without contract terms cannot
// be priced; the report says so instead of guessing.
func TestMonthlyMissingTerms(t *testing.T) {
	f := facts()
	f.Terms[0].ValidFrom = day("2026-02-05")
	_, err := BuildMonthly(f, Period{month("2026-02"), month("2026-02")}, day("2026-03-02"))
	if e, ok := err.(*opstap.Error); !ok || e.Code != opstap.ECONFLICT {
		t.Fatalf("err %v", err)
	}
}

// TestQuarterly_003art5lid11: the first quarter of 2026 made on 20 March.
func TestQuarterly_003art5lid11(t *testing.T) {
	af := AttentionFacts{
		Submitted: []Submitted{
			{PlacementID: "p5", CandidateID: "c4", Day: day("2026-03-09"), EnteredOn: day("2026-03-10")}, // 10 days: overdue
			{PlacementID: "p5", CandidateID: "c4", Day: day("2026-03-10"), EnteredOn: day("2026-03-12")}, // 8 days: overdue
			{PlacementID: "p1", CandidateID: "c1", Day: day("2026-03-16"), EnteredOn: day("2026-03-13")}, // 7 days: not yet
		},
		Caps:       []billing.Cap{{Year: 2026, Amount: 5000, Source: "test"}},
		PaidInYear: map[string]YearPaid{"c3": {Paid: 4200, Payouts: 1}},
	}
	q, err := ParseQuarter("2026-Q1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := BuildQuarterly(facts(), af, q, day("2026-03-20"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Months) != 3 || r.Months[1].Period != (Period{month("2026-02"), month("2026-02")}) {
		t.Fatalf("months %+v", r.Months)
	}
	feb, _ := BuildMonthly(facts(), Period{month("2026-02"), month("2026-02")}, day("2026-03-20"))
	if r.Months[1] != SummaryOf(feb) {
		t.Errorf("February %+v differs from its monthly report", r.Months[1])
	}
	// January: c1 (p1) and c3 (p4), 480 min; March: c1, c2 (p3), c4 (p5),
	// no hours booked yet.
	if r.Months[0].PlacedCandidates != 2 || r.Months[0].Minutes != 480 || r.Months[2].PlacedCandidates != 3 || r.Months[2].Started != 1 {
		t.Errorf("January %+v, March %+v", r.Months[0], r.Months[2])
	}
	if r.Total.PlacedCandidates != 4 || r.Total.Started != 4 || r.Total.Minutes != 480+2465 {
		t.Errorf("quarter %+v", r.Total)
	}
	wantTrend := []Trend{{"placed_candidates", 2, 3, Up}, {"placements_started", 1, 1, Same}, {"assignments_open", 1, 2, Up},
		{"minutes", 480, 0, Down}, {"revenue_cents", 9400, 0, Down}}
	if !reflect.DeepEqual(r.Trend, wantTrend) {
		t.Errorf("trend %+v", r.Trend)
	}
	at := r.Attention
	if len(at.OverdueApprovals) != 1 || at.OverdueApprovals[0] != (OverdueApproval{PlacementID: "p5", CandidateID: "c4", Days: 2, Oldest: day("2026-03-09")}) {
		t.Errorf("overdue %+v", at.OverdueApprovals)
	}
	// p1 at 32 hours may run until 4 April: 15 days left. p3 (22 August)
	// and p5 (1 June) are far off; p4 has ended.
	if len(at.NearMaximum) != 1 || at.NearMaximum[0].PlacementID != "p1" || at.NearMaximum[0].DaysLeft != 15 || at.NearMaximum[0].MaxDay != day("2026-04-04") {
		t.Errorf("near maximum %+v", at.NearMaximum)
	}
	// a2 open since 2 February (46 days, more than a month); a4 since 1
	// March is not yet a month.
	if len(at.LongOpen) != 1 || at.LongOpen[0].AssignmentID != "a2" || at.LongOpen[0].Days != 46 {
		t.Errorf("long open %+v", at.LongOpen)
	}
	// 80 % of 50,00 is 40,00: c1 accrued 16,00 in January and 29,00 in
	// February, nothing paid; c3 was paid 42,00. c2's 4,00 is far below.
	wantCaps := []CapWarning{{CandidateID: "c1", Year: 2026, Cap: 5000, Outstanding: 4500}, {CandidateID: "c3", Year: 2026, Cap: 5000, Paid: 4200}}
	if !reflect.DeepEqual(at.PremiumCaps, wantCaps) {
		t.Errorf("caps %+v", at.PremiumCaps)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Quarterly
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.Months, r.Months) || back.Quarter != q {
		t.Errorf("JSON round trip: %v\n%s", err, b)
	}
}

func TestNewPeriod(t *testing.T) {
	tests := []struct {
		from, to string
		field    string
	}{
		{"2026-01", "2026-12", ""},
		{"2026-03", "2026-02", "to"},
		{"2026-01", "2027-01", "to"},
		{"", "2026-01", "from"},
		{"2026-01", "", "to"},
	}
	for _, tc := range tests {
		var from, to opstap.Month
		if tc.from != "" {
			from = month(tc.from)
		}
		if tc.to != "" {
			to = month(tc.to)
		}
		_, err := NewPeriod(from, to)
		field := ""
		if e, ok := err.(*opstap.Error); ok {
			field = e.Field
		}
		if field != tc.field {
			t.Errorf("%s..%s: %v, want field %q", tc.from, tc.to, err, tc.field)
		}
	}
}

func TestParseQuarter(t *testing.T) {
	for in, want := range map[string]string{"2026-Q3": "2026-Q3", "2026q1": "2026-Q1", " 2027-q4 ": "2027-Q4"} {
		q, err := ParseQuarter(in)
		if err != nil || q.String() != want {
			t.Errorf("%q: %v %v", in, q, err)
		}
	}
	for _, in := range []string{"", "2026", "2026-Q5", "2026-Q0", "26-Q1", "Q1-2026", "2026-Q1x"} {
		if _, err := ParseQuarter(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if p := (Quarter{2026, 4}).Period(); p != (Period{month("2026-10"), month("2026-12")}) {
		t.Errorf("Q4 %+v", p)
	}
	if q := (Quarter{2026, 1}).Previous(); q != (Quarter{2025, 4}) {
		t.Errorf("previous %v", q)
	}
}

// TestFirstWorkingDay: weekends and Dutch public holidays are skipped.
func TestFirstWorkingDay(t *testing.T) {
	for m, want := range map[string]string{
		"2026-01": "2026-01-02", // New Year's Day on a Thursday
		"2026-02": "2026-02-02", // Sunday
		"2026-08": "2026-08-03", // Saturday
		"2024-04": "2024-04-02", // Easter Monday
		"2027-01": "2027-01-04", // New Year's Day on a Friday, then the weekend
		"2026-04": "2026-04-01",
	} {
		if got := FirstWorkingDay(month(m)); got != day(want) {
			t.Errorf("%s: %s, want %s", m, got, want)
		}
	}
}

func TestNextRun(t *testing.T) {
	ams := opstap.Amsterdam
	tests := []struct{ now, want time.Time }{
		{time.Date(2026, 12, 1, 3, 0, 0, 0, ams), time.Date(2027, 1, 4, 6, 0, 0, 0, ams)},    // 1 January a holiday, then a weekend
		{time.Date(2026, 12, 31, 23, 59, 0, 0, ams), time.Date(2027, 1, 4, 6, 0, 0, 0, ams)}, // the last minute of the year
		{time.Date(2027, 1, 4, 6, 0, 0, 0, ams), time.Date(2027, 2, 1, 6, 0, 0, 0, ams)},
		{time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC), time.Date(2026, 4, 1, 6, 0, 0, 0, ams)}, // already 1 March in Amsterdam
	}
	for _, tc := range tests {
		if got := NextRun(tc.now); !got.Equal(tc.want) {
			t.Errorf("after %v: %v, want %v", tc.now, got, tc.want)
		}
	}
}

// FuzzParseQuarter: any text is a valid quarter that writes back the same
// quarter, or a refusal naming the field; never a panic.
func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2026-Q3", "2026q1", "", "9999-Q4", "0001-Q1", "2026-Q", "-Q1", "2026--Q1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuarter(s)
		if err != nil {
			if e, ok := err.(*opstap.Error); !ok || e.Field != "quarter" {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		back, err := ParseQuarter(q.String())
		if err != nil || back != q || q.Q < 1 || q.Q > 4 {
			t.Fatalf("%q → %v → %v %v", s, q, back, err)
		}
		if p := q.Period(); QuarterOf(p.From) != q || QuarterOf(p.To) != q {
			t.Fatalf("%v: period %+v", q, p)
		}
	})
}
