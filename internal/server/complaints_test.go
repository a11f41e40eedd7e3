package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestComplaintJourney_000art12: the candidate files in the portal, the
// complaints desk works its queue (overdue first) and records the outcome,
// the candidate is notified and sees the status but not the internal notes;
// a coach cannot open a complaint.
func TestComplaintJourney_000art12(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		resp, body := cand.do("POST", "/portal/complaints", url.Values{"subject": {"Reiskosten niet vergoed"}, "description": {"Ik wacht al twee maanden op mijn reiskosten."}}, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/portal/complaints" {
			t.Fatalf("file: %d %s", resp.StatusCode, body)
		}
		resp, body = cand.do("POST", "/portal/complaints", url.Values{"subject": {""}, "description": {"x"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "onderwerp is verplicht") {
			t.Fatalf("empty subject: %d", resp.StatusCode)
		}

		desk := e.browser()
		desk.login("klachten@demo.opstap.nl")
		resp, body = desk.do("GET", "/complaints", nil, nil)
		demo, filed := strings.Index(body, "Afspraak niet nagekomen"), strings.Index(body, "Reiskosten niet vergoed")
		if resp.StatusCode != 200 || demo < 0 || filed < 0 || demo > filed || !strings.Contains(body, "te laat") || !strings.Contains(body, "Lisa Hendriks") {
			t.Fatalf("queue: %d overdue demo complaint at %d, new one at %d\n%s", resp.StatusCode, demo, filed, body)
		}
		var q struct {
			Complaints []struct{ ID, Subject string }
		}
		_, raw := desk.do("GET", "/api/v1/complaints", nil, nil)
		decode(t, raw, &q)
		var id string
		for _, c := range q.Complaints {
			if c.Subject == "Reiskosten niet vergoed" {
				id = c.ID
			}
		}
		if id == "" {
			t.Fatalf("complaint not in the API queue: %s", raw)
		}
		// A step's text has the API's limits: maxlength in the form, and a
		// NUL refused by field (400, as in the API), storing nothing.
		if resp, body := desk.do("GET", "/complaints/"+id, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `name="text" rows="4" maxlength="10000"`) {
			t.Errorf("complaint page: %d, no maxlength on the step text", resp.StatusCode)
		}
		notes := countRows(t, db, "complaint_notes")
		if resp, body := desk.do("POST", "/complaints/"+id+"/note", url.Values{"text": {"Intern\x00"}}, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "het veld text bevat een NUL-teken") {
			t.Errorf("a note with a NUL: %d", resp.StatusCode)
		}
		if countRows(t, db, "complaint_notes") != notes {
			t.Error("a refused note was stored")
		}
		steps := []struct {
			name   string
			path   string
			form   url.Values
			status int
		}{
			{"acknowledge", "acknowledge", url.Values{}, http.StatusSeeOther},
			{"internal note", "note", url.Values{"text": {"Intern: navragen bij financiën."}}, http.StatusSeeOther},
			{"outcome without explanation", "outcome", url.Values{"outcome": {"upheld"}}, http.StatusUnprocessableEntity},
			{"outcome", "outcome", url.Values{"outcome": {"upheld"}, "text": {"Gegrond; de reiskosten worden deze week betaald."}}, http.StatusSeeOther},
		}
		for _, s := range steps {
			if resp, body := desk.do("POST", "/complaints/"+id+"/"+s.path, s.form, nil); resp.StatusCode != s.status {
				t.Fatalf("%s: %d %s", s.name, resp.StatusCode, body)
			}
		}

		resp, body = cand.do("GET", "/portal/complaints", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Gegrond; de reiskosten") || strings.Contains(body, "navragen bij financiën") {
			t.Fatalf("portal: %d", resp.StatusCode)
		}
		resp, body = cand.do("GET", "/notifications", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Er is een volgende stap gezet in de behandeling van uw klacht.") || !strings.Contains(body, "ongelezen") {
			t.Fatalf("notifications: %d", resp.StatusCode)
		}
		var ns struct{ Unread int }
		_, raw = cand.do("GET", "/api/v1/notifications", nil, nil)
		decode(t, raw, &ns)
		if ns.Unread < 2 { // the demo complaint, acknowledgement and outcome
			t.Fatalf("unread %d: %s", ns.Unread, raw)
		}
		if resp, _ := cand.do("POST", "/notifications/read", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mark read: %d", resp.StatusCode)
		}
		_, raw = cand.do("GET", "/api/v1/notifications", nil, nil)
		decode(t, raw, &ns)
		if ns.Unread != 0 {
			t.Fatalf("unread after marking: %d", ns.Unread)
		}

		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, body := coach.do("GET", "/complaints/"+id, nil, nil); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Reiskosten") {
			t.Fatalf("coach opens complaint: %d", resp.StatusCode)
		}
	})
}
