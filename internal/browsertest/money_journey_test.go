package browsertest

import (
	"bytes"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
)

// TestMoneyMonthJourney_003art5_6: a month and a half year from the home
// pages, in one go, on the demo (issue 9 "Done when"). The employer
// approves the candidate's waiting hours from the home page's queue and
// finds its invoices. Finance, from its home page, looks at last month's
// hours, closes the month, sees the revenue and the tiered fee on the
// invoicing month, issues the month's invoices, opens the municipality's
// monthly invoice and downloads its PDF and e-invoice, makes the payout
// batch from the provider's account, downloads the SEPA file and records
// it paid, and draws up the last half year's settlement (closing what is
// still open) with its PDF and spreadsheet. Every page passes axe.
func TestMoneyMonthJourney_003art5_6(t *testing.T) {
	e, boss := newTest(t)
	last := opstap.MonthOf(opstap.DateOf(e.Now())).Add(-1)

	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	wantPath(t, boss, "/")
	wantStatus(t, boss, "hours from home", Submit(t, boss, `ul.figures a[href="/employer/hours"]`), 200)
	Axe(t, boss)
	waiting := Count(t, boss, `form:has(input[name="line"]) button[value="1"]`)
	if waiting == 0 {
		t.Fatal("the demo's week of the candidate is not waiting for the employer")
	}
	wantStatus(t, boss, "approve", Submit(t, boss, `form:has(input[name="line"]) button[value="1"]`), 200)
	if n := Count(t, boss, `form:has(input[name="line"]) button[value="1"]`); n != waiting-1 {
		t.Fatalf("%d days waiting after approving one of %d", n, waiting)
	}
	wantStatus(t, boss, "invoices", Submit(t, boss, `header nav a[href="/invoices"]`), 200)
	Axe(t, boss)
	if Count(t, boss, `main table a[href^="/invoices/"]`) == 0 {
		t.Fatal("the employer sees no invoice of the demo")
	}

	fin := Session(t, boss)
	e.SignIn(t, fin, "financien@demo.opstap.nl")
	wantPath(t, fin, "/")
	wantStatus(t, fin, "hours from home", Submit(t, fin, `main a[href="/hours/month"]`), 200)
	Axe(t, fin)
	wantText(t, fin, "main", "Bakkerij De Korenschoof")
	wantStatus(t, fin, "home", e.Open(t, fin, "/"), 200)
	wantStatus(t, fin, "closing from home", Submit(t, fin, `main a[href="/finance/periods"]`), 200)
	Axe(t, fin)
	wantStatus(t, fin, "close last month", Submit(t, fin, `form[action="/finance/periods/`+last.String()+`/close"] button`), 200)
	wantStatus(t, fin, "invoicing", Submit(t, fin, `header nav a[href="/finance/invoicing"]`), 200)
	Axe(t, fin)
	wantText(t, fin, "main", "Fee (gestaffeld)")
	wantStatus(t, fin, "issue", Submit(t, fin, `form[action="/finance/invoicing/`+last.String()+`"] button`), 200)
	if n := Count(t, fin, `.flash`); n != 1 {
		t.Fatalf("no confirmation after issuing (at %s)", location(fin))
	}
	// The municipality's monthly invoice is linked beside its charges.
	wantStatus(t, fin, "municipality invoice", Submit(t, fin, `main dl.facts a[href^="/invoices/"]`), 200)
	Axe(t, fin)
	wantText(t, fin, "main", "Gemeente Almere")
	id := Path(t, fin)[len("/invoices/"):]
	fetchPDF(t, fin, "/invoices/"+id+"/pdf")
	if status, ctype, b := Fetch(t, fin, "/invoices/"+id+"/ubl"); status != 200 || ctype != "application/xml" || !bytes.Contains(b, []byte("urn:fdc:nen.nl:nlcius:v1.0")) {
		t.Fatalf("e-invoice: %d %q", status, ctype)
	}

	wantStatus(t, fin, "home", e.Open(t, fin, "/"), 200)
	wantStatus(t, fin, "payouts from home", Submit(t, fin, `main a[href="/payouts"]`), 200)
	Axe(t, fin)
	wantStatus(t, fin, "make the batch", Submit(t, fin, `main form[action="/payouts"] button[type="submit"]`), 200)
	if n := Count(t, fin, `.flash`); n != 1 {
		t.Fatalf("no confirmation after making the batch (at %s)", location(fin))
	}
	href, _ := Attr(t, fin, `main a[href$="/pain001"]`, "href")
	if status, ctype, b := Fetch(t, fin, href); status != 200 || ctype != "application/xml" || !bytes.Contains(b, []byte("pain.001.001.09")) {
		t.Fatalf("SEPA file: %d %q", status, ctype)
	}
	wantStatus(t, fin, "record paid", Submit(t, fin, `main table form[action$="/paid"] button`), 200)
	if Count(t, fin, `main table form[action$="/paid"]`) != 0 {
		t.Fatal("the batch is not recorded as paid")
	}

	half := billing.LastHalfYear(opstap.DateOf(e.Now()))
	wantStatus(t, fin, "settlements", Submit(t, fin, `header nav a[href="/settlements"]`), 200)
	Axe(t, fin)
	wantStatus(t, fin, "settlement", Submit(t, fin, `main table a[href$="/`+half.String()+`"]`), 200)
	path := Path(t, fin)
	for _, m := range half.Months() {
		wantStatus(t, fin, "closing", e.Open(t, fin, "/finance/periods"), 200)
		if Count(t, fin, `form[action="/finance/periods/`+m.String()+`/close"]`) == 1 {
			wantStatus(t, fin, "close "+m.String(), Submit(t, fin, `form[action="/finance/periods/`+m.String()+`/close"] button`), 200)
		}
	}
	wantStatus(t, fin, "settlement again", e.Open(t, fin, path), 200)
	wantStatus(t, fin, "draw up", Submit(t, fin, `form[action="`+path+`"] button`), 200)
	Axe(t, fin)
	fetchPDF(t, fin, path+"/pdf")
	if status, _, b := Fetch(t, fin, path+"/xlsx"); status != 200 || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("spreadsheet: %d", status)
	}
}
