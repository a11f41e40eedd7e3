package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/period"
	"github.com/opstap/opstap/internal/sepa"
	"github.com/opstap/opstap/internal/vault"
)

// PurposePayout is paying candidates their premium and travel costs
// [003 art 5 lid 3, 9].
const PurposePayout = "payout"

// PayoutRequest is finance's order for a payout batch: every accrual of a
// closed month up to Through not yet paid, executed on ExecutionDate from
// the provider's account (DebtorIBAN, by default the IBAN of the provider's
// billing details).
type PayoutRequest struct {
	Through       opstap.Month `json:"through_month" validate:"required"`
	ExecutionDate opstap.Date  `json:"execution_date" validate:"required"`
	DebtorIBAN    string       `json:"debtor_iban,omitempty" validate:"max=34"` // default: the provider's billing IBAN
	DebtorBIC     string       `json:"debtor_bic,omitempty" validate:"max=11"`
}

// PayoutBatch is one pain.001 file.
type PayoutBatch struct {
	ID            string       `json:"id"`
	MessageID     string       `json:"message_id"`
	Through       opstap.Month `json:"through_month"`
	ExecutionDate opstap.Date  `json:"execution_date"`
	DebtorName    string       `json:"debtor_name"`
	DebtorIBAN    string       `json:"debtor_iban"`
	Payments      int          `json:"payments"`
	Total         opstap.Cents `json:"total_cents"`
	CreatedAt     time.Time    `json:"created_at"`
	// PaidOn is the day the bank executed the batch, as finance recorded
	// it (RecordPayoutPaid); null until then.
	PaidOn opstap.Date `json:"paid_on"`
	// Skipped lists the candidates (pseudonymous id) whose accruals stay
	// unpaid and why; only on the answer to the request that made it.
	Skipped []PayoutSkip `json:"skipped,omitempty"`
}

// PayoutSkip is a candidate left out of a batch.
type PayoutSkip struct {
	CandidateID string `json:"candidate_id"`
	Reason      string `json:"reason"`
}

// Why a candidate is left out besides billing's reasons.
const (
	SkipRestricted  = "restricted"    // processing restricted (AVG art 18)
	SkipNoBirthDate = "no_birth_date" // the premium cannot be decided
	SkipNoIBAN      = "no_iban"       // no valid IBAN in the financial data
	SkipNoAddress   = "no_address"    // SEPA needs a structured address
)

// Payment is one candidate's transfer, as finance, the municipality and the
// candidate see it: amounts and months, no name or IBAN.
type Payment struct {
	ID           string         `json:"id"`
	BatchID      string         `json:"batch_id"`
	CandidateID  string         `json:"candidate_id"` // pseudonymous
	ClientNumber int64          `json:"client_number,omitempty"`
	Municipality string         `json:"municipality"`
	Year         int            `json:"year"`
	Premium      opstap.Cents   `json:"premium_cents"`
	Travel       opstap.Cents   `json:"travel_cents"`
	Excess       opstap.Cents   `json:"excess_cents"`
	Amount       opstap.Cents   `json:"amount_cents"`
	Execution    opstap.Date    `json:"execution_date"` // the batch's requested execution date
	PaidAt       opstap.Date    `json:"paid_at"`        // null until finance records the batch as executed
	Months       []opstap.Month `json:"months"`
	CapWarning   bool           `json:"cap_warning"`
}

// creditor is the payee as sealed in the payment: the file can be made
// again as it was, while the candidate's key lives.
type creditor struct {
	Name    string       `json:"name"`
	IBAN    string       `json:"iban"`
	Address sepa.Address `json:"address"`
}

func (r *PayoutRequest) check(today opstap.Date) error {
	r.DebtorIBAN = candidate.NormaliseIBAN(r.DebtorIBAN)
	r.DebtorBIC = strings.ToUpper(strings.TrimSpace(r.DebtorBIC))
	switch {
	case r.Through.IsZero():
		return opstap.FieldError("through_month", "month is required")
	case r.ExecutionDate.IsZero() || r.ExecutionDate.Before(today):
		return opstap.FieldError("execution_date", "the execution date cannot be before the file is made")
	case !candidate.ValidIBAN(r.DebtorIBAN):
		return opstap.FieldError("debtor_iban", "IBAN check digits are wrong")
	}
	return nil
}

// payoutLine is an approved timesheet line not yet paid.
type payoutLine struct {
	candidateID, cbs string
	day              opstap.Date
	month            opstap.Month
	minutes          opstap.Minutes
	km               int64
	transit          opstap.Cents
}

// CreatePayoutBatch makes a payout batch: per candidate the premium the
// year's cap allows and the travel costs of every closed month up to
// req.Through not paid before. An accrual belongs to one payment only (the
// primary key of premium_accruals), so a second batch, also one made at
// the same moment, cannot pay it again. Each payee's basic and financial
// data are read under finance's access and logged.
func (db *DB) CreatePayoutBatch(ctx context.Context, a *opstap.Actor, req PayoutRequest) (*PayoutBatch, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	var out *PayoutBatch
	err := db.WithTx(ctx, func(tx *Tx) error {
		if strings.TrimSpace(req.DebtorIBAN) == "" {
			// The provider's own account from its billing details is the
			// default, so finance does not type it for every batch.
			seller, ok, err := tx.providerParty(ctx)
			if err != nil {
				return err
			}
			if !ok || seller.IBAN == "" {
				return opstap.FieldError("debtor_iban", "enter the account to pay from, or the provider's IBAN in the billing details")
			}
			req.DebtorIBAN = seller.IBAN
		}
		if err := req.check(opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		closed, err := tx.closedMonths(ctx)
		if err != nil {
			return err
		}
		if !period.IsClosed(closed, req.Through) {
			return opstap.FieldError("through_month", "close the month before paying its premiums")
		}
		table, err := tx.PremiumCapTable(ctx)
		if err != nil {
			return err
		}
		capRow, err := billing.CapFor(table, req.ExecutionDate.Year)
		if err != nil {
			return opstap.FieldError("execution_date", "no maximum premium is set for %d", req.ExecutionDate.Year)
		}
		lines, err := tx.unpaidLines(ctx, req.Through)
		if err != nil {
			return err
		}
		out = &PayoutBatch{ID: newID(), Through: req.Through, ExecutionDate: req.ExecutionDate, DebtorIBAN: req.DebtorIBAN, CreatedAt: tx.Now()}
		_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? ORDER BY created_at LIMIT 1`, string(opstap.OrgProvider)).Scan(&out.DebtorName)
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM payout_batches`).Scan(&n); err != nil {
			return err
		}
		out.MessageID = fmt.Sprintf("OPSTAP-PAY-%s-%04d", req.Through, n+1)
		if _, err := tx.exec(ctx, `INSERT INTO payout_batches (id, message_id, through_month, execution_date, debtor_name, debtor_iban, debtor_bic,
			payments, total_cents, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
			out.ID, out.MessageID, out.Through, out.ExecutionDate, out.DebtorName, out.DebtorIBAN, req.DebtorBIC, out.CreatedAt, a.UserID); err != nil {
			return err
		}
		pay := &payoutRun{tx: tx, a: a, batch: out, capRow: capRow, terms: map[string][]billing.Terms{}}
		for _, group := range groupByCandidate(lines) {
			if err := pay.candidate(ctx, group); err != nil {
				return err
			}
		}
		if len(pay.payments) == 0 {
			return opstap.FieldError("through_month", "there is nothing to pay up to this month")
		}
		file, err := sepa.CreditTransfer(pay.sepaBatch(req))
		if err != nil {
			return err
		}
		_ = file // made here to refuse a batch the bank would refuse; made again on download
		if _, err := tx.exec(ctx, `UPDATE payout_batches SET payments = ?, total_cents = ? WHERE id = ?`, out.Payments, out.Total, out.ID); err != nil {
			return err
		}
		e := entryFor(a, audit.EventWrite)
		e.Detail = "payout batch " + out.MessageID
		return tx.Audit(ctx, append(pay.entries, e)...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// owesAccruals reports whether a candidate has approved hours whose
// premium or travel costs were never paid (no accrual recorded), in any
// month: money owed to them, so their data stays [DOMAIN.md §4]. Hours
// that earn nothing (under 27, no travel) owe nothing, nor do days no
// contract terms cover (no premium was agreed for them); without a birth
// date the premium cannot be decided and counts as owed.
func (tx *Tx) owesAccruals(ctx context.Context, id string) (bool, error) {
	var lines []payoutLine
	if err := tx.eachRow(ctx, `SELECT l.candidate_id, s.municipality_cbs, l.day, l.month, l.minutes, l.travel_km, l.transit_cents
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		WHERE l.candidate_id = ? AND l.status = 'approved'
		AND NOT EXISTS (SELECT 1 FROM premium_accruals x WHERE x.candidate_id = l.candidate_id AND x.month = l.month)`, []any{id},
		func(s scanner) error {
			var l payoutLine
			err := s.Scan(&l.candidateID, &l.cbs, &l.day, &l.month, &l.minutes, &l.km, &l.transit)
			lines = append(lines, l)
			return err
		}); err != nil || len(lines) == 0 {
		return false, err
	}
	r := &payoutRun{tx: tx, terms: map[string][]billing.Terms{}}
	covered := lines[:0]
	for _, l := range lines {
		if _, err := r.termsOn(ctx, l.cbs, l.day); err == nil {
			covered = append(covered, l)
		} else if opstap.ErrorCode(err) != opstap.ECONFLICT {
			return false, err
		}
	}
	if len(covered) == 0 {
		return false, nil
	}
	days, err := r.days(ctx, covered)
	if err != nil {
		return false, err
	}
	b, err := tx.candidateBasic(ctx, id)
	if err != nil {
		return false, err
	}
	acc, err := billing.Accrue(b.BirthDate, days)
	if err != nil {
		return true, nil
	}
	for _, x := range acc {
		if x.Premium != 0 || x.Travel != 0 {
			return true, nil
		}
	}
	return false, nil
}

// unpaidLines are the approved lines of closed months up to through whose
// candidate's month has no accrual paid yet.
func (tx *Tx) unpaidLines(ctx context.Context, through opstap.Month) ([]payoutLine, error) {
	var out []payoutLine
	err := tx.eachRow(ctx, `SELECT l.candidate_id, s.municipality_cbs, l.day, l.month, l.minutes, l.travel_km, l.transit_cents
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		WHERE l.status = 'approved' AND l.month <= ? AND l.month IN (SELECT month FROM finance_periods)
		AND NOT EXISTS (SELECT 1 FROM premium_accruals x WHERE x.candidate_id = l.candidate_id AND x.month = l.month)
		ORDER BY l.candidate_id, l.day, l.id`, []any{through}, func(s scanner) error {
		var l payoutLine
		err := s.Scan(&l.candidateID, &l.cbs, &l.day, &l.month, &l.minutes, &l.km, &l.transit)
		out = append(out, l)
		return err
	})
	return out, err
}

func groupByCandidate(lines []payoutLine) [][]payoutLine {
	var out [][]payoutLine
	for i, l := range lines {
		if i == 0 || lines[i-1].candidateID != l.candidateID {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], l)
	}
	return out
}

// payoutRun is one batch being made.
type payoutRun struct {
	tx       *Tx
	a        *opstap.Actor
	batch    *PayoutBatch
	capRow   billing.Cap
	terms    map[string][]billing.Terms
	payments []sepa.Payment
	entries  []audit.Entry
}

// termsOn reads a municipality's versions once per batch.
func (r *payoutRun) termsOn(ctx context.Context, cbs string, d opstap.Date) (billing.Terms, error) {
	vs, ok := r.terms[cbs]
	if !ok {
		var err error
		if vs, err = r.tx.TermsVersions(ctx, cbs); err != nil {
			return billing.Terms{}, err
		}
		r.terms[cbs] = vs
	}
	t, ok := billing.TermsAt(vs, d)
	if !ok {
		return t, opstap.Errorf(opstap.ECONFLICT, "no contract terms of %s on %s", cbs, d.Dutch())
	}
	return t, nil
}

// days prices each line's travel by the terms in force on its day.
func (r *payoutRun) days(ctx context.Context, lines []payoutLine) ([]billing.WorkDay, error) {
	days := make([]billing.WorkDay, 0, len(lines))
	for _, l := range lines {
		t, err := r.termsOn(ctx, l.cbs, l.day)
		if err != nil {
			return nil, err
		}
		travel, err := billing.TravelCost(t, l.km, l.transit)
		if err != nil {
			return nil, err
		}
		days = append(days, billing.WorkDay{Date: l.day, Month: l.month, Minutes: l.minutes, Travel: travel, PremiumPerHour: t.PremiumPerHour})
	}
	return days, nil
}

func (r *payoutRun) skip(id, reason string) {
	r.batch.Skipped = append(r.batch.Skipped, PayoutSkip{id, reason})
}

// candidate pays one candidate's unpaid months, or records why not.
func (r *payoutRun) candidate(ctx context.Context, lines []payoutLine) error {
	tx, id := r.tx, lines[0].candidateID
	_, s, err := tx.candidateSubject(ctx, id)
	if err != nil {
		return err
	}
	basicD := access.Decide(r.a, s, opstap.CatBasic, opstap.Read, "")
	finD := access.Decide(r.a, s, opstap.CatFinancial, opstap.Read, "")
	if !basicD.Allowed || !finD.Allowed {
		r.skip(id, SkipRestricted)
		return nil
	}
	b, err := tx.candidateBasic(ctx, id)
	if err != nil {
		return err
	}
	var fin candidate.Financial
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.getCategory(ctx, dk, id, opstap.CatFinancial, &fin); err != nil {
		return err
	}
	r.entries = append(r.entries, candidateEntry(r.a, basicD, id, opstap.CatBasic, opstap.Read, PurposePayout),
		candidateEntry(r.a, finD, id, opstap.CatFinancial, opstap.Read, PurposePayout))
	days, err := r.days(ctx, lines)
	if err != nil {
		return err
	}
	acc, err := billing.Accrue(b.BirthDate, days)
	if err != nil {
		r.skip(id, SkipNoBirthDate)
		return nil
	}
	var paid opstap.Cents
	var payouts int
	if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(premium_cents), 0), COUNT(*) FROM premium_payments WHERE candidate_id = ? AND year = ?`,
		id, r.capRow.Year).Scan(&paid, &payouts); err != nil {
		return err
	}
	p, why, err := billing.PlanPayout(r.capRow, paid, payouts, acc)
	if err != nil {
		return err
	}
	cr := creditor{Name: strings.TrimSpace(b.FirstName + " " + b.LastName), IBAN: candidate.NormaliseIBAN(fin.IBAN),
		Address: sepa.Address{Street: b.Street, Number: b.HouseNumber, PostalCode: b.Postcode, City: b.City}}
	if fin.AccountHolder != "" {
		cr.Name = fin.AccountHolder
	}
	switch {
	case why != "":
		r.skip(id, why)
		return nil
	case !candidate.ValidIBAN(cr.IBAN):
		r.skip(id, SkipNoIBAN)
		return nil
	case cr.Address.Street == "" || cr.Address.PostalCode == "" || cr.Address.City == "":
		r.skip(id, SkipNoAddress)
		return nil
	}
	return r.insert(ctx, id, lines[0].cbs, p, acc, cr, dk)
}

func (r *payoutRun) insert(ctx context.Context, id, cbs string, p billing.Payout, acc []billing.Accrual, cr creditor, dk vault.DataKey) error {
	tx := r.tx
	payID := newID()
	plain, err := json.Marshal(cr)
	if err != nil {
		return err
	}
	sealed := sealer{dk, id}.seal("premium_payment/"+payID, string(plain))
	if _, err := tx.exec(ctx, `INSERT INTO premium_payments (id, batch_id, seq, candidate_id, municipality_cbs, year, premium_cents, travel_cents,
		excess_cents, amount_cents, creditor, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		payID, r.batch.ID, len(r.payments)+1, id, cbs, r.capRow.Year, p.Premium, p.Travel, p.Excess, p.Amount, sealed, nil); err != nil {
		return err
	}
	for _, x := range acc {
		if _, err := tx.exec(ctx, `INSERT INTO premium_accruals (candidate_id, month, minutes, premium_minutes, premium_cents, travel_cents, payment_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, x.Month, x.Minutes, x.PremiumMinutes, x.Premium, x.Travel, payID); err != nil {
			return err
		}
	}
	r.payments = append(r.payments, sepaPayment(payID, p.Amount, cr, r.batch.Through))
	r.batch.Payments++
	r.batch.Total, err = r.batch.Total.Add(p.Amount)
	return err
}

func sepaPayment(payID string, amount opstap.Cents, cr creditor, through opstap.Month) sepa.Payment {
	return sepa.Payment{EndToEndID: strings.ReplaceAll(payID, "-", ""), Amount: amount, Name: cr.Name, Address: cr.Address, IBAN: cr.IBAN,
		Remittance: "Premie en reiskosten t/m " + through.String()}
}

func (r *payoutRun) sepaBatch(req PayoutRequest) sepa.Batch {
	return sepa.Batch{MessageID: r.batch.MessageID, Created: r.batch.CreatedAt, ExecutionDate: r.batch.ExecutionDate,
		Debtor: sepa.Debtor{Name: r.batch.DebtorName, IBAN: r.batch.DebtorIBAN, BIC: req.DebtorBIC}, Payments: r.payments}
}
