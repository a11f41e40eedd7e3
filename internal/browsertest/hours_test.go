package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/timesheet"
)

// hoursPlacement confirms a placement of Lisa at the bakery on Mondays and
// Tuesdays from next Monday, and moves the clock on so that the second
// week's Monday and Tuesday have come.
func hoursPlacement(t *testing.T, e *Env) string {
	t.Helper()
	ctx := context.Background()
	actor := func(email string) *opstap.Actor {
		u, err := e.DB.FindUserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(e.DB.Now(), "")
	}
	km := actor("klantmanager@demo.opstap.nl")
	var locationID, employerID string
	if err := e.DB.SQL.QueryRow(`SELECT id, employer_org_id FROM employer_locations WHERE postcode4 = '1315'`).Scan(&locationID, &employerID); err != nil {
		t.Fatal(err)
	}
	start := timesheet.WeekStart(opstap.DateOf(e.Now())).AddDays(7)
	a, err := e.DB.CreateAssignment(ctx, km, flex.Assignment{EmployerID: employerID, LocationID: locationID, Title: "Inpakker uren",
		Occupation: "8160.2", HoursPerWeek: 16, Days: []string{"mon", "tue"}, StartTime: "08:00", EndTime: "16:00", Start: start, PlannedEnd: start.AddMonths(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.RecordDisplacementCheck(ctx, km, a.ID, flex.DisplacementCheck{CheckedOn: opstap.DateOf(e.Now()), Positive: true,
		Motivation: "Inpakken voor de weekmarkt; er wordt geen vaste baan vervangen."}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.SetAssignmentStatus(ctx, km, a.ID, flex.StatusOpen); err != nil {
		t.Fatal(err)
	}
	p, err := e.DB.ProposePlacement(ctx, km, a.ID, flex.Proposal{CandidateID: candidateID(t, e, "ALM-0001")})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*opstap.Actor{actor("kandidaat@demo.opstap.nl"), actor("werkgever@demo.opstap.nl")} {
		if _, err := e.DB.AnswerPlacement(ctx, x, p.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.DB.ConfirmPlacement(ctx, km, p.ID, render.PlacementPDFs); err != nil {
		t.Fatal(err)
	}
	e.Tick(time.Duration(opstap.DateOf(e.Now()).DaysUntil(start.AddDays(8))) * 24 * time.Hour)
	return p.ID
}

// TestHoursJourney_003art5lid8: the candidate enters a day in the portal;
// the employer, starting from the home page, approves it from the queue,
// then enters a day of the week, first with more than 24 hours (refused
// beside the field), then corrected (issue 9 item 2; the hours are the
// basis of the employer's invoice [003 art 5 lid 8]).
func TestHoursJourney_003art5lid8(t *testing.T) {
	e, boss := newTest(t)
	pid := hoursPlacement(t, e)
	cand := Session(t, boss)
	e.SignIn(t, cand, "kandidaat@demo.opstap.nl")
	wantStatus(t, cand, "portal hours", e.Open(t, cand, "/portal/hours"), 200)
	Axe(t, cand)
	wantStatus(t, cand, "week", Submit(t, cand, `main a[href="/placements/`+pid+`/timesheet"]`), 200)
	Axe(t, cand)
	Type(t, cand, `input[name="entries.0.hours"]`, "7,5")
	wantStatus(t, cand, "submit a day", Submit(t, cand, `main form button[type="submit"]`), 200)
	if n := Count(t, cand, `.flash`); n != 1 {
		t.Fatalf("no confirmation after submitting hours (at %s)", location(cand))
	}

	e.SignIn(t, boss, "werkgever@demo.opstap.nl")
	wantPath(t, boss, "/")
	wantStatus(t, boss, "queue from home", Submit(t, boss, `ul.figures a[href="/employer/hours"]`), 200)
	wantPath(t, boss, "/employer/hours")
	Axe(t, boss)
	line := lineAwaiting(t, e, pid)
	wantStatus(t, boss, "approve", Submit(t, boss, `form:has(input[name="line"][value="`+line+`"]) button[value="1"]`), 200)
	wantPath(t, boss, "/employer/hours")
	if Count(t, boss, `input[name="line"][value="`+line+`"]`) != 0 {
		t.Fatal("the approved day is still in the queue")
	}
	wantStatus(t, boss, "week", Submit(t, boss, `main a[href^="/placements/`+pid+`/timesheet"]`), 200)
	Axe(t, boss)
	Type(t, boss, `input[name="entries.1.hours"]`, "25")
	wantStatus(t, boss, "too many hours", Submit(t, boss, `main form button[type="submit"]`), 422)
	if v, _ := Attr(t, boss, `input[name="entries.1.hours"]`, "aria-invalid"); v != "true" {
		t.Fatal("the field with 25 hours is not marked invalid")
	}
	Axe(t, boss)
	Type(t, boss, `input[name="entries.1.hours"]`, "8")
	Type(t, boss, `input[name="entries.1.travel_km"]`, "12")
	wantStatus(t, boss, "enter a day", Submit(t, boss, `main form button[type="submit"]`), 200)
	wantText(t, boss, "table.timesheet tbody", "8:00")
	wantText(t, boss, "table.timesheet tbody", "7:30")
	Axe(t, boss)
	Screenshot(t, boss, "hours-week")
	v, err := e.DB.FindPlacementHours(context.Background(), financeActor(t, e), pid, opstap.DateOf(e.Now()).AddDays(-7), opstap.DateOf(e.Now()))
	if err != nil || len(v.Lines) != 2 || v.Lines[0].Status != timesheet.StatusApproved || v.Lines[1].Minutes != 8*60 || v.Lines[1].TravelKm != 12 {
		t.Fatalf("stored: %v %+v", err, v)
	}
}

// lineAwaiting is the id of the placement's one line awaiting approval.
func lineAwaiting(t *testing.T, e *Env, pid string) string {
	t.Helper()
	var id string
	if err := e.DB.SQL.QueryRow(`SELECT id FROM timesheet_lines WHERE placement_id = ? AND status = 'submitted'`, pid).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func financeActor(t *testing.T, e *Env) *opstap.Actor {
	t.Helper()
	u, err := e.DB.FindUserByEmail(context.Background(), "financien@demo.opstap.nl")
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor(e.DB.Now(), "")
}
