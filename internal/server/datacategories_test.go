package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestDataCategoriesAPI: each category's body matches exactly one alternative
// of the document's oneOf (the contract check refuses a request that matches
// none or several, and the server accepted these), is stored and read back;
// a body of one category sent to another's path, and an incomplete body, are
// refused; the categories with their own operations answer 404, not 422.
func TestDataCategoriesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id := demoCandidate(t, db, "kandidaat@demo.opstap.nl")
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		json := map[string]string{"Content-Type": "application/json"}
		base := "/api/v1/candidates/" + id + "/data/"
		bodies := map[string]struct{ body, want string }{
			"basic":       {`{"first_name":"Sanne","last_name":"de Boer","birth_date":"1985-06-01","postcode":"1315 KT","city":"Almere"}`, "Sanne"},
			"bsn":         {`{"bsn":"111222333"}`, "111222333"},
			"benefit":     {`{"kind":"participatiewet","start":"2024-01-01"}`, "participatiewet"},
			"education":   {`{"level":"mbo-2","diplomas":"Logistiek medewerker","work_experience":"Magazijn, 3 jaar"}`, "Logistiek"},
			"preferences": {`{"hours_per_week":24,"occupations":"Magazijn","max_travel_km":15,"wishes":"Ochtenden"}`, "Ochtenden"},
			"financial":   {`{"iban":"NL91ABNA0417164300","account_holder":"S. de Boer"}`, "NL91ABNA0417164300"},
		}
		for cat, b := range bodies {
			if resp, body := coach.doBody("PUT", base+cat, b.body, json); resp.StatusCode != http.StatusNoContent {
				t.Fatalf("PUT %s: %d %s", cat, resp.StatusCode, body)
			}
			if resp, body := coach.do("GET", base+cat, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, b.want) {
				t.Fatalf("GET %s: %d %s", cat, resp.StatusCode, body)
			}
		}
		for _, c := range []struct{ cat, body string }{
			{"education", bodies["preferences"].body}, // another category's body
			{"bsn", bodies["financial"].body},
			{"education", `{"level":"mbo-2"}`}, // a PUT replaces all three fields
			{"preferences", `{}`},
		} {
			if resp, body := coach.doBody("PUT", base+c.cat, c.body, json); resp.StatusCode/100 != 4 {
				t.Errorf("PUT %s %s: %d %s", c.cat, c.body, resp.StatusCode, body)
			}
		}
		// A benefit's errors name the category's own fields, not the
		// registration's benefit_kind and benefit_start.
		for body, field := range map[string]string{
			`{"kind":"pension","start":"2024-01-01"}`: "kind",
			`{"kind":"ww","start":"2999-01-01"}`:      "start",
		} {
			if resp, got := coach.doBody("PUT", base+"benefit", body, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, `"field": "`+field+`"`) {
				t.Errorf("PUT benefit %s: %d %s, want field %s", body, resp.StatusCode, got, field)
			}
		}
		for _, cat := range []string{"limitations", "medical", "notes", "reports", "nonsense"} {
			if resp, body := coach.do("GET", base+cat, nil, nil); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"field": "category"`) {
				t.Errorf("GET %s: %d %s", cat, resp.StatusCode, body)
			}
		}
	})
}
