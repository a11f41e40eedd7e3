package demo_test

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestDemoMoney: right after loading, the demo shows a newcomer money
// (issue 9 item 9): every month of the hours but the last closed, the
// employer's and the municipality's invoices of the two months before the
// last (one paid), a payout batch paying Lisa from the provider's account
// whose file the EPC schema accepts, e-invoices the SI-UBL rules accept,
// and the last half year's settlement to see (provisional: the demo leaves
// drawing up to the newcomer).
func TestDemoMoney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		u, err := db.FindUserByEmail(ctx, "financien@demo.opstap.nl")
		if err != nil {
			t.Fatal(err)
		}
		fin := u.Actor(db.Now(), "")
		last := opstap.MonthOf(opstap.DateOf(db.Now())).Add(-1)
		closed, err := db.ClosedMonths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(closed, last.Add(-5)) || !slices.Contains(closed, last.Add(-1)) || slices.Contains(closed, last) {
			t.Fatalf("closed months %v, want up to %s", closed, last.Add(-1))
		}
		invs, _, err := db.Invoices(ctx, fin, store.InvoiceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		ubl := map[string][]byte{}
		for _, i := range invs {
			kinds[string(i.Kind)+" "+i.Month.String()+" "+i.Status]++
			b, _, err := db.InvoiceFile(ctx, fin, i.ID, "xml")
			if err != nil {
				t.Fatal(err)
			}
			ubl[i.Number+".xml"] = b
		}
		want := map[string]int{
			"employer " + last.Add(-2).String() + " paid": 1, "municipality " + last.Add(-2).String() + " open": 1,
			"employer " + last.Add(-1).String() + " open": 1, "municipality " + last.Add(-1).String() + " open": 1,
		}
		if len(invs) != 4 || !maps.Equal(kinds, want) {
			t.Fatalf("invoices %v, want %v", kinds, want)
		}
		formatcheck.EInvoices(t, ubl)
		batches, err := db.PayoutBatches(ctx, fin)
		if err != nil {
			t.Fatal(err)
		}
		if len(batches) != 1 || batches[0].Payments != 1 || batches[0].Total <= 0 || batches[0].DebtorIBAN != "NL91ABNA0417164300" ||
			batches[0].PaidOn != opstap.DateOf(db.Now()) {
			t.Fatalf("payout batches %+v", batches)
		}
		_, file, err := db.PayoutFile(ctx, fin, batches[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		dir := formatcheck.WriteFiles(t, map[string][]byte{"pain001.xml": file})
		formatcheck.XSD(t, formatcheck.SharedData(t, "validators/sepa/pain.001.001.09-EPC132-08-2023-SCT-C2PSP.xsd"), filepath.Join(dir, "pain001.xml"))
		ss, err := db.Settlements(ctx, fin, billing.HalfYearOf(last.Add(-1)))
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 1 || ss[0].Status != store.SettlementProvisional {
			t.Fatalf("settlements %+v", ss)
		}
		v, err := db.Settlement(ctx, fin, ss[0].Municipality, ss[0].HalfYear)
		if err != nil {
			t.Fatal(err)
		}
		if v.Statement == nil || v.Statement.Revenue <= 0 {
			t.Fatalf("settlement %+v", v)
		}
	})
}
