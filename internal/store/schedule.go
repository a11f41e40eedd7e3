package store

import (
	"context"
	"time"
)

// ClaimSchedule claims the current period of the periodic job name, if it
// is due, and then calls enqueue in the same transaction: the job is
// enqueued exactly once per period across every server, and a failed
// enqueue leaves the period unclaimed. first is when a job never scheduled
// before is first due; next gives the next due time after a claim of the
// period that was due at due (the transaction's clock is passed as now).
// The claim is a conditional UPDATE (next_due_at still at or before now),
// so of two servers claiming at once only one changes the row.
func (db *DB) ClaimSchedule(ctx context.Context, name string, first time.Time, next func(due, now time.Time) time.Time, enqueue func(*Tx) error) (claimed bool, err error) {
	err = db.WithTx(ctx, func(tx *Tx) error {
		claimed = false
		if _, err := tx.exec(ctx, `INSERT INTO job_schedule (name, next_due_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, first.UTC()); err != nil {
			return err
		}
		var due time.Time
		if err := tx.queryRow(ctx, `SELECT next_due_at FROM job_schedule WHERE name = ?`, name).Scan(scanTime(&due)); err != nil {
			return wrapDBErr(err)
		}
		now := tx.Now()
		if due.After(now) {
			return nil
		}
		r, err := tx.exec(ctx, `UPDATE job_schedule SET next_due_at = ?, last_run_at = ? WHERE name = ? AND next_due_at <= ?`,
			next(due, now).UTC(), now, name, now)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n != 1 {
			return err
		}
		claimed = true
		return enqueue(tx)
	})
	return claimed, err
}

// ScheduledRun is one periodic job's place in the schedule.
type ScheduledRun struct {
	Name      string
	NextDueAt time.Time
	LastRunAt *time.Time
}

// Schedule lists the periodic jobs' schedule, for operators and tests.
func (db *DB) Schedule(ctx context.Context) ([]ScheduledRun, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT name, next_due_at, last_run_at FROM job_schedule ORDER BY name`)
	if err != nil {
		return nil, wrapDBErr(err)
	}
	return collect(rows, nil, func(rows scanner) (ScheduledRun, error) {
		var s ScheduledRun
		err := rows.Scan(&s.Name, scanTime(&s.NextDueAt), scanNullTime(&s.LastRunAt))
		return s, err
	})
}
