package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/trajectory"
)

// Appointments, absences, non-compliance and suspension talks on a
// trajectory; see trajectories.go for access and the transaction pattern.

// requireOpen refuses changes to an ended trajectory.
func requireOpen(t *trajectory.Trajectory) error {
	if !t.Open() {
		return errEnded
	}
	return nil
}

// AddAppointment plans a meeting or activity on a trajectory; its location
// is sealed. The candidate is notified.
func (db *DB) AddAppointment(ctx context.Context, a *opstap.Actor, trajectoryID string, ap trajectory.Appointment) (*trajectory.Appointment, error) {
	ap.Location = strings.TrimSpace(ap.Location)
	if err := ap.Validate(); err != nil {
		return nil, err
	}
	ap.ID, ap.Absence = newID(), nil
	err := db.trajWrite(ctx, a, byID(trajectoryID), viaPolicy, "appointment", func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		if err := requireOpen(t); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_appointments (id, trajectory_id, starts_at, kind, location, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			ap.ID, t.ID, ap.StartsAt.UTC(), string(ap.Kind), sl.seal("appointment/"+ap.ID, ap.Location), tx.Now(), a.UserID); err != nil {
			return err
		}
		return tx.trajNotifyCandidate(ctx, t.CandidateID)
	})
	if err != nil {
		return nil, err
	}
	return &ap, nil
}

// parentOf finds the trajectory a row of table belongs to, inside the
// write's transaction; missing is the error when there is no such row.
func parentOf(table, id string, missing error) trajRef {
	return func(ctx context.Context, tx *Tx) (string, error) {
		var t string
		err := tx.queryRow(ctx, `SELECT trajectory_id FROM `+table+` WHERE id = ?`, id).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			return "", missing
		}
		return t, err
	}
}

// ReportAbsence records that the candidate cannot attend an appointment,
// with the reason (sealed), and whether the report came later than 24
// hours before the start on the Amsterdam clock [000 art 8]. The candidate
// reports for themself (byCandidate, in the portal), or staff on their
// behalf; the coach is told of a report by the candidate.
func (db *DB) ReportAbsence(ctx context.Context, a *opstap.Actor, appointmentID, reason string, byCandidate bool) (*trajectory.Absence, error) {
	how := viaPolicy
	if byCandidate {
		how = viaSelf
	}
	var ab *trajectory.Absence
	err := db.trajWrite(ctx, a, parentOf("trajectory_appointments", appointmentID, errNoAppointment), how, "absence", func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		if err := requireOpen(t); err != nil {
			return err
		}
		ap := findAppointment(t, appointmentID)
		if ap == nil {
			return errNoAppointment
		}
		reason = strings.TrimSpace(reason)
		if err := trajectory.CheckAbsence(*ap, reason); err != nil {
			return err
		}
		now := tx.Now()
		ab = &trajectory.Absence{Reason: reason, ReportedAt: now, ByCandidate: byCandidate, Late: trajectory.Late(ap.StartsAt, now)}
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_absences (appointment_id, reason, reported_at, reported_by, by_candidate, late) VALUES (?, ?, ?, ?, ?, ?)`,
			ap.ID, sl.seal("absence/"+ap.ID, reason), now, a.UserID, byCandidate, ab.Late); err != nil {
			return conflictField(err, "reason", "an absence was already reported for this appointment")
		}
		if byCandidate {
			return tx.trajNotifyCoach(ctx, t)
		}
		return nil
	})
	return ab, err
}

func findAppointment(t *trajectory.Trajectory, id string) *trajectory.Appointment {
	for i := range t.Appointments {
		if t.Appointments[i].ID == id {
			return &t.Appointments[i]
		}
	}
	return nil
}

// NewNoncompliance is a non-compliance to record [000 art 9, 10].
type NewNoncompliance struct {
	Kind trajectory.NCKind `json:"kind" validate:"required,max=50"`
	Note string            `json:"note,omitempty" validate:"max=2000"`
}

// RecordNoncompliance opens the non-compliance procedure on a trajectory.
func (db *DB) RecordNoncompliance(ctx context.Context, a *opstap.Actor, trajectoryID string, in NewNoncompliance) (*trajectory.Noncompliance, error) {
	if !trajectory.ValidNCKind(in.Kind) {
		return nil, opstap.FieldError("kind", "unknown kind of non-compliance")
	}
	if err := trajectory.CheckNote(in.Note); err != nil {
		return nil, err
	}
	var c *trajectory.Noncompliance
	err := db.trajWrite(ctx, a, byID(trajectoryID), viaPolicy, "noncompliance", func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		if err := requireOpen(t); err != nil {
			return err
		}
		c = &trajectory.Noncompliance{ID: newID(), Kind: in.Kind, Note: in.Note, RecordedAt: tx.Now(), Steps: []trajectory.StepRecord{}}
		_, err := tx.exec(ctx, `INSERT INTO trajectory_noncompliance (id, trajectory_id, kind, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, t.ID, string(c.Kind), sl.seal("noncompliance/"+c.ID, in.Note), c.RecordedAt, a.UserID)
		return err
	})
	return c, err
}

// RecordNoncomplianceStep records one step of the procedure, only in the
// order of article 9: the commissioner is informed only after the candidate
// was addressed and given the chance to comply.
func (db *DB) RecordNoncomplianceStep(ctx context.Context, a *opstap.Actor, caseID string, in trajectory.StepRecord) error {
	return db.trajWrite(ctx, a, parentOf("trajectory_noncompliance", caseID, errNoCase), viaPolicy, "noncompliance step "+string(in.Step), func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		if err := requireOpen(t); err != nil {
			return err
		}
		c := t.Case(caseID)
		if c == nil {
			return opstap.Errorf(opstap.ECONFLICT, "a measure was already taken on this non-compliance")
		}
		if err := c.CanRecord(in); err != nil {
			return err
		}
		if in.Step != trajectory.StepChanceGiven {
			in.Deadline = opstap.Date{}
		}
		if in.Step != trajectory.StepCandidateInformed {
			in.Measure = ""
		}
		_, err := tx.exec(ctx, `INSERT INTO trajectory_noncompliance_steps (noncompliance_id, step, at, by_user_id, deadline, measure, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			caseID, string(in.Step), tx.Now(), a.UserID, in.Deadline, string(in.Measure), sl.seal("noncompliance/"+caseID+"/"+string(in.Step), in.Note))
		return err
	})
}

// RecordSuspensionTalk records that the intent to suspend was discussed
// with the candidate or the commissioner [000 art 11].
func (db *DB) RecordSuspensionTalk(ctx context.Context, a *opstap.Actor, trajectoryID string, k trajectory.Talk) (*trajectory.Talk, error) {
	if err := k.Validate(opstap.DateOf(db.Now())); err != nil {
		return nil, err
	}
	k.ID = newID()
	err := db.trajWrite(ctx, a, byID(trajectoryID), viaPolicy, "suspension talk", func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		if t.Status != trajectory.StatusActive {
			return opstap.Errorf(opstap.ECONFLICT, "only an active trajectory can be suspended")
		}
		_, err := tx.exec(ctx, `INSERT INTO trajectory_suspension_talks (id, trajectory_id, party, discussed_on, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			k.ID, t.ID, string(k.Party), k.DiscussedOn, sl.seal("suspension_talk/"+k.ID, k.Note), tx.Now(), a.UserID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &k, nil
}
