package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestSettlementsAPI: finance sees the demo municipality's last half year
// provisionally, cannot draw it up while a month is open, closes the six
// months and draws it up once; the municipality reads and downloads its
// own; the employer sees nothing; bad input names the field (issue 9
// item 6).
func TestSettlementsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		half := billing.LastHalfYear(opstap.DateOf(e.now()))
		resp, body := fin.do("GET", "/api/v1/settlements?half_year="+half.String(), nil, nil)
		var list struct{ Settlements []store.SettlementSummary }
		decode(t, body, &list)
		if resp.StatusCode != 200 || len(list.Settlements) == 0 || list.Settlements[0].Status != store.SettlementProvisional ||
			len(list.Settlements[0].OpenMonths) == 0 || !strings.Contains(body, `"municipality_name"`) {
			t.Fatalf("list: %d %s", resp.StatusCode, body)
		}
		path := "/api/v1/settlements/" + list.Settlements[0].Municipality + "/" + half.String()
		resp, body = fin.do("GET", path, nil, nil)
		var v store.SettlementView
		decode(t, body, &v)
		if resp.StatusCode != 200 || v.Status != store.SettlementProvisional || v.Statement == nil || len(v.Statement.Months) != 6 ||
			!strings.Contains(body, `"balance_cents"`) || v.HalfYear != half || v.Names[v.Statement.Candidates[0].CandidateID] == "" {
			t.Fatalf("provisional: %d %s", resp.StatusCode, body)
		}
		if resp, body := fin.doBody("POST", path, ``, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"half_year"`) {
			t.Fatalf("drawn up with open months: %d %s", resp.StatusCode, body)
		}
		// The demo closed the months before last; the rest are closed here.
		for _, m := range list.Settlements[0].OpenMonths {
			if resp, body := fin.doBody("POST", "/api/v1/finance/periods/"+m.String()+"/close", ``, json); resp.StatusCode != http.StatusNoContent {
				t.Fatalf("close %s: %d %s", m, resp.StatusCode, body)
			}
		}
		resp, body = fin.doBody("POST", path, ``, json)
		var drawn store.SettlementView
		decode(t, body, &drawn)
		if resp.StatusCode != http.StatusCreated || drawn.Status != store.SettlementDrawnUp || drawn.ID == "" || drawn.Statement.Balance != v.Statement.Balance {
			t.Fatalf("draw up: %d %s", resp.StatusCode, body)
		}
		resp, body = fin.doBody("POST", path, ``, json)
		var again store.SettlementView
		decode(t, body, &again)
		if resp.StatusCode != http.StatusOK || again.ID != drawn.ID {
			t.Fatalf("second draw-up: %d %s", resp.StatusCode, body)
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		resp, body = km.do("GET", path, nil, nil)
		var theirs store.SettlementView
		decode(t, body, &theirs)
		if resp.StatusCode != 200 || theirs.ID != drawn.ID || theirs.Statement.Revenue != drawn.Statement.Revenue {
			t.Fatalf("the municipality's own: %d %s", resp.StatusCode, body)
		}
		for _, f := range []struct{ suffix, ctype, magic string }{
			{"/pdf", "application/pdf", "%PDF-"},
			{"/xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		} {
			resp, body := km.do("GET", path+f.suffix, nil, nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != f.ctype || !bytes.HasPrefix([]byte(body), []byte(f.magic)) ||
				!strings.Contains(resp.Header.Get("Content-Disposition"), "afrekening-") {
				t.Fatalf("%s: %d %s", f.suffix, resp.StatusCode, resp.Header)
			}
		}
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		for _, p := range []string{path, path + "/pdf", "/api/v1/settlements"} {
			if resp, _ := emp.do("GET", p, nil, nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("the employer reads %s: %d", p, resp.StatusCode)
			}
		}
		if resp, _ := km.doBody("POST", path, ``, json); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the municipality draws up: %d", resp.StatusCode)
		}
		for _, bad := range []string{"/api/v1/settlements/" + drawn.Municipality + "/2026-H3", "/api/v1/settlements?half_year=H1"} {
			if resp, body := fin.do("GET", bad, nil, nil); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"half_year"`) {
				t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
			}
		}
		if resp, _ := fin.do("GET", "/api/v1/settlements/9999/"+half.String(), nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown municipality: %d", resp.StatusCode)
		}
	})
}
