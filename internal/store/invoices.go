package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/invoice"
)

// PurposeInvoicing is reading a candidate's name for the employer's invoice.
const PurposeInvoicing = "invoicing"

// InvoiceFiles renders an invoice as it goes out: the PDF and the SI-UBL
// e-invoice. The store keeps both with the record, so a download years
// later is the document that was sent, whatever the renderer became.
type InvoiceFiles func(inv *invoice.Invoice) (pdf, xml []byte, err error)

// InvoiceSummary is an issued invoice as lists show it.
type InvoiceSummary struct {
	ID           string         `json:"id"`
	Number       string         `json:"number"`
	Kind         invoice.Kind   `json:"kind"`
	Month        opstap.Month   `json:"month"`
	Municipality string         `json:"municipality"`
	BuyerID      string         `json:"buyer_id"`
	BuyerName    string         `json:"buyer_name"`
	IssueDate    opstap.Date    `json:"issue_date"`
	DueDate      opstap.Date    `json:"due_date"`
	Net          opstap.Cents   `json:"net_cents"`
	VAT          opstap.Cents   `json:"vat_cents"`
	Gross        opstap.Cents   `json:"gross_cents"`
	Corrects     string         `json:"corrects_id,omitempty"`
	CreditedBy   string         `json:"credited_by,omitempty"` // number of the credit note that cancels it
	PaidOn       opstap.Date    `json:"paid_on"`
	Status       string         `json:"status"` // open, paid, credited, credit
	Overdue      bool           `json:"overdue"`
	Kinds        []invoice.Kind `json:"-"`
}

// InvoiceFilter narrows the list of invoices.
type InvoiceFilter struct {
	Month        opstap.Month
	Municipality string
	Kind         invoice.Kind
	Status       string // open, paid, credit or ""
	Buyer        string // organisation id
	// Sort is SortNewest (the default: the latest invoice date first) or
	// SortOldest.
	Paging
}

var invoiceList = list{from: summaryFrom, id: "i.id", orders: map[string]listOrder{
	"":         {sql: "i.issue_date DESC, i.number DESC, i.id DESC"},
	SortNewest: {sql: "i.issue_date DESC, i.number DESC, i.id DESC"},
	SortOldest: {sql: "i.issue_date, i.number, i.id"},
}}

const summaryColumns = `i.id, i.number, i.kind, i.month, i.municipality_cbs, i.buyer_org_id, o.name, i.issue_date, i.due_date,
	i.net_cents, i.vat_cents, i.gross_cents, COALESCE(i.corrects_id, ''), COALESCE(c.number, ''), pay.paid_on`

const summaryFrom = ` FROM invoices i JOIN organisations o ON o.id = i.buyer_org_id
	LEFT JOIN invoice_payments pay ON pay.invoice_id = i.id
	LEFT JOIN invoices c ON c.corrects_id = i.id`

func (tx *Tx) summaries(ctx context.Context, where string, args []any) ([]InvoiceSummary, error) {
	out := []InvoiceSummary{}
	today := opstap.DateOf(tx.Now())
	err := tx.eachRow(ctx, `SELECT `+summaryColumns+summaryFrom+` WHERE `+where+` ORDER BY i.issue_date DESC, i.number DESC`, args,
		func(s scanner) error {
			var v InvoiceSummary
			var due, paid sql.NullString
			if err := s.Scan(&v.ID, &v.Number, &v.Kind, &v.Month, &v.Municipality, &v.BuyerID, &v.BuyerName, &v.IssueDate, &due,
				&v.Net, &v.VAT, &v.Gross, &v.Corrects, &v.CreditedBy, &paid); err != nil {
				return err
			}
			if err := scanDate(due, &v.DueDate); err != nil {
				return err
			}
			if err := scanDate(paid, &v.PaidOn); err != nil {
				return err
			}
			switch {
			case v.Kind == invoice.CreditNote:
				v.Status = "credit"
			case !v.PaidOn.IsZero():
				v.Status = "paid"
			case v.CreditedBy != "":
				v.Status = "credited"
			default:
				v.Status = "open"
				v.Overdue = today.After(v.DueDate)
			}
			out = append(out, v)
			return nil
		})
	return out, err
}

func scanDate(s sql.NullString, d *opstap.Date) error {
	if !s.Valid || s.String == "" {
		return nil
	}
	return d.Scan(s.String)
}

// invoiceScope returns the SQL condition limiting the invoices the actor
// sees: finance all of them, a municipality's case manager and a client
// employer those addressed to their own organisation, anyone else none.
func invoiceScope(a *opstap.Actor) (string, []any, error) {
	switch {
	case can(a, access.ManageFinance):
		return "1 = 1", nil, nil
	case can(a, access.ReadOwnInvoices) && a.OrgID != "":
		return "i.buyer_org_id = ?", []any{a.OrgID}, nil
	}
	return "", nil, forbidden()
}

// Invoices lists one page of the invoices the actor may see, filtered.
func (db *DB) Invoices(ctx context.Context, a *opstap.Actor, f InvoiceFilter) ([]InvoiceSummary, Page, error) {
	where, args, err := invoiceScope(a)
	if err != nil {
		return nil, Page{}, err
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, Page{}, opstap.FieldError("kind", "unknown invoice kind")
	}
	add := func(cond string, v any) {
		where += " AND " + cond
		args = append(args, v)
	}
	if !f.Month.IsZero() {
		add("i.month = ?", f.Month)
	}
	if f.Municipality != "" {
		add("i.municipality_cbs = ?", f.Municipality)
	}
	if f.Kind != "" {
		add("i.kind = ?", string(f.Kind))
	}
	if f.Buyer != "" {
		add("i.buyer_org_id = ?", f.Buyer)
	}
	switch f.Status {
	case "":
	case "open":
		where += " AND i.kind <> 'credit_note' AND pay.paid_on IS NULL AND c.id IS NULL"
	case "paid":
		where += " AND pay.paid_on IS NOT NULL"
	case "credit":
		where += " AND i.kind = 'credit_note'"
	default:
		return nil, Page{}, opstap.FieldError("status", "status is open, paid or credit")
	}
	var out []InvoiceSummary
	var pg Page
	err = db.WithTx(ctx, func(tx *Tx) error {
		out, pg, err = loadPage(ctx, tx, invoiceList, where, args, f.Paging, func(in string, inArgs []any) ([]InvoiceSummary, error) {
			return tx.summaries(ctx, in, inArgs)
		}, func(s InvoiceSummary) string { return s.ID })
		return err
	})
	return out, pg, err
}

// Invoice returns one issued invoice as it went out, with its payment.
func (db *DB) Invoice(ctx context.Context, a *opstap.Actor, id string) (*invoice.Invoice, *InvoiceSummary, error) {
	where, args, err := invoiceScope(a)
	if err != nil {
		return nil, nil, err
	}
	var inv invoice.Invoice
	var sum InvoiceSummary
	err = db.WithTx(ctx, func(tx *Tx) error {
		ss, err := tx.summaries(ctx, where+" AND i.id = ?", append(args, id))
		if err != nil {
			return err
		}
		if len(ss) == 0 {
			return opstap.Errorf(opstap.ENOTFOUND, "no such invoice")
		}
		sum = ss[0]
		var doc string
		if err := tx.queryRow(ctx, `SELECT document FROM invoices WHERE id = ?`, id).Scan(&doc); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &inv); err != nil {
			return err
		}
		inv.PaidOn = sum.PaidOn
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return &inv, &sum, nil
}

// InvoiceFile returns an issued invoice's PDF ("pdf") or e-invoice ("xml")
// and its file name. The download is in the audit log: an employer's
// invoice names the candidates who worked.
func (db *DB) InvoiceFile(ctx context.Context, a *opstap.Actor, id, format string) ([]byte, string, error) {
	col := map[string]string{"pdf": "pdf", "xml": "ubl"}[format]
	if col == "" {
		return nil, "", opstap.FieldError("format", "format is pdf or xml")
	}
	where, args, err := invoiceScope(a)
	if err != nil {
		return nil, "", err
	}
	var b []byte
	var number string
	err = db.WithTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT i.number, i.`+col+` FROM invoices i WHERE `+where+` AND i.id = ?`, append(args, id)...).Scan(&number, &b)
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such invoice")
		} else if err != nil {
			return err
		}
		e := entryFor(a, audit.EventExport)
		e.Detail = "invoice " + number + " " + format
		return tx.Audit(ctx, e)
	})
	return b, number + "." + format, err
}

// RecordPayment records that an invoice was paid on a day (finance). It is
// recorded once: a wrong date is corrected by the auditor's trail, not by
// overwriting it.
func (db *DB) RecordPayment(ctx context.Context, a *opstap.Actor, id string, paidOn opstap.Date) error {
	if !can(a, access.ManageFinance) {
		return forbidden()
	}
	if paidOn.IsZero() {
		return opstap.FieldError("paid_on", "the payment date is required")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		ss, err := tx.summaries(ctx, "i.id = ?", []any{id})
		if err != nil {
			return err
		}
		if len(ss) == 0 {
			return opstap.Errorf(opstap.ENOTFOUND, "no such invoice")
		}
		s := ss[0]
		switch {
		case s.Kind == invoice.CreditNote:
			return opstap.Errorf(opstap.ECONFLICT, "a credit note is not paid")
		case s.Status == "paid":
			return opstap.Errorf(opstap.ECONFLICT, "this invoice is already paid")
		case s.Status == "credited":
			return opstap.Errorf(opstap.ECONFLICT, "this invoice was credited")
		case paidOn.Before(s.IssueDate):
			return opstap.FieldError("paid_on", "the payment date cannot be before the invoice date")
		case paidOn.After(opstap.DateOf(tx.Now())):
			return opstap.FieldError("paid_on", "the payment date cannot be in the future")
		}
		if _, err := tx.exec(ctx, `INSERT INTO invoice_payments (invoice_id, paid_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?)`,
			id, paidOn, a.UserID, tx.Now()); err != nil {
			return err
		}
		e := entryFor(a, audit.EventInvoice)
		e.Detail = "payment of invoice " + s.Number + " on " + paidOn.String()
		return tx.Audit(ctx, e)
	})
}

// CreditInvoice issues the credit note that cancels an invoice in full,
// in its own series, referring to it (finance). An invoice is credited once.
func (db *DB) CreditInvoice(ctx context.Context, a *opstap.Actor, id, reason string, files InvoiceFiles) (*InvoiceSummary, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, opstap.FieldError("reason", "state why the invoice is credited")
	}
	var out *InvoiceSummary
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.openInvoice(ctx, id); err != nil {
			return err
		}
		var err error
		out, err = tx.credit(ctx, a, id, reason, files)
		return err
	})
	return out, err
}

// openInvoice returns an issued invoice that a credit note may still
// cancel: not a credit note itself, not paid, not credited before.
func (tx *Tx) openInvoice(ctx context.Context, id string) (*InvoiceSummary, error) {
	ss, err := tx.summaries(ctx, "i.id = ?", []any{id})
	switch {
	case err != nil:
		return nil, err
	case len(ss) == 0:
		return nil, opstap.Errorf(opstap.ENOTFOUND, "no such invoice")
	case ss[0].Kind == invoice.CreditNote:
		return nil, opstap.Errorf(opstap.ECONFLICT, "a credit note is not credited")
	case ss[0].Status == "paid":
		return nil, opstap.Errorf(opstap.ECONFLICT, "a paid invoice is corrected by a new invoice or a refund, not a credit note")
	case ss[0].CreditedBy != "":
		return nil, opstap.Errorf(opstap.ECONFLICT, "this invoice was credited")
	}
	return &ss[0], nil
}

// credit issues the credit note cancelling invoice id in the caller's
// transaction.
func (tx *Tx) credit(ctx context.Context, a *opstap.Actor, id, reason string, files InvoiceFiles) (*InvoiceSummary, error) {
	var doc string
	if err := tx.queryRow(ctx, `SELECT document FROM invoices WHERE id = ?`, id).Scan(&doc); err != nil {
		return nil, err
	}
	var inv invoice.Invoice
	if err := json.Unmarshal([]byte(doc), &inv); err != nil {
		return nil, err
	}
	cn, err := inv.Credit(opstap.DateOf(tx.Now()), reason)
	if err != nil {
		return nil, err
	}
	if err := tx.issue(ctx, a, cn, files); err != nil {
		return nil, err
	}
	s, err := tx.summaries(ctx, "i.id = ?", []any{cn.ID})
	if err != nil || len(s) != 1 {
		return nil, errors.Join(err, errors.New("the credit note just issued is not found"))
	}
	return &s[0], nil
}

// Reissue is what ReissueInvoice issued: the credit note of the stale
// invoice and its replacement (nil when the month now bills nothing).
type Reissue struct {
	CreditNote InvoiceSummary  `json:"credit_note"`
	Invoice    *InvoiceSummary `json:"invoice"`
}

// ReissueInvoice replaces a stale invoice (finance): one whose month was
// reopened and whose approved hours, or the monthly charges, changed
// since it was issued. In one transaction it issues the credit note that
// cancels it and the month's invoice as it now stands, each numbered in
// its series (no gap: a rollback gives both numbers back). Only in a
// closed month, so the hours stand still; a paid invoice is corrected by
// a new invoice or a refund instead.
func (db *DB) ReissueInvoice(ctx context.Context, a *opstap.Actor, id string, files InvoiceFiles) (*Reissue, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	out := &Reissue{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		old, err := tx.openInvoice(ctx, id)
		if err != nil {
			return err
		}
		plan, err := tx.planMonth(ctx, old.Month)
		if err != nil {
			return err
		}
		if !plan.view.Closed {
			return opstap.FieldError("month", "close the month before invoicing it: after closing its hours no longer change")
		}
		var due *InvoiceRef
		var net opstap.Cents
		employerID := ""
		for _, mm := range plan.view.Municipalities {
			if mm.CBS != old.Municipality {
				continue
			}
			if old.Kind == invoice.Municipality {
				due, net = mm.Issued, mm.Charges
			}
			for _, e := range mm.Employers {
				if old.Kind == invoice.Employer && e.EmployerID == old.BuyerID {
					due, net, employerID = e.Issued, e.Net, e.EmployerID
				}
			}
		}
		if due == nil || due.ID != id || !due.Stale {
			return opstap.Errorf(opstap.ECONFLICT, "this invoice still matches the month's approved hours")
		}
		reason := "Vervangen: de goedgekeurde uren of de bedragen van " + invoice.MonthName(old.Month) +
			" zijn gewijzigd nadat de maand is heropend."
		cn, err := tx.credit(ctx, a, id, reason, files)
		if err != nil {
			return err
		}
		out.CreditNote = *cn
		t, ok := plan.terms[old.Municipality]
		if !ok || net == 0 {
			return nil
		}
		inv, err := tx.buildInvoice(ctx, a, old.Month, old.Kind, old.Municipality, employerID, t, plan)
		if err != nil {
			return err
		}
		if err := tx.issue(ctx, a, inv, files); err != nil {
			return err
		}
		s, err := tx.summaries(ctx, "i.id = ?", []any{inv.ID})
		if err == nil && len(s) == 1 {
			out.Invoice = &s[0]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// nextNumber allocates the next number of a series in a year. It runs in
// the issuing transaction: the row's lock (PostgreSQL) or the database's
// write lock (SQLite) serialises issuers, and a transaction that rolls back
// gives its number back, so the series has neither gaps nor duplicates.
func (tx *Tx) nextNumber(ctx context.Context, series string, year int) (int64, error) {
	if _, err := tx.exec(ctx, `INSERT INTO invoice_numbers (series, year, last) VALUES (?, ?, 0) ON CONFLICT (series, year) DO NOTHING`,
		series, year); err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `UPDATE invoice_numbers SET last = last + 1 WHERE series = ? AND year = ?`, series, year); err != nil {
		return 0, err
	}
	var n int64
	err := tx.queryRow(ctx, `SELECT last FROM invoice_numbers WHERE series = ? AND year = ?`, series, year).Scan(&n)
	return n, err
}

var errAlreadyIssued = opstap.Errorf(opstap.ECONFLICT, "this invoice is already issued")

// issue numbers, renders and records an invoice in the caller's
// transaction, with its audit entry.
func (tx *Tx) issue(ctx context.Context, a *opstap.Actor, inv *invoice.Invoice, files InvoiceFiles) error {
	year := inv.IssueDate.Year
	// A month's invoice for a buyer exists once; one that a credit note
	// cancelled makes way for the next round. Two issuers that read the
	// same round meet at the unique index, and one rolls back.
	var round, open int
	if inv.Kind != invoice.CreditNote {
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM invoices c WHERE c.corrects_id = i.id) THEN 1 ELSE 0 END), 0)
			FROM invoices i WHERE i.kind = ? AND i.month = ? AND i.municipality_cbs = ? AND i.buyer_org_id = ? AND i.corrects_id IS NULL`,
			string(inv.Kind), inv.Month, inv.Municipality, inv.Buyer.OrgID).Scan(&round, &open); err != nil {
			return err
		}
		if open > 0 {
			return errAlreadyIssued
		}
	}
	seq, err := tx.nextNumber(ctx, inv.Kind.Series(), year)
	if err != nil {
		return err
	}
	inv.ID, inv.Number = newID(), invoice.Number(inv.Kind.Series(), year, seq)
	pdf, xml, err := files(inv)
	if err != nil {
		return err
	}
	doc, err := json.Marshal(inv)
	if err != nil {
		return err
	}
	var due any
	if !inv.DueDate.IsZero() {
		due = inv.DueDate
	}
	var corrects any
	if inv.CorrectsID != "" {
		corrects = inv.CorrectsID
	}
	if _, err := tx.exec(ctx, `INSERT INTO invoices (id, number, series, year, seq, kind, month, municipality_cbs, buyer_org_id, issue_date,
		due_date, net_cents, vat_cents, gross_cents, corrects_id, document, pdf, ubl, issued_by, issued_at, round)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.ID, inv.Number, inv.Kind.Series(), year, seq, string(inv.Kind), inv.Month, inv.Municipality, inv.Buyer.OrgID, inv.IssueDate,
		due, inv.Totals.Net, inv.Totals.VAT, inv.Totals.Gross, corrects, string(doc), pdf, xml, a.UserID, tx.Now(), round); err != nil {
		return err
	}
	for i, l := range inv.Lines {
		if _, err := tx.exec(ctx, `INSERT INTO invoice_lines (invoice_id, pos, placement_id, candidate_id, minutes, quantity, unit_price_cents,
			net_cents, vat_bp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, i+1, nullIfEmpty(l.PlacementID), nullIfEmpty(l.CandidateID), l.Minutes, l.Quantity, l.UnitPrice, l.Net, l.VAT); err != nil {
			return err
		}
	}
	e := entryFor(a, audit.EventInvoice)
	e.Detail = "issued " + string(inv.Kind) + " " + inv.Number + " for " + inv.Month.String()
	return tx.Audit(ctx, e)
}
