package browsertest

import "testing"

// TestBillingDetailsJourney: finance goes from the home page to the
// billing details, opens the provider's, is refused a wrong IBAN beside
// the field, corrects it and sees the list again with a confirmation.
// Every page passes axe.
func TestBillingDetailsJourney(t *testing.T) {
	e, s := newTest(t)
	e.SignIn(t, s, "financien@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "billing details", Submit(t, s, `main a[href="/finance/billing"]`), 200)
	Axe(t, s)
	wantText(t, s, "main", "Gemeente Almere")
	wantStatus(t, s, "provider", Submit(t, s, `main table a[href^="/finance/billing/"]`), 200)
	Axe(t, s)
	wantText(t, s, "h1", "Opstap Re-integratie B.V.")
	Type(t, s, `input[name="iban"]`, "NL91ABNA0417164301")
	wantStatus(t, s, "wrong IBAN", Submit(t, s, `main form button[type="submit"]`), 422)
	if v, _ := Attr(t, s, `input[name="iban"]`, "aria-invalid"); v != "true" {
		t.Fatalf("the wrong IBAN is not marked invalid: %s", Text(t, s, "main"))
	}
	Axe(t, s)
	Type(t, s, `input[name="iban"]`, "NL91ABNA0417164300")
	wantStatus(t, s, "save", Submit(t, s, `main form button[type="submit"]`), 200)
	wantPath(t, s, "/finance/billing")
	if n := Count(t, s, `.flash`); n != 1 {
		t.Fatalf("no confirmation after saving (at %s)", location(s))
	}
}
