package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestWebFormLimits (issue 11): the web forms state the API's limits
// (maxlength, min, max from the same validate tags) and refuse on the server
// what the API refuses, naming the field; nothing is stored.
func TestWebFormLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		id := demoCandidate(t, db, "kandidaat@demo.opstap.nl")

		// The attributes.
		for _, c := range []struct {
			b          *browser
			path, want string
		}{
			{km, "/candidates/new", `name="first_name" type="text" autocomplete="off" value="" maxlength="200"`},
			{km, "/candidates/new", `name="postcode" type="text" autocomplete="off" value="" maxlength="10"`},
			{coach, "/candidates/" + id + "/edit/education", `maxlength="2000"`},
			{coach, "/candidates/" + id + "/edit/preferences", `min="0" max="60"`},
		} {
			resp, body := c.b.do("GET", c.path, nil, nil)
			if resp.StatusCode != 200 || !strings.Contains(body, c.want) {
				t.Errorf("GET %s: %d, want %s", c.path, resp.StatusCode, c.want)
			}
		}

		// The server: registration, a category and an assignment.
		before := countRows(t, db, "candidates")
		form := url.Values{"external_ref": {"W-99"}, "first_name": {strings.Repeat("é", 201)}, "last_name": {"Kramer"}, "birth_date": {"05-06-1992"}}
		if resp, body := km.do("POST", "/candidates", form, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="c-first-error"`) {
			t.Errorf("registration with a first name of 201 characters: %d", resp.StatusCode)
		}
		if countRows(t, db, "candidates") != before {
			t.Error("a refused registration stored a candidate")
		}
		_, stored := coach.do("GET", "/api/v1/candidates/"+id+"/data/education", nil, nil)
		edu := url.Values{"level": {"mbo-2"}, "diplomas": {strings.Repeat("x", 2001)}, "work_experience": {""}}
		if resp, body := coach.do("POST", "/candidates/"+id+"/edit/education", edu, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-diplomas-error"`) {
			t.Errorf("education with 2,001 characters: %d", resp.StatusCode)
		}
		if _, now := coach.do("GET", "/api/v1/candidates/"+id+"/data/education", nil, nil); now != stored {
			t.Error("a refused change was stored")
		}
		pref := url.Values{"hours_per_week": {"61"}, "occupations": {""}, "max_travel_km": {"10"}, "wishes": {""}}
		if resp, body := coach.do("POST", "/candidates/"+id+"/edit/preferences", pref, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-hours_per_week-error"`) {
			t.Errorf("preferences with 61 hours: %d", resp.StatusCode)
		}
	})
}

// TestWebFormLimitsEntriesComplaints: the dossier entry, report and complaint forms
// carry the API's limits as maxlength, and the server refuses a value above
// them (or with a NUL, which the API refuses too) naming the field, storing
// nothing.
func TestWebFormLimitsEntriesComplaints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		id := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		for _, c := range []struct {
			b          *browser
			path, want string
		}{
			{coach, "/candidates/" + id + "/dossier", `name="body" rows="6" maxlength="20000"`},
			{cand, "/portal/complaints", `name="description" rows="6" maxlength="10000"`},
			{coach, "/candidates/" + id + "/reports", `name="title" maxlength="200"`},
			{coach, "/candidates/" + id + "/reports", `name="note" rows="3" maxlength="100000"`},
		} {
			if resp, body := c.b.do("GET", c.path, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, c.want) {
				t.Errorf("GET %s: %d, want %s", c.path, resp.StatusCode, c.want)
			}
		}
		before := countRows(t, db, "dossier_entries")
		entry := url.Values{"kind": {"conversation_note"}, "title": {"Gesprek"}, "body": {strings.Repeat("é", 20001)}, "occurred_on": {"01-03-2025"}}
		if resp, body := coach.do("POST", "/candidates/"+id+"/dossier/entries", entry, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="entry-body-error"`) {
			t.Errorf("an entry of 20,001 characters: %d", resp.StatusCode)
		}
		if countRows(t, db, "dossier_entries") != before {
			t.Error("a refused entry was stored")
		}
		before = countRows(t, db, "reports")
		report := url.Values{"kind": {"brief_update"}, "title": {strings.Repeat("x", 201)}, "body": {"Gaat goed."}}
		if resp, body := coach.do("POST", "/candidates/"+id+"/reports", report, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `-title-error"`) {
			t.Errorf("a report title of 201 characters: %d", resp.StatusCode)
		}
		if countRows(t, db, "reports") != before {
			t.Error("a refused report was stored")
		}
		before = countRows(t, db, "complaints")
		complaint := url.Values{"subject": {"Reiskosten\x00"}, "description": {"Ik wacht al twee maanden."}}
		// 400 as in the API: a NUL is malformed input, not a rule broken.
		// Every form's guard (web.FormGuard) refuses it before the page does.
		if resp, body := cand.do("POST", "/portal/complaints", complaint, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "het veld subject bevat een NUL-teken") {
			t.Errorf("a subject with a NUL: %d", resp.StatusCode)
		}
		if countRows(t, db, "complaints") != before {
			t.Error("a refused complaint was stored")
		}
	})
}
