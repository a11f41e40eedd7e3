package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/trajectory"
)

// Moving a trajectory along its life cycle (DOMAIN.md §2): transitions,
// the candidate ending their participation, a new coach.

// Transition applies a transition asked for by staff, after the rules of
// seed 000 allowed it.
func (db *DB) Transition(ctx context.Context, a *opstap.Actor, id string, r trajectory.Request) error {
	return db.trajWrite(ctx, a, byID(id), viaPolicy, string(r.Action), func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		if r.Action == trajectory.ActEnd && r.End != nil && r.End.Reason == trajectory.EndByCandidate {
			// The candidate ends through the portal, after the benefit warning [000 art 7].
			return opstap.FieldError("reason", "the candidate ends participation in the portal")
		}
		if r.End != nil && r.End.On.IsZero() {
			r.End.On = opstap.DateOf(tx.Now())
		}
		return tx.trajApply(ctx, a, sl, t, r)
	})
}

// EndParticipation is the candidate ending their own trajectory in the
// portal; the request must acknowledge the benefit warning [000 art 7].
func (db *DB) EndParticipation(ctx context.Context, a *opstap.Actor, id string, ce trajectory.CandidateEnd) error {
	return db.trajWrite(ctx, a, byID(id), viaSelf, "ended by candidate", func(tx *Tx, sl sealer, t *trajectory.Trajectory) error {
		r, err := t.CheckCandidateEnd(ce, opstap.DateOf(tx.Now()))
		if err != nil {
			return err
		}
		if err := tx.trajApply(ctx, a, sl, t, r); err != nil {
			return err
		}
		return tx.trajNotifyCoach(ctx, t)
	})
}

// trajApply checks r against the rules and stores the new status with its
// history row; the candidate is told that their trajectory changed.
func (tx *Tx) trajApply(ctx context.Context, a *opstap.Actor, sl sealer, t *trajectory.Trajectory, r trajectory.Request) error {
	to, err := t.Check(r)
	if err != nil {
		return err
	}
	ground, detail := "", ""
	var end trajectory.End
	switch r.Action {
	case trajectory.ActSuspend:
		ground, detail = string(r.Ground), string(r.Ground)
	case trajectory.ActEnd:
		end, detail = *r.End, string(r.End.Reason)
	}
	if _, err := tx.exec(ctx, `UPDATE trajectories SET status = ?, status_changed_at = ?, suspension_ground = ?, end_reason = ?, contract_kind = ?, hours_per_week = ?, ended_on = ?, end_note = ? WHERE id = ?`,
		string(to), tx.Now(), ground, string(end.Reason), string(end.ContractKind), end.HoursPerWeek, end.On, endNote(sl, t.ID, r), t.ID); err != nil {
		return err
	}
	if err := tx.trajConsume(ctx, t, r); err != nil {
		return err
	}
	if err := tx.trajEvent(ctx, a, sl, t, trajectory.Event{Event: trajectory.EventTransition, From: t.Status, To: to, Detail: detail}, r.Note); err != nil {
		return err
	}
	return tx.trajNotifyCandidate(ctx, t.CandidateID)
}

func endNote(sl sealer, id string, r trajectory.Request) []byte {
	if r.Action != trajectory.ActEnd {
		return nil
	}
	return sl.seal("trajectory_end/"+id, r.Note)
}

// trajConsume marks what a suspension or end used: the talks of article 11
// and the non-compliance the measure rests on.
func (tx *Tx) trajConsume(ctx context.Context, t *trajectory.Trajectory, r trajectory.Request) error {
	if r.Action == trajectory.ActSuspend && r.Ground.NeedsTalks() {
		_, err := tx.exec(ctx, `UPDATE trajectory_suspension_talks SET used_at = ? WHERE trajectory_id = ? AND used_at IS NULL`, tx.Now(), t.ID)
		return err
	}
	if r.NoncomplianceID == "" || (r.Action != trajectory.ActSuspend && r.Action != trajectory.ActEnd) {
		return nil
	}
	if r.Action == trajectory.ActEnd && r.End.Reason != trajectory.EndByProviderNoncompliance && r.End.Reason != trajectory.EndByProviderIncorrectInfo {
		return nil
	}
	m := trajectory.MeasureSuspend
	if r.Action == trajectory.ActEnd {
		m = trajectory.MeasureEnd
	}
	_, err := tx.exec(ctx, `UPDATE trajectory_noncompliance SET measure_taken = ? WHERE id = ? AND trajectory_id = ?`, string(m), r.NoncomplianceID, t.ID)
	return err
}

func (tx *Tx) trajNotifyCandidate(ctx context.Context, candidateID string) error {
	var user string
	if err := tx.queryRow(ctx, `SELECT COALESCE(user_id, '') FROM candidates WHERE id = ?`, candidateID).Scan(&user); err != nil || user == "" {
		return err
	}
	return tx.Notify(ctx, user, NoticeTrajectoryChange, "/portal/trajectory")
}

func (tx *Tx) trajNotifyCoach(ctx context.Context, t *trajectory.Trajectory) error {
	if t.CoachUserID == "" {
		return nil
	}
	return tx.Notify(ctx, t.CoachUserID, NoticeTrajectoryChange, "/candidates/"+t.CandidateID+"/trajectory")
}

// ReassignCoach gives the trajectory another coach; the candidate's coach,
// which the access policy follows, changes with it. Logged in the history
// and the audit log.
func (db *DB) ReassignCoach(ctx context.Context, a *opstap.Actor, id, coachID string) error {
	if coachID == "" {
		return opstap.FieldError("coach_user_id", "unknown coach")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		t, s, err := tx.trajHeader(ctx, id)
		if err != nil {
			return err
		}
		d, err := db.staffBasicWrite(ctx, a, s)
		if err != nil {
			return err
		}
		switch {
		case !t.Open():
			return errEnded
		case t.CoachUserID == coachID:
			return opstap.FieldError("coach_user_id", "this coach is already assigned")
		}
		if err := tx.checkCoach(ctx, coachID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE trajectories SET coach_user_id = ? WHERE id = ?`, coachID, id); err != nil {
			return err
		}
		if err := tx.trajSetCoach(ctx, t.CandidateID, coachID); err != nil {
			return err
		}
		detail := t.CoachUserID + " -> " + coachID
		if err := tx.trajEvent(ctx, a, sealer{}, &t.Trajectory, trajectory.Event{Event: trajectory.EventCoachReassigned, Detail: detail}, ""); err != nil {
			return err
		}
		e := candidateEntry(a, d, t.CandidateID, opstap.CatBasic, opstap.Write, PurposeRegistration)
		e.Detail = "trajectory " + id + ": coach " + detail
		return tx.Audit(ctx, e)
	})
}
