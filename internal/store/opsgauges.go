package store

import (
	"context"
	"time"
)

// OpsGauges are the figures monitoring reads from the database at each
// scrape: when the daily jobs last ran and are next due, and the e-mail
// outbox's backlog. Counts and times only, nothing about a person.
type OpsGauges struct {
	Jobs          []JobSchedule
	MailPending   int
	MailFailed    int
	OldestPending time.Time // zero when nothing is pending
}

// JobSchedule is one periodic job's row of job_schedule.
type JobSchedule struct {
	Name    string
	NextDue time.Time
	LastRun time.Time // zero when it never ran
}

// OpsGauges reads the gauges in one read-only transaction.
func (db *DB) OpsGauges(ctx context.Context) (OpsGauges, error) {
	var g OpsGauges
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.eachRow(ctx, `SELECT name, next_due_at, last_run_at FROM job_schedule ORDER BY name`, nil, func(s scanner) error {
			var j JobSchedule
			var last *time.Time
			if err := s.Scan(&j.Name, scanTime(&j.NextDue), scanNullTime(&last)); err != nil {
				return err
			}
			if last != nil {
				j.LastRun = *last
			}
			g.Jobs = append(g.Jobs, j)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0)
			FROM email_outbox WHERE sent_at IS NULL`).Scan(&g.MailPending, &g.MailFailed); err != nil {
			return err
		}
		g.MailPending -= g.MailFailed
		var oldest *time.Time
		if err := tx.queryRow(ctx, `SELECT MIN(created_at) FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL`).Scan(scanNullTime(&oldest)); err != nil {
			return err
		}
		if oldest != nil {
			g.OldestPending = *oldest
		}
		return nil
	})
	return g, err
}
