package browsertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHistoryImportJourney: the municipality's case manager goes from the
// home page to the figures and on to the history import, uploads a file with
// a mistake and reads the row and column in the report (nothing imported),
// then the corrected file, sees what was imported and goes back to the
// figures (issue 10 item 3). Every page passes axe.
func TestHistoryImportJourney(t *testing.T) {
	e, s := newTest(t)
	e.SignIn(t, s, "klantmanager@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "figures", Submit(t, s, `main a[href="/figures"]`), 200)
	wantStatus(t, s, "import", Submit(t, s, `main a[href^="/figures/history"]`), 200)
	wantPath(t, s, "/figures/history")
	Axe(t, s)
	before := countRows(t, e.DB, "figure_registrations")
	dir := t.TempDir()
	upload := func(name, body string, status int64) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		Do(t, s, chromedp.SetUploadFiles(chromedp.CSS("#h-file"), []string{path}, chromedp.NodeReady))
		wantStatus(t, s, name, Submit(t, s, `form[action="/figures/history"] button[type="submit"]`), status)
	}
	upload("fout.csv", "kind;candidate;date;benefit_start\naanmelding;BT-1;01-03-2019;01-01-2015\naanmelding;BT-2;31-02-2019;\n", 422)
	if n := Count(t, s, "#row-errors tbody tr"); n != 1 {
		t.Fatalf("the report lists %d problems, want 1", n)
	}
	if row := Text(t, s, "#row-errors tbody tr td"); row != "3" {
		t.Fatalf("the report names row %q, want 3", row)
	}
	if countRows(t, e.DB, "figure_registrations") != before {
		t.Fatal("a refused file imported facts")
	}
	Axe(t, s)
	upload("goed.csv", "kind;candidate;date;benefit_start\naanmelding;BT-1;01-03-2019;01-01-2015\naanmelding;BT-2;28-02-2019;\n", 200)
	if got := Text(t, s, "#history-result tbody tr:nth-child(3) td"); got != "2" {
		t.Fatalf("registrations imported: %q, want 2", got)
	}
	if countRows(t, e.DB, "figure_registrations") != before+2 {
		t.Fatal("the file's registrations are not in the facts")
	}
	Axe(t, s)
	wantStatus(t, s, "back to the figures", Submit(t, s, `main a[href="/figures?municipality=0034"]`), 200)
	wantPath(t, s, "/figures")
}

// TestProviderFiguresJourney: finance goes from the home page to the
// figures and on to all municipalities side by side, opens a
// municipality's dashboard from its row and a figure's records, as many as
// the figure; every page passes axe (issue 10 items 7, 8).
func TestProviderFiguresJourney(t *testing.T) {
	e, s := newTest(t)
	e.SignIn(t, s, "financien@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "figures", Submit(t, s, `main a[href="/figures"]`), 200)
	wantStatus(t, s, "all municipalities", Submit(t, s, `main a[href="/figures/provider"]`), 200)
	wantPath(t, s, "/figures/provider")
	Axe(t, s)
	if n := Count(t, s, "#provider-figures tbody tr"); n < 1 {
		t.Fatalf("%d municipalities", n)
	}
	wantStatus(t, s, "Almere", Submit(t, s, `#provider-figures tbody a[href^="/figures?municipality=0034"]`), 200)
	wantPath(t, s, "/figures")
	Axe(t, s)
	// A figure's records: as many rows as the figure says.
	placements := number(t, Text(t, s, `#figures-summary tbody tr:nth-child(5) td`))
	wantStatus(t, s, "records", Submit(t, s, `#figures-summary a[href$="figure=placements"]`), 200)
	wantPath(t, s, "/figures/records")
	if n := Count(t, s, "#figure-records tbody tr"); n != placements {
		t.Fatalf("%d records, the figure says %d", n, placements)
	}
	Axe(t, s)
}
