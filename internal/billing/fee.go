// Package billing holds the money rules of the flex instrument (DOMAIN.md §5,
// seed 003 art 5 lid 3, 8, 9 and art 6): the provider's marginal tiered fee,
// invoice lines and VAT, candidate premiums with the yearly cap of
// Participatiewet art 31 lid 2 onder j, the half-year settlement with the
// municipality, and the contract terms all of these read. It calculates and
// validates only; it imports no database, so the store, the invoices, the
// payouts and the settlement all share one set of rules.
//
// Every amount is opstap.Cents, every percentage opstap.BasisPoints, every
// duration opstap.Minutes, and every calculation is checked: a result that
// does not fit is opstap.ErrOverflow, never a wrapped number. Rounding
// happens once per line, half away from zero (docs/money.md).
package billing

import "github.com/opstap/opstap"

// Tier is one band of the provider fee [003 art 6.1 lid 1]. The bands are
// marginal, like tax brackets: Rate applies only to the part of the month's
// revenue between the previous tier's UpTo and this one's. UpTo is 0 on the
// last tier, which has no upper bound.
type Tier struct {
	UpTo opstap.Cents       `json:"up_to_cents" validate:"min=0,max=100000000000"`
	Rate opstap.BasisPoints `json:"rate_basis_points" validate:"min=0,max=10000"`
}

// ValidateTiers checks a fee table: at least one tier, bounds rising
// strictly, only the last tier unbounded (and it must be, or revenue above
// the last bound would carry no rule), rates between 0 and 100 %.
func ValidateTiers(tiers []Tier) error {
	if len(tiers) == 0 {
		return opstap.FieldError("fee_tiers", "the fee needs at least one tier")
	}
	var prev opstap.Cents
	for i, t := range tiers {
		last := i == len(tiers)-1
		switch {
		case t.Rate < 0 || t.Rate > 10000:
			return opstap.FieldError("fee_tiers", "a tier's percentage lies between 0 and 100")
		case last && t.UpTo != 0:
			return opstap.FieldError("fee_tiers", "the last tier has no upper bound")
		case !last && t.UpTo <= prev:
			return opstap.FieldError("fee_tiers", "each tier's upper bound lies above the previous one")
		}
		prev = t.UpTo
	}
	return nil
}

// Band is the part of a month's revenue that fell in one tier and the fee on
// it: one line of the fee specification.
type Band struct {
	From    opstap.Cents       `json:"from_cents"`
	UpTo    opstap.Cents       `json:"up_to_cents"` // 0: unbounded
	Rate    opstap.BasisPoints `json:"rate_basis_points"`
	Revenue opstap.Cents       `json:"revenue_cents"` // revenue within the band
	Fee     opstap.Cents       `json:"fee_cents"`
}

// Fee returns the provider's fee on a month's realised revenue with the
// specification per band. Each band is one line, rounded once; the fee is
// the sum of the bands. Revenue of zero or less carries no fee and no bands
// (a month of only credit notes does not make the provider pay). The
// monthly minimum is not applied here: the municipality invoice charges the
// minimum, the settlement deducts only the fee above it.
//
// DOMAIN.md's example: tiers 20 % to 10.000, 15 % to 25.000, 10 % above,
// revenue 30.000 → 2.000 + 2.250 + 500 = 4.750.
func Fee(revenue opstap.Cents, tiers []Tier) (opstap.Cents, []Band, error) {
	if err := ValidateTiers(tiers); err != nil {
		return 0, nil, err
	}
	var total opstap.Cents
	var bands []Band
	var from opstap.Cents
	for _, t := range tiers {
		if revenue <= from {
			break
		}
		top := revenue
		if t.UpTo != 0 && t.UpTo < revenue {
			top = t.UpTo
		}
		in := top - from // both within [0, revenue]: cannot overflow
		fee, err := in.MulBasisPoints(t.Rate)
		if err != nil {
			return 0, nil, err
		}
		if total, err = total.Add(fee); err != nil {
			return 0, nil, err
		}
		bands = append(bands, Band{From: from, UpTo: t.UpTo, Rate: t.Rate, Revenue: in, Fee: fee})
		from = top
	}
	return total, bands, nil
}

// FeeAboveMinimum is what the half-year settlement deducts for a month:
// max(0, fee − minimum) [003 art 6.1 lid 5].
func FeeAboveMinimum(fee, minimum opstap.Cents) (opstap.Cents, error) {
	d, err := fee.Sub(minimum)
	if err != nil || d < 0 {
		return 0, err
	}
	return d, nil
}
