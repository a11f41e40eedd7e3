package server_test

import (
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestFigurePlacementsExport: the figures page links the CSV and XLSX of
// the rows behind its placement figures; the API gives the same rows as
// JSON, CSV and XLSX; another municipality's are refused (issue 10 item 8).
func TestFigurePlacementsExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if resp, _ := km.doBody("POST", "/api/v1/figures/0034/history", historyCSV, map[string]string{"Content-Type": "text/csv"}); resp.StatusCode != 200 {
			t.Fatalf("import: %d", resp.StatusCode)
		}
		_, page := km.do("GET", "/figures?start=01-01-2019&end=31-12-2019", nil, nil)
		link := `/figures/placements/csv?municipality=0034&amp;start=2019-01-01&amp;end=2019-12-31`
		if !strings.Contains(page, `href="`+link+`"`) || !strings.Contains(page, `href="/figures/placements/xlsx?`) {
			t.Fatal("the figures page does not link the export")
		}
		resp, body := km.do("GET", strings.ReplaceAll(link, "&amp;", "&"), nil, nil)
		lines := strings.Split(strings.TrimSpace(body), "\n")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || len(lines) != 2 ||
			!strings.HasPrefix(lines[0], "placement_id;candidate_id;first_day;") || !strings.Contains(lines[1], ";2019-04-01;2019-08-31;0;;28;153;5,0;96,00;1;0;1") {
			t.Fatalf("CSV: %d %q", resp.StatusCode, body)
		}
		resp, body = km.do("GET", "/api/v1/figures/0034/placements?start=2019-01-01&end=2019-12-31", nil, nil)
		var got struct {
			Placements []struct {
				Candidate string `json:"candidate_id"`
				Minutes   int    `json:"approved_minutes"`
			}
		}
		if decode(t, body, &got); resp.StatusCode != 200 || len(got.Placements) != 1 || got.Placements[0].Minutes != 96*60 || got.Placements[0].Candidate != "history:0034:H-1" {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		resp, body = km.do("GET", "/api/v1/figures/0034/placements/xlsx?start=2019-01-01&end=2019-12-31", nil, nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") || !strings.Contains(resp.Header.Get("Content-Disposition"), "plaatsingen-0034-2019-01-01_2019-12-31.xlsx") {
			t.Fatalf("XLSX: %d %s", resp.StatusCode, resp.Header)
		}
		for path, want := range map[string]int{
			"/api/v1/figures/0995/placements/csv?start=2019-01-01&end=2019-12-31":       403,
			"/figures/placements/csv?municipality=0995&start=2019-01-01&end=2019-12-31": 403,
			"/api/v1/figures/0034/placements/pdf?start=2019-01-01&end=2019-12-31":       404,
			"/api/v1/figures/0034/placements?start=2019-12-31&end=2019-01-01":           422,
		} {
			if resp, _ := km.do("GET", path, nil, nil); resp.StatusCode != want {
				t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
			}
		}
	})
}
