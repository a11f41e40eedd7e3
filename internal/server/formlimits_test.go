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
