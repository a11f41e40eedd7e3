package server_test

import (
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// historyCSV is a small history of 2019, before anything of the demo.
const historyCSV = "kind;candidate;date;benefit_start;matchable;placement;first_day;last_day;hours_per_week;month;hours;reason\n" +
	"registration;H-1;04-03-2019;01-01-2017;;;;;;;;\n" +
	"registration;H-2;05-03-2019;;;;;;;;;\n" +
	"matchable;H-1;2019-03-10;;ja;;;;;;;\n" +
	"placement;H-1;;;;P-1;2019-04-01;2019-08-31;28;;;\n" +
	"hours;;;;;P-1;;;;2019-04;96;\n" +
	"end;H-1;2019-09-02;;;;;;;;;regular_work\n"

// TestHistoryImportPageAndAPI: the case manager reaches the import from the
// figures page; a bad file names every row and column and stores nothing; a
// good one shows what it stored and the figures count it, once even when
// imported twice; the API takes CSV and JSON; others are refused (issue 10
// item 3).
func TestHistoryImportPageAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		if _, body := km.do("GET", "/figures", nil, nil); !strings.Contains(body, `href="/figures/history?municipality=0034"`) {
			t.Fatal("the figures page does not link the history import")
		}
		if resp, body := km.do("GET", "/figures/history?municipality=0034", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `<option value="0034" selected>`) || strings.Contains(body, "0995") {
			t.Fatalf("import page: %d", resp.StatusCode)
		}
		before := countRows(t, db, "figure_registrations")
		bad := strings.Replace(historyCSV, "2019-04-01;2019-08-31;28", "2019-04-01;2019-03-31;61", 1) + "visit;H-3;;;;;;;;;;\n"
		resp, body := km.uploadCSV("/figures/history", "file", "h.csv", bad)
		if resp.StatusCode != 422 || !strings.Contains(body, `<table id="row-errors">`) || !strings.Contains(body, "<td>5</td><td>last_day</td>") ||
			!strings.Contains(body, "<td>5</td><td>hours_per_week</td>") || !strings.Contains(body, "<td>8</td><td>kind</td>") || !strings.Contains(body, "regel van de soort") &&
			!strings.Contains(body, "onbekende soort") {
			t.Fatalf("bad file: %d %s", resp.StatusCode, body)
		}
		if countRows(t, db, "figure_registrations") != before {
			t.Fatal("a refused file stored facts")
		}
		for range 2 {
			resp, body = km.uploadCSV("/figures/history", "file", "h.csv", historyCSV)
			if resp.StatusCode != 200 || !strings.Contains(body, `<table id="history-result">`) {
				t.Fatalf("good file: %d %s", resp.StatusCode, body)
			}
		}
		var got struct {
			Figures struct {
				Registrations, Placements int
				Outflow                   int `json:"outflow_regular_work"`
			}
		}
		resp, body = km.do("GET", "/api/v1/figures/0034?start=2019-01-01&end=2019-12-31", nil, nil)
		if decode(t, body, &got); resp.StatusCode != 200 || got.Figures.Registrations != 2 || got.Figures.Placements != 1 || got.Figures.Outflow != 1 {
			t.Fatalf("figures of 2019 after importing twice: %d %s", resp.StatusCode, body)
		}
		// The API: CSV, JSON, and a rejected JSON record list.
		csvHdr := map[string]string{"Content-Type": "text/csv"}
		jsonHdr := map[string]string{"Content-Type": "application/json"}
		resp, body = km.doBody("POST", "/api/v1/figures/0034/history", historyCSV, csvHdr)
		var res struct {
			Candidates, Replaced, Placements int
			HourMonths                       int `json:"hour_months"`
		}
		if decode(t, body, &res); resp.StatusCode != 200 || res.Candidates != 2 || res.Replaced != 2 || res.Placements != 1 || res.HourMonths != 1 {
			t.Fatalf("API CSV: %d %s", resp.StatusCode, body)
		}
		resp, body = km.doBody("POST", "/api/v1/figures/0034/history", `{"records":[{"kind":"registration","candidate":"H-9","date":"2019-06-01","benefit_start":"2015-06-01"},`+
			`{"kind":"matchable","candidate":"H-9","date":"2019-06-02","matchable":true}]}`, jsonHdr)
		if decode(t, body, &res); resp.StatusCode != 200 || res.Candidates != 1 || res.Replaced != 0 {
			t.Fatalf("API JSON: %d %s", resp.StatusCode, body)
		}
		resp, body = km.doBody("POST", "/api/v1/figures/0034/history", `{"records":[{"kind":"registration","candidate":"H-10","date":"2019-06-01"},`+
			`{"kind":"end","candidate":"H-10","date":"2019-07-01","reason":"retired"}]}`, jsonHdr)
		var rej struct {
			Error struct{ Field string }
			Rows  []struct {
				Row   int
				Field string
			}
		}
		if decode(t, body, &rej); resp.StatusCode != 422 || rej.Error.Field != "file" || len(rej.Rows) != 1 || rej.Rows[0].Row != 2 || rej.Rows[0].Field != "reason" {
			t.Fatalf("API rejected JSON: %d %s", resp.StatusCode, body)
		}
		if resp, _ := km.doBody("POST", "/api/v1/figures/0995/history", historyCSV, csvHdr); resp.StatusCode != 403 {
			t.Fatalf("another municipality's history: %d", resp.StatusCode)
		}
		if resp, _ := km.doBody("POST", "/api/v1/figures/0034/history", historyCSV, map[string]string{"Content-Type": "text/plain"}); resp.StatusCode != 415 {
			t.Fatalf("text/plain: %d", resp.StatusCode)
		}
		// The provider's admin reaches it from the menu's figures page and
		// imports for any municipality; finance and a coach may not.
		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		if _, body := admin.do("GET", "/figures", nil, nil); !strings.Contains(body, `href="/figures/history`) {
			t.Fatal("the admin's figures page does not link the history import")
		}
		if resp, body := admin.doBody("POST", "/api/v1/figures/0995/history", historyCSV, csvHdr); resp.StatusCode != 200 {
			t.Fatalf("admin for Lelystad: %d %s", resp.StatusCode, body)
		}
		for _, who := range []string{"financien@demo.opstap.nl", "coach@demo.opstap.nl"} {
			b := e.browser()
			b.login(who)
			if resp, _ := b.do("GET", "/figures/history", nil, nil); resp.StatusCode != 403 {
				t.Errorf("%s sees the import page: %d", who, resp.StatusCode)
			}
			if resp, _ := b.doBody("POST", "/api/v1/figures/0034/history", historyCSV, csvHdr); resp.StatusCode != 403 {
				t.Errorf("%s imports: %d", who, resp.StatusCode)
			}
		}
	})
}
