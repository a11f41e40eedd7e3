package billing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opstap/opstap"
)

// MarshalText writes a half year as 2026-H1, the form the API and the
// pages use.
func (h HalfYear) MarshalText() ([]byte, error) {
	if !h.Valid() {
		return nil, fmt.Errorf("billing: not a half year: %d/%d", h.Year, h.Half)
	}
	return []byte(h.String()), nil
}

// UnmarshalText reads 2026-H1.
func (h *HalfYear) UnmarshalText(b []byte) error {
	v, err := ParseHalfYear(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// Dutch names the half year as the documents do: "1e halfjaar 2026".
func (h HalfYear) Dutch() string { return fmt.Sprintf("%de halfjaar %d", h.Half, h.Year) }

// Work is one candidate's approved work in one month of a municipality's
// half year, already priced: the input of the specification per candidate.
// Revenue is the sum of the candidate's placement lines of the month as the
// employer invoices round them (HoursLine per placement); Premium is the
// month's accrual (Accrue); Travel the approved travel costs (TravelCost).
// PremiumUnknown marks a month whose premium could not be decided (the
// birth date is no longer readable and no payout recorded it): it counts
// as zero and the specification says so. Excess is accrued premium above
// the year's maximum (CapPremiums): never paid by the provider, so not
// deducted; shown for the municipality to decide.
type Work struct {
	CandidateID    string         `json:"candidate_id"`
	Month          opstap.Month   `json:"month"`
	Minutes        opstap.Minutes `json:"minutes"`
	Revenue        opstap.Cents   `json:"revenue_cents"`
	Premium        opstap.Cents   `json:"premium_cents"`
	Excess         opstap.Cents   `json:"premium_excess_cents,omitempty"`
	Travel         opstap.Cents   `json:"travel_cents"`
	PremiumUnknown bool           `json:"premium_unknown,omitempty"`
}

// CapPremiums splits each candidate's accrued premium at the year's
// maximum [Participatiewet art 31 lid 2 onder j]: month by month, in
// order, the premium up to what the cap still allows stays Premium (what
// the settlement deducts) and the rest becomes Excess. earlier holds per
// candidate the premium accrued in the same calendar year before the
// work's first month (the first half year's, for the second). A year
// without a maximum in the table caps nothing: the payout of that year is
// refused until one is set, and the settlement cannot know it yet.
func CapPremiums(work []Work, table []Cap, earlier map[string]opstap.Cents) ([]Work, error) {
	out := slices.Clone(work)
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := strings.Compare(out[a].CandidateID, out[b].CandidateID); c != 0 {
			return c
		}
		return compareMonths(out[a].Month, out[b].Month)
	})
	type key struct {
		id   string
		year int
	}
	accrued := map[key]opstap.Cents{}
	for _, i := range order {
		w := &out[i]
		k := key{w.CandidateID, w.Month.Year}
		if _, seen := accrued[k]; !seen {
			accrued[k] = earlier[w.CandidateID]
		}
		c, err := CapFor(table, w.Month.Year)
		before := accrued[k]
		total, addErr := before.Add(w.Premium)
		if addErr != nil {
			return nil, addErr
		}
		accrued[k] = total
		if err != nil || total <= c.Amount {
			continue
		}
		allowed := max(c.Amount-before, 0)
		w.Excess, w.Premium = w.Premium-allowed, allowed
	}
	return out, nil
}

// CandidateSpec is one candidate's part of the settlement: the months they
// worked and their totals. Their balance is revenue − premium − travel; the
// fee is a figure of the month, not of a candidate, so it is not spread
// over them.
type CandidateSpec struct {
	CandidateID string         `json:"candidate_id"` // pseudonymous
	Months      []Work         `json:"months"`
	Minutes     opstap.Minutes `json:"minutes"`
	Revenue     opstap.Cents   `json:"revenue_cents"`
	Premium     opstap.Cents   `json:"premium_cents"`
	Excess      opstap.Cents   `json:"premium_excess_cents"`
	Travel      opstap.Cents   `json:"travel_cents"`
	Balance     opstap.Cents   `json:"balance_cents"`
}

// MonthTerms are the contract figures a month was settled with, so a
// controller can recompute the fee: the version in force on the month's
// last day, as the monthly invoice uses it.
type MonthTerms struct {
	Month          opstap.Month `json:"month"`
	Applies        bool         `json:"applies"` // false: no terms were in force (and the month had no hours)
	ValidFrom      opstap.Date  `json:"valid_from"`
	FeeTiers       []Tier       `json:"fee_tiers"`
	MonthlyMinimum opstap.Cents `json:"monthly_minimum_cents"`
}

// Statement is a municipality's half-year settlement with its
// specification per month and per candidate [003 art 6.1 lid 5, 6.2 lid 4].
// It holds pseudonymous candidate ids only: who may see a name is decided
// each time it is shown.
type Statement struct {
	Municipality string `json:"municipality"` // CBS code
	Settlement
	Minutes        opstap.Minutes  `json:"minutes"`
	Terms          []MonthTerms    `json:"terms"`
	Candidates     []CandidateSpec `json:"candidates"`
	PremiumUnknown int             `json:"premium_unknown"` // candidate-months whose premium could not be decided
	// PremiumExcess is accrued premium above the year's maximum: not
	// deducted, for the municipality to decide.
	PremiumExcess opstap.Cents `json:"premium_excess_cents"`
}

// Specify draws up the statement of municipality cbs for h from the
// candidates' priced work and the terms per month (terms[m] with ok false
// when none applies). A month with work but without terms is an error: its
// fee cannot be known. dueDays is the payment term of a positive balance.
func Specify(cbs string, h HalfYear, work []Work, terms map[opstap.Month]MonthTerms, dueDays int) (*Statement, error) {
	if !h.Valid() {
		return nil, opstap.FieldError("half_year", "not a half year")
	}
	in := map[opstap.Month]bool{}
	for _, m := range h.Months() {
		in[m] = true
	}
	st := &Statement{Municipality: cbs, Candidates: []CandidateSpec{}}
	type sums struct{ revenue, premium, travel opstap.Cents }
	perMonth := map[opstap.Month]*sums{}
	byCandidate := map[string]*CandidateSpec{}
	for _, w := range work {
		if !in[w.Month] {
			return nil, fmt.Errorf("billing: work of %s lies outside %s", w.Month, h)
		}
		s := perMonth[w.Month]
		if s == nil {
			s = &sums{}
			perMonth[w.Month] = s
		}
		c := byCandidate[w.CandidateID]
		if c == nil {
			c = &CandidateSpec{CandidateID: w.CandidateID}
			byCandidate[w.CandidateID] = c
		}
		c.Months = append(c.Months, w)
		if w.PremiumUnknown {
			st.PremiumUnknown++
		}
		for _, acc := range []struct {
			total *opstap.Cents
			v     opstap.Cents
		}{
			{&s.revenue, w.Revenue}, {&s.premium, w.Premium}, {&s.travel, w.Travel},
			{&c.Revenue, w.Revenue}, {&c.Premium, w.Premium}, {&c.Travel, w.Travel},
			{&c.Excess, w.Excess}, {&st.PremiumExcess, w.Excess},
			{(*opstap.Cents)(&c.Minutes), opstap.Cents(w.Minutes)}, {(*opstap.Cents)(&st.Minutes), opstap.Cents(w.Minutes)},
		} {
			var err error
			if *acc.total, err = acc.total.Add(acc.v); err != nil {
				return nil, err
			}
		}
	}
	var figures []MonthFigures
	for _, m := range h.Months() {
		t := terms[m]
		s := perMonth[m]
		switch {
		case !t.Applies && s != nil:
			return nil, opstap.Errorf(opstap.ECONFLICT, "no contract terms of %s apply to %s, which has hours", cbs, m)
		case !t.Applies:
			st.Terms = append(st.Terms, MonthTerms{Month: m, FeeTiers: []Tier{}})
			continue
		}
		t.Month = m
		st.Terms = append(st.Terms, t)
		if s == nil {
			s = &sums{}
		}
		f, err := Figures(m, s.revenue, s.premium, s.travel, Terms{FeeTiers: t.FeeTiers, MonthlyMinimum: t.MonthlyMinimum})
		if err != nil {
			return nil, err
		}
		figures = append(figures, f)
	}
	var err error
	if st.Settlement, err = Settle(h, figures, dueDays); err != nil {
		return nil, err
	}
	for _, c := range byCandidate {
		if c.Balance, err = balance(c.Revenue, c.Premium, c.Travel); err != nil {
			return nil, err
		}
		slices.SortFunc(c.Months, func(a, b Work) int { return compareMonths(a.Month, b.Month) })
		st.Candidates = append(st.Candidates, *c)
	}
	slices.SortFunc(st.Candidates, func(a, b CandidateSpec) int { return strings.Compare(a.CandidateID, b.CandidateID) })
	return st, nil
}

// Shortfall explains a negative balance: the deductions (premiums, travel
// costs and the fee above the minimum) exceeded the realised revenue, in
// the months listed. The agreement only provides for paying out a positive
// balance [003 art 6.2 lid 4], so nothing is paid and nothing is charged
// to the municipality; the shortfall is not carried into the next half year.
type Shortfall struct {
	Deductions     opstap.Cents   `json:"deductions_cents"`
	Amount         opstap.Cents   `json:"amount_cents"` // positive: how far the deductions exceed the revenue
	NegativeMonths []opstap.Month `json:"negative_months"`
}

// Shortfall returns the explanation of a negative balance; ok is false
// when the balance is zero or positive.
func (s Settlement) Shortfall() (sf Shortfall, ok bool, err error) {
	if s.Balance >= 0 {
		return Shortfall{}, false, nil
	}
	if sf.Deductions, err = s.Premiums.Add(s.Travel); err != nil {
		return sf, false, err
	}
	if sf.Deductions, err = sf.Deductions.Add(s.FeeAboveMinimum); err != nil {
		return sf, false, err
	}
	if sf.Amount, err = sf.Deductions.Sub(s.Revenue); err != nil {
		return sf, false, err
	}
	sf.NegativeMonths = []opstap.Month{}
	for _, m := range s.Months {
		if m.Balance < 0 {
			sf.NegativeMonths = append(sf.NegativeMonths, m.Month)
		}
	}
	return sf, true, nil
}
