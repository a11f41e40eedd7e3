package billing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opstap/opstap"
)

// PremiumAge is the age from which hours earn a premium: Participatiewet
// art 31 lid 7 excludes people under 27 from the release of lid 2 onder j.
const PremiumAge = 27

// MaxPayoutsPerYear is how often a premium may be paid in a calendar year
// (Participatiewet art 31 lid 2 onder j: "ten hoogste twee maal per
// kalenderjaar").
const MaxPayoutsPerYear = 2

// CapWarning is the share of the year's cap from which a candidate's
// premium is flagged, in basis points (80 %).
const CapWarning opstap.BasisPoints = 8000

// PremiumAgeReached reports whether someone born on birth is 27 or older on
// day. Someone born on 29 February turns 27 on 1 March in a year without
// one: the premium starts on the first day the age is certain.
func PremiumAgeReached(birth, day opstap.Date) bool {
	return !day.Before(PremiumFrom(birth))
}

// PremiumFrom is the first day whose hours earn a premium for someone born
// on birth: the 27th birthday (1 March for someone born on 29 February when
// that year has none, as time.Date normalises).
func PremiumFrom(birth opstap.Date) opstap.Date {
	return opstap.DateOf(time.Date(birth.Year+PremiumAge, birth.Month, birth.Day, 12, 0, 0, 0, time.UTC))
}

// PremiumPromise is what a placement may promise the candidate about the
// premium (Participatiewet art 31 lid 7): the whole placement at 27 or
// older, from a day within it, none, or unknown when the birth date is
// missing.
type PremiumPromise int

const (
	PremiumUnknown PremiumPromise = iota
	PremiumWhole
	PremiumPartly
	PremiumNone
)

// PromiseFor decides the promise for a placement from first to last.
func PromiseFor(birth, first, last opstap.Date) (PremiumPromise, opstap.Date) {
	if birth.IsZero() {
		return PremiumUnknown, opstap.Date{}
	}
	from := PremiumFrom(birth)
	switch {
	case !first.Before(from):
		return PremiumWhole, from
	case last.Before(from):
		return PremiumNone, from
	}
	return PremiumPartly, from
}

// WorkDay is a day's approved work of one candidate, as the premium sees it.
type WorkDay struct {
	// Date is the day worked: it decides the candidate's age.
	Date opstap.Date `json:"date"`
	// Month is the month the line is accounted in; zero means Date's month.
	// A correction of a closed month lands in the next open one.
	Month opstap.Month `json:"-"`
	// Minutes is the approved time; negative on a correction line.
	Minutes opstap.Minutes `json:"minutes"`
	// Travel is the approved travel cost of the day.
	Travel opstap.Cents `json:"travel_cents"`
	// PremiumPerHour comes from the contract terms in force on Date.
	PremiumPerHour opstap.Cents `json:"premium_per_hour_cents"`
}

// Accrual is a candidate's premium and travel costs for one month.
type Accrual struct {
	Month opstap.Month `json:"month"`
	// Minutes is all approved time; PremiumMinutes the part worked at 27 or
	// older, which alone earns a premium (art 31 lid 7).
	Minutes        opstap.Minutes `json:"minutes"`
	PremiumMinutes opstap.Minutes `json:"premium_minutes"`
	Premium        opstap.Cents   `json:"premium_cents"`
	Travel         opstap.Cents   `json:"travel_cents"`
}

// Accrue returns a candidate's accruals per month, in month order. The
// premium of a month is one line per premium rate (the minutes at that rate
// × the rate, rounded once), so a month in which the terms changed is still
// exact. Travel costs are reimbursed costs, not premium: they accrue for
// every age and are not held against the cap. The birth date is required:
// without it nobody can say whether the premium may be paid.
func Accrue(birth opstap.Date, days []WorkDay) ([]Accrual, error) {
	if birth.IsZero() {
		return nil, opstap.FieldError("birthDate", "the birth date is needed to decide on the premium")
	}
	type key struct {
		m    opstap.Month
		rate opstap.Cents
	}
	byMonth := map[opstap.Month]*Accrual{}
	premiumMinutes := map[key]opstap.Minutes{}
	for _, d := range days {
		m := d.Month
		if m.IsZero() {
			m = opstap.MonthOf(d.Date)
		}
		a := byMonth[m]
		if a == nil {
			a = &Accrual{Month: m}
			byMonth[m] = a
		}
		var err error
		if a.Minutes, err = addMinutes(a.Minutes, d.Minutes); err != nil {
			return nil, err
		}
		if a.Travel, err = a.Travel.Add(d.Travel); err != nil {
			return nil, err
		}
		if PremiumAgeReached(birth, d.Date) {
			k := key{m, d.PremiumPerHour}
			if premiumMinutes[k], err = addMinutes(premiumMinutes[k], d.Minutes); err != nil {
				return nil, err
			}
			if a.PremiumMinutes, err = addMinutes(a.PremiumMinutes, d.Minutes); err != nil {
				return nil, err
			}
		}
	}
	for k, mins := range premiumMinutes {
		p, err := k.rate.MulHours(mins)
		if err != nil {
			return nil, err
		}
		a := byMonth[k.m]
		if a.Premium, err = a.Premium.Add(p); err != nil {
			return nil, err
		}
	}
	out := make([]Accrual, 0, len(byMonth))
	for _, a := range byMonth {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Accrual) int { return compareMonths(a.Month, b.Month) })
	return out, nil
}

func addMinutes(a, b opstap.Minutes) (opstap.Minutes, error) {
	s, err := opstap.Cents(a).Add(opstap.Cents(b))
	return opstap.Minutes(s), err
}

func compareMonths(a, b opstap.Month) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// Cap is the yearly maximum premium of Participatiewet art 31 lid 2 onder j
// for one calendar year. The amount is indexed every year, so the
// administrator keeps a table of them with the source of each figure; the
// code holds none.
type Cap struct {
	Year   int          `json:"year" validate:"min=2000,max=2200"`
	Amount opstap.Cents `json:"amount_cents" validate:"required,min=1,max=10000000"`
	Source string       `json:"source" validate:"required,max=500"` // e.g. the Staatscourant publication of the indexation
}

// Validate checks a cap row.
func (c *Cap) Validate() error {
	c.Source = strings.TrimSpace(c.Source)
	switch {
	case c.Year < 2000 || c.Year > 2200:
		return opstap.FieldError("year", "the year must lie between 2000 and 2200")
	case c.Amount <= 0:
		return opstap.FieldError("amount_cents", "the maximum must be more than zero")
	case c.Source == "":
		return opstap.FieldError("source", "name the source of the amount")
	}
	return nil
}

// CapFor returns the cap of year from the table. A year without a row is an
// error: a premium is never paid against a guessed maximum.
func CapFor(table []Cap, year int) (Cap, error) {
	for _, c := range table {
		if c.Year == year {
			return c, nil
		}
	}
	return Cap{}, opstap.Errorf(opstap.ECONFLICT, "no maximum premium is set for %d", year)
}

// YearStatus is a candidate's premium position in the calendar year of a
// payout. The release counts premiums paid ("verstrekt") in a calendar year,
// so the cap is held against what is paid in that year; accrued premium that
// would go over it is Excess, shown on the specification for the
// municipality to decide and never paid by Opstap on its own.
type YearStatus struct {
	Year        int          `json:"year"`
	Cap         opstap.Cents `json:"cap_cents"`
	CapSource   string       `json:"cap_source"`
	Paid        opstap.Cents `json:"paid_cents"`        // premium paid in the year so far
	Payouts     int          `json:"payouts"`           // payouts in the year so far
	Outstanding opstap.Cents `json:"outstanding_cents"` // accrued premium not yet paid
	Payable     opstap.Cents `json:"payable_cents"`     // what a payout may pay now
	Excess      opstap.Cents `json:"excess_cents"`      // accrued premium above the cap
	Warning     bool         `json:"warning"`           // paid + outstanding ≥ 80 % of the cap
	PayoutLeft  bool         `json:"payout_left"`       // fewer than two payouts so far
}

// PremiumYear works out what may be paid to a candidate in a payout of the
// cap's year. paid and payouts are the year's earlier payouts; outstanding
// is the premium accrued and not yet paid. Travel costs stay outside: they
// are not premium.
func PremiumYear(c Cap, paid opstap.Cents, payouts int, outstanding opstap.Cents) (YearStatus, error) {
	if c.Amount <= 0 || paid < 0 || outstanding < 0 || payouts < 0 {
		return YearStatus{}, fmt.Errorf("billing: impossible premium position (cap %d, paid %d, payouts %d, outstanding %d)", c.Amount, paid, payouts, outstanding)
	}
	s := YearStatus{Year: c.Year, Cap: c.Amount, CapSource: c.Source, Paid: paid, Payouts: payouts,
		Outstanding: outstanding, PayoutLeft: payouts < MaxPayoutsPerYear}
	total, err := paid.Add(outstanding)
	if err != nil {
		return YearStatus{}, err
	}
	room, err := c.Amount.Sub(paid)
	if err != nil {
		return YearStatus{}, err
	}
	room = max(room, 0)
	if s.PayoutLeft {
		s.Payable = min(outstanding, room)
	}
	s.Excess = max(total-c.Amount, 0)
	threshold, err := c.Amount.MulBasisPoints(CapWarning)
	if err != nil {
		return YearStatus{}, err
	}
	s.Warning = total >= threshold
	return s, nil
}
