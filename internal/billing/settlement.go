package billing

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
)

// HalfYear is a settlement period: Half 1 is January–June, Half 2 is
// July–December [003 art 6.1 lid 5]. In JSON it is "2026-H1".
type HalfYear struct {
	Year int
	Half int
}

// HalfYearOf returns the half year m lies in.
func HalfYearOf(m opstap.Month) HalfYear {
	if m.Month <= time.June {
		return HalfYear{m.Year, 1}
	}
	return HalfYear{m.Year, 2}
}

// ParseHalfYear reads "2026-H1" / "2026-h2" (also "2026-1", "2026-2").
func ParseHalfYear(s string) (HalfYear, error) {
	y, h, ok := strings.Cut(strings.TrimSpace(s), "-")
	h = strings.TrimPrefix(strings.ToUpper(h), "H")
	year, err := strconv.Atoi(y)
	if !ok || err != nil || len(y) != 4 || strings.Trim(y, "0123456789") != "" || year < 1 || (h != "1" && h != "2") {
		return HalfYear{}, fmt.Errorf("not a half year (2026-H1): %q", s)
	}
	return HalfYear{year, int(h[0] - '0')}, nil
}

// HalfYearField reads a half year (2026-H1) given in a form, query or path
// field; empty gives def, anything else that is not a half year is refused
// naming the field.
func HalfYearField(field, v string, def HalfYear) (HalfYear, error) {
	if v == "" {
		return def, nil
	}
	h, err := ParseHalfYear(v)
	if err != nil {
		return h, opstap.FieldError(field, "not a half year (2026-H1)")
	}
	return h, nil
}

// LastHalfYear is the latest half year that has ended on today: the one to
// settle [003 art 6.1 lid 5, 6.2 lid 4: January–June and July–December].
func LastHalfYear(today opstap.Date) HalfYear {
	h := HalfYearOf(opstap.MonthOf(today))
	if h.Half == 1 {
		return HalfYear{Year: h.Year - 1, Half: 2}
	}
	return HalfYear{Year: h.Year, Half: 1}
}

// Valid reports whether h names a half year.
func (h HalfYear) Valid() bool { return h.Year > 0 && (h.Half == 1 || h.Half == 2) }

// String formats as 2026-H1.
func (h HalfYear) String() string { return fmt.Sprintf("%04d-H%d", h.Year, h.Half) }

// Months returns the six months in order.
func (h HalfYear) Months() []opstap.Month {
	first := opstap.Month{Year: h.Year, Month: time.Month(6*(h.Half-1) + 1)}
	ms := make([]opstap.Month, 6)
	for i := range ms {
		ms[i] = first.Add(i)
	}
	return ms
}

// Start returns the first day (1 January or 1 July).
func (h HalfYear) Start() opstap.Date { return h.Months()[0].First() }

// End returns the last day (30 June or 31 December).
func (h HalfYear) End() opstap.Date { return h.Months()[5].Last() }

// Due returns the day by which a positive balance is paid: days after the
// half year's last day [003 art 6.2 lid 4: 30].
func (h HalfYear) Due(days int) opstap.Date { return h.End().AddDays(days) }

// Next returns the following half year.
func (h HalfYear) Next() HalfYear {
	if h.Half == 1 {
		return HalfYear{h.Year, 2}
	}
	return HalfYear{h.Year + 1, 1}
}

// MonthFigures are one month of one municipality as the settlement needs
// them. Revenue is approved hours × the hourly rate, excluding VAT (the sum
// of the month's rounded invoice lines); Premiums and Travel are what
// accrued to candidates for the month; Fee is Fee(Revenue) and Minimum the
// monthly minimum of the terms in force.
type MonthFigures struct {
	Month    opstap.Month `json:"month"`
	Revenue  opstap.Cents `json:"revenue_cents"`
	Premiums opstap.Cents `json:"premiums_cents"`
	Travel   opstap.Cents `json:"travel_cents"`
	Fee      opstap.Cents `json:"fee_cents"`
	Minimum  opstap.Cents `json:"minimum_cents"`
}

// Figures fills a month's figures from its revenue, premiums and travel
// costs and the terms in force, computing the fee from the terms' tiers.
func Figures(m opstap.Month, revenue, premiums, travel opstap.Cents, t Terms) (MonthFigures, error) {
	fee, _, err := Fee(revenue, t.FeeTiers)
	if err != nil {
		return MonthFigures{}, err
	}
	return MonthFigures{Month: m, Revenue: revenue, Premiums: premiums, Travel: travel, Fee: fee, Minimum: t.MonthlyMinimum}, nil
}

// SettlementMonth is one month of the specification.
type SettlementMonth struct {
	MonthFigures
	FeeAboveMinimum opstap.Cents `json:"fee_above_minimum_cents"`
	// Balance is this month's part: Revenue − Premiums − Travel − FeeAboveMinimum.
	Balance opstap.Cents `json:"balance_cents"`
}

// Settlement is the half-year settlement with a municipality
// [003 art 6.1 lid 5, 6.2 lid 4]:
//
//	Balance = Σ Revenue − Σ Premiums − Σ Travel − Σ max(0, Fee − Minimum)
//
// over the six months. A positive balance is paid to the municipality by
// Due; a negative one is shown and explained, not charged.
type Settlement struct {
	Half            HalfYear          `json:"half_year"`
	Months          []SettlementMonth `json:"months"` // all six, in order; a month without figures is zero
	Revenue         opstap.Cents      `json:"revenue_cents"`
	Premiums        opstap.Cents      `json:"premiums_cents"`
	Travel          opstap.Cents      `json:"travel_cents"`
	FeeAboveMinimum opstap.Cents      `json:"fee_above_minimum_cents"`
	Balance         opstap.Cents      `json:"balance_cents"`
	Payable         bool              `json:"payable"` // Balance > 0
	Due             opstap.Date       `json:"due"`
}

// Settle computes the settlement of h from the months' figures. A month
// outside h, or given twice, is an error rather than silently dropped or
// counted twice. dueDays is the payment term after the half year's end.
func Settle(h HalfYear, figures []MonthFigures, dueDays int) (Settlement, error) {
	if !h.Valid() {
		return Settlement{}, opstap.FieldError("halfYear", "not a half year")
	}
	s := Settlement{Half: h, Due: h.Due(dueDays)}
	index := map[opstap.Month]int{}
	for i, m := range h.Months() {
		index[m] = i
		s.Months = append(s.Months, SettlementMonth{MonthFigures: MonthFigures{Month: m}})
	}
	seen := map[opstap.Month]bool{}
	for _, f := range figures {
		i, ok := index[f.Month]
		if !ok || seen[f.Month] {
			return Settlement{}, fmt.Errorf("billing: month %s given twice or outside %s", f.Month, h)
		}
		seen[f.Month] = true
		s.Months[i].MonthFigures = f
	}
	for i := range s.Months {
		m := &s.Months[i]
		var err error
		if m.FeeAboveMinimum, err = FeeAboveMinimum(m.Fee, m.Minimum); err != nil {
			return Settlement{}, err
		}
		if m.Balance, err = balance(m.Revenue, m.Premiums, m.Travel, m.FeeAboveMinimum); err != nil {
			return Settlement{}, err
		}
		for _, acc := range []struct {
			total *opstap.Cents
			v     opstap.Cents
		}{
			{&s.Revenue, m.Revenue}, {&s.Premiums, m.Premiums}, {&s.Travel, m.Travel}, {&s.FeeAboveMinimum, m.FeeAboveMinimum},
		} {
			if *acc.total, err = acc.total.Add(acc.v); err != nil {
				return Settlement{}, err
			}
		}
	}
	var err error
	if s.Balance, err = balance(s.Revenue, s.Premiums, s.Travel, s.FeeAboveMinimum); err != nil {
		return Settlement{}, err
	}
	s.Payable = s.Balance > 0
	return s, nil
}

func balance(revenue opstap.Cents, minus ...opstap.Cents) (opstap.Cents, error) {
	b := revenue
	for _, m := range minus {
		var err error
		if b, err = b.Sub(m); err != nil {
			return 0, err
		}
	}
	return b, nil
}
