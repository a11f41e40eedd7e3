package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/timesheet"
	"github.com/opstap/opstap/internal/ubl"
)

// invoiceFiles stands in for render.InvoiceFiles (render imports store): a
// minimal PDF and the real e-invoice, so the tests validate what is kept.
func invoiceFiles(inv *invoice.Invoice) ([]byte, []byte, error) {
	pdf := []byte("%PDF-1.4 " + inv.Number)
	xml, err := inv.XML(pdf)
	return pdf, xml, err
}

// invoiceFixture: March 2030 has 7,5 approved hours of Anna at the
// bakery, at the assignment's rate; terms with DOMAIN.md's tiers; billing
// details of the provider, the municipality and the bakery; March closed.
type invoiceFixture struct {
	*hoursFixture
	cbs string
}

func newInvoiceFixture(t *testing.T, db *store.DB) *invoiceFixture {
	t.Helper()
	ctx := context.Background()
	f := &invoiceFixture{hoursFixture: newHoursFixture(t, db), cbs: ""}
	f.cbs = f.assignment.Municipality
	if _, err := db.EnterHours(ctx, f.boss, f.p.ID, []timesheet.Entry{entry(f.mon, 450)}); err != nil {
		t.Fatal(err)
	}
	terms := billing.DefaultTerms(f.cbs, opstap.Date{Year: 2030, Month: 1, Day: 1})
	terms.ContractStart = terms.ValidFrom
	terms.FeeTiers = []billing.Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}
	terms.MonthlyMinimum, terms.Licences, terms.LicencePrice = 250_000, 2, 4_500
	if _, err := db.AddContractTerms(ctx, f.finance, terms); err != nil {
		t.Fatal(err)
	}
	parties := map[string]invoice.Party{
		f.finance.OrgID: {LegalID: "12345678", LegalScheme: ubl.KvK, VATNumber: "NL001234567B01", Street: "Stationsplein", HouseNumber: "1",
			PostalCode: "1315 KT", City: "Almere", IBAN: "NL91ABNA0417164300"},
		f.manager.OrgID: {LegalID: "00000001002220647000", LegalScheme: ubl.OIN, Street: "Stadhuisplein", HouseNumber: "1", PostalCode: "1315 HR", City: "Almere"},
		f.employer.ID:   {LegalID: "87654321", LegalScheme: ubl.KvK, Street: "Stationsstraat", HouseNumber: "1", PostalCode: "1315 AA", City: "Almere"},
	}
	for org, p := range parties {
		if err := db.SetBillingParty(ctx, f.finance, org, p); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestInvoicesIssueMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		ctx := context.Background()
		if _, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles); fieldOrCode(err) != "month" {
			t.Fatalf("issuing an open month: %v", err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		page, err := db.FinanceMonth(ctx, f.finance, f.march)
		if err != nil || !page.Closed || page.ToIssue != 2 || len(page.Municipalities) != 1 {
			t.Fatalf("month page: %v %+v", err, page)
		}
		mm := page.Municipalities[0]
		// 7,5 h × 11,75 = 88,125 → 88,13; fee 20 % = 17,63 (rounded per band).
		if mm.Fee.Revenue != 8813 || mm.Fee.Fee != 1763 || mm.Charges != 259_000 || mm.Employers[0].Net != 8813 {
			t.Fatalf("figures: %+v", mm)
		}
		if _, err := db.IssueMonth(ctx, f.boss, f.march, invoiceFiles); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer issues: %v", err)
		}
		issued, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles)
		if err != nil || len(issued) != 2 {
			t.Fatalf("issue: %v %+v", err, issued)
		}
		emp, mun := issued[0], issued[1]
		if emp.Number != "F2026-000001" && emp.Number[:6] != "F2030-" {
			t.Fatalf("number %s", emp.Number)
		}
		if emp.Number != "F2030-000001" || mun.Number != "G2030-000001" || emp.Gross != 8813+1851 || mun.Net != 259_000 {
			t.Fatalf("issued: %+v", issued)
		}
		if emp.DueDate != emp.IssueDate.AddDays(30) || emp.Status != "open" {
			t.Fatalf("due date and status: %+v", emp)
		}
		// Idempotent: a second run issues nothing.
		again, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles)
		if err != nil || len(again) != 0 {
			t.Fatalf("second run: %v %+v", err, again)
		}
		// The issued invoice never changes: a correction of March lands in
		// April; the March invoice and its files stay as they were.
		before, _, err := db.InvoiceFile(ctx, f.finance, emp.ID, "xml")
		if err != nil {
			t.Fatal(err)
		}
		ls, err := db.FindPlacementHours(ctx, f.finance, f.p.ID, f.mon, f.mon)
		if err != nil || len(ls.Lines) == 0 {
			t.Fatalf("hours: %v", err)
		}
		if _, err := db.CorrectHours(ctx, f.finance, ls.Lines[0].ID, timesheet.Correction{Minutes: 240, Reason: "Half a day"}); err != nil {
			t.Fatal(err)
		}
		if again, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles); err != nil || len(again) != 0 {
			t.Fatalf("after a correction: %v %+v", err, again)
		}
		after, _, err := db.InvoiceFile(ctx, f.finance, emp.ID, "xml")
		if err != nil || string(after) != string(before) {
			t.Fatalf("the issued e-invoice changed: %v", err)
		}
		inv, sum, err := db.Invoice(ctx, f.finance, emp.ID)
		if err != nil || inv.Totals.Net != 8813 || sum.Net != 8813 || len(inv.Lines) != 1 || inv.Lines[0].Description != "Inzet Anna Placed, Bakker, maart 2030" && inv.Lines[0].Minutes != 450 {
			t.Fatalf("invoice: %v %+v", err, inv)
		}
		// Payment: finance records it once, with a date not before the invoice.
		if err := db.RecordPayment(ctx, f.boss, emp.ID, emp.IssueDate); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer records a payment: %v", err)
		}
		if err := db.RecordPayment(ctx, f.finance, emp.ID, emp.IssueDate.AddDays(-1)); fieldOrCode(err) != "paid_on" {
			t.Fatalf("paid before the invoice: %v", err)
		}
		if err := db.RecordPayment(ctx, f.finance, emp.ID, emp.IssueDate); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordPayment(ctx, f.finance, emp.ID, emp.IssueDate); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("paid twice: %v", err)
		}
		// A credit note in its own series cancels the municipality invoice.
		cn, err := db.CreditInvoice(ctx, f.finance, mun.ID, "Licenties dubbel", invoiceFiles)
		if err != nil || cn.Number != "C2030-000001" || cn.Corrects != mun.ID || cn.Net != mun.Net {
			t.Fatalf("credit note: %v %+v", err, cn)
		}
		if _, err := db.CreditInvoice(ctx, f.finance, mun.ID, "again", invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("credited twice: %v", err)
		}
		if _, err := db.CreditInvoice(ctx, f.finance, emp.ID, "paid", invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("credit of a paid invoice: %v", err)
		}
		// After the credit note the month shows the municipality invoice as due again.
		if page, err := db.FinanceMonth(ctx, f.finance, f.march); err != nil || page.ToIssue != 1 {
			t.Fatalf("after the credit note: %v %+v", err, page)
		}
		list, _, err := db.Invoices(ctx, f.finance, store.InvoiceFilter{Status: "paid"})
		if err != nil || len(list) != 1 || list[0].ID != emp.ID {
			t.Fatalf("paid filter: %v %+v", err, list)
		}
		if _, _, err := db.Invoices(ctx, f.finance, store.InvoiceFilter{Status: "late"}); fieldOrCode(err) != "status" {
			t.Fatalf("unknown status: %v", err)
		}
		// Every e-invoice kept passes the XSD and the SI-UBL schematron.
		files := map[string][]byte{}
		for _, id := range []string{emp.ID, mun.ID, cn.ID} {
			b, name, err := db.InvoiceFile(ctx, f.finance, id, "xml")
			if err != nil {
				t.Fatal(err)
			}
			files[name] = b
		}
		formatcheck.EInvoices(t, files)
		if n := auditEvents(t, db, f.privacy, "invoice"); n != 4 {
			t.Fatalf("issuing, payment and credit in the audit log: %d", n)
		}
	})
}

// TestInvoicesWhoSeesWhat: finance all, the municipality its own monthly
// invoices, the employer its own, nobody else (issue 9 item 8).
func TestInvoicesWhoSeesWhat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		ctx := context.Background()
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		issued, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles)
		if err != nil || len(issued) != 2 {
			t.Fatalf("issue: %v %+v", err, issued)
		}
		emp, mun := issued[0], issued[1]
		cases := []struct {
			name  string
			actor *opstap.Actor
			want  []string // ids visible, nil: forbidden
		}{
			{"finance", f.finance, []string{emp.ID, mun.ID}},
			{"municipality", f.manager, []string{mun.ID}},
			{"employer", f.boss, []string{emp.ID}},
			{"other employer", f.stranger, []string{}},
			{"other municipality", f.other, []string{}},
			{"coach", f.coach, nil},
			{"candidate", f.self, nil},
			{"admin", f.admin, nil},
			{"privacy officer", f.privacy, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				list, _, err := db.Invoices(ctx, tc.actor, store.InvoiceFilter{})
				if tc.want == nil {
					if fieldOrCode(err) != opstap.EFORBIDDEN {
						t.Fatalf("want forbidden, got %v %+v", err, list)
					}
					return
				}
				got := []string{}
				for _, s := range list {
					got = append(got, s.ID)
				}
				if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) && len(got) != len(tc.want) {
					t.Fatalf("sees %v, want %v (%v)", got, tc.want, err)
				}
				for _, id := range []string{emp.ID, mun.ID} {
					_, _, err := db.InvoiceFile(ctx, tc.actor, id, "pdf")
					visible := false
					for _, w := range tc.want {
						visible = visible || w == id
					}
					if visible != (err == nil) {
						t.Fatalf("download of %s: %v", id, err)
					}
				}
			})
		}
		if _, err := db.FinanceMonth(ctx, f.manager, f.march); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the municipality opens the finance month: %v", err)
		}
	})
}

// TestInvoiceNumbersConcurrent issues the same month from several
// sessions at once and many credit notes in parallel: every number of a
// series is used once, without gaps.
func TestInvoiceNumbersConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		ctx := context.Background()
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		list, _, err := db.Invoices(ctx, f.finance, store.InvoiceFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("four concurrent runs: %v %d invoices", err, len(list))
		}
		// Credit and re-issue ten times over, concurrently: the C and G
		// series stay without gaps or duplicates.
		for round := range 5 {
			var wg sync.WaitGroup
			list, _, err := db.Invoices(ctx, f.finance, store.InvoiceFilter{Status: "open"})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range list {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := db.CreditInvoice(ctx, f.finance, s.ID, fmt.Sprint("round ", round), invoiceFiles); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
		}
		all, _, err := db.Invoices(ctx, f.finance, store.InvoiceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		count := map[string]int{}
		for _, s := range all {
			if seen[s.Number] {
				t.Fatalf("duplicate number %s", s.Number)
			}
			seen[s.Number] = true
			count[s.Number[:1]]++
		}
		for series, n := range count {
			for i := 1; i <= n; i++ {
				if !seen[invoice.Number(series, 2030, int64(i))] {
					t.Fatalf("gap in series %s: %d missing of %d", series, i, n)
				}
			}
		}
		if count["F"] != 6 || count["G"] != 6 || count["C"] != 10 {
			t.Fatalf("counts %v", count)
		}
	})
}

// TestInvoiceReissue: after March is invoiced, the administrator reopens
// it and a day is corrected in March itself; the month page marks the
// employer's invoice stale (not the municipality's: its charges did not
// change), finance cannot reissue it while March is open, closes March and
// replaces it: a credit note and a new invoice, numbered on without a gap,
// billing the corrected hours. Reissued, it is no longer stale; a paid
// invoice, a credit note and an invoice that still matches are refused.
func TestInvoiceReissue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		ctx := context.Background()
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		issued, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles)
		if err != nil || len(issued) != 2 {
			t.Fatalf("issue: %v %+v", err, issued)
		}
		var emp, mun store.InvoiceSummary
		for _, s := range issued {
			if s.Kind == invoice.Employer {
				emp = s
			} else {
				mun = s
			}
		}
		if _, err := db.ReissueInvoice(ctx, f.finance, emp.ID, invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("reissuing an invoice that matches: %v", err)
		}
		if err := db.ReopenPeriod(ctx, f.admin, f.march, "The bakery's timesheet of 4 March was wrong"); err != nil {
			t.Fatal(err)
		}
		ls, err := db.FindPlacementHours(ctx, f.finance, f.p.ID, f.mon, f.mon)
		if err != nil || len(ls.Lines) == 0 {
			t.Fatalf("hours: %v", err)
		}
		c, err := db.CorrectHours(ctx, f.boss, ls.Lines[0].ID, timesheet.Correction{Minutes: hours(8), Reason: "Stayed till closing"})
		if err != nil || c.Month != f.march {
			t.Fatalf("correction in the reopened month: %v %+v", err, c)
		}
		page, err := db.FinanceMonth(ctx, f.finance, f.march)
		if err != nil || page.Stale != 1 || page.ToIssue != 0 {
			t.Fatalf("month page: %v %+v", err, page)
		}
		mm := page.Municipalities[0]
		if e := mm.Employers[0]; e.Issued == nil || !e.Issued.Stale || e.Issued.Net != 8813 || e.Net != 9400 || mm.Issued == nil || mm.Issued.Stale {
			t.Fatalf("stale marks: %+v %+v", mm.Employers, mm.Issued)
		}
		if _, err := db.ReissueInvoice(ctx, f.finance, emp.ID, invoiceFiles); fieldOrCode(err) != "month" {
			t.Fatalf("reissue in an open month: %v", err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReissueInvoice(ctx, f.boss, emp.ID, invoiceFiles); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the employer reissues: %v", err)
		}
		if _, err := db.ReissueInvoice(ctx, f.finance, mun.ID, invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("reissuing the unchanged monthly invoice: %v", err)
		}
		r, err := db.ReissueInvoice(ctx, f.finance, emp.ID, invoiceFiles)
		if err != nil || r.Invoice == nil {
			t.Fatalf("reissue: %v %+v", err, r)
		}
		// 8 h × 11,75 = 94,00; numbers go on in each series.
		if r.CreditNote.Number != "C2030-000001" || r.CreditNote.Corrects != emp.ID || r.CreditNote.Net != emp.Net ||
			r.Invoice.Number != "F2030-000002" || r.Invoice.Net != 9400 || r.Invoice.Kind != invoice.Employer || r.Invoice.Month != f.march {
			t.Fatalf("credit note %+v, new invoice %+v (old %s)", r.CreditNote, r.Invoice, emp.Number)
		}
		page, err = db.FinanceMonth(ctx, f.finance, f.march)
		if err != nil || page.Stale != 0 || page.ToIssue != 0 || page.Municipalities[0].Employers[0].Issued.ID != r.Invoice.ID {
			t.Fatalf("after reissuing: %v %+v", err, page)
		}
		if _, err := db.ReissueInvoice(ctx, f.finance, emp.ID, invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("reissuing the credited invoice: %v", err)
		}
		if _, err := db.ReissueInvoice(ctx, f.finance, r.CreditNote.ID, invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("reissuing a credit note: %v", err)
		}
		// Paid, then stale again: a credit note is not how a paid invoice is corrected.
		if err := db.RecordPayment(ctx, f.finance, r.Invoice.ID, r.Invoice.IssueDate); err != nil {
			t.Fatal(err)
		}
		if err := db.ReopenPeriod(ctx, f.admin, f.march, "Another correction of 4 March came in"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CorrectHours(ctx, f.boss, c.ID, timesheet.Correction{Minutes: hours(7), Reason: "Left an hour early after all"}); err != nil {
			t.Fatal(err)
		}
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		if page, err := db.FinanceMonth(ctx, f.finance, f.march); err != nil || page.Stale != 1 || !page.Municipalities[0].Employers[0].Issued.Paid {
			t.Fatalf("stale and paid: %v %+v", err, page)
		}
		if _, err := db.ReissueInvoice(ctx, f.finance, r.Invoice.ID, invoiceFiles); fieldOrCode(err) != opstap.ECONFLICT {
			t.Fatalf("reissuing a paid invoice: %v", err)
		}
		files := map[string][]byte{}
		for _, id := range []string{r.CreditNote.ID, r.Invoice.ID} {
			b, name, err := db.InvoiceFile(ctx, f.finance, id, "xml")
			if err != nil {
				t.Fatal(err)
			}
			files[name] = b
		}
		formatcheck.EInvoices(t, files)
	})
}
