package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// TestCaseload (issue 12 item 11): the coach's home lists the candidates
// they guide with the phase of the newest trajectory, the next appointment
// and the last contact (an appointment reported absent is none), and the
// appointments of this week; each candidate's read is logged; only a
// provider coach has a caseload.
func TestCaseload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		monday := time.Date(2026, 12, 7, 11, 0, 0, 0, opstap.Amsterdam)
		db.Now = func() time.Time { return monday }
		guided := f.register(t, "C-1", "Anna", "Bos") // the coach guides both
		quiet := f.register(t, "C-2", "Bert", "Smit")
		tr, err := db.CreateTrajectory(ctx, f.coach, guided.ID, store.NewTrajectory{Kind: trajectory.KindGuidance})
		if err != nil {
			t.Fatal(err)
		}
		add := func(at time.Time) *trajectory.Appointment {
			ap, err := db.AddAppointment(ctx, f.coach, tr.ID, trajectory.Appointment{StartsAt: at, Kind: trajectory.AppointmentWorkshop, Location: "Stationsplein 10"})
			if err != nil {
				t.Fatal(err)
			}
			return ap
		}
		// Appointments are planned ahead: plan the past ones from an earlier clock.
		db.Now = func() time.Time { return monday.AddDate(0, 0, -14) }
		add(monday.AddDate(0, 0, -7))
		missed := add(monday.AddDate(0, 0, -2))
		if _, err := db.ReportAbsence(ctx, f.coach, missed.ID, "ziek", false); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return monday }
		add(monday.Add(3 * time.Hour)) // later today
		add(monday.AddDate(0, 0, 8))   // next week
		// A report waits for Anna's approval since Sunday.
		db.Now = func() time.Time { return monday.AddDate(0, 0, -1) }
		rep, err := db.CreateReport(ctx, f.coach, guided.ID, dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "Voortgang", Body: "Gaat goed"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitReport(ctx, f.coach, rep.ID); err != nil {
			t.Fatal(err)
		}
		// The coach files an access request for Anna, due a month later.
		if _, err := db.FileRightsRequest(ctx, f.coach, guided.ID, privacy.NewRightsRequest{Kind: privacy.RightAccess}); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return monday }

		cl, err := db.Caseload(ctx, f.coach)
		if err != nil {
			t.Fatal(err)
		}
		if len(cl.Rows) != 2 || cl.More {
			t.Fatalf("%d rows (more %v)", len(cl.Rows), cl.More)
		}
		rows := map[string]store.CaseloadRow{}
		for _, r := range cl.Rows {
			rows[r.Candidate.ID] = r
		}
		g := rows[guided.ID]
		if g.Candidate.Basic == nil || g.Candidate.Basic.FirstName != "Anna" || g.Trajectory == nil || g.Trajectory.Kind != trajectory.KindGuidance {
			t.Fatalf("guided row %+v", g)
		}
		if g.Contact.Next == nil || !g.Contact.Next.At.Equal(monday.Add(3*time.Hour)) {
			t.Fatalf("next %+v", g.Contact.Next)
		}
		if g.Contact.Last == nil || !g.Contact.Last.Equal(monday.AddDate(0, 0, -7)) {
			t.Fatalf("last contact %v: the absence two days ago is no contact", g.Contact.Last)
		}
		if q := rows[quiet.ID]; q.Trajectory != nil || q.Contact.Next != nil || q.Contact.Last != nil {
			t.Fatalf("candidate without a trajectory: %+v", q)
		}
		if len(cl.Week) != 1 || !cl.Week[0].At.Equal(monday.Add(3*time.Hour)) {
			t.Fatalf("week %+v", cl.Week)
		}
		// The deadlines: the absence the coach recorded (no report by Anna:
		// unexcused) with no contact since asks to address her [000 art 8, 9];
		// the report waits since Sunday.
		if len(cl.FollowUps) != 1 || cl.FollowUps[0].CandidateID != guided.ID || cl.FollowUps[0].Kind != trajectory.FollowUpAddress || !cl.FollowUps[0].Absence.Equal(monday.AddDate(0, 0, -2)) {
			t.Fatalf("follow-ups %+v", cl.FollowUps)
		}
		if len(cl.Awaiting) != 1 || cl.Awaiting[0].ReportID != rep.ID || cl.Awaiting[0].Kind != string(dossier.ReportBrief) || !cl.Awaiting[0].Since.Equal(monday.AddDate(0, 0, -1)) {
			t.Fatalf("awaiting %+v", cl.Awaiting)
		}
		// The request the coach filed: kind and deadline, not yet overdue.
		if len(cl.Requests) != 1 || cl.Requests[0].CandidateID != guided.ID || cl.Requests[0].Kind != privacy.RightAccess || cl.Requests[0].Overdue ||
			cl.Requests[0].DueOn != opstap.DateOf(monday.AddDate(0, 0, -1)).AddMonths(1) {
			t.Fatalf("filed requests %+v", cl.Requests)
		}
		// Each read is in the audit log.
		entries, err := db.FindAuditEntries(ctx, store.AuditFilter{ActorUserID: f.coach.UserID, CandidateID: guided.ID, Event: audit.EventRead})
		if err != nil {
			t.Fatal(err)
		}
		var notes, reports bool
		for _, e := range entries {
			notes = notes || e.Category == string(opstap.CatNotes) && e.Detail == "caseload: trajectory phase and appointment times"
			reports = reports || e.Category == string(opstap.CatReports) && e.Detail == "caseload: kind and date of reports awaiting approval"
		}
		if !notes || !reports {
			t.Fatalf("the caseload reads are not logged: notes %v, reports %v", notes, reports)
		}
		// Another coach guides neither; a case manager has no caseload.
		if cl, err := db.Caseload(ctx, f.coach2); err != nil || len(cl.Rows) != 0 {
			t.Fatalf("other coach: %v %+v", err, cl)
		}
		if _, err := db.Caseload(ctx, f.manager); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager: %v", err)
		}
	})
}

// TestCaseloadFiledRequests (issue 12 item 11): where the home page's
// "Opvolgen" leads, the coach follows every rights request they filed for
// a candidate they guide, newest first, answered ones too: kind, status and
// dates, never the description or the answer (the type holds neither). The
// read is logged; another coach, the case manager and the coach after the
// candidate moved to a colleague see none (access.DecideRightsFollow).
func TestCaseloadFiledRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, sys := context.Background(), &opstap.Actor{System: true}
		f := newFixture(t, db)
		anna := f.register(t, "C-1", "Anna", "Bos")
		open, err := db.FileRightsRequest(ctx, f.coach, anna.ID, privacy.NewRightsRequest{Kind: privacy.RightAccess, Description: "Wie las mijn dossier?"})
		if err != nil {
			t.Fatal(err)
		}
		answered, err := db.FileRightsRequest(ctx, f.coach, anna.ID, privacy.NewRightsRequest{Kind: privacy.RightObjection, Description: "Bezwaar"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerRightsRequest(ctx, sys, answered.ID, privacy.RightsAnswer{Status: privacy.RightsRefused, Text: "Afgewezen"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FiledRightsRequests(ctx, f.coach, anna.ID)
		want := []store.FiledRequest{
			{CandidateID: anna.ID, Kind: privacy.RightObjection, Status: privacy.RightsRefused, ReceivedOn: answered.ReceivedOn, DueOn: answered.DueOn},
			{CandidateID: anna.ID, Kind: privacy.RightAccess, Status: privacy.RightsReceived, ReceivedOn: open.ReceivedOn, DueOn: open.DueOn},
		}
		if err != nil || len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("filed requests: %v\n%+v\nwant %+v", err, got, want)
		}
		entries, err := db.FindAuditEntries(ctx, store.AuditFilter{ActorUserID: f.coach.UserID, CandidateID: anna.ID, Event: audit.EventRead})
		if err != nil {
			t.Fatal(err)
		}
		logged := false
		for _, e := range entries {
			logged = logged || e.Purpose == store.PurposeRights && e.Detail == "requests the coach filed: kind, status and dates"
		}
		if !logged {
			t.Fatal("the coach's read of their filed requests is not logged")
		}
		for name, a := range map[string]*opstap.Actor{"another coach": f.coach2, "the case manager": f.manager} {
			if got, err := db.FiledRightsRequests(ctx, a, anna.ID); err != nil || len(got) != 0 {
				t.Errorf("%s: %+v %v", name, got, err)
			}
		}
		tr, err := db.CreateTrajectory(ctx, f.coach, anna.ID, store.NewTrajectory{Kind: trajectory.KindGuidance})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ReassignCoach(ctx, f.coach, tr.ID, f.coach2.UserID); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FiledRightsRequests(ctx, f.coach, anna.ID); err != nil || len(got) != 0 {
			t.Fatalf("after the candidate moved to a colleague: %+v %v", got, err)
		}
	})
}
