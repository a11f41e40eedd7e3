package store

import (
	"context"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/period"
)

// Finance periods (issue 9 item 7). The rules are in internal/period; this
// file keeps the closed months (finance_periods), their history
// (finance_period_events) and the audit entries. Every money feature asks
// tx.closedMonths / tx.landingMonth inside its own transaction before it
// books anything.

// PeriodEvent is one closing or reopening of a month.
type PeriodEvent struct {
	Month  opstap.Month `json:"month"`
	Action string       `json:"action"` // closed | reopened
	Reason string       `json:"reason,omitempty"`
	By     string       `json:"by"` // the user's name
	At     time.Time    `json:"at"`
}

// FinancePeriod is one month with its state and history.
type FinancePeriod struct {
	Month    opstap.Month  `json:"month"`
	Closed   bool          `json:"closed"`
	ClosedAt *time.Time    `json:"closed_at,omitempty"`
	Events   []PeriodEvent `json:"events"`
}

// closedMonths returns every closed month, oldest first.
func (tx *Tx) closedMonths(ctx context.Context) ([]opstap.Month, error) {
	out := []opstap.Month{} // a list in JSON even when empty
	err := tx.eachRow(ctx, `SELECT month FROM finance_periods ORDER BY month`, nil, func(s scanner) error {
		var m opstap.Month
		err := s.Scan(&m)
		out = append(out, m)
		return err
	})
	return out, err
}

// landingMonth is where something about month m is booked now: m, or the
// next open month when m is closed.
func (tx *Tx) landingMonth(ctx context.Context, m opstap.Month) (opstap.Month, error) {
	closed, err := tx.closedMonths(ctx)
	return period.Landing(closed, m), err
}

// ClosedMonths returns every closed month, oldest first. Which months are
// closed is no one's personal data; every signed-in user may know it.
func (db *DB) ClosedMonths(ctx context.Context) ([]opstap.Month, error) {
	var out []opstap.Month
	err := db.WithTx(ctx, func(tx *Tx) (err error) {
		out, err = tx.closedMonths(ctx)
		return err
	})
	return out, err
}

// IsMonthClosed reports whether finance closed month m.
func (db *DB) IsMonthClosed(ctx context.Context, m opstap.Month) (bool, error) {
	closed, err := db.ClosedMonths(ctx)
	return period.IsClosed(closed, m), err
}

// mayViewPeriods: finance, who closes, and the admin, who reopens.
func mayViewPeriods(a *opstap.Actor) bool {
	return can(a, access.ManageFinance) || can(a, access.ReopenPeriods)
}

// FinancePeriods returns the months from..to (inclusive, at most five
// years) with their state and history, for finance and the admin.
func (db *DB) FinancePeriods(ctx context.Context, a *opstap.Actor, from, to opstap.Month) ([]FinancePeriod, error) {
	if !mayViewPeriods(a) {
		return nil, forbidden()
	}
	if to.Before(from) || from.Add(60).Before(to) {
		return nil, opstap.FieldError("from", "choose a period of at most five years")
	}
	var out []FinancePeriod
	err := db.WithTx(ctx, func(tx *Tx) error {
		byMonth := map[opstap.Month]*FinancePeriod{}
		for m := from; !m.After(to); m = m.Next() {
			out = append(out, FinancePeriod{Month: m, Events: []PeriodEvent{}})
		}
		for i := range out {
			byMonth[out[i].Month] = &out[i]
		}
		err := tx.eachRow(ctx, `SELECT month, closed_at FROM finance_periods WHERE month >= ? AND month <= ?`, []any{from, to}, func(s scanner) error {
			var m opstap.Month
			var at time.Time
			if err := s.Scan(&m, scanTime(&at)); err != nil {
				return err
			}
			if p := byMonth[m]; p != nil {
				p.Closed, p.ClosedAt = true, &at
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.eachRow(ctx, `SELECT e.month, e.action, e.reason, COALESCE(u.name, ''), e.at FROM finance_period_events e
			LEFT JOIN users u ON u.id = e.by_user WHERE e.month >= ? AND e.month <= ? ORDER BY e.seq`, []any{from, to}, func(s scanner) error {
			var e PeriodEvent
			if err := s.Scan(&e.Month, &e.Action, &e.Reason, &e.By, scanTime(&e.At)); err != nil {
				return err
			}
			if p := byMonth[e.Month]; p != nil {
				p.Events = append(p.Events, e)
			}
			return nil
		})
	})
	return out, err
}

// ClosePeriod is finance closing month m: only a month that has ended, and
// only once. Logged with the event period.
func (db *DB) ClosePeriod(ctx context.Context, a *opstap.Actor, m opstap.Month) error {
	if !can(a, access.ManageFinance) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		closed, err := tx.closedMonths(ctx)
		if err != nil {
			return err
		}
		if err := period.CheckClose(closed, m, opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO finance_periods (month, closed_at, closed_by) VALUES (?, ?, ?)`, m, tx.Now(), a.UserID); err != nil {
			return err
		}
		return tx.periodEvent(ctx, a, m, "closed", "")
	})
}

// ReopenPeriod is the application admin reopening a closed month with a
// stated reason (kept with the event, not in the audit log, which holds no
// typed text).
func (db *DB) ReopenPeriod(ctx context.Context, a *opstap.Actor, m opstap.Month, reason string) error {
	if !can(a, access.ReopenPeriods) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		closed, err := tx.closedMonths(ctx)
		if err != nil {
			return err
		}
		if err := period.CheckReopen(closed, m, reason); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM finance_periods WHERE month = ?`, m); err != nil {
			return err
		}
		return tx.periodEvent(ctx, a, m, "reopened", reason)
	})
}

func (tx *Tx) periodEvent(ctx context.Context, a *opstap.Actor, m opstap.Month, action, reason string) error {
	// seq orders the events even within one clock tick.
	if _, err := tx.exec(ctx, `INSERT INTO finance_period_events (id, seq, month, action, reason, by_user, at)
		SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ? FROM finance_period_events`, newID(), m, action, reason, a.UserID, tx.Now()); err != nil {
		return err
	}
	e := entryFor(a, audit.EventPeriod)
	e.Action, e.Detail = action, "month "+m.String()+" "+action
	return tx.Audit(ctx, e)
}
