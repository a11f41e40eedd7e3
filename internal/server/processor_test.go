package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestProcessorDutiesPage_003bewerkersArt3: from the menu the privacy
// officer records a sub-processor (a missing location is refused beside
// the field), the contract of a commissioner and an audit, and sees when
// the next audit is due; a coach is refused page and API.
func TestProcessorDutiesPage_003bewerkersArt3(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		if _, body := po.do("GET", "/", nil, nil); !strings.Contains(body, `href="/privacy/processor"`) {
			t.Fatal("processor duties not in the privacy officer's menu")
		}
		form := url.Values{"name": {"Hoster BV"}, "purpose": {"Hosting"}, "location": {""}, "since": {"2025-01-01"}}
		resp, body := po.do("POST", "/privacy/processor/sub-processors", form, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="sp-location" name="location" type="text" autocomplete="off" value="" aria-invalid="true"`) {
			t.Fatalf("without location: %d", resp.StatusCode)
		}
		form.Set("location", "Amsterdam, NL")
		if resp, _ = po.do("POST", "/privacy/processor/sub-processors", form, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		var org string
		if err := db.SQL.QueryRow(rebindOne(db, `SELECT id FROM organisations WHERE cbs_code = ?`), "0034").Scan(&org); err != nil {
			t.Fatal(err)
		}
		if resp, _ = po.do("POST", "/privacy/processor/contracts", url.Values{"org_id": {org}, "started_on": {"2016-07-13"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("contract: %d", resp.StatusCode)
		}
		if resp, _ = po.do("POST", "/privacy/processor/audits", url.Values{"org_id": {org}, "audited_on": {"2025-03-01"}, "auditor": {"Auditdienst Almere"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("audit: %d", resp.StatusCode)
		}
		resp, body = po.do("GET", "/privacy/processor", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Hoster BV") || !strings.Contains(body, "01-03-2027") || !strings.Contains(body, "Verwerkersplichten") {
			t.Fatalf("page: %d", resp.StatusCode)
		}
		resp, body = po.do("GET", "/api/v1/privacy/processor-duties", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"next_audit_due": "2027-03-01"`) {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/privacy/processor", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach opens the page: %d", resp.StatusCode)
		}
		if resp, _ := coach.do("GET", "/api/v1/privacy/sub-processors", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach reads the register: %d", resp.StatusCode)
		}
	})
}
