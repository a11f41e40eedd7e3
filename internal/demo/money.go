package demo

import (
	"context"
	"encoding/json"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

// demoPayee is a demo candidate's address and bank account, which a SEPA
// payout needs (a structured address, a valid IBAN). Invented; the IBANs
// pass the check digits and belong to no one.
type demoPayee struct {
	ref, street, number, iban, holder string
}

var demoPayees = []demoPayee{
	{"ALM-0001", "Stationsstraat", "12", "NL20INGB0001234567", "L. Hendriks"},
	{"ALM-0002", "Grote Markt", "3", "NL44RABO0123456789", "M. Bakkali"},
	{"ALM-0003", "Kruidenlaan", "28", "NL52ASNB0708091011", "S. de Groot"},
	{"LEL-0001", "Agorahof", "7", "NL63TRIO0212345678", "T. Verbeek"},
}

// loadMoney runs the demo's money after its six months of hours (issue 9
// item 9): finance has closed every month but the last, issued the
// employer's and the municipality's invoices of the two months before the
// last (the older employer invoice paid), and paid the candidates'
// premiums of the closed months in a payout batch the bank has executed. The last month stays
// open for a newcomer to close and invoice; the half-year settlement is
// there as a provisional one. Only two months are invoiced because every
// server test loads the demo and each invoice renders a PDF/A
// (docs/benchmarks.md, demo load).
func loadMoney(ctx context.Context, db *store.DB, d *Data, first opstap.Month) error {
	fin, err := demoActor(ctx, db, d, "financien@demo.opstap.nl")
	if err != nil {
		return err
	}
	km, err := demoActor(ctx, db, d, "klantmanager@demo.opstap.nl")
	if err != nil {
		return err
	}
	if err := demoPayeeData(ctx, db, km, fin, d); err != nil {
		return err
	}
	last := opstap.MonthOf(opstap.DateOf(db.Now())).Add(-1)
	for m := first; m.Before(last); m = m.Next() {
		if err := db.ClosePeriod(ctx, fin, m); err != nil {
			return err
		}
	}
	var paid *store.InvoiceSummary
	for _, m := range []opstap.Month{last.Add(-2), last.Add(-1)} {
		issued, err := db.IssueMonth(ctx, fin, m, render.InvoiceFiles)
		if err != nil {
			return err
		}
		for i := range issued {
			if paid == nil && issued[i].Kind == "employer" {
				paid = &issued[i]
			}
		}
	}
	if paid != nil {
		if err := db.RecordPayment(ctx, fin, paid.ID, opstap.DateOf(db.Now())); err != nil {
			return err
		}
	}
	// From the provider's own account, the batch's default; executed by
	// the bank today.
	today := opstap.DateOf(db.Now())
	b, err := db.CreatePayoutBatch(ctx, fin, store.PayoutRequest{Through: last.Add(-1), ExecutionDate: today})
	if err != nil {
		return err
	}
	_, err = db.RecordPayoutPaid(ctx, fin, b.ID, today)
	return err
}

// demoPayeeData adds the demo candidates' street and house number (as the
// case manager would) and bank account (as finance would). Lelystad's
// candidate is outside the case manager's reach and keeps no address.
func demoPayeeData(ctx context.Context, db *store.DB, km, fin *opstap.Actor, d *Data) error {
	for _, p := range demoPayees {
		id := ""
		for i, c := range demoCandidates {
			if c.ref == p.ref && i < len(d.Candidates) {
				id = d.Candidates[i]
			}
		}
		if id == "" {
			continue
		}
		raw, err := db.ReadCategory(ctx, fin, id, opstap.CatBasic, "", "")
		if err != nil {
			return err
		}
		b, ok := raw.(*candidate.Basic)
		if !ok {
			continue
		}
		b.Street, b.HouseNumber = p.street, p.number
		basic, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if err := db.WriteCategory(ctx, km, id, opstap.CatBasic, basic, ""); err != nil && opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			return err
		}
		bank, err := json.Marshal(candidate.Financial{IBAN: p.iban, AccountHolder: p.holder})
		if err != nil {
			return err
		}
		if err := db.WriteCategory(ctx, fin, id, opstap.CatFinancial, bank, ""); err != nil {
			return err
		}
	}
	return nil
}
