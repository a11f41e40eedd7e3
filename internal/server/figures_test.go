package server_test

import (
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestFiguresPageAndAPI: the case manager reaches the dashboard from the
// menu and sees the demo year's figures with a chart and table per figure;
// bad periods name the field; another municipality's figures are refused on
// the page and in the API; finance picks any municipality (issue 10).
func TestFiguresPageAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if _, home := km.do("GET", "/", nil, nil); !strings.Contains(home, `href="/figures"`) {
			t.Fatal("the case manager's home page does not link the figures")
		}
		resp, body := km.do("GET", "/figures", nil, nil)
		if resp.StatusCode != 200 || strings.Count(body, `<svg viewBox`) != 12 || strings.Count(body, `<table id="table-`) != 12 ||
			!strings.Contains(body, `<table id="figures-summary">`) || strings.Contains(body, "Lelystad") {
			t.Fatalf("dashboard: %d", resp.StatusCode)
		}
		for _, tt := range []struct{ query, field string }{
			{"?start=2026-12-31&end=2026-01-01", "f-end"},
			{"?start=31-02-2026&end=2026-12-31", "f-start"},
			{"?municipality=9999&start=2026-01-01&end=2026-12-31", "f-municipality"},
		} {
			resp, body := km.do("GET", "/figures"+tt.query, nil, nil)
			if resp.StatusCode != 422 || !strings.Contains(body, `id="`+tt.field+`-error"`) || strings.Contains(body, "<svg viewBox") {
				t.Fatalf("%s: %d", tt.query, resp.StatusCode)
			}
		}
		if resp, _ := km.do("GET", "/figures?municipality=0995", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("another municipality's page: %d", resp.StatusCode)
		}
		if resp, _ := km.do("GET", "/api/v1/figures/0995?start=2026-01-01&end=2026-12-31", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("another municipality in the API: %d", resp.StatusCode)
		}
		resp, body = km.do("GET", "/api/v1/figures/0034?start=2026-12-31&end=2026-01-01", nil, nil)
		var bad struct{ Error struct{ Field string } }
		decode(t, body, &bad)
		if resp.StatusCode != 422 || bad.Error.Field != "end" {
			t.Fatalf("end before start in the API: %d %s", resp.StatusCode, body)
		}
		today := opstap.DateOf(e.now())
		start := opstap.MonthOf(today).Add(-11).First()
		resp, body = km.do("GET", "/api/v1/figures/0034?start="+start.String()+"&end="+today.String(), nil, nil)
		var got struct {
			Municipality struct {
				CBSCode string `json:"cbs_code"`
			}
			Version string `json:"definition_version"`
			Figures struct {
				Registrations int
				Placements    int
				Avg           float64 `json:"avg_hours_per_month"`
			}
			Trend []struct{ Month string }
		}
		decode(t, body, &got)
		if resp.StatusCode != 200 || got.Municipality.CBSCode != "0034" || got.Version == "" || got.Figures.Registrations == 0 ||
			got.Figures.Placements == 0 || got.Figures.Avg == 0 || len(got.Trend) != 12 || got.Trend[0].Month != start.String()[:7] {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		resp, body = fin.do("GET", "/figures?municipality=0995", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, `<option value="0995" selected>`) {
			t.Fatalf("finance picks Lelystad: %d", resp.StatusCode)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ := coach.do("GET", "/figures", nil, nil); resp.StatusCode != 403 {
			t.Fatalf("coach: %d", resp.StatusCode)
		}
	})
}
