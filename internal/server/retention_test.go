package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestRetentionJourney: the privacy officer sees the rules and the dry
// run, is told why a measure without reason is refused, sets a legal hold
// that refuses the erasure with its reason, lifts it and erases through
// the API; the auditor reads the destruction record but cannot erase
// [001 "Termijn bewaren gegevens", 004].
func TestRetentionJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var id, number string
		if err := db.SQL.QueryRow(`SELECT id, client_number FROM candidates WHERE external_ref = 'ALM-0003'`).Scan(&id, &number); err != nil {
			t.Fatal(err)
		}
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		for _, path := range []string{"/privacy/retention", "/privacy/retention/dry-run"} {
			resp, body := po.do("GET", path, nil, nil)
			if resp.StatusCode != 200 || !strings.Contains(body, "Bewaartermijnen") && !strings.Contains(body, "Proefrun") {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
		// The form takes the client number, never the internal id.
		resp, body := po.do("POST", "/privacy/retention/measure", url.Values{"client_number": {id}, "measure": {"legal_hold"}, "reason": {"x"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "vul een cliëntnummer in") {
			t.Fatalf("internal id as client number: %d", resp.StatusCode)
		}
		resp, body = po.do("POST", "/privacy/retention/measure", url.Values{"client_number": {"999999"}, "measure": {"legal_hold"}, "reason": {"x"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "geen kandidaat met dit cliëntnummer") {
			t.Fatalf("unknown client number: %d", resp.StatusCode)
		}
		resp, body = po.do("POST", "/privacy/retention/measure", url.Values{"client_number": {number}, "measure": {"legal_hold"}, "reason": {" "}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "geef een reden") {
			t.Fatalf("no reason: %d", resp.StatusCode)
		}
		resp, _ = po.do("POST", "/privacy/retention/measure", url.Values{"client_number": {"K-" + number}, "measure": {"legal_hold"}, "reason": {"Claim of the commissioner pending"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("legal hold: %d", resp.StatusCode)
		}
		resp, raw := po.do("POST", "/api/v1/candidates/"+id+"/erasure", nil, nil)
		var ae apiError
		decode(t, raw, &ae)
		if resp.StatusCode != http.StatusConflict || ae.Error.Message != "voor deze kandidaat geldt een bewaarplicht" && ae.Error.Message != "this candidate is under a legal hold" {
			t.Fatalf("erasure under hold: %d %s", resp.StatusCode, raw)
		}
		resp, raw = po.doBody("POST", "/api/v1/candidates/"+id+"/legal-hold/lift", `{"reason":"Claim settled"}`, map[string]string{"Content-Type": "application/json"})
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("lift: %d %s", resp.StatusCode, raw)
		}
		auditor := e.browser()
		auditor.login("auditor@demo.opstap.nl")
		if resp, _ := auditor.do("POST", "/api/v1/candidates/"+id+"/erasure", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("auditor erased: %d", resp.StatusCode)
		}
		resp, raw = po.do("POST", "/api/v1/candidates/"+id+"/erasure", nil, nil)
		if resp.StatusCode != http.StatusCreated || !strings.Contains(raw, `"data_key"`) {
			t.Fatalf("erasure: %d %s", resp.StatusCode, raw)
		}
		resp, body = auditor.do("GET", "/privacy/retention", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "op verzoek") || strings.Contains(body, "Nu wissen") {
			t.Fatalf("auditor's destruction records: %d", resp.StatusCode)
		}
		if resp, _ := auditor.do("GET", "/api/v1/retention/runs", nil, nil); resp.StatusCode != 200 {
			t.Fatalf("auditor API runs: %d", resp.StatusCode)
		}
	})
}
