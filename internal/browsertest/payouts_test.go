package browsertest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// TestPayoutJourney_003art5lid3: finance, starting from the home page, makes
// a payout batch of last month's demo hours (a wrong IBAN refused beside
// the field first) and downloads its pain.001 file; the candidate sees the
// payout in the portal (issue 9 item 4).
func TestPayoutJourney_003art5lid3(t *testing.T) {
	e, fin := newTest(t)
	ctx := context.Background()
	finance := financeActor(t, e)
	lisa := candidateID(t, e, "ALM-0001")
	iban, _ := json.Marshal(candidate.Financial{IBAN: "NL20INGB0001234567", AccountHolder: "L. Hendriks"})
	if err := e.DB.WriteCategory(ctx, finance, lisa, opstap.CatFinancial, iban, ""); err != nil {
		t.Fatal(err)
	}
	raw, err := e.DB.ReadCategory(ctx, finance, lisa, opstap.CatBasic, "", "")
	if err != nil {
		t.Fatal(err)
	}
	b, ok := raw.(*candidate.Basic)
	if !ok {
		t.Fatalf("basic data: %T", raw)
	}
	b.Street, b.HouseNumber = "Stationsstraat", "12"
	basic, _ := json.Marshal(b)
	km, err := e.DB.FindUserByEmail(ctx, "klantmanager@demo.opstap.nl")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.WriteCategory(ctx, km.Actor(e.DB.Now(), ""), lisa, opstap.CatBasic, basic, ""); err != nil {
		t.Fatal(err)
	}
	// The demo closed and paid the months before last: this batch pays last month.
	last := opstap.MonthOf(opstap.DateOf(e.Now())).Add(-1)
	closed, err := e.DB.ClosedMonths(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for m := last.Add(-5); !last.Before(m); m = m.Next() {
		if slices.Contains(closed, m) {
			continue
		}
		if err := e.DB.ClosePeriod(ctx, finance, m); err != nil {
			t.Fatal(err)
		}
	}

	e.SignIn(t, fin, "financien@demo.opstap.nl")
	wantPath(t, fin, "/")
	wantStatus(t, fin, "payouts from home", Submit(t, fin, `main a[href="/payouts"]`), 200)
	wantPath(t, fin, "/payouts")
	Axe(t, fin)
	if v := Run(t, fin, chromedp.Value(chromedp.CSS(`input[name="debtor_iban"]`))); v != "NL91ABNA0417164300" {
		t.Fatalf("the provider's IBAN is not filled in: %q", v)
	}
	Type(t, fin, `input[name="through_month"]`, last.String())
	Type(t, fin, `input[name="execution_date"]`, opstap.DateOf(e.Now()).AddDays(2).String())
	Type(t, fin, `input[name="debtor_iban"]`, "NL91ABNA0417164301")
	wantStatus(t, fin, "wrong IBAN", Submit(t, fin, `main form button[type="submit"]`), 422)
	if v, _ := Attr(t, fin, `input[name="debtor_iban"]`, "aria-invalid"); v != "true" {
		t.Fatalf("the wrong IBAN is not marked invalid: %s", Text(t, fin, "main"))
	}
	Axe(t, fin)
	Type(t, fin, `input[name="debtor_iban"]`, "NL91ABNA0417164300")
	wantStatus(t, fin, "make the batch", Submit(t, fin, `main form button[type="submit"]`), 200)
	if n := Count(t, fin, `.flash`); n != 1 {
		t.Fatalf("no confirmation after making the batch (at %s)", location(fin))
	}
	if n := Count(t, fin, `main a[href$="/pain001"]`); n != 2 {
		t.Fatalf("%d file links, want the demo's and this one", n)
	}
	Axe(t, fin)
	// Newest first.
	href, _ := Attr(t, fin, `main a[href$="/pain001"]`, "href")
	status, typ, file := Fetch(t, fin, href)
	if status != 200 || !strings.HasPrefix(typ, "application/xml") || !strings.Contains(string(file), "NL20INGB0001234567") {
		t.Fatalf("file: %d %s %.300s", status, typ, file)
	}
	// The bank has executed it: finance records the day (the demo's batch is paid already).
	if n := Count(t, fin, `main table form[action$="/paid"]`); n != 1 {
		t.Fatalf("%d batches to record as paid, want the new one", n)
	}
	wantStatus(t, fin, "paid before the execution date", Submit(t, fin, `main table form[action$="/paid"] button`), 422)
	e.Tick(2 * 24 * time.Hour)
	Type(t, fin, `main table form[action$="/paid"] input[name="paid_on"]`, opstap.DateOf(e.Now()).AddDays(2).String())
	wantStatus(t, fin, "record as paid", Submit(t, fin, `main table form[action$="/paid"] button`), 200)
	if n := Count(t, fin, `main table form[action$="/paid"]`); n != 0 {
		t.Fatalf("the batch is not recorded as paid (at %s)", location(fin))
	}

	cand := Session(t, fin)
	e.SignIn(t, cand, "kandidaat@demo.opstap.nl")
	wantStatus(t, cand, "portal payouts", e.Open(t, cand, "/portal/payouts"), 200)
	Axe(t, cand)
	if n := Count(t, cand, `main table tbody tr td`); n < 5 {
		t.Fatalf("the candidate sees no payout (%d cells)", n)
	}
}
