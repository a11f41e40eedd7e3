package browsertest

import "testing"

// TestPortalPrivacyPagesFromHome: the candidate clicks from the home page
// to the portal and on to the privacy requests and the visibility page.
func TestPortalPrivacyPagesFromHome(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "kandidaat@demo.opstap.nl")
	for _, p := range []struct{ href, h1 string }{
		{"/portal/rights", "Mijn privacyrechten"},
		{"/portal/flex", "Zichtbaarheid voor werkgevers"},
	} {
		wantStatus(t, ctx, "home", e.Open(t, ctx, "/"), 200)
		wantStatus(t, ctx, "my page", Submit(t, ctx, `main a[href="/portal"]`), 200)
		wantStatus(t, ctx, p.href, Submit(t, ctx, `main a[href="`+p.href+`"]`), 200)
		wantPath(t, ctx, p.href)
		wantText(t, ctx, "h1", p.h1)
		Axe(t, ctx)
	}
}

// TestCoachSharedDocumentsFromHome: the coach clicks from the home page to
// the documents they shared, which no longer answers 403.
func TestCoachSharedDocumentsFromHome(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "coach@demo.opstap.nl")
	wantStatus(t, ctx, "home", e.Open(t, ctx, "/"), 200)
	wantStatus(t, ctx, "shared documents", Submit(t, ctx, `main a[href="/shared"]`), 200)
	wantText(t, ctx, "h1", "Gedeelde documenten")
	Axe(t, ctx)
}
