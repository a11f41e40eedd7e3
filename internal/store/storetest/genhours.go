package storetest

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
)

// Hours describes the hours GenerateHours writes: one confirmed placement
// per candidate, spread over the assignments in turn, each with an
// approved line of Minutes (and 10 km of travel) on every day from First
// for Days days.
type Hours struct {
	Assignments []string
	Candidates  []string
	First       opstap.Date
	Days        int
	Minutes     int    // per day; 480 when zero
	By          string // user id recorded as entering and approving
}

// genHoursBatch is the candidates per transaction: with 80 days each,
// about 40,000 lines per commit.
const genHoursBatch = 500

// GenerateHours bulk-inserts placements and approved timesheet lines for
// benchmarks, with multi-row inserts in large transactions and without
// audit entries (the store's own methods would take hours for 400,000
// lines). It returns the placements' ids in candidate order.
func GenerateHours(ctx context.Context, db *store.DB, h Hours) ([]string, error) {
	minutes := h.Minutes
	if minutes == 0 {
		minutes = 480
	}
	ids := make([]string, 0, len(h.Candidates))
	for start := 0; start < len(h.Candidates); start += genHoursBatch {
		chunk := h.Candidates[start:min(start+genHoursBatch, len(h.Candidates))]
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			now := tx.Now()
			ps := &rows{table: "placements", cols: []string{"id", "assignment_id", "candidate_id", "status", "first_day", "last_day",
				"hours_per_week", "days", "proposed_by", "proposed_at", "updated_at"}}
			ls := &rows{table: "timesheet_lines", cols: []string{"id", "placement_id", "candidate_id", "day", "month", "minutes", "travel_km",
				"transit_cents", "status", "source", "entered_by", "entered_at", "decided_by", "decided_at"}}
			for i, c := range chunk {
				pid := uuid.NewString()
				ids = append(ids, pid)
				a := h.Assignments[(start+i)%len(h.Assignments)]
				ps.add(pid, a, c, string(flex.PlacementConfirmed), h.First, h.First.AddDays(h.Days), 40, 127, h.By, now, now)
				for d := range h.Days {
					day := h.First.AddDays(d)
					ls.add(uuid.NewString(), pid, c, day, opstap.MonthOf(day), minutes, 10, 0, "approved", "employer", h.By, now, h.By, now)
				}
			}
			if err := ps.insert(ctx, db.Dialect, tx); err != nil {
				return err
			}
			return ls.insert(ctx, db.Dialect, tx)
		})
		if err != nil {
			return nil, err
		}
	}
	if db.Dialect == store.Postgres {
		// What autovacuum does soon after a bulk load: statistics for the
		// planner and the visibility map that lets an index-only scan skip
		// the table. Without it PostgreSQL plans for an empty table.
		if _, err := db.SQL.ExecContext(ctx, "VACUUM ANALYZE timesheet_lines, placements"); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// rows collects the rows of one table for multi-row INSERTs.
type rows struct {
	table string
	cols  []string
	args  []any
}

func (r *rows) add(vals ...any) { r.args = append(r.args, vals...) }

// insert writes the rows in statements of at most 4,000 parameters, far
// below the limits of both engines.
func (r *rows) insert(ctx context.Context, d store.Dialect, tx *store.Tx) error {
	n := len(r.cols)
	per := 4000 / n * n
	for args := r.args; len(args) > 0; {
		chunk := args[:min(per, len(args))]
		args = args[len(chunk):]
		var q strings.Builder
		q.WriteString("INSERT INTO " + r.table + " (" + strings.Join(r.cols, ", ") + ") VALUES ")
		for i := range chunk {
			switch {
			case i%n == 0 && i > 0:
				q.WriteString("), (")
			case i%n == 0:
				q.WriteString("(")
			default:
				q.WriteString(", ")
			}
			if d == store.Postgres {
				q.WriteString("$" + strconv.Itoa(i+1))
			} else {
				q.WriteString("?")
			}
		}
		q.WriteString(")")
		if _, err := tx.SQLTx().ExecContext(ctx, q.String(), chunk...); err != nil {
			return err
		}
	}
	r.args = nil
	return nil
}
