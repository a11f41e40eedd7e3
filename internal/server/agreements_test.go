package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestAgreementsAtTheStart_000art4: the coach records on the candidate's
// file (tab "Afspraken") that the privacy statement was handed over; a
// missing version is refused beside the field; the candidate accepts it
// in the portal (menu "Mijn afspraken") and the coach sees how.
func TestAgreementsAtTheStart_000art4(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		page := "/candidates/" + lisa + "/agreements"
		if _, body := coach.do("GET", "/candidates/"+lisa, nil, nil); !strings.Contains(body, `href="`+page+`"`) {
			t.Fatal("no agreements tab on the candidate's file")
		}
		resp, body := coach.do("POST", page, url.Values{"kind": {"privacy_statement"}, "version": {" "}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="g-version" name="version" type="text" autocomplete="off" value=" " aria-invalid="true"`) {
			t.Fatalf("without version: %d", resp.StatusCode)
		}
		if resp, _ = coach.do("POST", page, url.Values{"kind": {"privacy_statement"}, "version": {"2026-01"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("offer: %d", resp.StatusCode)
		}
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		if _, body = cand.do("GET", "/portal", nil, nil); !strings.Contains(body, `href="/portal/agreements"`) {
			t.Fatal("no agreements in the candidate's menu")
		}
		resp, body = cand.do("GET", "/portal/agreements", nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Privacystatement") || !strings.Contains(body, "2026-01") {
			t.Fatalf("portal page: %d", resp.StatusCode)
		}
		i := strings.Index(body, `action="/portal/agreements/`)
		if i < 0 {
			t.Fatal("no accept button")
		}
		action := body[i+len(`action="`):]
		action = action[:strings.Index(action, `"`)]
		if resp, _ = cand.do("POST", action, url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		if resp, _ = coach.doBody("POST", "/api/v1/portal/agreements/"+strings.TrimSuffix(strings.TrimPrefix(action, "/portal/agreements/"), "/accept")+"/accept", "", nil); resp.StatusCode == http.StatusOK {
			t.Fatal("the coach accepted for the candidate")
		}
		if _, body = coach.do("GET", page, nil, nil); !strings.Contains(body, "geaccepteerd in het portaal") {
			t.Fatal("the coach does not see the acceptance")
		}
	})
}
