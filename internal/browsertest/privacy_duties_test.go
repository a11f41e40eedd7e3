package browsertest

import (
	"context"
	"github.com/opstap/opstap/internal/privacy"
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

// TestRectificationJourney_002art7_2: the privacy officer opens a
// rectification request from the queue, follows the link to its change,
// records the corrected values (first a line without a field: refused
// beside the field) and the page shows them.
func TestRectificationJourney_002art7_2(t *testing.T) {
	e, ctx := newTest(t)
	lisa := candidateID(t, e, "ALM-0001")
	r, err := e.DB.FileRightsRequest(context.Background(), &opstap.Actor{System: true}, lisa,
		privacy.NewRightsRequest{Kind: privacy.RightRectification, Description: "Mijn woonplaats klopt niet.", ReceivedOn: opstap.DateOf(e.Now())})
	if err != nil {
		t.Fatal(err)
	}
	e.SignIn(t, ctx, "privacy@demo.opstap.nl")
	wantStatus(t, ctx, "request", e.Open(t, ctx, "/privacy/requests/"+r.ID), 200)
	Do(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/privacy/requests/`+r.ID+`/change"]`), chromedp.NodeVisible))
	Axe(t, ctx)
	const save = `form[action$="/change"] button[type="submit"]`
	Type(t, ctx, "#ch-values", "Almere")
	wantStatus(t, ctx, "without a field", Submit(t, ctx, save), 422)
	wantFieldError(t, ctx, "ch-values", "regel")
	Axe(t, ctx)
	Type(t, ctx, "#ch-values", "city = Almere")
	wantStatus(t, ctx, "save", Submit(t, ctx, save), 200)
	wantText(t, ctx, "main", "Almere")
	Axe(t, ctx)
}

// TestAgreementsJourney_000art4: the coach opens the candidate's file,
// goes to the agreements tab and records the cooperation agreement as
// handed over; the candidate accepts it from the portal menu.
func TestAgreementsJourney_000art4(t *testing.T) {
	e, ctx := newTest(t)
	lisa := candidateID(t, e, "ALM-0001")
	e.SignIn(t, ctx, "coach@demo.opstap.nl")
	wantStatus(t, ctx, "file", e.Open(t, ctx, "/candidates/"+lisa), 200)
	Do(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/candidates/`+lisa+`/agreements"]`), chromedp.NodeVisible))
	Axe(t, ctx)
	Select(t, ctx, "#g-kind", "cooperation_agreement")
	Type(t, ctx, "#g-version", "3")
	wantStatus(t, ctx, "offer", Submit(t, ctx, `form[action="/candidates/`+lisa+`/agreements"] button[type="submit"]`), 200)
	wantText(t, ctx, "main", "Samenwerkingsafspraken")
	Axe(t, ctx)

	cand := Session(t, ctx)
	e.SignIn(t, cand, "kandidaat@demo.opstap.nl")
	Do(t, cand, chromedp.Click(chromedp.CSS(`header nav a[href="/portal/agreements"]`), chromedp.NodeVisible))
	Axe(t, cand)
	wantStatus(t, cand, "accept", Submit(t, cand, `form[action^="/portal/agreements/"] button`), 200)
	wantText(t, cand, "main", "geaccepteerd in het portaal")
	Axe(t, cand)
}
