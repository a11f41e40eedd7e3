package browsertest

import (
	"bytes"
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
)

// TestSettlementJourney_003art6: finance goes from the home page to the
// settlements, opens the demo municipality's last half year (marked
// provisional), is refused drawing it up while months are open, closes
// the six months on the closing page, draws it up and downloads the PDF and
// the spreadsheet; the municipality's case manager goes from the home page
// to its settlements and finds the drawn-up one with its candidate named
// (issue 9 item 6; [003 art 6.1 lid 5, 6.2 lid 4]). Every page passes axe.
func TestSettlementJourney_003art6(t *testing.T) {
	e, s := newTest(t)
	half := billing.LastHalfYear(opstap.DateOf(e.Now()))
	e.SignIn(t, s, "financien@demo.opstap.nl")
	wantStatus(t, s, "home", e.Open(t, s, "/"), 200)
	wantStatus(t, s, "settlements", Submit(t, s, `header nav a[href="/settlements"]`), 200)
	Axe(t, s)
	wantStatus(t, s, "settlement", Submit(t, s, `main table a[href$="/`+half.String()+`"]`), 200)
	wantText(t, s, "main", "VOORLOPIG")
	Axe(t, s)
	path := Path(t, s)
	wantStatus(t, s, "draw up too early", Submit(t, s, `form[action="`+path+`"] button`), 422)
	wantText(t, s, "main", "nog open")
	for _, m := range half.Months() {
		if closed, err := e.DB.IsMonthClosed(context.Background(), m); err != nil || closed {
			continue // the demo closed the months before last
		}
		wantStatus(t, s, "closing", Submit(t, s, `main a[href="/finance/periods"]`), 200)
		wantStatus(t, s, "close "+m.String(), Submit(t, s, `form[action="/finance/periods/`+m.String()+`/close"] button`), 200)
		wantStatus(t, s, "back", e.Open(t, s, path), 200)
	}
	wantStatus(t, s, "settlements again", Submit(t, s, `header nav a[href="/settlements"]`), 200)
	wantStatus(t, s, "settlement again", Submit(t, s, `main table a[href="`+path+`"]`), 200)
	wantStatus(t, s, "draw up", Submit(t, s, `form[action="`+path+`"] button`), 200)
	if n := Count(t, s, `.flash`); n != 1 {
		t.Fatalf("no confirmation after drawing up (at %s)", location(s))
	}
	if Count(t, s, `form[action="`+path+`"]`) != 0 {
		t.Fatal("a drawn-up settlement offers to draw it up again")
	}
	Axe(t, s)
	Screenshot(t, s, "settlement")
	fetchPDF(t, s, path+"/pdf")
	status, ctype, b := Fetch(t, s, path+"/xlsx")
	if status != 200 || ctype != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("spreadsheet: %d %q", status, ctype)
	}

	km := Session(t, s)
	e.SignIn(t, km, "klantmanager@demo.opstap.nl")
	wantStatus(t, km, "home", e.Open(t, km, "/"), 200)
	wantStatus(t, km, "settlements", Submit(t, km, `header nav a[href="/settlements"]`), 200)
	Axe(t, km)
	wantStatus(t, km, "settlement", Submit(t, km, `main table a[href="`+path+`"]`), 200)
	Axe(t, km)
	wantText(t, km, "main", "Lisa Hendriks")
	if Count(t, km, `form[action="`+path+`"]`) != 0 {
		t.Fatal("the municipality is offered to draw up")
	}
	fetchPDF(t, km, path+"/pdf")
}
