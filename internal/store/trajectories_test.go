package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// trajFixture is the candidates fixture with one registered candidate who
// has a portal account, another candidate's account, and an active
// trajectory coached by f.coach.
type trajFixture struct {
	*fixture
	candidateID   string
	self, foreign *opstap.Actor
	traj          *trajectory.Trajectory
}

func newTrajFixture(t *testing.T, db *store.DB) *trajFixture {
	t.Helper()
	ctx := context.Background()
	f := &trajFixture{fixture: newFixture(t, db)}
	sys := &opstap.Actor{System: true}
	account := func(email, candidateID string) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: f.municipality, Email: email, Name: email, Grants: []access.GrantSpec{{Role: opstap.RoleCandidate}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.LinkCandidateUser(ctx, sys, candidateID, u.ID); err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	f.candidateID = f.register(t, "T-1", "José", "de Vries").ID
	f.self = account("jose@example.nl", f.candidateID)
	f.foreign = account("anna@example.nl", f.register(t, "T-2", "Anna", "Jansen").ID)
	tr, err := db.CreateTrajectory(ctx, f.coach, f.candidateID, store.NewTrajectory{Kind: trajectory.KindReintegration})
	if err != nil {
		t.Fatal(err)
	}
	f.traj = tr
	for _, act := range []trajectory.Action{trajectory.ActStartIntake, trajectory.ActActivate} {
		f.must(t, db.Transition(ctx, f.coach, tr.ID, trajectory.Request{Action: act}))
	}
	return f
}

func (f *trajFixture) must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// current reads the trajectory as its coach.
func (f *trajFixture) current(t *testing.T) trajectory.Trajectory {
	t.Helper()
	ts, err := f.db.CandidateTrajectories(context.Background(), f.coach, f.candidateID, store.PurposeGuidance, "")
	if err != nil || len(ts) == 0 {
		t.Fatalf("read: %v", err)
	}
	return ts[0]
}

func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	e := opstap.AsError(err)
	if e == nil || e.Code != code || e.Field != field {
		t.Fatalf("err %v, want %s on field %q", err, code, field)
	}
}

func TestTrajectoryAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newTrajFixture(t, db)
		// One open trajectory per candidate.
		_, err := db.CreateTrajectory(ctx, f.manager, f.candidateID, store.NewTrajectory{Kind: trajectory.KindFlex})
		wantErr(t, err, opstap.ECONFLICT, "kind")
		tests := []struct {
			name  string
			actor *opstap.Actor
			code  string
			full  bool
		}{
			{"assigned coach reads everything", f.coach, "", true},
			{"candidate reads own", f.self, "", true},
			{"case manager reads status only", f.manager, "", false},
			{"other municipality", f.other, opstap.EFORBIDDEN, false},
			{"unassigned coach without reason", f.coach2, opstap.EFORBIDDEN, false},
			{"other candidate", f.foreign, opstap.EFORBIDDEN, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ts, err := db.CandidateTrajectories(ctx, tt.actor, f.candidateID, store.PurposeGuidance, "")
				if opstap.ErrorCode(err) != tt.code {
					t.Fatalf("err %v, want %q", err, tt.code)
				}
				if tt.code == "" && (len(ts) != 1 || ts[0].Full != tt.full || ts[0].Status != trajectory.StatusActive || (!tt.full && ts[0].History != nil)) {
					t.Fatalf("got %+v", ts)
				}
			})
		}
		// Starting a trajectory: the coach or the case manager, not the candidate.
		other := f.register(t, "T-3", "Piet", "Pauw").ID
		_, err = db.CreateTrajectory(ctx, f.self, other, store.NewTrajectory{Kind: trajectory.KindFlex})
		wantErr(t, err, opstap.EFORBIDDEN, "")
		if _, err := db.CreateTrajectory(ctx, f.manager, other, store.NewTrajectory{Kind: trajectory.KindFlex}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestTrajectoryAbsence_000art8: the candidate reports for themself, staff
// on the candidate's behalf; late reports are flagged; reasons are sealed.
func TestTrajectoryAbsence_000art8(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newTrajFixture(t, db)
		soon, err := db.AddAppointment(ctx, f.coach, f.traj.ID, trajectory.Appointment{StartsAt: db.Now().Add(3 * time.Hour), Kind: trajectory.AppointmentMeeting, Location: "Stadhuisplein 1"})
		f.must(t, err)
		later, err := db.AddAppointment(ctx, f.coach, f.traj.ID, trajectory.Appointment{StartsAt: db.Now().Add(72 * time.Hour), Kind: trajectory.AppointmentWorkshop, Location: "Online"})
		f.must(t, err)
		third, err := db.AddAppointment(ctx, f.coach, f.traj.ID, trajectory.Appointment{StartsAt: db.Now().Add(96 * time.Hour), Kind: trajectory.AppointmentTraining, Location: "Lelystad"})
		f.must(t, err)
		_, err = db.AddAppointment(ctx, f.self, f.traj.ID, trajectory.Appointment{StartsAt: db.Now(), Kind: trajectory.AppointmentMeeting, Location: "x"})
		wantErr(t, err, opstap.EFORBIDDEN, "")

		tests := []struct {
			name        string
			actor       *opstap.Actor
			appt        string
			byCandidate bool
			code, field string
			late        bool
		}{
			{"other candidate", f.foreign, soon.ID, true, opstap.EFORBIDDEN, "", false},
			{"case manager has no write on notes", f.manager, soon.ID, false, opstap.EFORBIDDEN, "", false},
			{"staff impersonating the portal", f.coach, soon.ID, true, opstap.EFORBIDDEN, "", false},
			{"empty reason", f.self, soon.ID, true, opstap.EINVALID, "reason", false},
			{"candidate, 3 hours before: late", f.self, soon.ID, true, "", "", true},
			{"second report", f.self, soon.ID, true, opstap.ECONFLICT, "", false},
			{"candidate, 3 days before: on time", f.self, later.ID, true, "", "", false},
			{"coach on behalf", f.coach, third.ID, false, "", "", false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				reason := "griep en koorts"
				if tt.field == "reason" {
					reason = " "
				}
				ab, err := db.ReportAbsence(ctx, tt.actor, tt.appt, reason, tt.byCandidate)
				if opstap.ErrorCode(err) != tt.code || (tt.field != "" && opstap.AsError(err).Field != tt.field) {
					t.Fatalf("err %v, want %q", err, tt.code)
				}
				if tt.code == "" && (ab.Late != tt.late || ab.ByCandidate != tt.byCandidate) {
					t.Fatalf("absence %+v", ab)
				}
			})
		}
		tr := f.current(t)
		if len(tr.Appointments) != 3 || tr.Appointments[0].Absence == nil || !tr.Appointments[0].Absence.Late || tr.Appointments[0].Location != "Stadhuisplein 1" {
			t.Fatalf("appointments %+v", tr.Appointments)
		}
		if storetest.ClearIn(t, db, "trajectory_absences", "griep", "reason")+storetest.ClearIn(t, db, "trajectory_appointments", "Stadhuis", "location") != 0 {
			t.Fatal("free text stored in clear")
		}
		// The refused attempts are in the audit log as denials.
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: f.candidateID})
		f.must(t, err)
		denied := 0
		for _, e := range es {
			if e.Outcome == "denied" && e.Category == "notes" && e.Action == "write" {
				denied++
			}
			if strings.Contains(e.Detail, "griep") {
				t.Fatal("absence reason in the audit log")
			}
		}
		if denied != 4 {
			t.Fatalf("%d denied note writes", denied)
		}
	})
}

// TestTrajectoryNoncompliance_000art9: refusals change nothing; the full
// procedure allows the suspension.
func TestTrajectoryNoncompliance_000art9(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newTrajFixture(t, db)
		c, err := db.RecordNoncompliance(ctx, f.coach, f.traj.ID, store.NewNoncompliance{Kind: trajectory.NCUnreachable, Note: "drie keer niet opgenomen"})
		f.must(t, err)
		step := func(s trajectory.StepRecord) error { return db.RecordNoncomplianceStep(ctx, f.coach, c.ID, s) }
		suspend := trajectory.Request{Action: trajectory.ActSuspend, Ground: trajectory.GroundNoncompliance, NoncomplianceID: c.ID}
		today := opstap.DateOf(db.Now())

		wantErr(t, step(trajectory.StepRecord{Step: trajectory.StepCommissionerInformed}), opstap.EINVALID, "step")
		f.must(t, step(trajectory.StepRecord{Step: trajectory.StepAddressed, Note: "gebeld"}))
		wantErr(t, step(trajectory.StepRecord{Step: trajectory.StepCommissionerInformed}), opstap.EINVALID, "step")
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, suspend), opstap.EINVALID, "noncompliance_id")
		if got := f.current(t); len(got.Cases[0].Steps) != 1 || got.Status != trajectory.StatusActive {
			t.Fatalf("refusals changed something: %+v", got)
		}
		f.must(t, step(trajectory.StepRecord{Step: trajectory.StepChanceGiven, Deadline: today.AddDays(7)}))
		f.must(t, step(trajectory.StepRecord{Step: trajectory.StepCommissionerInformed}))
		// [000 art 9] no suspension before the candidate was informed of it.
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, suspend), opstap.EINVALID, "noncompliance_id")
		f.must(t, step(trajectory.StepRecord{Step: trajectory.StepCandidateInformed, Measure: trajectory.MeasureSuspend}))
		wantErr(t, db.Transition(ctx, f.manager, f.traj.ID, suspend), opstap.EFORBIDDEN, "")
		f.must(t, db.Transition(ctx, f.coach, f.traj.ID, suspend))
		got := f.current(t)
		if got.Status != trajectory.StatusSuspended || got.SuspensionGround != trajectory.GroundNoncompliance || got.Cases[0].MeasureTaken != trajectory.MeasureSuspend {
			t.Fatalf("after suspension %+v", got)
		}
		if got.Cases[0].Note != "drie keer niet opgenomen" || got.Cases[0].Steps[0].Note != "gebeld" || got.Cases[0].Steps[1].Deadline != today.AddDays(7) {
			t.Fatalf("case %+v", got.Cases[0])
		}
		// The case is closed: no further measure on it.
		wantErr(t, step(trajectory.StepRecord{Step: trajectory.StepAddressed}), opstap.ECONFLICT, "")
	})
}

// TestTrajectorySuspension_000art11 and the candidate's end [000 art 7].
func TestTrajectorySuspension_000art11(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newTrajFixture(t, db)
		today := opstap.DateOf(db.Now())
		ill := trajectory.Request{Action: trajectory.ActSuspend, Ground: trajectory.GroundIllness}
		talk := func(p trajectory.Party) {
			_, err := db.RecordSuspensionTalk(ctx, f.coach, f.traj.ID, trajectory.Talk{Party: p, DiscussedOn: today, Note: "besproken"})
			f.must(t, err)
		}
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, ill), opstap.EINVALID, "ground")
		talk(trajectory.PartyCandidate)
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, ill), opstap.EINVALID, "ground")
		talk(trajectory.PartyCommissioner)
		f.must(t, db.Transition(ctx, f.coach, f.traj.ID, ill))
		f.must(t, db.Transition(ctx, f.coach, f.traj.ID, trajectory.Request{Action: trajectory.ActResume}))
		// The talks were used up by the suspension.
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, ill), opstap.EINVALID, "ground")

		// [000 art 7] the candidate ends only after acknowledging the warning.
		wantErr(t, db.EndParticipation(ctx, f.self, f.traj.ID, trajectory.CandidateEnd{}), opstap.EINVALID, "warning_acknowledged")
		wantErr(t, db.EndParticipation(ctx, f.foreign, f.traj.ID, trajectory.CandidateEnd{WarningAcknowledged: true}), opstap.EFORBIDDEN, "")
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, trajectory.Request{Action: trajectory.ActEnd, End: &trajectory.End{Reason: trajectory.EndByCandidate}}), opstap.EINVALID, "reason")
		if f.current(t).Status != trajectory.StatusActive {
			t.Fatal("a refused end changed the status")
		}
		f.must(t, db.EndParticipation(ctx, f.self, f.traj.ID, trajectory.CandidateEnd{WarningAcknowledged: true}))
		got := f.current(t)
		if got.Status != trajectory.StatusEnded || got.End.Reason != trajectory.EndByCandidate || got.End.On != today {
			t.Fatalf("after end %+v", got)
		}
		var notes int
		f.must(t, db.SQL.QueryRow(`SELECT COUNT(*) FROM notifications WHERE user_id = '`+f.coach.UserID+`' AND kind = '`+store.NoticeTrajectoryChange+`'`).Scan(&notes))
		if notes != 1 {
			t.Fatalf("coach notifications %d", notes)
		}
	})
}

// TestTrajectoryOutflowAndCoach: outflow to regular work keeps contract
// kind and hours for the figures; reassigning the coach moves access.
func TestTrajectoryOutflowAndCoach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newTrajFixture(t, db)
		wantErr(t, db.ReassignCoach(ctx, f.coach, f.traj.ID, f.coach.UserID), opstap.EINVALID, "coach_user_id")
		wantErr(t, db.ReassignCoach(ctx, f.self, f.traj.ID, f.coach2.UserID), opstap.EFORBIDDEN, "")
		f.must(t, db.ReassignCoach(ctx, f.coach, f.traj.ID, f.coach2.UserID))
		// The old coach lost write access; the new one has it.
		end := trajectory.Request{Action: trajectory.ActEnd, End: &trajectory.End{Reason: trajectory.EndRegularWork, ContractKind: trajectory.ContractFixedTerm, HoursPerWeek: 32}}
		wantErr(t, db.Transition(ctx, f.coach, f.traj.ID, end), opstap.EFORBIDDEN, "")
		f.must(t, db.Transition(ctx, f.coach2, f.traj.ID, end))
		ts, err := db.CandidateTrajectories(ctx, f.manager, f.candidateID, store.PurposeReporting, "")
		f.must(t, err)
		if e := ts[0].End; e == nil || e.Reason != trajectory.EndRegularWork || e.ContractKind != trajectory.ContractFixedTerm || e.HoursPerWeek != 32 {
			t.Fatalf("end %+v", ts[0].End)
		}
		ts, err = db.CandidateTrajectories(ctx, f.coach2, f.candidateID, store.PurposeGuidance, "")
		f.must(t, err)
		var events []string
		for _, e := range ts[0].History {
			events = append(events, e.Event)
		}
		if strings.Join(events, ",") != "created,transition,transition,coach_reassigned,transition" || ts[0].CoachUserID != f.coach2.UserID {
			t.Fatalf("history %v", events)
		}
		// Nothing changes on an ended trajectory.
		_, err = db.AddAppointment(ctx, f.coach2, f.traj.ID, trajectory.Appointment{StartsAt: db.Now(), Kind: trajectory.AppointmentMeeting, Location: "x"})
		wantErr(t, err, opstap.ECONFLICT, "")
	})
}
