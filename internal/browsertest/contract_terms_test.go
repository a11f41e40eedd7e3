package browsertest

import (
	"strings"
	"testing"

	"github.com/opstap/opstap"
)

// TestContractTermsJourney_003art6: finance goes from the home page to the
// demo municipality's contract terms, types an amount with three decimals,
// reads the error beside the field, corrects it and saves a new version
// that takes effect next year. Every page passes axe.
func TestContractTermsJourney_003art6(t *testing.T) {
	e, s := newTest(t)
	e.SignIn(t, s, "financien@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	if Count(t, s, `header nav a[href="/finance/terms"]`) != 1 {
		t.Fatal("the menu has no link to the contract terms")
	}
	wantStatus(t, s, "terms", e.Open(t, s, "/finance/terms"), 200)
	Axe(t, s)
	if Count(t, s, `a[href="/finance/terms/0034"]`) != 1 {
		t.Fatal("no link to the demo municipality's terms")
	}
	wantStatus(t, s, "municipality", e.Open(t, s, "/finance/terms/0034"), 200)
	Axe(t, s)
	Type(t, s, "#t-rate", "12,005")
	wantStatus(t, s, "bad rate", Submit(t, s, `form[action="/finance/terms/0034"] button[type="submit"]`), 422)
	wantFieldError(t, s, "t-rate", "geen bedrag")
	Axe(t, s)
	next := opstap.Date{Year: opstap.DateOf(e.Now()).Year + 1, Month: 1, Day: 1}
	Type(t, s, "#t-rate", "12,05")
	Type(t, s, "#t-valid-from", next.Dutch())
	Type(t, s, "#t-note", "Indexering")
	wantStatus(t, s, "save", Submit(t, s, `form[action="/finance/terms/0034"] button[type="submit"]`), 200)
	wantPath(t, s, "/finance/terms/0034")
	if body := Text(t, s, "main table tbody"); !strings.Contains(body, next.Dutch()) || !strings.Contains(body, "€ 12,05") {
		t.Fatalf("the new version is not listed: %q", body)
	}
	Axe(t, s)
	if n := countRows(t, e.DB, "contract_terms"); n != 2 {
		t.Fatalf("%d versions stored, want 2", n)
	}
}
