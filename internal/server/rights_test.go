package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestRightsJourney_002art7: the candidate files an access request in the
// portal; the privacy officer finds it in the queue, refuses an extension
// without a reason, extends, grants it; the candidate is told, downloads
// the export (JSON, PDF) and sees who used their data by role and
// organisation [001; 002 art 7.1; 004 "Inzagerecht"].
func TestRightsJourney_002art7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		resp, body := cand.do("POST", "/portal/rights", url.Values{"kind": {""}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "onbekend soort verzoek") {
			t.Fatalf("no kind: %d", resp.StatusCode)
		}
		resp, body = cand.do("POST", "/portal/rights", url.Values{"kind": {"access"}, "description": {"Ik wil zien wat u van mij bewaart."}}, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/portal/rights" {
			t.Fatalf("file: %d %s", resp.StatusCode, body)
		}

		po := e.browser()
		po.login("privacy@demo.opstap.nl")
		resp, body = po.do("GET", "/privacy/requests", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Lisa Hendriks") || !strings.Contains(body, "Inzage in mijn gegevens") {
			t.Fatalf("queue: %d\n%s", resp.StatusCode, body)
		}
		var q struct{ Requests []struct{ ID, Kind string } }
		_, raw := po.do("GET", "/api/v1/rights-requests", nil, nil)
		decode(t, raw, &q)
		if len(q.Requests) != 1 || q.Requests[0].Kind != "access" {
			t.Fatalf("API queue: %s", raw)
		}
		id := q.Requests[0].ID
		steps := []struct {
			name, path string
			form       url.Values
			status     int
		}{
			{"take it", "assign", url.Values{}, http.StatusSeeOther},
			{"extend without reason", "extend", url.Values{"reason": {""}}, http.StatusUnprocessableEntity},
			{"extend", "extend", url.Values{"reason": {"Gegevens bij de gemeente opvragen."}}, http.StatusSeeOther},
			{"extend twice", "extend", url.Values{"reason": {"Nog meer tijd."}}, http.StatusConflict},
			{"grant", "answer", url.Values{"status": {"granted"}, "text": {"Bijgaand al uw gegevens."}}, http.StatusSeeOther},
			{"answer a closed request", "answer", url.Values{"status": {"refused"}, "text": {"x"}}, http.StatusConflict},
		}
		for _, s := range steps {
			if resp, body := po.do("POST", "/privacy/requests/"+id+"/"+s.path, s.form, nil); resp.StatusCode != s.status {
				t.Fatalf("%s: %d %s", s.name, resp.StatusCode, body)
			}
		}

		// The officer never downloads the export, granted or not, and sees
		// only what it holds [issue 8 point 1].
		if resp, _ := po.do("GET", "/api/v1/rights-requests/"+id+"/export", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("officer downloads the export: %d", resp.StatusCode)
		}
		if resp, _ := po.do("GET", "/privacy/requests/"+id+"/export", nil, nil); resp.StatusCode == http.StatusOK {
			t.Fatalf("officer's export page: %d", resp.StatusCode)
		}
		if _, body := po.do("GET", "/privacy/requests/"+id, nil, nil); !strings.Contains(body, "/privacy/requests/"+id+"/manifest") || strings.Contains(body, "/export") {
			t.Fatalf("request page does not link the manifest:\n%s", body)
		}
		resp, body = po.do("GET", "/privacy/requests/"+id+"/manifest", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Onderdelen van de export") || !strings.Contains(body, "Regels in het toegangslogboek") {
			t.Fatalf("manifest page: %d\n%s", resp.StatusCode, body)
		}
		var man struct {
			Categories []string
			Parts      []struct {
				Part  string
				Count int
			}
		}
		resp, raw = po.do("GET", "/api/v1/rights-requests/"+id+"/manifest", nil, nil)
		decode(t, raw, &man)
		if resp.StatusCode != 200 || len(man.Categories) == 0 || len(man.Parts) == 0 {
			t.Fatalf("manifest API: %d %s", resp.StatusCode, raw)
		}
		// Filing a request for a candidate and downloading at once, the old
		// way to read a whole file, is refused.
		var q2 struct {
			Requests []struct {
				CandidateID string `json:"candidate_id"`
			}
		}
		_, raw = po.do("GET", "/api/v1/rights-requests?closed=true", nil, nil)
		decode(t, raw, &q2)
		var filed struct{ ID string }
		resp, raw = po.postJSON("/api/v1/candidates/"+q2.Requests[0].CandidateID+"/rights-requests", `{"kind":"access"}`)
		decode(t, raw, &filed)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("officer files: %d %s", resp.StatusCode, raw)
		}
		if resp, _ := po.do("GET", "/api/v1/rights-requests/"+filed.ID+"/export", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("officer downloads a request they filed: %d", resp.StatusCode)
		}

		resp, body = cand.do("GET", "/portal/rights", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Toegewezen") || !strings.Contains(body, "/portal/rights/"+id+"/export") {
			t.Fatalf("portal: %d\n%s", resp.StatusCode, body)
		}
		if _, body = cand.do("GET", "/notifications", nil, nil); !strings.Contains(body, "De termijn voor het antwoord op uw verzoek is verlengd.") || !strings.Contains(body, "Uw verzoek is beantwoord.") {
			t.Fatal("candidate not told")
		}
		resp, body = cand.do("GET", "/portal/rights/"+id+"/export", nil, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("export: %d %s", resp.StatusCode, body)
		}
		files := storetest.Unzip(t, []byte(body))
		var ex struct {
			Format     string
			Categories []struct{ Category string }
			AccessLog  []struct{ Role string } `json:"access_log"`
		}
		if err := json.Unmarshal(files["opstap-export.json"], &ex); err != nil || ex.Format != store.ExportFormat || len(ex.Categories) == 0 || len(ex.AccessLog) == 0 {
			t.Fatalf("export json: %v %+v", err, ex)
		}
		if !bytes.HasPrefix(files["opstap-export.pdf"], []byte("%PDF-")) {
			t.Fatal("export pdf missing")
		}
		if resp, _ := cand.do("GET", "/portal/rights/"+id+"/letter", nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("letter of a granted request: %d", resp.StatusCode)
		}

		resp, body = cand.do("GET", "/portal/access", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Privacyfunctionaris") || strings.Contains(body, "Joost Mulder") {
			t.Fatalf("access page: %d\n%s", resp.StatusCode, body)
		}
		// Grouped per day and person in plain Dutch (issue 12 item 15):
		// one heading per day, a person's reads of several kinds of data in one line.
		if !strings.Contains(body, `<h3 id="day-`) || !strings.Contains(body, "Privacyfunctionaris van Opstap") || strings.Contains(body, "<table class=\"stack\">\n  <caption>Wie uw gegevens gebruikte") {
			t.Fatalf("access page not grouped:\n%s", body)
		}
		var lp struct {
			Entries []struct{ Role, Organisation, ActorName string }
		}
		_, raw = cand.do("GET", "/api/v1/portal/access-log", nil, nil)
		decode(t, raw, &lp)
		if len(lp.Entries) == 0 || lp.Entries[0].Organisation == "" || lp.Entries[0].ActorName != "" {
			t.Fatalf("access log API: %s", raw)
		}

		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/privacy/requests/"+id, nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach opens request: %d", resp.StatusCode)
		}
	})
}

// TestPortalLinksPrivacyPages: the candidate reaches the privacy requests
// and the visibility page from the portal's home page, in both languages.
func TestPortalLinksPrivacyPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		resp, home := cand.do("GET", "/portal", nil, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("portal: %d", resp.StatusCode)
		}
		for _, l := range []struct{ href, label string }{
			{"/portal/rights", "Mijn privacyrechten"},
			{"/portal/flex", "Zichtbaarheid voor werkgevers"},
		} {
			if !strings.Contains(home, `<a href="`+l.href+`">`+l.label+`</a>`) {
				t.Fatalf("no link %s on the portal", l.href)
			}
			if resp, body := cand.do("GET", l.href, nil, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, l.label) {
				t.Fatalf("%s: %d", l.href, resp.StatusCode)
			}
		}
		cand.do("POST", "/language", url.Values{"lang": {"en"}, "next": {"/portal"}}, nil)
		if _, home := cand.do("GET", "/portal", nil, nil); !strings.Contains(home, "My privacy rights") || !strings.Contains(home, "Visibility to employers") {
			t.Fatal("no English labels on the portal")
		}
	})
}
