package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRegistrationShowsEveryMistake: the case manager goes from the home
// page to the registration form and makes five mistakes; one submit shows
// all five in an error summary at the top, which has the focus and links
// to each field, and each field points to its message (issue 12 item 5,
// the NL Design System and GOV.UK pattern).
func TestRegistrationShowsEveryMistake(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "klantmanager@demo.opstap.nl")
	wantStatus(t, ctx, "home", e.Open(t, ctx, "/"), 200)
	wantStatus(t, ctx, "candidates", Submit(t, ctx, `main a[href="/candidates"]`), 200)
	wantStatus(t, ctx, "register", Submit(t, ctx, `main a[href="/candidates/new"]`), 200)
	before := countRows(t, e.DB, "candidates")
	// first name right; last name missing; the rest wrong.
	for sel, v := range map[string]string{"#c-first": "Eva", "#c-birth": "31-02-1990", "#c-postcode": "12 AB", "#c-phone": "bellen", "#c-bsn": "123456789"} {
		Type(t, ctx, sel, v)
	}
	wantStatus(t, ctx, "five mistakes", Submit(t, ctx, `form[action="/candidates"] button[type="submit"]`), 422)
	want := []string{"c-last", "c-birth", "c-postcode", "c-phone", "c-bsn"}
	links := Run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.error-summary li a')].map(a => a.getAttribute('href'))`))
	if len(links) != len(want) {
		t.Fatalf("the summary links %v, want the %d fields %v", links, len(want), want)
	}
	for i, id := range want {
		if links[i] != "#"+id {
			t.Errorf("summary line %d links %s, want #%s", i+1, links[i], id)
		}
		wantFieldError(t, ctx, id, "")
	}
	if !Run(t, ctx, chromedp.Evaluate[bool](`document.activeElement.classList.contains('error-summary')`)) {
		t.Error("the focus is not on the error summary")
	}
	wantText(t, ctx, ".error-summary h2", "Er is een probleem")
	if after := countRows(t, e.DB, "candidates"); after != before {
		t.Fatalf("a refused registration changed the candidates: %d → %d", before, after)
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "candidate-new-five-errors")
}
