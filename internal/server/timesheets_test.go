package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/timesheet"
)

// confirmedJourney confirms the journey's placement (Thursdays and Fridays,
// 16 hours) and moves the clock five weeks on, so its first weeks are past.
func confirmedJourney(t *testing.T, e *env, db *store.DB) *flex.Placement {
	t.Helper()
	ctx := context.Background()
	j := newJourney(t, db)
	actor := func(email string) *opstap.Actor {
		u, err := db.FindUserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "")
	}
	km := actor("klantmanager@demo.opstap.nl")
	p, err := db.ProposePlacement(ctx, km, j.assignment.ID, flex.Proposal{CandidateID: j.candidate})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*opstap.Actor{actor("jaap@example.nl"), actor("werkgever@demo.opstap.nl")} {
		if _, err := db.AnswerPlacement(ctx, a, p.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if p, err = db.ConfirmPlacement(ctx, km, p.ID, render.PlacementPDFs); err != nil {
		t.Fatal(err)
	}
	e.tick(35 * 24 * time.Hour)
	return p
}

// TestHoursAPI: the employer enters days, the candidate submits one, the
// employer approves it; bad input is refused naming the field; finance
// reads the month and closes a month, the admin reopens it (issue 9 items
// 2, 7, 8).
func TestHoursAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p := confirmedJourney(t, e, db)
		first := p.FirstDay
		base := "/api/v1/placements/" + p.ID + "/timesheet"
		json := map[string]string{"Content-Type": "application/json", "Origin": e.srv.URL}
		emp := e.browser()
		emp.login("werkgever@demo.opstap.nl")
		bad := []struct{ body, field string }{
			{`{"entries":[{"day":"` + first.String() + `","minutes":1500}]}`, "entries[0].minutes"},
			{`{"entries":[{"day":"` + first.AddDays(-1).String() + `","minutes":60}]}`, "entries.0.day"},
			{`{"entries":[{"day":"` + first.String() + `","minutes":60,"travel_km":-3}]}`, "entries[0].travel_km"},
			{`{"entries":[]}`, "entries"},
		}
		for _, b := range bad {
			resp, body := emp.doBody("POST", base, b.body, json)
			var ae apiError
			decode(t, body, &ae)
			if resp.StatusCode != http.StatusUnprocessableEntity || ae.Error.Field != b.field {
				t.Fatalf("%s: %d %s", b.body, resp.StatusCode, body)
			}
		}
		if resp, _ := emp.doBody("POST", base, `{"entries":`, json); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("broken JSON: %d", resp.StatusCode)
		}
		week := `{"entries":[{"day":"` + first.String() + `","minutes":480,"travel_km":12},{"day":"` + first.AddDays(1).String() + `","minutes":450,"transit_cents":415}]}`
		if resp, body := emp.doBody("POST", base, week, json); resp.StatusCode != http.StatusCreated || statusOf(t, body) != timesheet.StatusApproved {
			t.Fatalf("employer's days: %d %s", resp.StatusCode, body)
		}
		cand := e.browser()
		cand.login("jaap@example.nl")
		next := first.AddDays(7)
		if resp, body := cand.doBody("POST", base, `{"entries":[{"day":"`+next.String()+`","minutes":420}]}`, json); resp.StatusCode != http.StatusCreated || statusOf(t, body) != timesheet.StatusSubmitted {
			t.Fatalf("candidate's day: %d %s", resp.StatusCode, body)
		}
		_, body := emp.do("GET", "/api/v1/employer/hours", nil, nil)
		var all struct{ Lines []store.QueueItem }
		decode(t, body, &all)
		q := onPlacement(all.Lines, p.ID) // the demo's own hours wait too
		if len(q.Lines) != 1 || q.Lines[0].CandidateName != "Jaap Journée" || q.Lines[0].Minutes != 420 {
			t.Fatalf("queue: %s", body)
		}
		if resp, body := emp.doBody("POST", base+"/decisions", `{"lines":["`+q.Lines[0].ID+`"]}`, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"approve"`) {
			t.Fatalf("decision without a choice: %d %s", resp.StatusCode, body)
		}
		if resp, body := emp.doBody("POST", base+"/decisions", `{"lines":["`+q.Lines[0].ID+`"],"approve":true}`, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("approve: %d %s", resp.StatusCode, body)
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		resp, body := km.do("GET", base+"?from="+first.String()+"&to="+next.String(), nil, nil)
		var v store.PlacementHours
		decode(t, body, &v)
		if resp.StatusCode != 200 || len(v.Lines) != 3 || v.Lines[2].Status != timesheet.StatusApproved {
			t.Fatalf("municipality's view: %d %s", resp.StatusCode, body)
		}
		if resp, _ := km.do("GET", base+"?from=gisteren", nil, nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad from: %d", resp.StatusCode)
		}
		fin := e.browser()
		fin.login("financien@demo.opstap.nl")
		m := opstap.MonthOf(first)
		resp, body = fin.do("GET", "/api/v1/hours/months/"+m.String(), nil, nil)
		var mh store.MonthHours
		decode(t, body, &mh)
		if resp.StatusCode != 200 || mh.Total.Minutes < 930 || mh.Total.TravelKm != 12 || mh.Total.TransitCents != 415 {
			t.Fatalf("finance's month: %d %s", resp.StatusCode, body)
		}
		if resp, _ := fin.do("GET", "/api/v1/hours/months/13-2030", nil, nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad month: %d", resp.StatusCode)
		}
		last := opstap.MonthOf(opstap.DateOf(e.now())).Add(-1)
		closeURL := "/api/v1/finance/periods/" + last.String() + "/close"
		if resp, _ := emp.doBody("POST", closeURL, ``, json); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the employer closes: %d", resp.StatusCode)
		}
		if resp, body := fin.doBody("POST", closeURL, ``, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("close: %d %s", resp.StatusCode, body)
		}
		if resp, _ := fin.doBody("POST", closeURL, ``, json); resp.StatusCode != http.StatusConflict {
			t.Fatalf("close twice: %d", resp.StatusCode)
		}
		admin := e.browser()
		admin.login("beheer@demo.opstap.nl")
		reopen := "/api/v1/finance/periods/" + last.String() + "/reopen"
		if resp, body := admin.doBody("POST", reopen, `{"reason":"kort"}`, json); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"reason"`) {
			t.Fatalf("reopen without a reason: %d %s", resp.StatusCode, body)
		}
		if resp, body := admin.doBody("POST", reopen, `{"reason":"Employer invoice needs a late day"}`, json); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("reopen: %d %s", resp.StatusCode, body)
		}
		resp, body = admin.do("GET", "/api/v1/finance/periods?from="+last.String()+"&to="+last.String(), nil, nil)
		var ps struct{ Periods []store.FinancePeriod }
		decode(t, body, &ps)
		if resp.StatusCode != 200 || len(ps.Periods) != 1 || ps.Periods[0].Closed || len(ps.Periods[0].Events) != 2 || ps.Periods[0].Events[1].Action != "reopened" {
			t.Fatalf("periods: %d %s", resp.StatusCode, body)
		}
	})
}

// statusOf is the status of the first line of a stored batch.
func statusOf(t *testing.T, body string) timesheet.Status {
	t.Helper()
	var out struct{ Lines []timesheet.Line }
	decode(t, body, &out)
	if len(out.Lines) == 0 {
		t.Fatalf("no lines: %s", body)
	}
	return out.Lines[0].Status
}

type queue struct{ Lines []store.QueueItem }

// onPlacement keeps the queue's lines of one placement.
func onPlacement(ls []store.QueueItem, placementID string) queue {
	var q queue
	for _, l := range ls {
		if l.PlacementID == placementID {
			q.Lines = append(q.Lines, l)
		}
	}
	return q
}
