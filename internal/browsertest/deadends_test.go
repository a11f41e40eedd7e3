package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

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

// hrefOf returns the address of the first link under sel whose text is
// text, failing the test when there is none.
func hrefOf(t *testing.T, ctx context.Context, sel, text string) string {
	t.Helper()
	js := fmt.Sprintf(`[...document.querySelectorAll(%q)].filter(a => a.textContent.trim() === %q).map(a => a.getAttribute('href')).concat([''])[0]`, sel, text)
	href := Run(t, ctx, chromedp.Evaluate[string](js))
	if href == "" {
		t.Fatalf("no link %q under %s at %s", text, sel, location(ctx))
	}
	return href
}

// TestProposeFromMatchingList: the case manager goes from the home page to
// an open assignment, its matching list, and proposes a candidate from it;
// the proposal page has candidate and assignment filled in, and the new
// placement is linked from the assignment page (issue 12 dead end 1).
func TestProposeFromMatchingList(t *testing.T) {
	e, km := newTest(t)
	e.SignIn(t, km, "klantmanager@demo.opstap.nl")
	wantStatus(t, km, "home", e.Open(t, km, "/"), 200)
	wantStatus(t, km, "open assignments", Submit(t, km, `main a[href="/assignments"]`), 200)
	bakery := hrefOf(t, km, "main table a", "Medewerker winkel (vrijdag)")
	wantStatus(t, km, "assignment", Submit(t, km, `main table a[href="`+bakery+`"]`), 200)
	wantStatus(t, km, "matches", Submit(t, km, `main a[href="`+bakery+`/matches"]`), 200)
	name := Text(t, km, "ol.matches > li:first-child h2 a")
	wantStatus(t, km, "propose", Submit(t, km, `ol.matches > li:first-child a[href^="`+bakery+`/proposals/new?"]`), 200)
	wantText(t, km, "h1", "Een kandidaat voorstellen")
	wantText(t, km, "main dl", name)
	wantText(t, km, "main dl", "Medewerker winkel (vrijdag)")
	Axe(t, km)
	wantStatus(t, km, "send the proposal", Submit(t, km, `main form[action="`+bakery+`/proposals"] button[type="submit"]`), 200)
	placement := Path(t, km)
	if !strings.HasPrefix(placement, "/placements/") {
		t.Fatalf("after proposing: at %s, want the placement", placement)
	}
	wantText(t, km, "main dl", "voorgesteld")
	Axe(t, km)
	// Back on the assignment, the proposal is listed and linked.
	wantStatus(t, km, "assignment", Submit(t, km, `main dl a[href="`+bakery+`/placements"]`), 200)
	wantStatus(t, km, "assignment page", Submit(t, km, `main a[href="`+bakery+`"]`), 200)
	if Count(t, km, `main a[href="`+placement+`"]`) != 1 {
		t.Fatalf("the assignment page does not link the new placement %s", placement)
	}
	wantStatus(t, km, "placement from the assignment", Submit(t, km, `main a[href="`+placement+`"]`), 200)
	wantPath(t, km, placement)
}

// TestPlacementsWaitingFromHome: the employer accepts the demo proposal;
// the case manager's home card "waiting for your confirmation" then leads
// to that placement, which they confirm (issue 12 dead end 1).
func TestPlacementsWaitingFromHome(t *testing.T) {
	e, boss := newTest(t)
	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	wantStatus(t, boss, "home", e.Open(t, boss, "/"), 200)
	wantStatus(t, boss, "proposals", Submit(t, boss, `main a[href="/employer/placements"]`), 200)
	wantStatus(t, boss, "accept", Submit(t, boss, `main form[action$="/answer"] button[value="1"]`), 200)

	km := Session(t, boss)
	e.SignIn(t, km, "klantmanager@demo.opstap.nl")
	wantStatus(t, km, "home", e.Open(t, km, "/"), 200)
	wantText(t, km, `main a[href="/placements?status=accepted"]`, "1")
	wantStatus(t, km, "waiting", Submit(t, km, `main a[href="/placements?status=accepted"]`), 200)
	wantText(t, km, "h1", "Plaatsingen die op uw bevestiging wachten")
	if n := Count(t, km, `main table tbody tr`); n != 1 {
		t.Fatalf("%d placements listed as waiting, want 1", n)
	}
	Axe(t, km)
	wantStatus(t, km, "placement", Submit(t, km, `main table a[href^="/placements/"]`), 200)
	wantStatus(t, km, "confirm", Submit(t, km, `main form[action$="/confirm"] button`), 200)
	wantText(t, km, "main dl", "bevestigd")
	wantStatus(t, km, "home", e.Open(t, km, "/"), 200)
	wantText(t, km, `main a[href="/placements?status=accepted"]`, "0")
}

// TestEmployerProposalCard (issue 12 item 14): from the employer's home to
// the demo proposal's page, which shows what the employer decides on —
// experience by occupation name, hours, days, start, shared limitations —
// and no birth date or address; the employer answers it there.
func TestEmployerProposalCard(t *testing.T) {
	e, boss := newTest(t)
	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	wantStatus(t, boss, "home", e.Open(t, boss, "/"), 200)
	wantStatus(t, boss, "proposals", Submit(t, boss, `main a[href="/employer/placements"]`), 200)
	wantStatus(t, boss, "the proposal", Submit(t, boss, `main section.card:has(form[action$="/answer"]) p a[href^="/placements/"]`), 200)
	wantText(t, boss, "main h2#card-title", "Wat de kandidaat meebrengt")
	card := Text(t, boss, "main section[aria-labelledby=card-title]")
	for _, want := range []string{"Werkervaring", "maanden", "Beschikbare uren per week", "Beschikbare dagen", "Beschikbaar vanaf"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
	page := Text(t, boss, "main")
	for _, never := range []string{"Geboortedatum", "Adres", "BSN", "Postcode"} {
		if strings.Contains(page, never) {
			t.Errorf("the employer's proposal page shows %q", never)
		}
	}
	Axe(t, boss)
	wantStatus(t, boss, "accept", Submit(t, boss, `main form[action$="/answer"] button[value="1"]`), 200)
}

// TestRetentionRunAsksFirst (issue 12 item 8): from the privacy officer's
// home page to the retention page; "run retention now" first says what
// will happen, and only the confirming button erases.
func TestRetentionRunAsksFirst(t *testing.T) {
	e, ctx := newTest(t)
	s := Session(t, ctx)
	e.SignIn(t, s, "privacy@demo.opstap.nl")
	wantStatus(t, s, "retention page", Submit(t, s, `header nav a[href="/privacy/retention"]`), 200)
	runs := countRows(t, e.DB, "retention_runs")
	wantStatus(t, s, "run now", Submit(t, s, `form[action="/privacy/retention/run"] button[type="submit"]`), 200)
	wantText(t, s, "main", "Dit kan niet ongedaan worden gemaakt.")
	if countRows(t, e.DB, "retention_runs") != runs {
		t.Fatal("retention ran before it was confirmed")
	}
	Axe(t, s)
	wantStatus(t, s, "confirm", Submit(t, s, `main form button[type="submit"]`), 200)
	if p := Path(t, s); p != "/privacy/retention" {
		t.Fatalf("after confirming: at %s", p)
	}
	if countRows(t, e.DB, "retention_runs") != runs+1 {
		t.Fatal("the confirmed run did not run")
	}
}

// TestCaseloadFromHome (issue 12 item 11): the coach's home page shows the
// caseload — each candidate with the phase of the trajectory, the next
// appointment and the last contact — the week's appointments and what to
// follow up; a name opens the candidate's file.
func TestCaseloadFromHome(t *testing.T) {
	e, ctx := newTest(t)
	s := Session(t, ctx)
	e.SignIn(t, s, "coach@demo.opstap.nl")
	wantText(t, s, "#h-caseload", "Mijn caseload")
	wantText(t, s, "main", "Re-integratie: Actief")
	if n := Count(t, s, `section[aria-labelledby="h-caseload"] tbody tr`); n != 3 {
		t.Fatalf("caseload rows: %d, want the demo coach's 3 candidates", n)
	}
	Axe(t, s)
	wantStatus(t, s, "open Lisa", Submit(t, s, `section[aria-labelledby="h-caseload"] a[href^="/candidates/"]:not([href$="/trajectory"])`), 200)
	if p := Path(t, s); !strings.HasPrefix(p, "/candidates/") {
		t.Fatalf("after clicking a name: at %s", p)
	}
	// The breadcrumb trail leads back to the list (issue 12 item 16).
	wantText(t, s, `nav.utrecht-breadcrumb-nav`, "Kandidaten")
	Axe(t, s)
	wantStatus(t, s, "back to the list", Submit(t, s, `nav.utrecht-breadcrumb-nav a[href="/candidates"]`), 200)
	if p := Path(t, s); p != "/candidates" {
		t.Fatalf("after the breadcrumb: at %s", p)
	}
	// The deadlines: the demo's report waiting for Lisa's approval, linked
	// to her reports.
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantText(t, s, "#h-followup", "Opvolgen")
	wantText(t, s, `section[aria-labelledby="h-followup"]`, "wacht sinds")
	wantStatus(t, s, "the waiting report", Submit(t, s, `section[aria-labelledby="h-followup"] a[href$="/reports"]`), 200)
	if p := Path(t, s); !strings.HasSuffix(p, "/reports") {
		t.Fatalf("after the follow-up: at %s", p)
	}
}

// TestPrintView (issue 12 item 16): printed, a report or a dossier page
// is its content only — no menu, buttons or forms.
func TestPrintView(t *testing.T) {
	e, ctx := newTest(t)
	s := Session(t, ctx)
	e.SignIn(t, s, "coach@demo.opstap.nl")
	wantStatus(t, s, "candidates", Submit(t, s, `header nav a[href="/candidates"]`), 200)
	wantStatus(t, s, "a file", Submit(t, s, `main a[href^="/candidates/"]`), 200)
	hidden := `(() => [...document.querySelectorAll('header.top, main form, main button, footer.bottom')].every(el => getComputedStyle(el).display === 'none'))()`
	if Run(t, s, chromedp.Evaluate[bool](hidden)) {
		t.Fatal("on screen the menu and the forms are hidden")
	}
	if _, err := chromedp.Call(s, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if !Run(t, s, chromedp.Evaluate[bool](hidden)) {
		t.Fatal("printed, the page still shows its menu, buttons or forms")
	}
	if Text(t, s, "main h1") == "" {
		t.Fatal("printed, the page lost its heading")
	}
}
