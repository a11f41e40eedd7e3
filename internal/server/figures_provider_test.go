package server_test

import (
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestProviderFiguresPageAndAPI: finance goes from the figures page to all
// municipalities side by side with the period before; the API gives the
// same; a municipality's case manager is refused; a bad period names its
// field (issue 10 item 8).
func TestProviderFiguresPageAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		if _, body := fin.do("GET", "/figures", nil, nil); !strings.Contains(body, `href="/figures/provider"`) {
			t.Fatal("the figures page does not link all municipalities")
		}
		resp, body := fin.do("GET", "/figures/provider", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, `<table id="provider-figures">`) || !strings.Contains(body, ">Gemeente Almere</a>") ||
			!strings.Contains(body, "Alle gemeenten") {
			t.Fatalf("page: %d", resp.StatusCode)
		}
		if resp, body := fin.do("GET", "/figures/provider?start=31-12-2026&end=01-01-2026", nil, nil); resp.StatusCode != 422 || !strings.Contains(body, `id="p-end-error"`) {
			t.Fatalf("end before start: %d", resp.StatusCode)
		}
		resp, body = fin.do("GET", "/api/v1/figures/provider?start=2026-01-01&end=2026-06-30", nil, nil)
		var got struct {
			Previous       struct{ Start, End string } `json:"previous_period"`
			Municipalities []struct {
				Municipality struct {
					CBS string `json:"cbs_code"`
				}
				Current struct{ Registrations int }
			}
			Total struct{ Current struct{ Registrations int } }
		}
		if decode(t, body, &got); resp.StatusCode != 200 || got.Previous.Start != "2025-07-01" || got.Previous.End != "2025-12-31" || len(got.Municipalities) == 0 ||
			got.Municipalities[0].Municipality.CBS != "0034" || got.Total.Current.Registrations < got.Municipalities[0].Current.Registrations {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if _, body := km.do("GET", "/figures", nil, nil); strings.Contains(body, `href="/figures/provider"`) {
			t.Error("a case manager is offered all municipalities")
		}
		for _, path := range []string{"/figures/provider", "/api/v1/figures/provider?start=2026-01-01&end=2026-06-30"} {
			if resp, _ := km.do("GET", path, nil, nil); resp.StatusCode != 403 {
				t.Errorf("case manager %s: %d", path, resp.StatusCode)
			}
		}
	})
}
