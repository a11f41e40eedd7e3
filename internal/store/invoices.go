package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/period"
)

// PurposeInvoicing is reading a candidate's name for the employer's invoice.
const PurposeInvoicing = "invoicing"

// InvoiceFiles renders an invoice as it goes out: the PDF and the SI-UBL
// e-invoice. The store keeps both with the record, so a download years
// later is the document that was sent, whatever the renderer became.
type InvoiceFiles func(inv *invoice.Invoice) (pdf, xml []byte, err error)

const partyColumns = `b.legal_id, b.legal_scheme, b.vat_number, b.street, b.house_number, b.postal_code, b.city, b.email, b.iban, b.buyer_reference`

// BillingParty is an organisation with its invoicing details, nil when
// finance has not entered them.
type BillingParty struct {
	OrgID   string         `json:"org_id"`
	Name    string         `json:"name"`
	Kind    opstap.OrgKind `json:"kind"`
	Details *invoice.Party `json:"details"`
}

// BillingParties lists the provider, the municipalities and the client
// employers with their invoicing details, for finance.
func (db *DB) BillingParties(ctx context.Context, a *opstap.Actor) ([]BillingParty, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	out := []BillingParty{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT o.id, o.name, o.kind, b.org_id IS NOT NULL, COALESCE(b.legal_id, ''), COALESCE(b.legal_scheme, ''),
			COALESCE(b.vat_number, ''), COALESCE(b.street, ''), COALESCE(b.house_number, ''), COALESCE(b.postal_code, ''), COALESCE(b.city, ''),
			COALESCE(b.email, ''), COALESCE(b.iban, ''), COALESCE(b.buyer_reference, '')
			FROM organisations o LEFT JOIN billing_parties b ON b.org_id = o.id
			WHERE o.kind IN ('provider','municipality','client_employer') ORDER BY o.kind DESC, o.name`, nil, func(s scanner) error {
			var bp BillingParty
			var p invoice.Party
			var has bool
			if err := s.Scan(&bp.OrgID, &bp.Name, &bp.Kind, &has, &p.LegalID, &p.LegalScheme, &p.VATNumber, &p.Street, &p.HouseNumber,
				&p.PostalCode, &p.City, &p.Email, &p.IBAN, &p.BuyerReference); err != nil {
				return err
			}
			if has {
				p.OrgID, p.Name = bp.OrgID, bp.Name
				bp.Details = &p
			}
			out = append(out, bp)
			return nil
		})
	})
	return out, err
}

// SetBillingParty records an organisation's invoicing details (finance).
// They are configuration, not an issued record: a change reaches the next
// invoice, never one already issued (those keep their copy).
func (db *DB) SetBillingParty(ctx context.Context, a *opstap.Actor, orgID string, p invoice.Party) error {
	if !can(a, access.ManageFinance) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var kind opstap.OrgKind
		err := tx.queryRow(ctx, `SELECT name, kind FROM organisations WHERE id = ?`, orgID).Scan(&p.Name, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such organisation")
		} else if err != nil {
			return err
		}
		p.OrgID = orgID
		if err := p.Check(kind == opstap.OrgProvider); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM billing_parties WHERE org_id = ?`, orgID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO billing_parties (org_id, legal_id, legal_scheme, vat_number, street, house_number, postal_code,
			city, email, iban, buyer_reference, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, p.LegalID, string(p.LegalScheme), p.VATNumber, p.Street, p.HouseNumber, p.PostalCode, p.City, p.Email, p.IBAN,
			p.BuyerReference, a.UserID, tx.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, orgEntry(a, "billing details of organisation "+orgID))
	})
}

// billingParty reads an organisation's invoicing details; ok is false when
// finance has not entered them.
func (tx *Tx) billingParty(ctx context.Context, orgID string) (p invoice.Party, ok bool, err error) {
	err = tx.queryRow(ctx, `SELECT o.name, `+partyColumns+` FROM organisations o JOIN billing_parties b ON b.org_id = o.id WHERE o.id = ?`, orgID).
		Scan(&p.Name, &p.LegalID, &p.LegalScheme, &p.VATNumber, &p.Street, &p.HouseNumber, &p.PostalCode, &p.City, &p.Email, &p.IBAN, &p.BuyerReference)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	p.OrgID = orgID
	return p, err == nil, err
}

// providerParty is the seller: the provider organisation's details.
func (tx *Tx) providerParty(ctx context.Context) (invoice.Party, bool, error) {
	var id string
	err := tx.queryRow(ctx, `SELECT o.id FROM organisations o JOIN billing_parties b ON b.org_id = o.id WHERE o.kind = 'provider' ORDER BY o.created_at LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return invoice.Party{}, false, nil
	} else if err != nil {
		return invoice.Party{}, false, err
	}
	return tx.billingParty(ctx, id)
}

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
}

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

// Invoices lists the invoices the actor may see, filtered.
func (db *DB) Invoices(ctx context.Context, a *opstap.Actor, f InvoiceFilter) ([]InvoiceSummary, error) {
	where, args, err := invoiceScope(a)
	if err != nil {
		return nil, err
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, opstap.FieldError("kind", "unknown invoice kind")
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
		return nil, opstap.FieldError("status", "status is open, paid or credit")
	}
	var out []InvoiceSummary
	err = db.WithTx(ctx, func(tx *Tx) error {
		out, err = tx.summaries(ctx, where, args)
		return err
	})
	return out, err
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

// EmployerDue is one client employer's invoice of a month within a
// municipality: to issue, or issued.
type EmployerDue struct {
	EmployerID string         `json:"employer_id"`
	Name       string         `json:"name"`
	Placements int            `json:"placements"`
	Minutes    opstap.Minutes `json:"minutes"`
	Net        opstap.Cents   `json:"net_cents"`
	Issued     *InvoiceRef    `json:"issued"`
	Missing    string         `json:"missing,omitempty"` // why it cannot be issued yet
}

// InvoiceRef points at an issued invoice.
type InvoiceRef struct {
	ID     string       `json:"id"`
	Number string       `json:"number"`
	Net    opstap.Cents `json:"net_cents"`
	Gross  opstap.Cents `json:"gross_cents"`
	Paid   bool         `json:"paid"`
	// Stale: the invoice no longer matches the month's approved hours (or,
	// for the monthly invoice, the charges), which changed after the month
	// was reopened; finance credits and reissues it (ReissueInvoice).
	Stale   bool           `json:"stale"`
	minutes opstap.Minutes // billed, for employer invoices
	buyer   string         // buyer's name
}

// MunicipalityMonth is one municipality's month for finance: revenue, fee
// and the invoices to issue or issued.
type MunicipalityMonth struct {
	CBS       string           `json:"municipality"`
	Name      string           `json:"name"`
	Terms     bool             `json:"terms"` // contract terms apply to the month
	Fee       invoice.MonthFee `json:"fee"`
	Charges   opstap.Cents     `json:"charges_cents"` // net of the monthly invoice
	Issued    *InvoiceRef      `json:"issued"`        // the monthly invoice, when issued
	Missing   string           `json:"missing,omitempty"`
	Employers []EmployerDue    `json:"employers"`
}

// InvoiceMonth is finance's month page.
type InvoiceMonth struct {
	Month          opstap.Month        `json:"month"`
	Closed         bool                `json:"closed"`
	SellerReady    bool                `json:"seller_ready"`
	ToIssue        int                 `json:"to_issue"`
	Stale          int                 `json:"stale"` // issued invoices that no longer match
	Municipalities []MunicipalityMonth `json:"municipalities"`
}

// monthHoursRow is one placement's approved minutes booked in a month.
type monthHoursRow struct {
	cbs, employerID, employerName string
	row                           invoice.HoursRow
}

// monthHours totals per placement the approved minutes booked in month m,
// from the covering index; placements are joined to the totals.
func (tx *Tx) monthHours(ctx context.Context, m opstap.Month) ([]monthHoursRow, error) {
	var out []monthHoursRow
	err := tx.eachRow(ctx, `SELECT s.municipality_cbs, s.employer_org_id, o.name, p.id, p.candidate_id, s.title, s.hourly_rate_cents, t.minutes
		FROM (SELECT placement_id, SUM(minutes) AS minutes FROM timesheet_lines WHERE month = ? AND status = 'approved' GROUP BY placement_id) t
		JOIN placements p ON p.id = t.placement_id JOIN assignments s ON s.id = p.assignment_id
		JOIN organisations o ON o.id = s.employer_org_id
		ORDER BY s.municipality_cbs, o.name, s.employer_org_id, s.title, p.id`, []any{m}, func(s scanner) error {
		var r monthHoursRow
		err := s.Scan(&r.cbs, &r.employerID, &r.employerName, &r.row.PlacementID, &r.row.CandidateID, &r.row.Assignment, &r.row.Rate, &r.row.Minutes)
		out = append(out, r)
		return err
	})
	return out, err
}

// monthPlan is what a month's invoicing computes before issuing.
type monthPlan struct {
	view   InvoiceMonth
	hours  map[string][]invoice.HoursRow // by municipality + "/" + employer
	terms  map[string]billing.Terms
	seller invoice.Party
	issued map[string]InvoiceRef // by kind/cbs/buyer
}

func (tx *Tx) planMonth(ctx context.Context, m opstap.Month) (*monthPlan, error) {
	if m.IsZero() {
		return nil, opstap.FieldError("month", "month is required")
	}
	p := &monthPlan{view: InvoiceMonth{Month: m, Municipalities: []MunicipalityMonth{}}, hours: map[string][]invoice.HoursRow{},
		terms: map[string]billing.Terms{}, issued: map[string]InvoiceRef{}}
	closed, err := tx.closedMonths(ctx)
	if err != nil {
		return nil, err
	}
	p.view.Closed = period.IsClosed(closed, m)
	if p.seller, p.view.SellerReady, err = tx.providerParty(ctx); err != nil {
		return nil, err
	}
	if err := tx.eachRow(ctx, `SELECT i.id, i.number, i.net_cents, i.gross_cents, i.kind, i.municipality_cbs, i.buyer_org_id, o.name,
		COALESCE((SELECT SUM(l.minutes) FROM invoice_lines l WHERE l.invoice_id = i.id), 0),
		EXISTS (SELECT 1 FROM invoice_payments pay WHERE pay.invoice_id = i.id)
		FROM invoices i JOIN organisations o ON o.id = i.buyer_org_id
		WHERE i.month = ? AND i.corrects_id IS NULL AND NOT EXISTS (SELECT 1 FROM invoices c WHERE c.corrects_id = i.id)`, []any{m},
		func(s scanner) error {
			var r InvoiceRef
			var kind, cbs, buyer string
			if err := s.Scan(&r.ID, &r.Number, &r.Net, &r.Gross, &kind, &cbs, &buyer, &r.buyer, &r.minutes, &r.Paid); err != nil {
				return err
			}
			p.issued[kind+"/"+cbs+"/"+buyer] = r
			return nil
		}); err != nil {
		return nil, err
	}
	rows, err := tx.monthHours(ctx, m)
	if err != nil {
		return nil, err
	}
	// Every municipality with terms in force in the month, and every one
	// with hours, in name order.
	var muns []MunicipalityMonth
	orgOf := map[string]string{}
	if err := tx.eachRow(ctx, `SELECT cbs_code, name, id FROM organisations WHERE kind = 'municipality' AND cbs_code <> '' ORDER BY name`, nil,
		func(s scanner) error {
			var mm MunicipalityMonth
			var id string
			err := s.Scan(&mm.CBS, &mm.Name, &id)
			orgOf[mm.CBS] = id
			muns = append(muns, mm)
			return err
		}); err != nil {
		return nil, err
	}
	byCBS := map[string][]monthHoursRow{}
	for _, r := range rows {
		byCBS[r.cbs] = append(byCBS[r.cbs], r)
	}
	for _, mm := range muns {
		vs, err := tx.TermsVersions(ctx, mm.CBS)
		if err != nil {
			return nil, err
		}
		t, ok := billing.TermsAt(vs, m.Last())
		if !ok && len(byCBS[mm.CBS]) == 0 {
			continue
		}
		mm.Terms = ok
		mm.Employers = []EmployerDue{}
		if ok {
			p.terms[mm.CBS] = t
		} else {
			mm.Missing = "no contract terms apply to this month"
		}
		var revenue opstap.Cents
		for _, r := range byCBS[mm.CBS] {
			n := len(mm.Employers)
			if n == 0 || mm.Employers[n-1].EmployerID != r.employerID {
				mm.Employers = append(mm.Employers, EmployerDue{EmployerID: r.employerID, Name: r.employerName})
				n++
			}
			e := &mm.Employers[n-1]
			e.Placements++
			// Minutes sum like cents: checked, never wrapping.
			sum, err := opstap.Cents(e.Minutes).Add(opstap.Cents(r.row.Minutes))
			if err != nil {
				return nil, err
			}
			e.Minutes = opstap.Minutes(sum)
			net, err := billing.HoursLine(r.row.Minutes, r.row.Rate)
			if err != nil {
				return nil, err
			}
			if e.Net, err = e.Net.Add(net); err != nil {
				return nil, err
			}
			if revenue, err = revenue.Add(net); err != nil {
				return nil, err
			}
			key := mm.CBS + "/" + r.employerID
			p.hours[key] = append(p.hours[key], r.row)
		}
		// An employer invoiced for the month whose approved hours are all
		// gone since (rejected or corrected to zero after a reopening)
		// is still listed: its invoice is stale.
		for _, key := range slices.Sorted(maps.Keys(p.issued)) {
			ref := p.issued[key]
			kind, rest, _ := strings.Cut(key, "/")
			cbs, employerID, _ := strings.Cut(rest, "/")
			if kind != string(invoice.Employer) || cbs != mm.CBS || slices.ContainsFunc(mm.Employers, func(e EmployerDue) bool { return e.EmployerID == employerID }) {
				continue
			}
			mm.Employers = append(mm.Employers, EmployerDue{EmployerID: employerID, Name: ref.buyer})
		}
		for i := range mm.Employers {
			e := &mm.Employers[i]
			if ref, ok := p.issued[string(invoice.Employer)+"/"+mm.CBS+"/"+e.EmployerID]; ok {
				ref.Stale = ref.Net != e.Net || ref.minutes != e.Minutes
				if ref.Stale {
					p.view.Stale++
				}
				e.Issued = &ref
				continue
			}
			if _, ok, err := tx.billingParty(ctx, e.EmployerID); err != nil {
				return nil, err
			} else if !ok {
				e.Missing = "billing details missing"
			} else if e.Net != 0 && mm.Terms {
				p.view.ToIssue++
			}
		}
		if ok {
			if mm.Fee, err = invoice.FeeOf(revenue, t); err != nil {
				return nil, err
			}
			cs, err := billing.MonthlyCharges(t)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				if mm.Charges, err = mm.Charges.Add(c.Net); err != nil {
					return nil, err
				}
			}
		} else {
			mm.Fee.Revenue = revenue
		}
		if ref, ok := p.issued[string(invoice.Municipality)+"/"+mm.CBS+"/"+orgOf[mm.CBS]]; ok {
			ref.Stale = mm.Terms && ref.Net != mm.Charges
			if ref.Stale {
				p.view.Stale++
			}
			mm.Issued = &ref
		} else if _, has, err := tx.billingParty(ctx, orgOf[mm.CBS]); err != nil {
			return nil, err
		} else if !has && mm.Missing == "" {
			mm.Missing = "billing details missing"
		} else if has && mm.Terms && mm.Charges != 0 {
			p.view.ToIssue++
		}
		p.view.Municipalities = append(p.view.Municipalities, mm)
	}
	return p, nil
}

// FinanceMonth returns finance's view of a month's invoicing.
func (db *DB) FinanceMonth(ctx context.Context, a *opstap.Actor, m opstap.Month) (*InvoiceMonth, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	var out *InvoiceMonth
	err := db.WithTx(ctx, func(tx *Tx) error {
		p, err := tx.planMonth(ctx, m)
		if err == nil {
			out = &p.view
		}
		return err
	})
	return out, err
}

// IssueMonth issues every invoice of a closed month that is not issued
// yet: per municipality the employers' hours invoices and the monthly
// invoice. Each invoice is issued in its own transaction, which allocates
// its number; running it again, or twice at once, issues nothing twice
// (one invoice per kind, month, municipality and buyer). It returns the
// invoices it issued.
func (db *DB) IssueMonth(ctx context.Context, a *opstap.Actor, m opstap.Month, files InvoiceFiles) ([]InvoiceSummary, error) {
	if !can(a, access.ManageFinance) {
		return nil, forbidden()
	}
	var plan *monthPlan
	if err := db.WithTx(ctx, func(tx *Tx) (err error) {
		plan, err = tx.planMonth(ctx, m)
		return err
	}); err != nil {
		return nil, err
	}
	switch {
	case !plan.view.Closed:
		return nil, opstap.FieldError("month", "close the month before invoicing it: after closing its hours no longer change")
	case !plan.view.SellerReady:
		return nil, opstap.Errorf(opstap.ECONFLICT, "the provider's billing details are missing")
	}
	out := []InvoiceSummary{}
	for _, mm := range plan.view.Municipalities {
		t, ok := plan.terms[mm.CBS]
		if !ok {
			continue
		}
		for _, e := range mm.Employers {
			if e.Issued != nil || e.Missing != "" || e.Net == 0 {
				continue
			}
			s, err := db.issueOne(ctx, a, m, invoice.Employer, mm.CBS, e.EmployerID, t, plan, files)
			if err != nil {
				return out, err
			}
			if s != nil {
				out = append(out, *s)
			}
		}
		if mm.Issued != nil || mm.Missing != "" || mm.Charges == 0 {
			continue
		}
		s, err := db.issueOne(ctx, a, m, invoice.Municipality, mm.CBS, "", t, plan, files)
		if err != nil {
			return out, err
		}
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, nil
}

// issueOne builds and issues one invoice in its own transaction; nil when
// another run issued it first.
func (db *DB) issueOne(ctx context.Context, a *opstap.Actor, m opstap.Month, kind invoice.Kind, cbs, employerID string, t billing.Terms,
	plan *monthPlan, files InvoiceFiles) (*InvoiceSummary, error) {
	var out *InvoiceSummary
	err := db.WithTx(ctx, func(tx *Tx) error {
		inv, err := tx.buildInvoice(ctx, a, m, kind, cbs, employerID, t, plan)
		if err != nil {
			return err
		}
		if err := tx.issue(ctx, a, inv, files); err != nil {
			return err
		}
		s, err := tx.summaries(ctx, "i.id = ?", []any{inv.ID})
		if err == nil && len(s) == 1 {
			out = &s[0]
		}
		return err
	})
	if errors.Is(err, errAlreadyIssued) || opstap.ErrorCode(err) == opstap.ECONFLICT && opstap.AsError(err).Message == "already exists" {
		return nil, nil // a concurrent run issued it
	}
	return out, err
}

// buildInvoice makes the month's invoice of one buyer from the plan:
// an employer's hours (names read through the access policy and logged)
// or the municipality's monthly charges, finished but not yet numbered.
func (tx *Tx) buildInvoice(ctx context.Context, a *opstap.Actor, m opstap.Month, kind invoice.Kind, cbs, employerID string, t billing.Terms,
	plan *monthPlan) (*invoice.Invoice, error) {
	inv := &invoice.Invoice{Kind: kind, Month: m, Municipality: cbs, IssueDate: opstap.DateOf(tx.Now()), PaymentDays: t.PaymentDays,
		Seller: plan.seller}
	missing := opstap.Errorf(opstap.ECONFLICT, "billing details missing")
	var ok bool
	var err error
	switch kind {
	case invoice.Employer:
		if inv.Buyer, ok, err = tx.billingParty(ctx, employerID); err != nil || !ok {
			return nil, errors.Join(err, missing)
		}
		rows := plan.hours[cbs+"/"+employerID]
		var entries []audit.Entry
		for i := range rows {
			e, err := tx.invoiceName(ctx, a, &rows[i])
			if err != nil {
				return nil, err
			}
			if e.Event != "" {
				entries = append(entries, e)
			}
		}
		if inv.Lines, err = invoice.EmployerLines(m, rows, t.VATRate); err != nil {
			return nil, err
		}
		if err := tx.Audit(ctx, entries...); err != nil {
			return nil, err
		}
	case invoice.Municipality:
		var orgID string
		if err := tx.queryRow(ctx, `SELECT id FROM organisations WHERE kind = 'municipality' AND cbs_code = ?`, cbs).Scan(&orgID); err != nil {
			return nil, err
		}
		if inv.Buyer, ok, err = tx.billingParty(ctx, orgID); err != nil || !ok {
			return nil, errors.Join(err, missing)
		}
		if inv.Lines, err = invoice.MunicipalityLines(m, t); err != nil {
			return nil, err
		}
		for _, mm := range plan.view.Municipalities {
			if mm.CBS == cbs {
				inv.Note = "Maandfactuur " + invoice.MonthName(m) + " volgens overeenkomst art. 6.2; gerealiseerde omzet " +
					mm.Fee.Revenue.String() + ", fee " + mm.Fee.Fee.String() + " (boven het minimum " + mm.Fee.AboveMinum.String() +
					", verrekend per halfjaar)."
			}
		}
	}
	return inv, inv.Finish()
}

// invoiceName fills the candidate's name on an employer's invoice line,
// through the access policy, and returns the read's audit entry. A
// candidate whose name cannot be read (erased, or finance has no basic
// access) is invoiced under the placement's reference.
func (tx *Tx) invoiceName(ctx context.Context, a *opstap.Actor, r *invoice.HoursRow) (audit.Entry, error) {
	_, s, err := tx.candidateSubject(ctx, r.CandidateID)
	if err != nil {
		return audit.Entry{}, err
	}
	d := access.Decide(a, s, opstap.CatBasic, opstap.Read, "")
	r.CandidateName = "plaatsing " + shortRef(r.PlacementID)
	if !d.Allowed {
		return audit.Entry{}, nil
	}
	if name, err := tx.candidateName(ctx, r.CandidateID); err == nil && name != "" {
		r.CandidateName = name
	}
	e := candidateEntry(a, d, r.CandidateID, opstap.CatBasic, opstap.Read, PurposeInvoicing)
	e.Detail = "name on the invoice of placement " + r.PlacementID
	return e, nil
}

func shortRef(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
