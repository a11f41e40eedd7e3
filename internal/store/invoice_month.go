package store

import (
	"context"
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

// Finance's month: what each municipality and client employer owes for a
// month, and issuing the month's invoices.

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
