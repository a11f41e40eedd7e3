package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestListsPage (issue 12 item 12): each paged list of the API answers one
// page with where it lies (paging: total, offset, limit), the next page
// continues it, and a bad limit, offset, order, status or search is refused
// naming the parameter (400) — all checked against the OpenAPI document.
// The list pages of the web refuse a bad page, order or status on the page
// itself, in Dutch beside the field, and show the count.
func TestListsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cand := e.browser() // the demo has no rights request: the candidate files two
		cand.login("kandidaat@demo.opstap.nl")
		for _, kind := range []string{"access", "objection"} {
			if resp, body := cand.do("POST", "/portal/rights", url.Values{"kind": {kind}, "description": {"Graag."}}, nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("file: %d %s", resp.StatusCode, body)
			}
		}
		lists := []struct {
			user, api, key, web string
			search              string // a search the list refuses, "" when it takes any text
			status              bool   // the list filters on a status
		}{
			{"klantmanager@demo.opstap.nl", "/api/v1/assignments?sort=title", "assignments", "/assignments", "", true},
			{"klantmanager@demo.opstap.nl", "/api/v1/placements?sort=newest", "placements", "/placements", "", true},
			{"werkgever@demo.opstap.nl", "/api/v1/employer/placements?sort=start", "placements", "/employer/placements", "", true},
			{"klachten@demo.opstap.nl", "/api/v1/complaints?status=all", "complaints", "/complaints", "Jansen", true},
			{"privacy@demo.opstap.nl", "/api/v1/rights-requests?status=all&sort=oldest", "requests", "/privacy/requests", "Jansen", true},
			{"financien@demo.opstap.nl", "/api/v1/invoices?sort=oldest", "invoices", "/invoices", "", true},
			{"klantmanager@demo.opstap.nl", "/api/v1/candidates?sort=reference", "candidates", "/candidates", "", false},
		}
		for _, l := range lists {
			t.Run(l.web, func(t *testing.T) {
				b := e.browser()
				b.login(l.user)
				page := func(query string) ([]string, store.Page) {
					t.Helper()
					resp, body := b.do("GET", l.api+query, nil, nil)
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("%s%s: %d %s", l.api, query, resp.StatusCode, body)
					}
					var raw map[string]json.RawMessage
					decode(t, body, &raw)
					var rows []struct{ ID string }
					var pg store.Page
					decode(t, string(raw[l.key]), &rows)
					decode(t, string(raw["paging"]), &pg)
					ids := make([]string, len(rows))
					for i, r := range rows {
						ids[i] = r.ID
					}
					return ids, pg
				}
				all, pg := page("")
				if pg.Total != len(all) || pg.Offset != 0 || pg.Limit != store.DefaultLimit || pg.Total == 0 {
					t.Fatalf("whole list: %d rows, %+v", len(all), pg)
				}
				for off := range min(pg.Total, 3) {
					ids, pg := page("&limit=1&offset=" + strconv.Itoa(off))
					if len(ids) != 1 || ids[0] != all[off] || pg.Total != len(all) || pg.Limit != 1 || pg.Offset != off {
						t.Fatalf("page %d of one: %v %+v, want %s", off, ids, pg, all[off])
					}
				}
				if ids, _ := page("&offset=1000"); len(ids) != 0 {
					t.Fatalf("past the end: %v", ids)
				}
				bad := map[string]string{"limit=0": "limit", "limit=201": "limit", "offset=-1": "offset", "sort=name": "sort"}
				if l.status {
					bad["status=late"] = "status"
				}
				if l.search != "" {
					bad["q="+l.search] = "q"
				}
				for q, field := range bad {
					resp, body := b.do("GET", strings.Split(l.api, "?")[0]+"?"+q, nil, nil)
					var refusal struct{ Error struct{ Field string } }
					_ = json.Unmarshal([]byte(body), &refusal)
					if resp.StatusCode != http.StatusBadRequest || refusal.Error.Field != field {
						t.Errorf("%s: %d %s, want 400 naming %s", q, resp.StatusCode, body, field)
					}
				}
				for q, want := range map[string]string{"page=0": "geen paginanummer", "sort=name": "onbekende volgorde", "page=x&sort=name": "geen paginanummer"} {
					resp, body := b.do("GET", l.web+"?"+q, nil, nil)
					if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
						t.Errorf("web %s: %d, want the page with %q", q, resp.StatusCode, want)
					}
				}
				resp, body := b.do("GET", l.web, nil, nil)
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, "1–") || !strings.Contains(body, `name="sort"`) {
					t.Errorf("web list: %d, no count or order", resp.StatusCode)
				}
			})
		}
	})
}
