package billing

import "github.com/opstap/opstap"

// TravelCost is a day's approved travel cost under the terms in force:
// kilometres × the rate per kilometre, plus public-transport receipts at
// cost [003 art 5 lid 9]. Under the receipts rule kilometres earn nothing.
func TravelCost(t Terms, km int64, transit opstap.Cents) (opstap.Cents, error) {
	if t.TravelRule != TravelPerKm || km == 0 {
		return transit, nil
	}
	byKm, err := t.TravelPerKm.Times(km)
	if err != nil {
		return 0, err
	}
	return byKm.Add(transit)
}

// Payout is what one payout pays a candidate: the premium the year's cap
// still allows, all travel costs, and the premium above the cap as excess
// for the municipality to decide (never paid by Opstap on its own).
type Payout struct {
	Premium opstap.Cents `json:"premium_cents"`
	Travel  opstap.Cents `json:"travel_cents"`
	Excess  opstap.Cents `json:"excess_cents"`
	Amount  opstap.Cents `json:"amount_cents"` // Premium + Travel
	Year    YearStatus   `json:"year"`
}

// Why a candidate's accruals stay unpaid in a batch.
const (
	SkipNoPayoutLeft = "no_payout_left" // two payouts already this calendar year
	SkipNothingToPay = "nothing_to_pay" // corrections brought the total to zero or below
)

// PlanPayout works out a payout in the cap's year of the accruals acc,
// given the year's earlier payouts. skip names why nothing is paid now;
// the accruals then stay outstanding for a later payout.
func PlanPayout(c Cap, paid opstap.Cents, payouts int, acc []Accrual) (p Payout, skip string, err error) {
	var premium opstap.Cents
	for _, a := range acc {
		if premium, err = premium.Add(a.Premium); err != nil {
			return Payout{}, "", err
		}
		if p.Travel, err = p.Travel.Add(a.Travel); err != nil {
			return Payout{}, "", err
		}
	}
	// A month of corrections can be negative; it lowers what is owed but
	// never turns into a claim on the candidate.
	if p.Year, err = PremiumYear(c, paid, payouts, max(premium, 0)); err != nil {
		return Payout{}, "", err
	}
	if !p.Year.PayoutLeft {
		return p, SkipNoPayoutLeft, nil
	}
	p.Premium = p.Year.Payable
	p.Excess = max(premium, 0) - p.Premium
	if p.Amount, err = p.Premium.Add(p.Travel); err != nil {
		return Payout{}, "", err
	}
	if p.Amount <= 0 {
		return p, SkipNothingToPay, nil
	}
	return p, "", nil
}
