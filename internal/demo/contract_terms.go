package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadContractTerms) }

// loadContractTerms gives the demo municipality contract terms from 1
// January of last year, so that a half year of history settles with them,
// and the premium cap table for last year and this one. The seed blanks out
// the fee figures; the demo uses DOMAIN.md's worked example (20 % to
// 10.000, 15 % to 25.000, 10 % above).
func loadContractTerms(ctx context.Context, db *store.DB, d *Data) error {
	sys := &opstap.Actor{System: true}
	year := opstap.DateOf(db.Now()).Year
	t := billing.DefaultTerms("0034", opstap.Date{Year: year - 1, Month: 1, Day: 1})
	t.TravelRule, t.TravelPerKm = billing.TravelPerKm, 23
	t.FeeTiers = []billing.Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}
	t.MonthlyMinimum = 150_000
	t.Licences, t.LicencePrice = 2, 15_000
	t.AdviceDayPrice = 75_000
	t.Note = "Demo: bedragen van de staffel uit het rekenvoorbeeld"
	if _, err := db.AddContractTerms(ctx, sys, t); err != nil {
		return err
	}
	// The statute's own figure, not indexed: the demo must not pass off an
	// invented amount as a published one.
	for _, y := range []int{year - 1, year} {
		if err := db.SetPremiumCap(ctx, sys, billing.Cap{Year: y, Amount: 233_900,
			Source: "Demo: bedrag uit de wettekst 2015 (Participatiewet art. 31 lid 2 onder j), niet geïndexeerd"}); err != nil {
			return err
		}
	}
	return nil
}
