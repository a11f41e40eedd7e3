package browsertest

import (
	"bytes"
	"testing"

	"github.com/opstap/opstap"
)

// TestInvoicesJourney_003art6: finance goes from the home page to the
// invoicing month, finds it open, closes it on the closing page, comes back
// through the menu, issues the month's invoices ("Facturen aanmaken"),
// opens an invoice and downloads its PDF and e-invoice; the employer goes
// from the home page to its invoices and downloads its own (issue 9 items
// 3, 5, 8; [003 art 5 lid 8, 6.1, 6.2]). Every page passes axe.
func TestInvoicesJourney_003art6(t *testing.T) {
	e, s := newTest(t)
	last := opstap.MonthOf(opstap.DateOf(e.Now())).Add(-1)
	e.SignIn(t, s, "financien@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "invoicing", Submit(t, s, `header nav a[href="/finance/invoicing"]`), 200)
	Axe(t, s)
	if Count(t, s, `form[action="/finance/invoicing/`+last.String()+`"]`) != 0 {
		t.Fatal("an open month offers to issue its invoices")
	}
	wantStatus(t, s, "closing", Submit(t, s, `main a[href="/finance/periods"]`), 200)
	wantStatus(t, s, "close", Submit(t, s, `form[action="/finance/periods/`+last.String()+`/close"] button`), 200)
	wantStatus(t, s, "invoicing again", Submit(t, s, `header nav a[href="/finance/invoicing"]`), 200)
	wantText(t, s, "main", "Facturen klaar om aan te maken")
	wantStatus(t, s, "issue", Submit(t, s, `form[action="/finance/invoicing/`+last.String()+`"] button`), 200)
	if n := Count(t, s, `.flash`); n != 1 {
		t.Fatalf("no confirmation after issuing (at %s)", location(s))
	}
	Axe(t, s)
	Screenshot(t, s, "invoicing-month")
	if Count(t, s, `main table a[href^="/invoices/"]`) == 0 {
		t.Fatal("the month page links no issued invoice")
	}
	wantStatus(t, s, "invoice", Submit(t, s, `main table a[href^="/invoices/"]`), 200)
	Axe(t, s)
	id := Path(t, s)[len("/invoices/"):]
	fetchPDF(t, s, "/invoices/"+id+"/pdf")
	status, ctype, b := Fetch(t, s, "/invoices/"+id+"/ubl")
	if status != 200 || ctype != "application/xml" || !bytes.Contains(b, []byte("urn:fdc:nen.nl:nlcius:v1.0")) {
		t.Fatalf("e-invoice: %d %q", status, ctype)
	}
	wantStatus(t, s, "list", Submit(t, s, `header nav a[href="/invoices"]`), 200)
	Axe(t, s)

	boss := Session(t, s)
	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	wantStatus(t, boss, "home", e.Open(t, boss, "/"), 200)
	wantStatus(t, boss, "invoices", Submit(t, boss, `header nav a[href="/invoices"]`), 200)
	Axe(t, boss)
	// The demo issued two earlier months; this one is newest.
	if n := Count(t, boss, `main table tbody tr`); n != 3 {
		t.Fatalf("the employer sees %d invoices, want its three", n)
	}
	wantStatus(t, boss, "invoice", Submit(t, boss, `main table a[href^="/invoices/"]`), 200)
	Axe(t, boss)
	if Count(t, boss, `form[action$="/payment"]`) != 0 {
		t.Fatal("the employer is offered to record a payment")
	}
	mine := Path(t, boss)[len("/invoices/"):]
	fetchPDF(t, boss, "/invoices/"+mine+"/pdf")
}
