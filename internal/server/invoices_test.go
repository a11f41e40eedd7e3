package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestInvoicesAPI: finance closes last month of the demo's hours and
// issues its invoices through the API, once; the employer and the
// municipality each see and download their own; others see nothing; bad
// input names the field (issue 9 items 3, 5, 8).
func TestInvoicesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		last := opstap.MonthOf(opstap.DateOf(e.now())).Add(-1)
		issue := "/api/v1/finance/months/" + last.String() + "/invoices"
		if resp, body := fin.doBody("POST", issue, ``, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"month"`) {
			t.Fatalf("issuing an open month: %d %s", resp.StatusCode, body)
		}
		if resp, body := fin.doBody("POST", "/api/v1/finance/periods/"+last.String()+"/close", ``, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("close: %d %s", resp.StatusCode, body)
		}
		resp, body := fin.do("GET", "/api/v1/finance/months/"+last.String()+"/invoicing", nil, nil)
		var month store.InvoiceMonth
		decode(t, body, &month)
		if resp.StatusCode != 200 || !month.Closed || month.ToIssue < 2 || month.Municipalities[0].Fee.Revenue <= 0 {
			t.Fatalf("month: %d %s", resp.StatusCode, body)
		}
		if resp, _ := fin.do("GET", "/api/v1/finance/months/2030-13/invoicing", nil, nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad month: %d", resp.StatusCode)
		}
		resp, body = fin.doBody("POST", issue, ``, json)
		var issued struct{ Issued []store.InvoiceSummary }
		decode(t, body, &issued)
		if resp.StatusCode != 200 || len(issued.Issued) != month.ToIssue {
			t.Fatalf("issue: %d %s", resp.StatusCode, body)
		}
		resp, body = fin.doBody("POST", issue, ``, json)
		decode(t, body, &issued)
		if resp.StatusCode != 200 || len(issued.Issued) != 0 {
			t.Fatalf("second run: %d %s", resp.StatusCode, body)
		}
		list := func(b *browser, q string) []store.InvoiceSummary {
			resp, body := b.do("GET", "/api/v1/invoices"+q, nil, nil)
			var out struct{ Invoices []store.InvoiceSummary }
			decode(t, body, &out)
			if resp.StatusCode != 200 {
				t.Fatalf("list %s: %d %s", q, resp.StatusCode, body)
			}
			return out.Invoices
		}
		all := list(fin, "?month="+last.String())
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		// The demo has invoices of earlier months too.
		mine := list(emp, "?month="+last.String())
		theirs := list(km, "?month="+last.String())
		if len(mine) != 1 || mine[0].Kind != "employer" || len(theirs) != 1 || theirs[0].Kind != "municipality" || len(all) < 2 {
			t.Fatalf("employer %+v, municipality %+v, finance %d", mine, theirs, len(all))
		}
		files := map[string][]byte{}
		for _, c := range []struct {
			b  *browser
			id string
		}{{emp, mine[0].ID}, {km, theirs[0].ID}} {
			resp, body := c.b.do("GET", "/api/v1/invoices/"+c.id+"/ubl", nil, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/xml" {
				t.Fatalf("UBL: %d", resp.StatusCode)
			}
			files[c.id+".xml"] = []byte(body)
			if resp, body := c.b.do("GET", "/invoices/"+c.id+"/pdf", nil, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
				t.Fatalf("PDF page download: %d", resp.StatusCode)
			}
		}
		formatcheck.EInvoices(t, files)
		if resp, _ := emp.do("GET", "/api/v1/invoices/"+theirs[0].ID+"/pdf", nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("the employer downloads the municipality's invoice: %d", resp.StatusCode)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/api/v1/invoices", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the coach lists invoices: %d", resp.StatusCode)
		}
		if resp, body := fin.do("GET", "/api/v1/invoices?status=late", nil, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"status"`) {
			t.Fatalf("bad status: %d %s", resp.StatusCode, body)
		}
		pay := "/api/v1/invoices/" + mine[0].ID + "/payment"
		if resp, body := fin.doBody("POST", pay, `{"paid_on":"2000-01-01"}`, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"paid_on"`) {
			t.Fatalf("paid before issue: %d %s", resp.StatusCode, body)
		}
		if resp, _ := emp.doBody("POST", pay, `{"paid_on":"`+mine[0].IssueDate.String()+`"}`, json); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the employer records a payment: %d", resp.StatusCode)
		}
		if resp, body := fin.doBody("POST", pay, `{"paid_on":"`+mine[0].IssueDate.String()+`"}`, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("payment: %d %s", resp.StatusCode, body)
		}
		resp, body = fin.doBody("POST", "/api/v1/invoices/"+theirs[0].ID+"/credit-note", `{"reason":"Licenties dubbel"}`, json)
		if resp.StatusCode != http.StatusCreated || !strings.Contains(body, `"credit_note"`) {
			t.Fatalf("credit note: %d %s", resp.StatusCode, body)
		}
		// Pages: the month page shows the issued numbers; the employer's list links its invoice.
		if resp, body := fin.do("GET", "/finance/invoicing?month="+last.String(), nil, nil); resp.StatusCode != 200 || !strings.Contains(body, mine[0].Number) {
			t.Fatalf("month page: %d", resp.StatusCode)
		}
		if resp, body := emp.do("GET", "/invoices", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, mine[0].Number) || strings.Contains(body, theirs[0].Number) {
			t.Fatalf("employer's invoices page: %d", resp.StatusCode)
		}
		if resp, body := fin.do("POST", "/invoices/"+mine[0].ID+"/credit-note", url.Values{"reason": {""}}, nil); resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("credit note without reason via the page: %d %s", resp.StatusCode, body)
		}
	})
}

// TestInvoiceReissueAPI: the demo invoiced the month before last; the
// administrator reopens it, the employer corrects a day in it, and the
// month shows the bakery's invoice stale. Finance cannot replace it while
// the month is open; after closing, the page offers "credit and reissue"
// and its form replaces it with a credit note and a new invoice; replacing
// the credited one again is refused (issue 9: a reopened month).
func TestInvoiceReissueAPI(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
	m := opstap.MonthOf(opstap.DateOf(e.now())).Add(-2)
	fin := e.browser()
	fin.login("financien@demo.opstap.nl")
	month := func() store.InvoiceMonth {
		t.Helper()
		resp, body := fin.do("GET", "/api/v1/finance/months/"+m.String()+"/invoicing", nil, nil)
		var out store.InvoiceMonth
		decode(t, body, &out)
		if resp.StatusCode != 200 {
			t.Fatalf("month: %d %s", resp.StatusCode, body)
		}
		return out
	}
	before := month()
	old := before.Municipalities[0].Employers[0].Issued
	if before.Stale != 0 || old == nil || old.Stale {
		t.Fatalf("before: %+v", before)
	}
	resp, body := fin.do("GET", "/api/v1/invoices/"+old.ID, nil, nil)
	var doc struct {
		Invoice struct {
			Lines []struct {
				PlacementID string `json:"placement_id"`
			}
		}
	}
	decode(t, body, &doc)
	inv := doc.Invoice
	if resp.StatusCode != 200 || len(inv.Lines) == 0 {
		t.Fatalf("invoice: %d %s", resp.StatusCode, body)
	}
	admin := e.browser()
	admin.login("beheer@demo.opstap.nl")
	if resp, body := admin.doBody("POST", "/api/v1/finance/periods/"+m.String()+"/reopen", `{"reason":"Late correction of the bakery"}`, json); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reopen: %d %s", resp.StatusCode, body)
	}
	boss := e.browser()
	boss.login("werkgever@demo.opstap.nl")
	resp, body = boss.do("GET", "/api/v1/placements/"+inv.Lines[0].PlacementID+"/timesheet?from="+m.First().String()+"&to="+m.Last().String(), nil, nil)
	var sheet struct{ Lines []struct{ ID string } }
	decode(t, body, &sheet)
	if resp.StatusCode != 200 || len(sheet.Lines) == 0 {
		t.Fatalf("timesheet: %d %s", resp.StatusCode, body)
	}
	if resp, body := boss.doBody("POST", "/api/v1/timesheet-lines/"+sheet.Lines[0].ID+"/corrections", `{"minutes":300,"reason":"Went home ill"}`, json); resp.StatusCode != http.StatusCreated {
		t.Fatalf("correction: %d %s", resp.StatusCode, body)
	}
	stale := month()
	if stale.Stale != 1 || !stale.Municipalities[0].Employers[0].Issued.Stale || stale.Municipalities[0].Issued.Stale {
		t.Fatalf("stale: %+v", stale)
	}
	reissue := "/api/v1/invoices/" + old.ID + "/reissue"
	if resp, body := fin.doBody("POST", reissue, ``, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"month"`) {
		t.Fatalf("reissue in an open month: %d %s", resp.StatusCode, body)
	}
	if resp, body := fin.doBody("POST", "/api/v1/finance/periods/"+m.String()+"/close", ``, json); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("close: %d %s", resp.StatusCode, body)
	}
	if resp, _ := boss.doBody("POST", reissue, ``, json); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the employer reissues: %d", resp.StatusCode)
	}
	page := "/finance/invoicing?month=" + m.String()
	if resp, body := fin.do("GET", page, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `action="/invoices/`+old.ID+`/reissue"`) {
		t.Fatalf("the month page offers no reissue: %d", resp.StatusCode)
	}
	resp, body = fin.doBody("POST", reissue, ``, json)
	var r store.Reissue
	decode(t, body, &r)
	if resp.StatusCode != http.StatusCreated || r.CreditNote.Corrects != old.ID || r.Invoice == nil {
		t.Fatalf("reissue: %d %s", resp.StatusCode, body)
	}
	after := month()
	now := after.Municipalities[0].Employers[0]
	if after.Stale != 0 || now.Issued == nil || now.Issued.ID != r.Invoice.ID || now.Issued.Net != now.Net || now.Net >= old.Net {
		t.Fatalf("after: %+v", after)
	}
	if resp, body := fin.do("POST", "/invoices/"+old.ID+"/reissue", url.Values{"month": {m.String()}}, nil); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(body, "gecrediteerd") {
		t.Fatalf("reissue of the credited invoice from the page: %d", resp.StatusCode)
	}
}
