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
	"github.com/opstap/opstap/internal/timesheet"
)

// TestHoursPages: the pages of every role, without JavaScript: the
// employer enters a week and decides the candidate's day from its queue,
// corrects a day; the municipality sees flagged weeks and the month;
// finance closes a month and the admin reopens it. Refusals are shown
// beside the field (issue 9 items 2, 7, 8).
func TestHoursPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p := confirmedJourney(t, e, db)
		// The first whole week of the placement, whatever day it starts:
		// Thursday and Friday (entries 3 and 4) are its working days.
		mon := timesheet.WeekStart(p.FirstDay.AddDays(6))
		sheet := "/placements/" + p.ID + "/timesheet?week=" + mon.String()
		post := func(b *browser, path string, form url.Values, want int, contains string) {
			t.Helper()
			resp, body := b.do("POST", path, form, nil)
			if resp.StatusCode != want || !strings.Contains(body, contains) {
				t.Fatalf("POST %s: %d, want %d with %q: %s", path, resp.StatusCode, want, contains, body)
			}
		}
		get := func(b *browser, path string, want int, contains ...string) string {
			t.Helper()
			resp, body := b.do("GET", path, nil, nil)
			if resp.StatusCode != want {
				t.Fatalf("GET %s: %d, want %d", path, resp.StatusCode, want)
			}
			for _, c := range contains {
				if !strings.Contains(body, c) {
					t.Fatalf("GET %s lacks %q", path, c)
				}
			}
			return body
		}
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		get(emp, "/", 200, `href="/employer/hours"`)
		get(emp, "/employer/hours", 200, `href="/placements/`+p.ID+`/timesheet?week=`)
		get(emp, sheet, 200, `name="entries.3.hours"`, `name="entries.6.transit"`)
		week := url.Values{"entries.3.day": {mon.AddDays(3).String()}, "entries.3.hours": {"8"}, "entries.3.travel_km": {"12"},
			"entries.4.day": {mon.AddDays(4).String()}, "entries.4.hours": {"25"}}
		post(emp, sheet, week, http.StatusUnprocessableEntity, `id="e4-hours-error"`)
		week.Set("entries.4.hours", "7,5")
		week.Set("entries.4.transit", "4,15")
		post(emp, sheet, week, http.StatusSeeOther, "")
		body := get(emp, sheet, 200, "7:30", "4,15")
		if strings.Contains(body, `name="entries.3.hours"`) {
			t.Fatal("an approved day is offered for entry again")
		}

		cand := e.browser()
		cand.login("jaap@example.nl")
		get(cand, "/portal/hours", 200, `href="/placements/`+p.ID+`/timesheet"`)
		post(cand, sheet, url.Values{"entries.5.day": {mon.AddDays(5).String()}, "entries.5.hours": {"3"}}, http.StatusSeeOther, "")
		get(emp, "/", 200, `href="/employer/hours"`)
		all, err := db.HoursQueue(context.Background(), actorOf(t, db, "werkgever@demo.opstap.nl"))
		q := onPlacement(all, p.ID)
		if err != nil || len(q.Lines) != 1 {
			t.Fatalf("queue: %v %+v", err, all)
		}
		line := q.Lines[0].ID
		decide := url.Values{"placement": {p.ID}, "line": {line}, "approve": {"0"}, "reason": {"kort"}}
		post(emp, "/employer/hours/decide", decide, http.StatusUnprocessableEntity, `id="r-`+line+`-error"`)
		decide.Set("approve", "1")
		post(emp, "/employer/hours/decide", decide, http.StatusSeeOther, "")

		lines, err := db.FindPlacementHours(context.Background(), actorOf(t, db, "werkgever@demo.opstap.nl"), p.ID, mon, mon.AddDays(6))
		if err != nil || len(lines.Lines) != 3 {
			t.Fatalf("lines: %v %+v", err, lines)
		}
		correct := url.Values{"line": {lines.Lines[0].ID}, "day": {mon.AddDays(3).String()}, "hours": {"7"}, "travel_km": {"12"}}
		post(emp, "/placements/"+p.ID+"/timesheet/correct?week="+mon.String(), correct, http.StatusUnprocessableEntity, `id="c-`+lines.Lines[0].ID+`-reason-error"`)
		correct.Set("reason", "Left an hour early that day")
		post(emp, "/placements/"+p.ID+"/timesheet/correct?week="+mon.String(), correct, http.StatusSeeOther, "")
		get(emp, sheet, 200, "Left an hour early that day")

		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		month := opstap.MonthOf(mon.AddDays(3))
		get(km, "/hours/flagged", 200)
		get(km, "/hours/month?month="+month.String(), 200, p.ID)
		get(km, sheet, 200, "Left an hour early that day")

		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		get(fin, "/", 200, `href="/hours/month"`)
		get(fin, "/hours/month?month="+month.String(), 200, p.ID)
		get(fin, "/hours/month?month=dertien", http.StatusUnprocessableEntity)
		last := opstap.MonthOf(opstap.DateOf(e.now())).Add(-1)
		get(fin, "/finance/periods", 200, `action="/finance/periods/`+last.String()+`/close"`)
		post(fin, "/finance/periods/"+last.String()+"/close", nil, http.StatusSeeOther, "")
		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		get(admin, "/", 200, `href="/finance/periods"`)
		reopen := "/finance/periods/" + last.String() + "/reopen"
		post(admin, reopen, url.Values{"month": {last.String()}, "reason": {"kort"}}, http.StatusUnprocessableEntity, `id="reason-`+last.String()+`-error"`)
		post(admin, reopen, url.Values{"month": {last.String()}, "reason": {"The bakery sent a late timesheet"}}, http.StatusSeeOther, "")
		post(fin, reopen, url.Values{"month": {last.String()}, "reason": {"The bakery sent a late timesheet"}}, http.StatusForbidden, "")

		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		get(coach, sheet, http.StatusForbidden)
	})
}

func actorOf(t *testing.T, db *store.DB, email string) *opstap.Actor {
	t.Helper()
	u, err := db.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor(db.Now(), "")
}

// TestDemoHours: the demo municipality has six months of approved hours, a
// flagged week, a correction and hours awaiting the employer (issue 9
// item 9).
func TestDemoHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		fin := actorOf(t, db, "financien@demo.opstap.nl")
		this := opstap.MonthOf(opstap.DateOf(e.now()))
		corrections := 0
		for n := 6; n >= 1; n-- {
			mh, err := db.FindMonthHours(ctx, fin, this.Add(-n), 0)
			if err != nil || len(mh.Rows) != 1 || mh.Total.Minutes < 8*60*10 || mh.Rows[0].Municipality != "0034" {
				t.Fatalf("month %s: %v %+v", this.Add(-n), err, mh)
			}
			corrections += mh.Total.Corrections
		}
		if corrections != 1 {
			t.Fatalf("%d corrections, want 1", corrections)
		}
		if q, err := db.HoursQueue(ctx, actorOf(t, db, "werkgever@demo.opstap.nl")); err != nil || len(q) == 0 {
			t.Fatalf("queue: %v %+v", err, q)
		}
		if fw, err := db.FlaggedWeeks(ctx, actorOf(t, db, "klantmanager@demo.opstap.nl")); err != nil || len(fw) != 1 || fw[0].Minutes != 27*60 {
			t.Fatalf("flagged: %v %+v", err, fw)
		}
	})
}
