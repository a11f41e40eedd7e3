package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/trajectory"
)

// A placement after its proposal: cancelled, its hours changed, extended
// with the municipality's approval [003 art 4 lid 2], ended.

// CancelPlacement withdraws a proposal that is not yet confirmed.
func (db *DB) CancelPlacement(ctx context.Context, a *opstap.Actor, id string) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "withdrawn", func(tx *Tx, p *flex.Placement) error {
		if err := p.Status.CheckCancel(); err != nil {
			return err
		}
		cid = p.CandidateID
		return tx.setPlacementStatus(ctx, p.ID, flex.PlacementCancelled)
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

func (tx *Tx) setPlacementStatus(ctx context.Context, id string, s flex.PlacementStatus) error {
	_, err := tx.exec(ctx, `UPDATE placements SET status = ?, updated_at = ? WHERE id = ?`, string(s), tx.Now(), id)
	return err
}

// municipalityWrite runs fn on a placement after the municipality's access
// check, and audits the write last.
func (db *DB) municipalityWrite(ctx context.Context, a *opstap.Actor, id, what string, fn func(tx *Tx, p *flex.Placement) error) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		p, d, err := tx.municipalityPlacement(ctx, a, id)
		if err != nil {
			return err
		}
		if err := fn(tx, p); err != nil {
			return err
		}
		if err := tx.syncPlacementFact(ctx, p.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, placementEntry(a, d, p, opstap.Write, what))
	})
}

// ChangePlacementHours records a change of contracted hours from a day on;
// the maximum duration is checked again with the new hours [003 art 5 lid
// 6, art 4].
func (db *DB) ChangePlacementHours(ctx context.Context, a *opstap.Actor, id string, h flex.HoursPeriod) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "hours changed", func(tx *Tx, p *flex.Placement) error {
		if !p.Status.Live() {
			return opstap.Errorf(opstap.ECONFLICT, "the placement has ended")
		}
		if _, err := flex.CheckHoursChange(p.FirstDay, p.LastDay, p.Hours, h, p.ExtendedUntil()); err != nil {
			return err
		}
		if err := tx.addHours(ctx, a, p.ID, h); err != nil {
			return err
		}
		cid = p.CandidateID
		_, err := tx.exec(ctx, `UPDATE placements SET hours_per_week = ?, updated_at = ? WHERE id = ?`, h.HoursPerWeek, tx.Now(), p.ID)
		return err
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

// ApproveExtension records the municipality's approval of a longer
// placement [003 art 4 lid 2]: who, when, until which day and why (sealed).
// With extendTo, the placement's last day moves to the extension's date.
func (db *DB) ApproveExtension(ctx context.Context, a *opstap.Actor, id string, e flex.Extension, extendTo bool) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "extension approved", func(tx *Tx, p *flex.Placement) error {
		if !p.Status.Live() {
			return opstap.Errorf(opstap.ECONFLICT, "the placement has ended")
		}
		if err := e.Validate(p.FirstDay); err != nil {
			return err
		}
		sl, err := tx.sealerFor(ctx, p.CandidateID)
		if err != nil {
			return err
		}
		eid := newID()
		if _, err := tx.exec(ctx, `INSERT INTO placement_extensions (id, placement_id, until_day, motivation, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?)`,
			eid, p.ID, e.Until, sl.seal("placement_extension/"+eid, e.Motivation), a.UserID, tx.Now()); err != nil {
			return err
		}
		cid = p.CandidateID
		if !extendTo || !e.Until.After(p.LastDay) {
			return nil
		}
		return tx.moveLastDay(ctx, p, e.Until)
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

// moveLastDay extends a placement, unless it would then overlap another
// placement of the candidate.
func (tx *Tx) moveLastDay(ctx context.Context, p *flex.Placement, last opstap.Date) error {
	others, err := tx.placements(ctx, `p.candidate_id = ? AND p.id <> ? AND p.status IN `+liveIn, append([]any{p.CandidateID, p.ID}, liveStatuses...)...)
	if err != nil {
		return err
	}
	var spans []flex.Span
	for _, o := range others {
		spans = append(spans, o.Span())
	}
	s := p.Span()
	s.Last = last
	if err := flex.CheckNotPlaced(s, spans); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE placements SET last_day = ?, updated_at = ? WHERE id = ?`, last, tx.Now(), p.ID)
	return err
}

// EndPlacement records the end of a confirmed placement with its outcome.
// Outflow to regular work ends the candidate's open flex trajectory with
// reason regular_work, contract kind and hours, in the same transaction
// (DOMAIN.md §6 "outflow to regular work").
func (db *DB) EndPlacement(ctx context.Context, a *opstap.Actor, id string, end flex.PlacementEnd) error {
	var cid string
	err := db.municipalityWrite(ctx, a, id, "ended", func(tx *Tx, p *flex.Placement) error {
		if err := end.Validate(p.Status, p.FirstDay, p.LastDay); err != nil {
			return err
		}
		sl, err := tx.sealerFor(ctx, p.CandidateID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE placements SET status = ?, end_outcome = ?, ended_on = ?, end_reason = ?, contract_kind = ?, outflow_hours = ?,
			ended_by = ?, last_day = ?, updated_at = ? WHERE id = ?`, string(flex.PlacementEnded), string(end.Outcome), end.On,
			sl.seal("placement_end/"+p.ID, end.Reason), string(end.ContractKind), end.HoursPerWeek, a.UserID, minDate(p.LastDay, end.On), tx.Now(), p.ID); err != nil {
			return err
		}
		cid = p.CandidateID
		if end.Outcome != flex.OutcomeRegularWork {
			return nil
		}
		return tx.endFlexTrajectory(ctx, a, p.CandidateID, end.TrajectoryEnd())
	})
	if err == nil {
		db.reindexCandidate(ctx, cid)
	}
	return err
}

func minDate(a, b opstap.Date) opstap.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// endFlexTrajectory ends the candidate's open flex trajectory, if any, with
// the outflow's end through the trajectory rules (trajApply). The status
// and end reason of a trajectory count as basic data, which the case
// manager may write; the write is logged.
func (tx *Tx) endFlexTrajectory(ctx context.Context, a *opstap.Actor, candidateID string, end trajectory.End) error {
	var tid string
	err := tx.queryRow(ctx, `SELECT id FROM trajectories WHERE candidate_id = ? AND kind = ? AND status <> ?`, candidateID,
		string(trajectory.KindFlex), string(trajectory.StatusEnded)).Scan(&tid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	t, s, err := tx.trajHeader(ctx, tid)
	if err != nil {
		return err
	}
	d, err := tx.db.decide(ctx, a, s, opstap.CatBasic, opstap.Write, PurposePlacement, "")
	if err != nil {
		return err
	}
	sl, err := tx.sealerFor(ctx, candidateID)
	if err != nil {
		return err
	}
	if err := tx.trajDetails(ctx, sl, t); err != nil {
		return err
	}
	if err := tx.trajApply(ctx, a, sl, &t.Trajectory, trajectory.Request{Action: trajectory.ActEnd, End: &end}); err != nil {
		return err
	}
	e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Write, PurposePlacement)
	e.Detail = "trajectory " + tid + ": regular_work after placement outflow"
	return tx.Audit(ctx, e)
}

// fillWhenFull marks an open assignment filled once every place has a
// confirmed placement, so it leaves the lists of open work and takes no
// more proposals.
func (tx *Tx) fillWhenFull(ctx context.Context, assignmentID string) error {
	res, err := tx.exec(ctx, `UPDATE assignments SET status = ? WHERE id = ? AND status = ?
		AND places <= (SELECT COUNT(*) FROM placements WHERE assignment_id = ? AND status = ?)`,
		string(flex.StatusFilled), assignmentID, string(flex.StatusOpen), assignmentID, string(flex.PlacementConfirmed))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return tx.recordStatus(ctx, assignmentID, flex.StatusFilled)
}
