package server_test

import (
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestFigureRecords: every figure of the dashboard links its pseudonymous
// records; the API gives them all; a municipality's user sees their own
// only (issue 10 item 7).
func TestFigureRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if resp, _ := km.doBody("POST", "/api/v1/figures/0034/history", historyCSV, map[string]string{"Content-Type": "text/csv"}); resp.StatusCode != 200 {
			t.Fatalf("import: %d", resp.StatusCode)
		}
		_, page := km.do("GET", "/figures?start=01-01-2019&end=31-12-2019", nil, nil)
		base := "/figures/records?municipality=0034&amp;start=2019-01-01&amp;end=2019-12-31&amp;figure="
		for _, id := range []string{"registrations", "matchable", "benefit1", "placements", "over24", "unique", "outflow"} {
			if !strings.Contains(page, `href="`+base+id+`"`) {
				t.Errorf("the dashboard does not link the records of %s", id)
			}
		}
		for id, want := range map[string][]string{
			"registrations": {"history:0034:H-1", "history:0034:H-2"},
			"benefit1":      {"history:0034:H-1"},
			"over24":        {"history:0034:placement:P-1"},
			"outflow":       {"history:0034:H-1", "02-09-2019"},
		} {
			resp, body := km.do("GET", strings.ReplaceAll(base, "&amp;", "&")+id, nil, nil)
			if resp.StatusCode != 200 || !strings.Contains(body, `<table id="figure-records">`) {
				t.Fatalf("%s: %d", id, resp.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: no %s", id, w)
				}
			}
			if id == "benefit1" && strings.Contains(body, "H-2") {
				t.Error("H-2 has no benefit")
			}
		}
		resp, body := km.do("GET", "/api/v1/figures/0034/records?start=2019-01-01&end=2019-12-31", nil, nil)
		var got struct {
			Registrations []struct{ Candidate string }
			Matchable     []string `json:"matchable_on_end"`
			Placements    []struct {
				ID string `json:"placement_id"`
			}
			Outflows []struct{ Candidate, On string }
		}
		if decode(t, body, &got); resp.StatusCode != 200 || len(got.Registrations) != 2 || len(got.Placements) != 1 || len(got.Outflows) != 1 ||
			got.Outflows[0].On != "2019-09-02" {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		for path, want := range map[string]int{
			"/figures/records?municipality=0034&start=2019-01-01&end=2019-12-31&figure=nonsense": 404,
			"/figures/records?municipality=0995&start=2019-01-01&end=2019-12-31&figure=outflow":  403,
			"/api/v1/figures/0995/records?start=2019-01-01&end=2019-12-31":                       403,
		} {
			if resp, _ := km.do("GET", path, nil, nil); resp.StatusCode != want {
				t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
			}
		}
	})
}
