package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestFlexJourney_003art5: the case manager of Almere creates an assignment
// at the demo bakery, cannot open it before the displacement check
// (DOMAIN.md §5), records the check, opens it and sees the ranked
// candidates with per-criterion explanations [003 art 5 lid 7]; the
// candidate who did not agree to be visible is excluded with the reason.
func TestFlexJourney_003art5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var locationID, employerID string
		if err := db.SQL.QueryRow(`SELECT id, employer_org_id FROM employer_locations WHERE postcode4 = '1315'`).Scan(&locationID, &employerID); err != nil {
			t.Fatal(err)
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		start := opstap.DateOf(e.now()).AddDays(7)
		form := url.Values{"location_id": {employerID + "/" + locationID}, "title": {"Inpakker bakkerij"}, "occupation": {"8160.2"},
			"required_skills": {"8160.2"}, "hours_per_week": {"61"}, "days": {"mon", "tue"}, "start_time": {"07:00"}, "end_time": {"13:00"},
			"start": {start.String()}, "planned_end": {start.AddMonths(2).String()}}
		// Bad input: 61 hours is refused beside its field.
		resp, body := km.do("POST", "/assignments", form, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="hours_per_week-error"`) {
			t.Fatalf("61 hours: %d", resp.StatusCode)
		}
		form.Set("hours_per_week", "20")
		resp, _ = km.do("POST", "/assignments", form, nil)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/assignments/") {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		page := resp.Header.Get("Location")
		resp, body = km.do("POST", page+"/status", url.Values{"status": {"open"}}, nil)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "verdringingstoets") {
			t.Fatalf("open without check: %d", resp.StatusCode)
		}
		resp, _ = km.do("POST", page+"/check", url.Values{"checked_on": {opstap.DateOf(e.now()).String()}, "outcome": {"positive"},
			"motivation": {"Aanvullend werk naast het vaste team; geen vacature."}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("check: %d", resp.StatusCode)
		}
		if resp, _ = km.do("POST", page+"/status", url.Values{"status": {"open"}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("open: %d", resp.StatusCode)
		}
		resp, body = km.do("GET", page+"/matches", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Lisa Hendriks") || !strings.Contains(body, "<th scope=\"row\">") {
			t.Fatalf("matches: %d", resp.StatusCode)
		}
		// Mohammed did not agree to be visible: excluded, in the collapsed list.
		if i, j := strings.Index(body, "<details>"), strings.Index(body, "Mohammed Bakkali"); i < 0 || j < i {
			t.Fatal("the excluded candidate is not listed under the collapsed details")
		}
		// The same ranking through the API, with the engine's explanation.
		resp, body = km.do("GET", "/api/v1"+page+"/matches", nil, nil)
		var rk struct {
			Results []struct {
				Name     string
				Criteria []struct {
					Name   string
					Weight float64
				}
			}
		}
		decode(t, body, &rk)
		if resp.StatusCode != 200 || len(rk.Results) != 1 || rk.Results[0].Name != "Lisa Hendriks" || len(rk.Results[0].Criteria) < 5 {
			t.Fatalf("API matches: %d %s", resp.StatusCode, body)
		}
		// A restricted candidate [AVG art 18] no longer breaks the ranking
		// with 403: counted under "restricted", never named.
		mo, err := db.FindCandidates(context.Background(), demoSystem(), store.CandidateFilter{Query: "Mohammed Bakkali"})
		if err != nil || len(mo) != 1 {
			t.Fatalf("demo candidate: %v", err)
		}
		if err := db.SetRestriction(context.Background(), demoSystem(), mo[0].ID, true, "Juistheid betwist door de kandidaat"); err != nil {
			t.Fatal(err)
		}
		resp, body = km.do("GET", page+"/matches", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "1 kandidaat niet gematcht: beperking van de verwerking van kracht.") || strings.Contains(body, "Mohammed Bakkali") {
			t.Fatalf("matches with a restricted candidate: %d\n%s", resp.StatusCode, body)
		}
		resp, body = km.do("GET", "/api/v1"+page+"/matches", nil, nil)
		var ex struct {
			ExcludedBy map[string]int `json:"excluded_by"`
		}
		decode(t, body, &ex)
		if resp.StatusCode != 200 || ex.ExcludedBy["restricted"] != 1 || strings.Contains(body, mo[0].ID) {
			t.Fatalf("API matches with a restricted candidate: %d %s", resp.StatusCode, body)
		}
		// Every flex page renders for its users.
		var lisa string
		if err := db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&lisa); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/employers", "/assignments", "/assignments/new", page, "/candidates/" + lisa + "/flex"} {
			if resp, body = km.do("GET", path, nil, nil); resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
			}
		}
		cand := e.browser()
		cand.login("kandidaat@demo.opstap.nl")
		if resp, body = cand.do("GET", "/portal/flex", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Uw coach stemde ook in") {
			t.Fatalf("portal: %d", resp.StatusCode)
		}
		boss := e.browser()
		boss.login("werkgever@demo.opstap.nl")
		if resp, body = boss.do("GET", "/employer", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Inpakker bakkerij") {
			t.Fatalf("employer portal: %d", resp.StatusCode)
		}
		// The provider's coach does not match for the municipality [003 art 5 lid 7].
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		if resp, _ = coach.do("GET", page+"/matches", nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("coach ranks: %d", resp.StatusCode)
		}
	})
}
