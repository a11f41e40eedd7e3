package browsertest

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestManagementReportJourney_003art5lid10: the case manager goes from the
// home page to the management reports, shows last month's report of their
// municipality, checks a figure against its table and downloads the PDF
// and the XLSX; then opens the quarterly progress report [003 art 5 lid
// 10, 11]. Every page passes axe.
func TestManagementReportJourney_003art5lid10(t *testing.T) {
	e, s := newTest(t)
	e.SignIn(t, s, "klantmanager@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "reports from home", Submit(t, s, `main a[href="/management-reports"]`), 200)
	wantPath(t, s, "/management-reports")
	Axe(t, s)
	wantStatus(t, s, "monthly report", Submit(t, s, `form[action="/management-reports/monthly"] button[type="submit"]`), 200)
	wantPath(t, s, "/management-reports/monthly")
	Axe(t, s)
	wantText(t, s, "main", "Financieel overzicht per kandidaat")
	if n := Count(t, s, `#candidates tbody tr`); n == 0 {
		t.Fatal("no candidate in last month's report of the demo")
	}
	// The figure "placements running" is the number of rows of the
	// placements table.
	running := strings.TrimSpace(Text(t, s, `#figures tbody tr:nth-child(2) td`))
	if rows := Count(t, s, `#placements tbody tr`); running != strconv.Itoa(rows) || rows == 0 {
		t.Fatalf("%s placements running, %d in the table", running, rows)
	}
	Screenshot(t, s, "management-report")
	pdf, _ := Attr(t, s, `main a[href^="/management-reports/monthly/pdf"]`, "href")
	fetchPDF(t, s, pdf)
	xlsx, _ := Attr(t, s, `main a[href^="/management-reports/monthly/xlsx"]`, "href")
	status, ctype, b := Fetch(t, s, xlsx)
	if status != 200 || ctype != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("XLSX: %d %q", status, ctype)
	}
	wantStatus(t, s, "back", Submit(t, s, `main a[href="/management-reports"]`), 200)
	wantStatus(t, s, "progress report", Submit(t, s, `form[action="/management-reports/quarterly"] button[type="submit"]`), 200)
	Axe(t, s)
	wantText(t, s, "main", "Aandachtspunten")
	qpdf, _ := Attr(t, s, `main a[href^="/management-reports/quarterly/pdf"]`, "href")
	fetchPDF(t, s, qpdf)
}
