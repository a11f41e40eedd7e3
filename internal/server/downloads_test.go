package server_test

import (
	"net/http"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestDownloadsAlikeOnBothFaces: a file offered on a page and through the
// API is one handler (internal/download), so the same reader gets the same
// bytes under the same name and type from either face (issue 14 item 3).
func TestDownloadsAlikeOnBothFaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		last := opstap.MonthOf(opstap.DateOf(e.now())).Add(-1)
		if resp, body := fin.doBody("POST", "/api/v1/finance/periods/"+last.String()+"/close", ``, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("close: %d %s", resp.StatusCode, body)
		}
		resp, body := fin.doBody("POST", "/api/v1/finance/months/"+last.String()+"/invoices", ``, json)
		var issued struct{ Issued []store.InvoiceSummary }
		decode(t, body, &issued)
		if resp.StatusCode != 200 || len(issued.Issued) == 0 {
			t.Fatalf("issue: %d %s", resp.StatusCode, body)
		}
		resp, body = fin.do("GET", "/api/v1/settlements?half_year="+billing.LastHalfYear(opstap.DateOf(e.now())).String(), nil, nil)
		var settlements struct{ Settlements []store.SettlementSummary }
		decode(t, body, &settlements)
		if resp.StatusCode != 200 || len(settlements.Settlements) == 0 {
			t.Fatalf("settlements: %d %s", resp.StatusCode, body)
		}
		settlement := "/settlements/" + settlements.Settlements[0].Municipality + "/" + settlements.Settlements[0].HalfYear.String()
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		for _, c := range []struct {
			b        *browser
			page     string
			api      string
			fileType string
			stored   bool // kept as issued, so the bytes are the same
		}{
			{fin, "/invoices/" + issued.Issued[0].ID + "/pdf", "/api/v1/invoices/" + issued.Issued[0].ID + "/pdf", "application/pdf", true},
			{fin, "/invoices/" + issued.Issued[0].ID + "/ubl", "/api/v1/invoices/" + issued.Issued[0].ID + "/ubl", "application/xml", true},
			{fin, settlement + "/xlsx", "/api/v1" + settlement + "/xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
			{fin, settlement + "/pdf", "/api/v1" + settlement + "/pdf", "application/pdf", false},
			{po, "/privacy/processing.pdf", "/api/v1/privacy/processing.pdf", "application/pdf", false},
		} {
			pr, pb := c.b.do("GET", c.page, nil, nil)
			ar, ab := c.b.do("GET", c.api, nil, nil)
			if pr.StatusCode != 200 || ar.StatusCode != 200 {
				t.Fatalf("%s: %d, %s: %d", c.page, pr.StatusCode, c.api, ar.StatusCode)
			}
			for _, h := range []string{"Content-Type", "Content-Disposition", "Cache-Control"} {
				if pr.Header.Get(h) != ar.Header.Get(h) {
					t.Errorf("%s: %s %q on the page, %q through the API", c.page, h, pr.Header.Get(h), ar.Header.Get(h))
				}
			}
			if pr.Header.Get("Content-Type") != c.fileType || pr.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: headers %v", c.page, pr.Header)
			}
			// A file made on request carries the moment it was made (the
			// XLSX's zip entries, the PDF's metadata): the same size then,
			// as the same content gives.
			if (c.stored && pb != ab) || len(pb) != len(ab) {
				t.Errorf("%s: %d bytes on the page, %d other bytes through the API", c.page, len(pb), len(ab))
			}
		}
	})
}
