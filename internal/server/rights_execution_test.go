package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestRectificationFromTheRequest_002art7_2: the candidate asks for a
// correction in the portal; the privacy officer records the corrected
// values on the request's page (a line without "=" is refused beside the
// field) and grants it; the coach follows the notification to the same
// page and confirms; the data is corrected. The API refuses the privacy
// officer the write itself.
func TestRectificationFromTheRequest_002art7_2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		lisa := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		if resp, _ := cand.do("POST", "/portal/rights", url.Values{"kind": {"rectification"}, "description": {"Mijn woonplaats is Almere, niet Lelystad."}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("file: %d", resp.StatusCode)
		}
		var id string
		if err := db.SQL.QueryRow(rebindOne(db, `SELECT id FROM rights_requests WHERE candidate_id = ? AND kind = 'rectification'`), lisa).Scan(&id); err != nil {
			t.Fatal(err)
		}
		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		if _, body := po.do("GET", "/privacy/requests/"+id, nil, nil); !strings.Contains(body, `href="/privacy/requests/`+id+`/change"`) {
			t.Fatal("the request page does not link to the change")
		}
		resp, body := po.do("POST", "/privacy/requests/"+id+"/change", url.Values{"kind": {"rectification"}, "category": {"basic"}, "values": {"Almere"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true" aria-describedby="ch-values-error">Almere</textarea>`) {
			t.Fatalf("line without a field: %d", resp.StatusCode)
		}
		if resp, _ = po.do("POST", "/privacy/requests/"+id+"/change", url.Values{"kind": {"rectification"}, "category": {"basic"}, "values": {"city = Almere\n"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("record values: %d", resp.StatusCode)
		}
		if resp, _ = po.do("POST", "/privacy/requests/"+id+"/answer", url.Values{"status": {"granted"}, "text": {"Wij passen uw woonplaats aan."}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("grant: %d", resp.StatusCode)
		}
		if resp, _ = po.doBody("POST", "/api/v1/rights-requests/"+id+"/change/apply", "", nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("privacy officer applies: %d", resp.StatusCode)
		}

		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if _, body = coach.do("GET", "/notifications", nil, nil); !strings.Contains(body, `value="`+store.RectificationLink(id)+`"`) {
			t.Fatal("the coach's notifications do not link to the change")
		}
		resp, body = coach.do("GET", store.RectificationLink(id), nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Almere") || !strings.Contains(body, "Correctie doorvoeren") {
			t.Fatalf("coach's view of the change: %d", resp.StatusCode)
		}
		if resp, _ = coach.do("POST", store.RectificationLink(id)+"/apply", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("apply: %d", resp.StatusCode)
		}
		v, err := db.ReadCategory(context.Background(), demoSystemCoach(t, db), lisa, opstap.CatBasic, store.PurposeGuidance, "")
		if err != nil || v.(*candidate.Basic).City != "Almere" {
			t.Fatalf("city after the correction: %+v %v", v, err)
		}
		if resp, _ = coach.do("POST", store.RectificationLink(id)+"/apply", url.Values{}, nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("applied twice: %d", resp.StatusCode)
		}
	})
}

// demoSystemCoach is the demo coach's actor, to read back through the
// policy.
func demoSystemCoach(t *testing.T, db *store.DB) *opstap.Actor {
	t.Helper()
	u, err := db.FindUserByEmail(context.Background(), "coach@demo.opstap.nl")
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor(db.Now(), "127.0.0.1")
}
