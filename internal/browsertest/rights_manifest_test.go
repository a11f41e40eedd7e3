package browsertest

import (
	"strings"
	"testing"
)

// TestAccessManifestJourney_issue8: the candidate asks for access in the
// portal; the privacy officer takes the request on from the queue and sees
// what the export holds, with no way to download it [issue 8 point 1].
func TestAccessManifestJourney_issue8(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "kandidaat@demo.opstap.nl")
	wantStatus(t, ctx, "/portal/rights", e.Open(t, ctx, "/portal/rights"), 200)
	Select(t, ctx, "#kind", "access")
	wantStatus(t, ctx, "file", Submit(t, ctx, `form[action="/portal/rights"] button[type="submit"]`), 200)

	po := Session(t, ctx)
	e.SignIn(t, po, "privacy@demo.opstap.nl")
	wantStatus(t, po, "/privacy/requests", e.Open(t, po, "/privacy/requests"), 200)
	href, _ := Attr(t, po, `main table tbody a`, "href")
	wantStatus(t, po, href, e.Open(t, po, href), 200)
	if Count(t, po, `a[href$="/export"]`) != 0 {
		t.Fatal("the request page offers the export to the officer")
	}
	wantStatus(t, po, "take on", Submit(t, po, `form[action$="/assign"] button`), 200)
	manifest, ok := Attr(t, po, `a[href$="/manifest"]`, "href")
	if !ok {
		t.Fatal("no link to the manifest")
	}
	wantStatus(t, po, manifest, e.Open(t, po, manifest), 200)
	wantText(t, po, "main", "Onderdelen van de export")
	if txt := Text(t, po, "main"); !strings.Contains(txt, "Lisa Hendriks") || strings.Contains(txt, "Download") {
		t.Fatalf("manifest page:\n%s", txt)
	}
	Axe(t, po)
}
