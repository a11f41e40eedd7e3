package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/store"
)

// TestComplaintQueuePages (issue 12 item 12): with 130 more complaints, the
// complaints desk follows the home page's count of overdue complaints to
// just those; goes from the home page's menu to the queue, which shows the
// first 50 of the open ones with the count; filters on all complaints,
// newest first; pages on and back with the filter kept in the links;
// finds one candidate's complaints by client number; and a bad page
// address shows the message in Dutch instead of the list.
func TestComplaintQueuePages(t *testing.T) {
	e, ctx := newTest(t)
	lisa := candidateID(t, e, "ALM-0001")
	var number int64
	if err := e.DB.SQL.QueryRow(`SELECT client_number FROM candidates WHERE id = ?`, lisa).Scan(&number); err != nil {
		t.Fatal(err)
	}
	today := opstap.DateOf(e.DB.Now())
	var cs []store.GenComplaint
	for i := range 130 {
		c := store.GenComplaint{CandidateID: lisa, Subject: fmt.Sprintf("Klacht %03d", i), ReceivedOn: today.AddDays(-i)}
		if i%2 == 1 {
			c.Outcome = complaint.OutcomeUpheld // 65 decided, 65 open
		}
		cs = append(cs, c)
	}
	if err := e.DB.GenerateComplaints(context.Background(), &opstap.Actor{System: true}, cs); err != nil {
		t.Fatal(err)
	}
	var open, all int
	if err := e.DB.SQL.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN outcome = '' THEN 1 ELSE 0 END) FROM complaints`).Scan(&all, &open); err != nil {
		t.Fatal(err)
	}

	s := Session(t, ctx)
	e.SignIn(t, s, "klachten@demo.opstap.nl")
	// The home page's count of complaints past a deadline opens them.
	overdue := Text(t, s, `main a[href="/complaints?status=overdue"] .count`)
	wantStatus(t, s, "overdue", Submit(t, s, `main a[href="/complaints?status=overdue"]`), 200)
	wantText(t, s, "nav.utrecht-pagination", "van "+overdue)
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "queue", Submit(t, s, `header nav a[href="/complaints"]`), 200)
	wantText(t, s, "nav.utrecht-pagination", fmt.Sprintf("1–50 van %d", open))
	if n := Count(t, s, "main table tbody tr"); n != 50 {
		t.Fatalf("%d complaints on the first page, want 50", n)
	}
	Axe(t, s)

	Select(t, s, "#list-status", "all")
	Select(t, s, "#list-sort", "newest")
	wantStatus(t, s, "filter", Submit(t, s, `main form[role="search"] button[type="submit"]`), 200)
	wantText(t, s, "nav.utrecht-pagination", fmt.Sprintf("1–50 van %d", all))
	wantText(t, s, "main table tbody tr:first-child", "Klacht 000")
	first := subjects(t, s)
	wantStatus(t, s, "next page", Submit(t, s, `a[rel="next"]`), 200)
	wantText(t, s, "nav.utrecht-pagination", fmt.Sprintf("51–100 van %d", all))
	for _, x := range subjects(t, s) {
		if slices.Contains(first, x) {
			t.Fatalf("%s on the first and the second page", x)
		}
	}
	if u := location(s); !strings.Contains(u, "status=all") || !strings.Contains(u, "sort=newest") || !strings.Contains(u, "page=2") {
		t.Fatalf("the second page's address lost the filter: %s", u)
	}
	if got := Run(t, s, chromedp.Value(chromedp.CSS("#list-sort"))); got != "newest" {
		t.Fatalf("order on page 2: %q", got)
	}
	wantStatus(t, s, "previous page", Submit(t, s, `a[rel="prev"]`), 200)
	wantText(t, s, "nav.utrecht-pagination", fmt.Sprintf("1–50 van %d", all))

	Type(t, s, "#list-q", fmt.Sprintf("K-%d", number))
	wantStatus(t, s, "search", Submit(t, s, `main form[role="search"] button[type="submit"]`), 200)
	if n := Count(t, s, "main table tbody tr"); n != 50 {
		t.Fatalf("%d of Lisa's complaints on the first page, want 50", n)
	}
	Axe(t, s)
	Type(t, s, "#list-q", "Jansen")
	wantStatus(t, s, "search by name", Submit(t, s, `main form[role="search"] button[type="submit"]`), 400)
	wantFieldError(t, s, "list-q", "vul een cliëntnummer in")
	Axe(t, s)
	wantStatus(t, s, "bad page", e.Open(t, s, "/complaints?page=nul"), 400)
	wantText(t, s, "main", "geen paginanummer")
}

// subjects are the texts of the first cells of the list's rows.
func subjects(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main table tbody tr td:first-child")].map(td => td.textContent.trim())`))
}
