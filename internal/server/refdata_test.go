package server_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestRefdataJourney: the demo loads the sample reference data; every
// signed-in user searches occupations and looks up postcodes through the
// API; only the application administrator sees the import page and
// uploads a file, and a bad file changes nothing.
func TestRefdataJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		var occs struct{ Occupations []refdata.Occupation }
		resp, body := coach.do("GET", "/api/v1/occupations?q=Orderpicker", nil, nil)
		decode(t, body, &occs)
		if resp.StatusCode != 200 || len(occs.Occupations) == 0 || occs.Occupations[0].Code != "9333.8.1" {
			t.Fatalf("search: %d %s", resp.StatusCode, body)
		}
		var pc refdata.Postcode
		resp, body = coach.do("GET", "/api/v1/postcodes/8232", nil, nil)
		decode(t, body, &pc)
		if resp.StatusCode != 200 || pc.CBSCode != "0995" || pc.Municipality != "Lelystad" {
			t.Fatalf("postcode: %d %s", resp.StatusCode, body)
		}
		for path, status := range map[string]int{
			"/api/v1/postcodes/9999":              http.StatusNotFound,
			"/api/v1/postcodes/13155":             http.StatusUnprocessableEntity,
			"/api/v1/occupations?q=a":             http.StatusUnprocessableEntity,
			"/api/v1/occupations?q=kok&limit=x":   http.StatusBadRequest,
			"/api/v1/occupations?q=kok&limit=0":   http.StatusBadRequest,
			"/api/v1/occupations?q=kok&limit=101": http.StatusBadRequest,
			// Issue 11: a long query or one of many words was a 500.
			"/api/v1/occupations?q=" + strings.Repeat("kok", 16667):                 http.StatusBadRequest,
			"/api/v1/occupations?q=" + strings.Repeat("k%20", 999):                  http.StatusBadRequest,
			"/api/v1/candidates?q=" + strings.Repeat("k%20", 999):                   http.StatusBadRequest,
			"/api/v1/occupations?q=" + strings.Repeat("k", store.MaxSearchLength+1): http.StatusBadRequest,
		} {
			if resp, body := coach.do("GET", path, nil, nil); resp.StatusCode != status {
				t.Errorf("%s: %d %s, want %d", path, resp.StatusCode, body, status)
			}
		}
		if resp, _ := coach.do("GET", "/admin/refdata", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("coach opens the admin page: %d", resp.StatusCode)
		}

		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		resp, body = admin.do("GET", "/admin/refdata", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Referentiegegevens") || !strings.Contains(body, "<td>32</td>") || !strings.Contains(body, "<td>62</td>") {
			t.Fatalf("admin page: %d\n%s", resp.StatusCode, body)
		}
		resp, body = admin.upload("/admin/refdata/postcodes", "", "NL.txt", []byte("NL,1315,Almere\n"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-describedby="postcodes-file-error"`) || !strings.Contains(body, "regel 1: 12 kolommen") {
			t.Fatalf("bad file: %d\n%s", resp.StatusCode, body)
		}
		good, err := fs.ReadFile(refdata.Sample, refdata.SamplePostcodes)
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := admin.upload("/admin/refdata/postcodes", "", "NL.txt", good); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("good file: %d\n%s", resp.StatusCode, body)
		}
		resp, body = admin.do("GET", "/admin/refdata", nil, nil)
		if !strings.Contains(body, "62 postcodes ingelezen: 0 toegevoegd, 0 verwijderd.") || strings.Count(body, "<td><code>NL.txt</code></td>") != 1 {
			t.Errorf("after re-import: %d\n%s", resp.StatusCode, body)
		}
	})
}
