package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/sepa"
)

// Payout batches as finance reads them, their SEPA file, and the payments
// they hold.

const batchColumns = `id, message_id, through_month, execution_date, debtor_name, debtor_iban, payments, total_cents, created_at, paid_on`

func scanBatch(s scanner) (PayoutBatch, error) {
	var b PayoutBatch
	var paid sql.NullString
	err := s.Scan(&b.ID, &b.MessageID, &b.Through, &b.ExecutionDate, &b.DebtorName, &b.DebtorIBAN, &b.Payments, &b.Total, &b.CreatedAt, &paid)
	if err == nil {
		err = scanDate(paid, &b.PaidOn)
	}
	return b, err
}

// PayoutBatches lists the batches, newest first, for finance.
func (db *DB) PayoutBatches(ctx context.Context, a *opstap.Actor) ([]PayoutBatch, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	out := []PayoutBatch{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT `+batchColumns+` FROM payout_batches ORDER BY created_at DESC, message_id DESC`, nil, func(s scanner) error {
			b, err := scanBatch(s)
			out = append(out, b)
			return err
		})
	})
	return out, err
}

// RecordPayoutPaid records that the bank executed a batch on paidOn
// (finance): from then on its payments are paid, which ends the running
// financial obligation that holds off a payee's erasure. Once; not before
// the requested execution date nor in the future.
func (db *DB) RecordPayoutPaid(ctx context.Context, a *opstap.Actor, id string, paidOn opstap.Date) (*PayoutBatch, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	var out PayoutBatch
	err := db.WithTx(ctx, func(tx *Tx) error {
		b, err := scanBatch(tx.queryRow(ctx, `SELECT `+batchColumns+` FROM payout_batches WHERE id = ?`, id))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return opstap.Errorf(opstap.ENOTFOUND, "no such payout batch")
		case err != nil:
			return err
		case !b.PaidOn.IsZero():
			return opstap.Errorf(opstap.ECONFLICT, "this batch is already recorded as paid")
		case paidOn.IsZero():
			return opstap.FieldError("paid_on", "the payment date is required")
		case paidOn.Before(b.ExecutionDate):
			return opstap.FieldError("paid_on", "the bank does not pay before the execution date")
		case paidOn.After(opstap.DateOf(tx.Now())):
			return opstap.FieldError("paid_on", "the payment date cannot be in the future")
		}
		if _, err := tx.exec(ctx, `UPDATE payout_batches SET paid_on = ?, paid_recorded_by = ? WHERE id = ?`, paidOn, a.UserID, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE premium_payments SET paid_at = ? WHERE batch_id = ?`, paidOn, id); err != nil {
			return err
		}
		b.PaidOn = paidOn
		out = b
		e := entryFor(a, audit.EventWrite)
		e.Detail = "payout batch " + b.MessageID + " paid on " + paidOn.String()
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// PayoutFile makes a batch's pain.001 file again from the sealed payees,
// for finance to hand to the bank. Every payee read is logged as an export.
func (db *DB) PayoutFile(ctx context.Context, a *opstap.Actor, id string) (*PayoutBatch, []byte, error) {
	if !can(a, access.ManageFinance) {
		return nil, nil, forbidden()
	}
	var b PayoutBatch
	var file []byte
	err := db.WithTx(ctx, func(tx *Tx) error {
		var bic string
		var err error
		b, err = scanBatch(tx.queryRow(ctx, `SELECT `+batchColumns+` FROM payout_batches WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such payout batch")
		} else if err != nil {
			return err
		}
		_ = tx.queryRow(ctx, `SELECT debtor_bic FROM payout_batches WHERE id = ?`, id).Scan(&bic)
		type row struct {
			id, cid string
			amount  opstap.Cents
			sealed  []byte
		}
		var rows []row
		if err := tx.eachRow(ctx, `SELECT id, candidate_id, amount_cents, creditor FROM premium_payments WHERE batch_id = ? ORDER BY seq`, []any{id}, func(s scanner) error {
			var r row
			err := s.Scan(&r.id, &r.cid, &r.amount, &r.sealed)
			rows = append(rows, r)
			return err
		}); err != nil {
			return err
		}
		var payments []sepa.Payment
		var entries []audit.Entry
		for _, r := range rows {
			_, s, err := tx.candidateSubject(ctx, r.cid)
			if err != nil {
				return err
			}
			d := access.Decide(a, s, opstap.CatFinancial, opstap.Read, "")
			if !d.Allowed {
				return opstap.Errorf(opstap.ECONFLICT, "a payee's processing is restricted: the file cannot be made again")
			}
			sl, err := tx.sealerFor(ctx, r.cid)
			if err != nil {
				return opstap.Errorf(opstap.ECONFLICT, "a payee was erased: the file cannot be made again")
			}
			plain, err := sl.open("premium_payment/"+r.id, r.sealed)
			if err != nil {
				return err
			}
			var cr creditor
			if err := json.Unmarshal([]byte(plain), &cr); err != nil {
				return err
			}
			payments = append(payments, sepaPayment(r.id, r.amount, cr, b.Through))
			e := candidateEntry(a, d, r.cid, opstap.CatFinancial, opstap.Read, PurposePayout)
			e.Event, e.Detail = audit.EventExport, "payout file "+b.MessageID
			entries = append(entries, e)
		}
		file, err = sepa.CreditTransfer(sepa.Batch{MessageID: b.MessageID, Created: b.CreatedAt, ExecutionDate: b.ExecutionDate,
			Debtor: sepa.Debtor{Name: b.DebtorName, IBAN: b.DebtorIBAN, BIC: bic}, Payments: payments})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, entries...)
	})
	return &b, file, err
}

// Payouts lists payments: for finance all, for a municipality's case
// manager those of its candidates, for a candidate their own. Amounts and
// months only, by pseudonymous id; each candidate's row read is logged.
func (db *DB) Payouts(ctx context.Context, a *opstap.Actor) ([]Payment, error) {
	out := []Payment{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		where, args, purpose := "", []any{}, PurposePayout
		switch {
		case a != nil && a.Has(opstap.RoleCandidate, opstap.Read):
			where, args, purpose = ` WHERE p.candidate_id IN (SELECT id FROM candidates WHERE user_id = ?)`, []any{a.UserID}, PurposeSelf
		case r.Municipality() != "":
			where, args, purpose = ` WHERE p.municipality_cbs = ?`, []any{r.Municipality()}, PurposePlacement
		case !can(a, access.ManageFinance):
			return forbidden()
		}
		var rows []Payment
		if err := tx.eachRow(ctx, `SELECT p.id, p.batch_id, p.candidate_id, p.municipality_cbs, p.year, p.premium_cents, p.travel_cents,
			p.excess_cents, p.amount_cents, b.execution_date, p.paid_at, COALESCE(pc.client_number, 0)
			FROM premium_payments p JOIN payout_batches b ON b.id = p.batch_id JOIN candidates pc ON pc.id = p.candidate_id`+where+`
			ORDER BY b.created_at DESC, b.message_id DESC, p.seq`, args, func(s scanner) error {
			var p Payment
			var paid sql.NullString
			err := s.Scan(&p.ID, &p.BatchID, &p.CandidateID, &p.Municipality, &p.Year, &p.Premium, &p.Travel, &p.Excess, &p.Amount, &p.Execution, &paid, &p.ClientNumber)
			if err == nil {
				err = scanDate(paid, &p.PaidAt)
			}
			rows = append(rows, p)
			return err
		}); err != nil {
			return err
		}
		table, err := tx.PremiumCapTable(ctx)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, p := range rows {
			_, s, err := tx.candidateSubject(ctx, p.CandidateID)
			if err != nil {
				return err
			}
			d := access.Decide(a, s, opstap.CatTimesheets, opstap.Read, "")
			if !d.Allowed {
				continue
			}
			if err := tx.eachRow(ctx, `SELECT month FROM premium_accruals WHERE payment_id = ? ORDER BY month`, []any{p.ID}, func(s scanner) error {
				var m opstap.Month
				err := s.Scan(&m)
				p.Months = append(p.Months, m)
				return err
			}); err != nil {
				return err
			}
			if c, err := billing.CapFor(table, p.Year); err == nil {
				var paid opstap.Cents
				// The year's premium up to and including this payment's batch.
				if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(q.premium_cents), 0) FROM premium_payments q JOIN payout_batches qb ON qb.id = q.batch_id
					WHERE q.candidate_id = ? AND q.year = ? AND qb.created_at <= (SELECT created_at FROM payout_batches WHERE id = ?)`,
					p.CandidateID, p.Year, p.BatchID).Scan(&paid); err != nil {
					return err
				}
				if st, err := billing.PremiumYear(c, paid, 0, p.Excess); err == nil {
					p.CapWarning = st.Warning
				}
			}
			e := candidateEntry(a, d, p.CandidateID, opstap.CatTimesheets, opstap.Read, purpose)
			e.Detail = "premium payment " + p.ID
			entries = append(entries, e)
			out = append(out, p)
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
}
