package billing

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/opstap/opstap"
)

// halfTerms is MonthTerms with the DOMAIN tiers and a minimum of 3.000 for
// every month of h.
func halfTerms(h HalfYear) map[opstap.Month]MonthTerms {
	out := map[opstap.Month]MonthTerms{}
	for _, m := range h.Months() {
		out[m] = MonthTerms{Applies: true, ValidFrom: h.Start(), FeeTiers: domainTiers, MonthlyMinimum: 300_000}
	}
	return out
}

func TestSpecify(t *testing.T) {
	h1, h2 := HalfYear{2026, 1}, HalfYear{2026, 2}
	jan, feb, jul := month(t, "2026-01"), month(t, "2026-02"), month(t, "2026-07")
	// Hand-computed. January: A 20.000 + B 10.000 = 30.000 revenue → fee
	// 4.750, above the minimum 1.750; premiums 400 + 200, travel 50 → month
	// 30.000 − 600 − 50 − 1.750 = 27.600. February: A 5.000 → fee 1.000,
	// under the minimum; premium 100, travel 20 → 4.880. Balance 32.480,
	// payable 30 July. Per candidate: A 25.000 − 500 − 70 = 24.430,
	// B 10.000 − 200 = 9.800 (the fee is the month's, not a candidate's).
	work := []Work{
		{CandidateID: "b", Month: jan, Minutes: 600, Revenue: 1_000_000, Premium: 20_000},
		{CandidateID: "a", Month: feb, Minutes: 60, Revenue: 500_000, Premium: 10_000, Travel: 2_000},
		{CandidateID: "a", Month: jan, Minutes: 120, Revenue: 2_000_000, Premium: 40_000, Travel: 5_000},
	}
	st, err := Specify("0034", h1, work, halfTerms(h1), 30)
	if err != nil {
		t.Fatal(err)
	}
	if st.Balance != 3_248_000 || !st.Payable || st.Due.String() != "2026-07-30" || st.Minutes != 780 || st.FeeAboveMinimum != 175_000 {
		t.Fatalf("statement %+v", st.Settlement)
	}
	if st.Months[0].Balance != 2_760_000 || st.Months[1].Balance != 488_000 || st.Months[1].FeeAboveMinimum != 0 || st.Months[5].Balance != 0 {
		t.Errorf("months %+v", st.Months)
	}
	if len(st.Candidates) != 2 || st.Candidates[0].CandidateID != "a" || st.Candidates[0].Balance != 2_443_000 ||
		st.Candidates[0].Months[0].Month != jan || st.Candidates[1].Balance != 980_000 || st.Candidates[1].Minutes != 600 {
		t.Errorf("candidates %+v", st.Candidates)
	}
	// The candidates' balances less the months' fee above the minimum
	// make the balance: the specification adds up.
	var sum opstap.Cents
	for _, c := range st.Candidates {
		sum += c.Balance
	}
	if sum-st.FeeAboveMinimum != st.Balance {
		t.Errorf("candidates %d − fee %d ≠ balance %d", sum, st.FeeAboveMinimum, st.Balance)
	}
	if _, short, _ := st.Shortfall(); short {
		t.Error("a positive balance has a shortfall")
	}
	// The JSON is snake_case and the half year a string.
	b, _ := json.Marshal(st)
	var back map[string]any
	_ = json.Unmarshal(b, &back)
	if back["half_year"] != "2026-H1" || back["balance_cents"] != float64(3_248_000) || back["municipality"] != "0034" {
		t.Errorf("JSON %s", b)
	}

	// Negative: July 100 revenue, 150 premium, 20 travel → −70, explained.
	neg, err := Specify("0034", h2, []Work{{CandidateID: "a", Month: jul, Revenue: 10_000, Premium: 15_000, Travel: 2_000, PremiumUnknown: true}}, halfTerms(h2), 30)
	if err != nil {
		t.Fatal(err)
	}
	sf, short, err := neg.Shortfall()
	if err != nil || !short || neg.Payable || neg.Balance != -7_000 || sf.Deductions != 17_000 || sf.Amount != 7_000 ||
		len(sf.NegativeMonths) != 1 || sf.NegativeMonths[0] != jul || neg.PremiumUnknown != 1 {
		t.Errorf("negative %+v %+v %v", neg.Settlement, sf, err)
	}

	noTerms := halfTerms(h1)
	delete(noTerms, feb)
	for name, tc := range map[string]struct {
		h     HalfYear
		terms map[opstap.Month]MonthTerms
	}{
		"work outside the half year":      {h2, halfTerms(h2)},
		"a month with hours and no terms": {h1, noTerms},
		"not a half year":                 {HalfYear{2026, 0}, halfTerms(h1)},
	} {
		if _, err := Specify("0034", tc.h, work, tc.terms, 30); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A month without hours and without terms is an empty month.
	empty := halfTerms(h1)
	delete(empty, month(t, "2026-06"))
	if st, err := Specify("0034", h1, work, empty, 30); err != nil || st.Balance != 3_248_000 || st.Terms[5].Applies {
		t.Errorf("month without terms: %v", err)
	}
}

func TestHalfYearText(t *testing.T) {
	var h HalfYear
	if err := h.UnmarshalText([]byte("2027-h2")); err != nil || h != (HalfYear{2027, 2}) || h.Dutch() != "2e halfjaar 2027" {
		t.Errorf("%v %v", h, err)
	}
	if err := h.UnmarshalText([]byte("2027-H3")); err == nil {
		t.Error("2027-H3 accepted")
	}
	if _, err := (HalfYear{}).MarshalText(); err == nil {
		t.Error("zero half year written")
	}
}

// TestSpecifyAddsUp: for random work the statement's totals are the sums
// of the work, the months' balances sum to the balance, and the
// candidates' balances less the fee above the minimum make the balance.
func TestSpecifyAddsUp(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 6))
		h := HalfYear{2026, 1 + r.IntN(2)}
		terms := map[opstap.Month]MonthTerms{}
		for _, m := range h.Months() {
			terms[m] = MonthTerms{Applies: true, FeeTiers: []Tier{{UpTo: opstap.Cents(1 + r.IntN(2_000_000)), Rate: opstap.BasisPoints(r.IntN(3000))},
				{Rate: opstap.BasisPoints(r.IntN(3000))}}, MonthlyMinimum: opstap.Cents(r.IntN(500_000))}
		}
		var work []Work
		var revenue, premium, travel opstap.Cents
		for c := range 1 + r.IntN(20) {
			for _, m := range h.Months() {
				if r.IntN(3) == 0 {
					continue
				}
				w := Work{CandidateID: fmt.Sprint("c", c), Month: m, Minutes: opstap.Minutes(r.IntN(10_000)),
					Revenue: opstap.Cents(r.IntN(300_000) - 10_000), Premium: opstap.Cents(r.IntN(40_000)), Travel: opstap.Cents(r.IntN(5_000))}
				revenue, premium, travel = revenue+w.Revenue, premium+w.Premium, travel+w.Travel
				work = append(work, w)
			}
		}
		st, err := Specify("0034", h, work, terms, 30)
		if err != nil {
			t.Fatal(err)
		}
		var months, candidates opstap.Cents
		for _, m := range st.Months {
			months += m.Balance
		}
		for _, c := range st.Candidates {
			candidates += c.Balance
		}
		if st.Revenue != revenue || st.Premiums != premium || st.Travel != travel || months != st.Balance ||
			candidates-st.FeeAboveMinimum != st.Balance || st.Balance != revenue-premium-travel-st.FeeAboveMinimum {
			t.Fatalf("seed %d: %+v", seed, st.Settlement)
		}
	}
}

// TestCapPremiums: hand-computed splits at a cap of 40,00 a year: month by
// month in order, with premium accrued earlier in the year counted, and a
// year without a maximum left alone; Specify deducts only the capped part
// and totals the excess apart.
func TestCapPremiums(t *testing.T) {
	m := func(y, mo int) opstap.Month { return opstap.Month{Year: y, Month: time.Month(mo)} }
	table := []Cap{{Year: 2030, Amount: 4000, Source: "test"}}
	work := []Work{
		{CandidateID: "a", Month: m(2030, 2), Premium: 2000, Revenue: 10_000},
		{CandidateID: "a", Month: m(2030, 1), Premium: 3000, Revenue: 10_000},
		{CandidateID: "a", Month: m(2030, 3), Premium: 1000, Revenue: 10_000},
		{CandidateID: "b", Month: m(2030, 1), Premium: 1000, Revenue: 10_000},
		{CandidateID: "c", Month: m(2031, 1), Premium: 9000, Revenue: 10_000},
	}
	got, err := CapPremiums(work, table, map[string]opstap.Cents{"b": 3500})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ premium, excess opstap.Cents }{{1000, 1000}, {3000, 0}, {0, 1000}, {500, 500}, {9000, 0}}
	for i, w := range want {
		if got[i].Premium != w.premium || got[i].Excess != w.excess {
			t.Errorf("work %d (%s %s): premium %s excess %s, want %s and %s", i, got[i].CandidateID, got[i].Month, got[i].Premium, got[i].Excess, w.premium, w.excess)
		}
	}
	if work[0].Excess != 0 || work[0].Premium != 2000 {
		t.Errorf("the input was changed: %+v", work[0])
	}
	h := HalfYear{Year: 2030, Half: 1}
	terms := map[opstap.Month]MonthTerms{}
	for _, mo := range h.Months() {
		terms[mo] = MonthTerms{Applies: true, FeeTiers: []Tier{{Rate: 0}}}
	}
	st, err := Specify("0034", h, got[:4], terms, 30)
	if err != nil {
		t.Fatal(err)
	}
	// Premiums deducted 45,00 (a 40,00, b 5,00), excess 25,00 apart:
	// revenue 400,00 − 45,00 = 355,00.
	if st.Premiums != 4500 || st.PremiumExcess != 2500 || st.Balance != 35_500 || st.Candidates[0].Excess != 2000 || st.Candidates[1].Excess != 500 {
		t.Fatalf("statement: premiums %s excess %s balance %s %+v", st.Premiums, st.PremiumExcess, st.Balance, st.Candidates)
	}
}
