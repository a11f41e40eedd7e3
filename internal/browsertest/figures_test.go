package browsertest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFiguresJourney_DOMAIN6: the municipality's case manager goes from the
// home page to the dashboard of the demo year, checks the number of
// placements against the sum of its monthly table and a chart's bar texts
// against that table, then asks for a period that ends before it starts and
// reads the error beside the field. Every page passes axe.
func TestFiguresJourney_DOMAIN6(t *testing.T) {
	e, s := newTest(t)
	e.SignIn(t, s, "klantmanager@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	if Count(t, s, `main a[href="/figures"]`) != 1 {
		t.Fatal("the home page has no link to the figures")
	}
	wantStatus(t, s, "dashboard", Submit(t, s, `header nav a[href="/figures"]`), 200)
	wantPath(t, s, "/figures")
	Axe(t, s)
	placements := number(t, Text(t, s, `#figures-summary tbody tr:nth-child(5) td`))
	sum := 0
	for _, v := range strings.Fields(Text(t, s, "#table-placements tbody")) {
		if !strings.Contains(v, "-") { // the month cells are mm-jjjj
			sum += number(t, v)
		}
	}
	if placements == 0 || placements != sum {
		t.Fatalf("placements %d, the monthly table sums to %d", placements, sum)
	}
	// The chart of registrations writes the same values on its bars, in the same order, as its table.
	bars := Run(t, s, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#h-registrations + .trend-body svg text.value')].map(t => t.textContent)`))
	cells := Run(t, s, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#table-registrations tbody td')].map(t => t.textContent)`))
	if len(bars) != 12 || strings.Join(bars, " ") != strings.Join(cells, " ") {
		t.Fatalf("the chart says %q, its table %q", bars, cells)
	}
	Type(t, s, "#f-start", "31-12-2026")
	Type(t, s, "#f-end", "01-01-2026")
	wantStatus(t, s, "end before start", Submit(t, s, `form[action="/figures"] button[type="submit"]`), 422)
	wantFieldError(t, s, "f-end", "ligt voor de eerste dag")
	Axe(t, s)
}

func number(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
