package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestDisclosureRegister_000art6: the privacy officer records a disclosure
// required by law from the register page (linked in the menu); bad input
// names the field and stores nothing; the candidate sees it in the
// portal's access view; a coach can neither read nor write the register.
func TestDisclosureRegister_000art6(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		if _, body := po.do("GET", "/", nil, nil); !strings.Contains(body, `href="/privacy/disclosures"`) {
			t.Fatal("the register is not in the privacy officer's menu")
		}
		resp, body := po.do("GET", "/privacy/disclosures?q=Hendriks", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Wettelijk verplichte verstrekkingen") || !strings.Contains(body, `value="`+lisa+`"`) {
			t.Fatalf("register page: %d %s", resp.StatusCode, body)
		}
		today := e.now().In(amsterdam()).Format("2006-01-02")
		form := url.Values{"q": {"Hendriks"}, "candidate_id": {lisa}, "requester": {"UWV"}, "legal_basis": {"art. 30c Wet SUWI"}, "avg_ground": {"c"},
			"categories": {"basic", "benefit"}, "disclosed_on": {today}, "controller_informed_on": {today}}
		resp, body = po.do("POST", "/privacy/disclosures", form, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="d-verification" name="verification" rows="3" aria-invalid="true"`) {
			t.Fatalf("without verification: %d %s", resp.StatusCode, body)
		}
		if n := countRows(t, db, "disclosures"); n != 0 {
			t.Fatalf("%d rows after a refused form", n)
		}
		form.Set("verification", "Schriftelijke vordering, teruggebeld via het algemene nummer")
		resp, _ = po.do("POST", "/privacy/disclosures", form, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("record: %d", resp.StatusCode)
		}
		if resp, body = po.do("GET", resp.Header.Get("Location"), nil, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "teruggebeld") {
			t.Fatalf("disclosure page: %d", resp.StatusCode)
		}

		// The same through the API, with a field error first.
		resp, body = po.doBody("POST", "/api/v1/candidates/"+lisa+"/disclosures", `{"requester":"Gemeente Almere, handhaving","avg_ground":"e","verification":"x","categories":["basic"],"disclosed_on":"`+today+`","controller_informed_on":"`+today+`"}`,
			map[string]string{"Content-Type": "application/json"})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"field": "legal_basis"`) {
			t.Fatalf("API without legal basis: %d %s", resp.StatusCode, body)
		}
		resp, body = po.doBody("POST", "/api/v1/candidates/"+lisa+"/disclosures", `{"requester":"Gemeente Almere, handhaving","legal_basis":"art. 53a Participatiewet","avg_ground":"e","verification":"x","categories":["basic"],"disclosed_on":"`+today+`","controller_informed_on":"`+today+`","candidate_withheld":"Lopend onderzoek"}`,
			map[string]string{"Content-Type": "application/json"})
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("API record: %d %s", resp.StatusCode, body)
		}

		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		resp, body = cand.do("GET", "/portal/access", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "art. 30c Wet SUWI") || strings.Contains(body, "Participatiewet") || strings.Contains(body, "teruggebeld") {
			t.Fatalf("portal access view: %d", resp.StatusCode)
		}
		var own struct {
			Disclosures []store.Disclosure `json:"disclosures"`
		}
		resp, body = cand.do("GET", "/api/v1/portal/disclosures", nil, nil)
		decode(t, body, &own)
		if resp.StatusCode != http.StatusOK || len(own.Disclosures) != 1 || own.Disclosures[0].Verification != "" {
			t.Fatalf("portal API: %d %s", resp.StatusCode, body)
		}

		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/privacy/disclosures", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach opens the register: %d", resp.StatusCode)
		}
		valid := `{"requester":"UWV","legal_basis":"art. 30c Wet SUWI","avg_ground":"c","verification":"x","categories":["basic"],"disclosed_on":"` + today + `","controller_informed_on":"` + today + `"}`
		if resp, _ := coach.doBody("POST", "/api/v1/candidates/"+lisa+"/disclosures", valid, map[string]string{"Content-Type": "application/json"}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach records through the API: %d", resp.StatusCode)
		}
	})
}
