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
		if resp, _ := fin.do("GET", "/api/v1/invoices?status=late", nil, nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad status: %d", resp.StatusCode)
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
