package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/mgmtreport"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestManagementReportsAPI: the municipality's case manager and finance
// read Almere's monthly report of the demo's hours and its progress
// report; Lelystad's report is not the case manager's, the coach reads
// none; bad input names the field (issue 10 items 4, 5).
func TestManagementReportsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		last := opstap.MonthOf(opstap.DateOf(e.now())).Add(-1)
		var reports [2]mgmtreport.Monthly
		for i, b := range []*browser{km, fin} {
			resp, body := b.do("GET", "/api/v1/municipalities/0034/monthly-report?from="+last.Add(-2).String()+"&to="+last.String(), nil, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("monthly report: %d %s", resp.StatusCode, body)
			}
			decode(t, body, &reports[i])
			if !strings.Contains(body, `"placed_candidates"`) || !strings.Contains(body, `"revenue_cents"`) {
				t.Fatalf("not snake_case: %.300s", body)
			}
		}
		r := reports[0]
		if r.Municipality != "0034" || r.PlacedCandidates == 0 || r.Total.Revenue <= 0 || r.Total.Minutes <= 0 || len(r.Candidates) == 0 {
			t.Fatalf("the demo's hours are missing: %+v", r)
		}
		if reports[1].Total != r.Total {
			t.Errorf("finance %+v and the municipality %+v see other totals", reports[1].Total, r.Total)
		}
		resp, body := km.do("GET", "/api/v1/municipalities/0034/quarterly-report", nil, nil)
		var q mgmtreport.Quarterly
		decode(t, body, &q)
		if resp.StatusCode != 200 || len(q.Months) != 3 || len(q.Trend) == 0 || q.Attention.OverdueApprovals == nil {
			t.Fatalf("quarterly report: %d %.400s", resp.StatusCode, body)
		}
		for _, tc := range []struct {
			b      *browser
			path   string
			status int
			field  string
		}{
			{km, "/api/v1/municipalities/0995/monthly-report", http.StatusForbidden, ""},
			{km, "/api/v1/municipalities/0995/quarterly-report", http.StatusForbidden, ""},
			{coach, "/api/v1/municipalities/0034/monthly-report", http.StatusForbidden, ""},
			{coach, "/api/v1/management-reports", http.StatusForbidden, ""},
			{fin, "/api/v1/municipalities/9999/monthly-report", http.StatusUnprocessableEntity, `"municipality"`},
			{fin, "/api/v1/municipalities/0034/monthly-report?from=2026-05&to=2026-04", http.StatusUnprocessableEntity, `"to"`},
			{fin, "/api/v1/municipalities/0034/monthly-report?from=2026-13", http.StatusUnprocessableEntity, `"from"`},
			{fin, "/api/v1/municipalities/0034/quarterly-report?quarter=2026-Q5", http.StatusUnprocessableEntity, `"quarter"`},
			{fin, "/api/v1/management-reports/00000000-0000-4000-8000-000000000000", http.StatusNotFound, ""},
		} {
			resp, body := tc.b.do("GET", tc.path, nil, nil)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.field) {
				t.Errorf("%s: %d %s", tc.path, resp.StatusCode, body)
			}
		}
		// Files through the API and the pages: PDF and XLSX.
		for _, c := range []struct {
			b      *browser
			path   string
			prefix string
		}{
			{fin, "/api/v1/municipalities/0034/monthly-report/pdf", "%PDF-"},
			{km, "/api/v1/municipalities/0034/monthly-report/xlsx?from=" + last.String(), "PK"},
			{km, "/api/v1/municipalities/0034/quarterly-report/pdf", "%PDF-"},
			{km, "/management-reports/monthly/pdf?from=" + last.String(), "%PDF-"},
			{km, "/management-reports/monthly/xlsx", "PK"},
			{fin, "/management-reports/quarterly/pdf?municipality=0034", "%PDF-"},
		} {
			if resp, body := c.b.do("GET", c.path, nil, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, c.prefix) {
				t.Errorf("%s: %d %.200s", c.path, resp.StatusCode, body)
			}
		}
		if resp, _ := km.do("GET", "/api/v1/municipalities/0034/monthly-report/csv", nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("csv: %d", resp.StatusCode)
		}
		for _, c := range []struct {
			b      *browser
			path   string
			status int
			want   string
		}{
			{km, "/", 200, `href="/management-reports"`},
			{km, "/management-reports", 200, `action="/management-reports/monthly"`},
			{fin, "/management-reports", 200, `<option value="0995">`},
			{km, "/management-reports/monthly", 200, r.Candidates[0].CandidateID},
			{km, "/management-reports/quarterly", 200, "Aandachtspunten"},
			{km, "/management-reports/monthly?municipality=0995", http.StatusForbidden, ""},
			{km, "/management-reports/monthly?from=2026-14", http.StatusUnprocessableEntity, ""},
			{coach, "/management-reports", http.StatusForbidden, ""},
		} {
			if resp, body := c.b.do("GET", c.path, nil, nil); resp.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Errorf("page %s: %d", c.path, resp.StatusCode)
			}
		}
		// The scheduled job's run of last month, then the stored report.
		if made, failed, err := db.MakeMonthlyReports(t.Context(), last); err != nil || made == 0 || len(failed) != 0 {
			t.Fatalf("made %d, failed %v, %v", made, failed, err)
		}
		resp, body = km.do("GET", "/api/v1/management-reports", nil, nil)
		var list struct{ Reports []store.StoredReport }
		decode(t, body, &list)
		if resp.StatusCode != 200 || len(list.Reports) != 1 || list.Reports[0].Municipality != "0034" {
			t.Fatalf("stored list: %d %s", resp.StatusCode, body)
		}
		resp, body = km.do("GET", "/api/v1/management-reports/"+list.Reports[0].ID, nil, nil)
		var stored mgmtreport.Monthly
		decode(t, body, &stored)
		if resp.StatusCode != 200 || stored.From != last || len(stored.Candidates) == 0 {
			t.Fatalf("stored: %d %.300s", resp.StatusCode, body)
		}
		if resp, body := km.do("GET", "/management-reports/stored/"+list.Reports[0].ID+"/pdf", nil, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("stored PDF: %d", resp.StatusCode)
		}
		if resp, body := km.do("GET", "/api/v1/management-reports/"+list.Reports[0].ID+"/xlsx", nil, nil); resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("stored XLSX: %d", resp.StatusCode)
		}
	})
}
