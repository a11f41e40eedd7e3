package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

// GenerateHours gives each candidate a confirmed placement on assignment
// assignmentID from first on, with perPlacement approved days of 8 hours
// (every day from first), for benchmarks. userID records who did it.
func GenerateHours(ctx context.Context, db *DB, assignmentID, userID string, candidateIDs []string, first opstap.Date, perPlacement int) error {
	for start := 0; start < len(candidateIDs); start += 500 {
		chunk := candidateIDs[start:min(start+500, len(candidateIDs))]
		err := db.WithTx(ctx, func(tx *Tx) error {
			now := tx.Now()
			ps := &rowBatch{table: "placements", cols: []string{"id", "assignment_id", "candidate_id", "status", "first_day", "last_day",
				"hours_per_week", "days", "proposed_by", "proposed_at", "updated_at"}}
			ls := &rowBatch{table: "timesheet_lines", cols: []string{"id", "placement_id", "candidate_id", "day", "month", "minutes", "travel_km",
				"transit_cents", "status", "source", "entered_by", "entered_at", "decided_by", "decided_at"}}
			for _, c := range chunk {
				pid := newID()
				ps.add(pid, assignmentID, c, string(flex.PlacementConfirmed), first, first.AddDays(perPlacement), 40, 127, userID, now, now)
				for d := range perPlacement {
					day := first.AddDays(d)
					ls.add(newID(), pid, c, day, opstap.MonthOf(day), 480, 10, 0, "approved", "employer", userID, now, userID, now)
				}
			}
			if err := tx.insertBatch(ctx, ps); err != nil {
				return err
			}
			return tx.insertBatch(ctx, ls)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
