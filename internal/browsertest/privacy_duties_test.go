package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opstap/opstap"
)

// TestDisclosureJourney_003bewerkersArt4_2: from the menu the privacy
// officer finds the candidate, records a disclosure to UWV (first without
// saying how the requester was verified: refused beside the field) and
// opens it; the candidate sees it on the portal's access page.
func TestDisclosureJourney_003bewerkersArt4_2(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "privacy@demo.opstap.nl")
	Do(t, ctx, chromedp.Click(chromedp.CSS(`header nav a[href="/privacy/disclosures"]`), chromedp.NodeVisible))
	wantText(t, ctx, "h1", "Wettelijk verplichte verstrekkingen")
	Axe(t, ctx)
	Type(t, ctx, "#d-q", "Hendriks")
	wantStatus(t, ctx, "search", Submit(t, ctx, `form[action="/privacy/disclosures"][method="get"] button`), 200)
	Do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="candidate_id"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[name="categories"][value="basic"]`), chromedp.NodeVisible))
	Type(t, ctx, "#d-requester", "UWV")
	Type(t, ctx, "#d-basis", "art. 30c Wet SUWI")
	today := opstap.DateOf(e.Now()).String()
	Select(t, ctx, "#d-on", today)
	Select(t, ctx, "#d-ctrl", today)
	const record = `form[action="/privacy/disclosures"][method="post"] button[type="submit"]`
	wantStatus(t, ctx, "without verification", Submit(t, ctx, record), 422)
	wantFieldError(t, ctx, "d-verification", "geverifieerd")
	Axe(t, ctx)
	Type(t, ctx, "#d-verification", "Schriftelijke vordering, teruggebeld via het algemene nummer")
	wantStatus(t, ctx, "record", Submit(t, ctx, record), 200)
	wantText(t, ctx, "main", "teruggebeld")
	Axe(t, ctx)

	cand := Session(t, ctx)
	e.SignIn(t, cand, "kandidaat@demo.opstap.nl")
	wantStatus(t, cand, "/portal/access", e.Open(t, cand, "/portal/access"), 200)
	wantText(t, cand, "main", "art. 30c Wet SUWI")
	Axe(t, cand)
}
