package billing

import (
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/opstap/opstap"
)

// TestSettlementIdentity builds random half years — candidates of all ages,
// days of random minutes (corrections included), travel costs, several
// hourly rates and premium rates, random fee tiers and minimum — runs them
// through the package's functions as the invoice, premium and settlement
// code will, and recomputes the settlement independently with exact
// rationals (math/big) from the raw lines. The identity
//
//	Balance = Σ revenue − Σ premiums − Σ travel − Σ max(0, fee − minimum)
//
// must hold to the cent, per month and over the half year.
func TestSettlementIdentity(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 2026))
		h := HalfYear{2020 + r.IntN(10), 1 + r.IntN(2)}
		terms := randomTerms(r)

		type line struct {
			day     opstap.Date
			minutes opstap.Minutes
			rate    opstap.Cents
		}
		var lines []line
		var figures []MonthFigures
		refBalance := new(big.Int)
		candidates := 1 + r.IntN(8)
		births := make([]opstap.Date, candidates)
		for c := range births {
			births[c] = opstap.Date{Year: h.Year - 20 - r.IntN(30), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		}
		workByCandidate := make([][]WorkDay, candidates)
		for _, m := range h.Months() {
			for c := range candidates {
				for range r.IntN(12) {
					day := opstap.Date{Year: m.Year, Month: m.Month, Day: 1 + r.IntN(m.Last().Day)}
					mins := opstap.Minutes(r.IntN(24*60 + 1))
					if r.IntN(10) == 0 {
						mins = -mins // a correction line
					}
					rate := []opstap.Cents{1175, 1250, 1399}[r.IntN(3)]
					lines = append(lines, line{day, mins, rate})
					workByCandidate[c] = append(workByCandidate[c], WorkDay{Date: day, Minutes: mins,
						Travel: opstap.Cents(r.IntN(2000)), PremiumPerHour: []opstap.Cents{200, 225}[r.IntN(2)]})
				}
			}
		}
		// Per month through the package: revenue = Σ rounded lines,
		// premiums and travel from Accrue per candidate.
		revenue := map[opstap.Month]opstap.Cents{}
		for _, l := range lines {
			amt, err := HoursLine(l.minutes, l.rate)
			if err != nil {
				t.Fatal(err)
			}
			revenue[opstap.MonthOf(l.day)] += amt
		}
		premiums := map[opstap.Month]opstap.Cents{}
		travel := map[opstap.Month]opstap.Cents{}
		for c, days := range workByCandidate {
			acc, err := Accrue(births[c], days)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range acc {
				premiums[a.Month] += a.Premium
				travel[a.Month] += a.Travel
			}
		}
		for _, m := range h.Months() {
			f, err := Figures(m, revenue[m], premiums[m], travel[m], terms)
			if err != nil {
				t.Fatal(err)
			}
			figures = append(figures, f)
		}
		s, err := Settle(h, figures, terms.SettlementDays)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}

		// The reference, from the raw lines, month by month.
		for i, m := range h.Months() {
			monthBal := new(big.Int)
			rev := new(big.Int)
			for _, l := range lines {
				if opstap.MonthOf(l.day) == m {
					rev.Add(rev, refRound(big.NewInt(int64(l.minutes)*int64(l.rate)), 60))
				}
			}
			prem, trav := new(big.Int), new(big.Int)
			for c, days := range workByCandidate {
				perRate := map[opstap.Cents]int64{}
				for _, d := range days {
					if opstap.MonthOf(d.Date) != m {
						continue
					}
					trav.Add(trav, big.NewInt(int64(d.Travel)))
					if refAge27(births[c], d.Date) {
						perRate[d.PremiumPerHour] += int64(d.Minutes)
					}
				}
				for rate, mins := range perRate {
					prem.Add(prem, refRound(big.NewInt(mins*int64(rate)), 60))
				}
			}
			fee := refFee(rev, terms.FeeTiers)
			above := new(big.Int).Sub(fee, big.NewInt(int64(terms.MonthlyMinimum)))
			if above.Sign() < 0 {
				above.SetInt64(0)
			}
			monthBal.Sub(rev, prem).Sub(monthBal, trav).Sub(monthBal, above)
			if got := s.Months[i]; got.Balance != opstap.Cents(monthBal.Int64()) || got.Revenue != opstap.Cents(rev.Int64()) || got.Fee != opstap.Cents(fee.Int64()) {
				t.Fatalf("seed %d, %s: month %+v; reference revenue %s fee %s balance %s", seed, m, got, rev, fee, monthBal)
			}
			refBalance.Add(refBalance, monthBal)
		}
		if s.Balance != opstap.Cents(refBalance.Int64()) {
			t.Fatalf("seed %d: balance %d, reference %s", seed, s.Balance, refBalance)
		}
		sum, err := opstap.Sum(s.Revenue, -s.Premiums, -s.Travel, -s.FeeAboveMinimum)
		if err != nil || sum != s.Balance || s.Payable != (s.Balance > 0) {
			t.Fatalf("seed %d: totals %+v do not add up", seed, s)
		}
	}
}

func randomTerms(r *rand.Rand) Terms {
	t := DefaultTerms("0034", opstap.Date{Year: 2020, Month: 1, Day: 1})
	bound := opstap.Cents(0)
	t.FeeTiers = nil
	for i := range r.IntN(4) {
		bound += opstap.Cents(1 + r.IntN(2_000_000))
		t.FeeTiers = append(t.FeeTiers, Tier{UpTo: bound, Rate: opstap.BasisPoints(r.IntN(3000) + i)})
	}
	t.FeeTiers = append(t.FeeTiers, Tier{Rate: opstap.BasisPoints(r.IntN(3000))})
	t.MonthlyMinimum = opstap.Cents(r.IntN(500_000))
	return t
}

// refRound divides n by d (positive) rounding half away from zero.
func refRound(n *big.Int, d int64) *big.Int {
	neg := n.Sign() < 0
	a := new(big.Int).Abs(n)
	q, rem := new(big.Int).QuoRem(a, big.NewInt(d), new(big.Int))
	if rem.Mul(rem, big.NewInt(2)).Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q
}

func refFee(revenue *big.Int, tiers []Tier) *big.Int {
	fee := new(big.Int)
	from := new(big.Int)
	for _, t := range tiers {
		if revenue.Cmp(from) <= 0 {
			break
		}
		top := new(big.Int).Set(revenue)
		if t.UpTo != 0 && big.NewInt(int64(t.UpTo)).Cmp(revenue) < 0 {
			top.SetInt64(int64(t.UpTo))
		}
		band := new(big.Int).Sub(top, from)
		fee.Add(fee, refRound(band.Mul(band, big.NewInt(int64(t.Rate))), 10000))
		from = top
	}
	return fee
}

// refAge27 is the age rule written out differently: the birthday in the
// year, moved to 1 March when it is a 29 February that does not exist.
func refAge27(birth, day opstap.Date) bool {
	y := birth.Year + 27
	m, d := birth.Month, birth.Day
	if m == time.February && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		m, d = time.March, 1
	}
	b := opstap.Date{Year: y, Month: m, Day: d}
	return !day.Before(b)
}
