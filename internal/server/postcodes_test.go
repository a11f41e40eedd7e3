package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestPostcodeRefused (issue 11 item 5): on the registration form and in the
// API, a postcode with letters PostNL never gives (1234 SA) and one whose
// area is not in the reference postcodes (the demo loads Almere's and
// Lelystad's) are refused naming the field, in the user's language, and
// nothing is stored.
func TestPostcodeRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		basic := "/api/v1/candidates/" + demoCandidate(t, db, "kandidaat@demo.opstap.nl") + "/data/basic"
		_, stored := coach.do("GET", basic, nil, nil)
		before := countRows(t, db, "candidates")
		for _, c := range []struct{ postcode, nl, en string }{
			{"1234 SA", "eindigt op SA, SD of SS", "ends in SA, SD or SS"},
			{"9999 AB", "onbekende postcode", "unknown postcode"},
		} {
			form := url.Values{"external_ref": {"W-88"}, "first_name": {"Fenna"}, "last_name": {"Kramer"}, "birth_date": {"05-06-1992"},
				"bsn": {storetest.BSN(3)}, "postcode": {c.postcode}}
			resp, body := km.do("POST", "/candidates", form, nil)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="c-postcode-error"`) || !strings.Contains(strings.ToLower(body), strings.ToLower(c.nl)) {
				t.Errorf("form with %s: %d", c.postcode, resp.StatusCode)
			}
			b := `{"first_name":"Fenna","last_name":"Kramer","birth_date":"1992-06-05","postcode":"` + c.postcode + `"}`
			resp, body = coach.doBody("PUT", basic, b, map[string]string{"Content-Type": "application/json", "Accept-Language": "en"})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"field": "postcode"`) || !strings.Contains(body, c.en) {
				t.Errorf("API with %s: %d %s", c.postcode, resp.StatusCode, body)
			}
		}
		if countRows(t, db, "candidates") != before {
			t.Fatal("a refused registration stored a candidate")
		}
		if _, now := coach.do("GET", basic, nil, nil); now != stored {
			t.Fatal("a refused change of basic data was stored")
		}
	})
}
