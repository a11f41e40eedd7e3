package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

// GenerateFigures gives the municipality's candidates (from
// GenerateDossiers) the history the figures count, for benchmarks: each is
// registered on one of the 730 days from first, set matchable (a third of
// them off again later), and placed perCandidate times for 100 days with
// linesPer approved days of 4 hours each, the approved minutes per month
// counted as the store counts them; every tenth leaves for regular work.
// Rows are written in bulk, without audit entries.
func GenerateFigures(ctx context.Context, db *DB, cbs, assignmentID, userID string, ids []string, first opstap.Date, perCandidate, linesPer int) error {
	for start := 0; start < len(ids); start += 250 {
		chunk := ids[start:min(start+250, len(ids))]
		err := db.WithTx(ctx, func(tx *Tx) error {
			g := newFigureGen(tx, cbs, assignmentID, userID)
			for i, id := range chunk {
				g.candidate(start+i, id, first, perCandidate, linesPer)
			}
			for _, b := range g.batches() {
				if err := tx.insertBatch(ctx, b); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

type figureGen struct {
	tx                                                  *Tx
	cbs, assignment, user                               string
	regs, changes, places, facts, minutes, lines, trajs *rowBatch
}

func newFigureGen(tx *Tx, cbs, assignment, user string) *figureGen {
	return &figureGen{tx: tx, cbs: cbs, assignment: assignment, user: user,
		regs:    &rowBatch{table: "figure_registrations", cols: []string{"candidate_id", "municipality_cbs", "registered_on", "on_benefit", "benefit_months", "benefit_checked"}},
		changes: &rowBatch{table: "figure_matchable_changes", cols: []string{"candidate_id", "seq", "municipality_cbs", "changed_on", "matchable", "recorded_at"}},
		places: &rowBatch{table: "placements", cols: []string{"id", "assignment_id", "candidate_id", "status", "first_day", "last_day",
			"hours_per_week", "days", "proposed_by", "proposed_at", "updated_at"}},
		facts: &rowBatch{table: "figure_placements", cols: []string{"placement_id", "candidate_id", "municipality_cbs", "first_day", "last_day", "ended",
			"hours_per_week", "outcome", "updated_at"}},
		minutes: &rowBatch{table: "figure_placement_minutes", cols: []string{"placement_id", "month", "minutes"}},
		lines: &rowBatch{table: "timesheet_lines", cols: []string{"id", "placement_id", "candidate_id", "day", "month", "minutes", "travel_km",
			"transit_cents", "status", "source", "entered_by", "entered_at", "decided_by", "decided_at"}},
		trajs: &rowBatch{table: "trajectories", cols: []string{"id", "candidate_id", "kind", "status", "created_at", "created_by", "status_changed_at",
			"end_reason", "ended_on"}},
	}
}

func (g *figureGen) batches() []*rowBatch {
	return []*rowBatch{g.regs, g.changes, g.places, g.facts, g.minutes, g.lines, g.trajs}
}

func (g *figureGen) candidate(i int, id string, first opstap.Date, perCandidate, linesPer int) {
	now := g.tx.Now()
	reg := first.AddDays(i % 730)
	g.regs.add(id, g.cbs, reg, i%7 != 0, (i*13)%80, true)
	g.changes.add(id, 1, g.cbs, reg.AddDays(7), true, now)
	if i%3 == 0 {
		g.changes.add(id, 2, g.cbs, reg.AddDays(200), false, now)
	}
	day := reg.AddDays(14)
	for n := range perCandidate {
		pid := newID()
		last := day.AddDays(99)
		hours := []int{12, 16, 20, 32}[(i+n)%4]
		ended := n < perCandidate-1 || i%2 == 0
		status := flex.PlacementConfirmed
		if ended {
			status = flex.PlacementEnded
		}
		g.places.add(pid, g.assignment, id, string(status), day, last, hours, 127, g.user, now, now)
		g.facts.add(pid, id, g.cbs, day, last, ended, hours, "", now)
		perMonth := map[opstap.Month]int64{}
		for d := range min(linesPer, 100) {
			w := day.AddDays(d)
			g.lines.add(newID(), pid, id, w, opstap.MonthOf(w), 240, 0, 0, "approved", "employer", g.user, now, g.user, now)
			perMonth[opstap.MonthOf(w)] += 240
		}
		for m, v := range perMonth {
			g.minutes.add(pid, m, v)
		}
		day = last.AddDays(20)
	}
	if i%10 == 0 {
		g.trajs.add(newID(), id, "flex", "ended", now, g.user, now, "regular_work", day)
	}
}
