package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/demo"
)

// TestRegisterCandidateJourney_003art5lid5: the municipality's case
// manager registers a candidate [003 art 5 lid 5]. A BSN that fails the
// eleven-test [002 art 4.4] is refused beside its field and nothing is
// stored; corrected, the candidate's overview shows the name. A file with
// one bad row registers nobody and lists the row.
func TestRegisterCandidateJourney_003art5lid5(t *testing.T) {
	e, ctx := newTest(t)
	e.SignIn(t, ctx, "klantmanager@demo.opstap.nl")
	wantStatus(t, ctx, "/candidates/new", e.Open(t, ctx, "/candidates/new"), 200)
	Axe(t, ctx)

	before := countRows(t, e.DB, "candidates")
	fill := map[string]string{"#c-ref": "ALM-BT-1", "#c-first": "Eva", "#c-last": "Jansen", "#c-birth": "01-02-1990",
		"#c-postcode": "1315 AB", "#c-city": "Almere", "#c-bsn": "123456789"}
	for sel, v := range fill {
		Type(t, ctx, sel, v)
	}
	const register = `form[action="/candidates"] button[type="submit"]`
	wantStatus(t, ctx, "wrong BSN", Submit(t, ctx, register), 422)
	wantFieldError(t, ctx, "c-bsn", "elf")
	if Count(t, ctx, `.error-summary[role="alert"]`) != 1 {
		t.Fatal("no error summary at the top of the page")
	}
	if v := Run(t, ctx, chromedp.Value(chromedp.CSS("#c-last"))); v != "Jansen" {
		t.Fatalf("last name not kept after the error: %q", v)
	}
	if after := countRows(t, e.DB, "candidates"); after != before {
		t.Fatalf("a refused registration changed the candidates: %d → %d", before, after)
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "candidate-new-error")

	// Lisa of the demo has this BSN: the form offers her file instead of
	// registering the same person twice (issue 12 item 10).
	Type(t, ctx, "#c-bsn", "111222333")
	wantStatus(t, ctx, "same person", Submit(t, ctx, register), 409)
	wantFieldError(t, ctx, "c-bsn", "BSN")
	if Count(t, ctx, `main a.button[href^="/candidates/"]`) != 1 {
		t.Fatal("the existing file is not offered")
	}
	if after := countRows(t, e.DB, "candidates"); after != before {
		t.Fatalf("a duplicate person was stored: %d → %d", before, after)
	}
	Axe(t, ctx)

	Type(t, ctx, "#c-bsn", "234567892")
	wantStatus(t, ctx, "register", Submit(t, ctx, register), 200)
	if p := Path(t, ctx); !strings.HasPrefix(p, "/candidates/") || p == "/candidates/new" {
		t.Fatalf("after registering: at %s", p)
	}
	wantText(t, ctx, "main", "Eva Jansen")
	if after := countRows(t, e.DB, "candidates"); after != before+1 {
		t.Fatalf("candidates: %d → %d, want one more", before, after)
	}
	Axe(t, ctx)

	// A file with one bad row: all or nothing, the row named in a table.
	wantStatus(t, ctx, "/candidates/upload", e.Open(t, ctx, "/candidates/upload"), 200)
	Axe(t, ctx)
	csv := filepath.Join(t.TempDir(), "aanmelding.csv")
	body := "external_ref;first_name;last_name;birth_date\nALM-BT-2;Piet;Smits;03-04-1980\nALM-BT-3;Anna;;05-06-1985\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#u-file"), []string{csv}, chromedp.NodeReady))
	wantStatus(t, ctx, "upload", Submit(t, ctx, `form[action="/candidates/upload"] button[type="submit"]`), 422)
	if n := Count(t, ctx, "#row-errors tbody tr"); n != 1 {
		t.Fatalf("row report lists %d problems, want 1", n)
	}
	if row := Text(t, ctx, "#row-errors tbody tr td"); row != "3" {
		t.Fatalf("row report names row %q, want 3", row)
	}
	if after := countRows(t, e.DB, "candidates"); after != before+1 {
		t.Fatalf("a refused file registered candidates: %d, want %d", after, before+1)
	}
	Axe(t, ctx)
	Screenshot(t, ctx, "candidate-upload-errors")
}

// TestReportJourney_000art5: the coach writes an action plan and submits it
// for approval; the candidate approves that version in the portal; only
// then may the coach share it, with consent as the legal ground; the case
// manager downloads it as a PDF that cannot be changed [000 art 5, 004
// "Toestemming kandidaat", 004 "Rapportage naar opdrachtgever"].
func TestReportJourney_000art5(t *testing.T) {
	e, coach := newTest(t)
	lisa := candidateID(t, e, "ALM-0001")
	const title = "Plan van aanpak browsertest"
	reports := "/candidates/" + lisa + "/reports"

	e.SignIn(t, coach, "coach@demo.opstap.nl")
	wantStatus(t, coach, reports, e.Open(t, coach, reports), 200)
	Axe(t, coach)
	// The report form (issue 12 item 6): its fields under headings, the
	// text in an editor area as wide as the form and at least 15 lines high.
	legends := Text(t, coach, `form[action="`+reports+`"]`)
	for _, want := range []string{"Over de rapportage", "De rapportage", "Gezondheidsgegevens", "Activiteiten van het plan van aanpak"} {
		if !strings.Contains(legends, want) {
			t.Errorf("the report form has no heading %q", want)
		}
	}
	area := Run(t, coach, chromedp.Evaluate[[]float64](`(() => { const a = document.querySelector('#new-body').getBoundingClientRect(), f = document.querySelector('form.report-form').getBoundingClientRect(); return [a.width, f.width, a.height]; })()`))
	if area[0] < 0.95*area[1] || area[2] < 300 {
		t.Errorf("the report's text area is %.0f × %.0f px in a form %.0f px wide", area[0], area[2], area[1])
	}
	Select(t, coach, "#new-kind", "action_plan")
	Type(t, coach, "#new-title", title)
	Type(t, coach, "#new-body", "Doel: betaald werk in de bakkerij.")
	Type(t, coach, "#new-activity-0", "Taalcursus")
	Type(t, coach, "#new-product-0", "Certificaat")
	Type(t, coach, "#new-planned-0", "Niveau B1")
	wantStatus(t, coach, "save draft", Submit(t, coach, `form[action="`+reports+`"] button[type="submit"]`), 200)
	wantPath(t, coach, reports)
	rid := reportID(t, coach, title)
	Axe(t, coach)
	wantStatus(t, coach, "submit", Submit(t, coach, `form[action="`+reports+"/"+rid+`/submit"] button`), 200)
	Axe(t, coach)

	cand := Session(t, coach)
	e.SignIn(t, cand, "kandidaat@demo.opstap.nl")
	wantStatus(t, cand, "/portal/reports", e.Open(t, cand, "/portal/reports"), 200)
	wantText(t, cand, "main", "Taalcursus")
	Axe(t, cand)
	wantStatus(t, cand, "approve", Submit(t, cand, `form[action="/portal/reports/`+rid+`/approve"] button`), 200)
	wantPath(t, cand, "/portal/reports")
	Axe(t, cand)

	// The coach reads in the app what happened and follows the notice from
	// the home page to the reports (issue 12 item 13).
	e.Open(t, coach, "/")
	Click(t, coach, `nav a[href="/notifications"]`)
	wantPath(t, coach, "/notifications")
	wantText(t, coach, "main", "Rapportage goedgekeurd door de kandidaat.")
	Axe(t, coach)
	wantStatus(t, coach, "open the notice", Submit(t, coach, `main li.unread form:has(input[name="next"][value="`+reports+`"]) button`), 200)
	wantPath(t, coach, reports)

	// Approved: the coach shares that version under consent, AVG 6(1)(a).
	e.Open(t, coach, reports)
	share := `form[action="` + reports + "/" + rid + `/share"]`
	Click(t, coach, `details:has(`+share+`) > summary`)
	Select(t, coach, `[id="`+rid+`-ground"]`, "consent")
	wantStatus(t, coach, "share", Submit(t, coach, share+` button[type="submit"]`), 200)
	Click(t, coach, `details:has(`+share+`) > summary`)
	wantText(t, coach, `details:has(`+share+`)`, "6(1)(a)")
	Axe(t, coach)

	km := Session(t, coach)
	e.SignIn(t, km, "klantmanager@demo.opstap.nl")
	wantStatus(t, km, "/shared", e.Open(t, km, "/shared"), 200)
	Axe(t, km)
	href := Run(t, km, chromedp.Evaluate[string](`[...document.querySelectorAll('main tbody tr')].filter(r => r.textContent.includes('`+title+`')).map(r => r.querySelector('a[href$="/pdf"]').getAttribute('href'))[0] || ''`))
	if href == "" {
		t.Fatalf("the shared report is not listed:\n%s", Text(t, km, "main"))
	}
	fetchPDF(t, km, href)
}

// reportID finds the report titled title on the staff reports page, by its
// submit form.
func reportID(t *testing.T, ctx context.Context, title string) string {
	t.Helper()
	action := Run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main article')].filter(a => a.querySelector('h3').textContent.trim() === '`+title+`').map(a => a.querySelector('form[action$="/submit"]').getAttribute('action'))[0] || ''`))
	parts := strings.Split(action, "/")
	if len(parts) < 2 {
		t.Fatalf("report %q not listed as a draft", title)
	}
	return parts[len(parts)-2]
}

// TestFlexJourney_003art5: the case manager creates an assignment at the
// bakery, records the displacement check (DOMAIN.md §5), opens it, sees
// the ranked candidates with per-criterion explanations [003 art 5 lid 7],
// proposes one; candidate and employer accept, the municipality confirms,
// and each party downloads its confirmation [003 art 5 lid 4].
func TestFlexJourney_003art5(t *testing.T) {
	e, km := newTest(t)
	lisa := candidateID(t, e, "ALM-0001")
	var locationID, employerID string
	if err := e.DB.SQL.QueryRow(`SELECT id, employer_org_id FROM employer_locations WHERE postcode4 = '1315'`).Scan(&locationID, &employerID); err != nil {
		t.Fatal(err)
	}
	e.SignIn(t, km, "klantmanager@demo.opstap.nl")
	wantStatus(t, km, "/assignments/new", e.Open(t, km, "/assignments/new"), 200)
	Axe(t, km)
	start := opstap.DateOf(e.Now()).AddDays(7)
	Select(t, km, "#location_id", employerID+"/"+locationID)
	Type(t, km, "#title", "Inpakker browsertest")
	// The occupation by name (issue 12 item 7): typing part of it fills the
	// suggestions from the reference data; the name is what is sent.
	Type(t, km, "#occupation", "bakkerij")
	Do(t, km, chromedp.WaitReady(chromedp.CSS(`#occupation-names option[value="bakkerijmedewerker"]`)))
	Type(t, km, "#occupation", "bakkerijmedewerker")
	Type(t, km, "#required_skills", "bakkerijmedewerker")
	Type(t, km, "#hours_per_week", "12")
	Click(t, km, "#day-mon")
	Click(t, km, "#day-tue")
	Select(t, km, "#start_time", "07:00")
	Select(t, km, "#end_time", "13:00")
	Type(t, km, "#postcode4", "1315")
	Select(t, km, "#start", start.String())
	Select(t, km, "#planned_end", start.AddMonths(2).String())
	wantStatus(t, km, "create assignment", Submit(t, km, `form[action="/assignments"] button[type="submit"]`), 200)
	page := Path(t, km)
	if !strings.HasPrefix(page, "/assignments/") || page == "/assignments/new" {
		t.Fatalf("after creating the assignment: at %s", page)
	}
	Axe(t, km)

	Click(t, km, "#outcome-pos")
	Type(t, km, "#motivation", "Extra handen naast het vaste team; er staat geen vacature open.")
	wantStatus(t, km, "displacement check", Submit(t, km, `form[action="`+page+`/check"] button`), 200)
	wantStatus(t, km, "open", Submit(t, km, `form[action="`+page+`/status"]:has(input[value="open"]) button`), 200)
	Axe(t, km)

	wantStatus(t, km, "matches", e.Open(t, km, page+"/matches"), 200)
	wantText(t, km, "ol.matches > li:first-child h2", "Lisa Hendriks")
	if n := Count(t, km, `ol.matches > li:first-child table tbody th[scope="row"]`); n < 5 {
		t.Fatalf("the first candidate is explained by %d criteria, want at least 5", n)
	}
	Axe(t, km)
	Screenshot(t, km, "matches")

	wantStatus(t, km, "assignment", Submit(t, km, `main a[href="`+page+`"]`), 200)
	wantStatus(t, km, "placements", Submit(t, km, `main a[href="`+page+`/placements"]`), 200)
	Axe(t, km)
	wantStatus(t, km, "propose", Submit(t, km, `main a[href="`+page+`/proposals/new?candidate_id=`+lisa+`"]`), 200)
	wantStatus(t, km, "send the proposal", Submit(t, km, `form[action="`+page+`/proposals"] button[type="submit"]`), 200)
	pid := strings.TrimPrefix(Path(t, km), "/placements/")
	wantPath(t, km, "/placements/"+pid)
	Axe(t, km)

	cand := Session(t, km)
	e.SignIn(t, cand, "kandidaat@demo.opstap.nl")
	answer(t, e, cand, "/portal/placements", pid)
	boss := Session(t, km)
	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	answer(t, e, boss, "/employer/placements", pid)

	wantStatus(t, km, "placement", e.Open(t, km, "/placements/"+pid), 200)
	Axe(t, km)
	wantStatus(t, km, "confirm", Submit(t, km, `form[action="/placements/`+pid+`/confirm"] button`), 200)
	Axe(t, km)

	for _, p := range []struct {
		ctx         context.Context
		list, party string
	}{{boss, "/employer/placements", "employer"}, {cand, "/portal/placements", "candidate"}} {
		e.Open(t, p.ctx, p.list)
		link := "/placements/" + pid + "/confirmations/" + p.party
		if Count(t, p.ctx, `a[href="`+link+`"]`) != 1 {
			t.Fatalf("%s: no link to the %s confirmation", p.list, p.party)
		}
		Axe(t, p.ctx)
		fetchPDF(t, p.ctx, link)
	}
	// Each party gets its own confirmation only.
	if status, _, _ := Fetch(t, boss, "/placements/"+pid+"/confirmations/candidate"); status != 403 {
		t.Fatalf("employer downloads the candidate's confirmation: %d", status)
	}
}

// answer accepts placement pid on the list page of the signed-in party.
func answer(t *testing.T, e *Env, ctx context.Context, list, pid string) {
	t.Helper()
	wantStatus(t, ctx, list, e.Open(t, ctx, list), 200)
	Axe(t, ctx)
	wantStatus(t, ctx, "accept", Submit(t, ctx, `form[action="/placements/`+pid+`/answer"] button[value="1"]`), 200)
	wantPath(t, ctx, list)
	if Count(t, ctx, `form[action="/placements/`+pid+`/answer"]`) != 0 {
		t.Fatalf("%s still asks for an answer after accepting", list)
	}
}

// TestDenialsInTheBrowser: the employer never sees the dossier or the
// medical segment of a candidate placed with them [003 art 7.7 lid 2,
// 002 art 5.1]; the coach does not see the medical segment [002 art 4.3,
// 5.1]. Each gets the error page, which itself passes axe.
func TestDenialsInTheBrowser_002art5(t *testing.T) {
	e, boss := newTest(t)
	lisa := candidateID(t, e, "ALM-0001")
	coach := Session(t, boss)
	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	e.SignIn(t, coach, "coach@demo.opstap.nl")
	for _, c := range []struct {
		name string
		ctx  context.Context
		path string
	}{
		{"employer dossier", boss, "/candidates/" + lisa + "/dossier"},
		{"employer medical", boss, "/candidates/" + lisa + "/medical"},
		{"coach medical", coach, "/candidates/" + lisa + "/medical"},
	} {
		wantStatus(t, c.ctx, c.name, e.Open(t, c.ctx, c.path), 403)
		if Count(t, c.ctx, `.error-summary[role="alert"]`) != 1 {
			t.Fatalf("%s: the refusal is not explained", c.name)
		}
		if body := Text(t, c.ctx, "main"); strings.Contains(body, "Lisa") {
			t.Fatalf("%s: the error page names the candidate", c.name)
		}
		Axe(t, c.ctx)
	}
}

// TestAxeSweep signs in as every demo role and checks every page in that
// role's menu with axe-core: WCAG 2.1 AA for every person using Opstap.
func TestAxeSweep(t *testing.T) {
	e, ctx := newTest(t)
	accounts, err := demo.Load(context.Background(), e.DB)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		t.Run(string(a.Role), func(t *testing.T) {
			s := Session(t, ctx)
			e.SignIn(t, s, a.Email)
			links := Run(t, s, chromedp.Evaluate[[]string](`[...document.querySelectorAll('header nav a')].map(a => a.getAttribute('href'))`))
			if len(links) == 0 {
				t.Fatalf("%s has no menu", a.Email)
			}
			for _, href := range append([]string{"/"}, links...) {
				wantStatus(t, s, href, e.Open(t, s, href), 200)
				Axe(t, s)
			}
		})
	}
}
