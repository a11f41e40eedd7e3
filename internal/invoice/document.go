package invoice

import (
	"fmt"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/ubl"
)

// Invoice is an issued invoice or credit note: the record as it went out.
type Invoice struct {
	ID           string         `json:"id"`
	Number       string         `json:"number"`
	Kind         Kind           `json:"kind"`
	Month        opstap.Month   `json:"month"`
	Municipality string         `json:"municipality"` // CBS code of the agreement it falls under
	IssueDate    opstap.Date    `json:"issue_date"`
	DueDate      opstap.Date    `json:"due_date"` // zero for a credit note
	PaymentDays  int            `json:"payment_days"`
	Seller       Party          `json:"seller"`
	Buyer        Party          `json:"buyer"`
	Lines        []Line         `json:"lines"`
	Totals       billing.Totals `json:"totals"`
	Corrects     string         `json:"corrects,omitempty"` // number of the invoice a credit note corrects
	CorrectsID   string         `json:"corrects_id,omitempty"`
	Note         string         `json:"note,omitempty"`
	// Payment status, recorded by finance; not part of the issued record.
	PaidOn opstap.Date `json:"paid_on"`
}

// Status is open or paid; a credit note is "credit".
func (inv *Invoice) Status() string {
	switch {
	case inv.Kind == CreditNote:
		return "credit"
	case !inv.PaidOn.IsZero():
		return "paid"
	}
	return "open"
}

// Overdue reports whether an open invoice is past its due date on day.
func (inv *Invoice) Overdue(day opstap.Date) bool {
	return inv.Status() == "open" && day.After(inv.DueDate)
}

// Finish computes the totals and the due date of a new invoice.
func (inv *Invoice) Finish() error {
	if !inv.Kind.Valid() {
		return opstap.FieldError("kind", "unknown invoice kind")
	}
	if len(inv.Lines) == 0 {
		return opstap.FieldError("lines", "an invoice has at least one line")
	}
	ls := make([]billing.Line, len(inv.Lines))
	for i, l := range inv.Lines {
		ls[i] = billing.Line{Net: l.Net, VAT: l.VAT}
	}
	t, err := billing.InvoiceTotals(ls)
	if err != nil {
		return err
	}
	inv.Totals = t
	if inv.Kind != CreditNote {
		inv.DueDate = billing.DueDate(inv.IssueDate, inv.PaymentDays)
	}
	return nil
}

// Credit returns the credit note that cancels inv in full: the same lines,
// so the buyer's books return to zero for them. A partial correction is a
// credit note followed by a new invoice, which keeps every document whole.
func (inv *Invoice) Credit(issue opstap.Date, reason string) (*Invoice, error) {
	if inv.Kind == CreditNote {
		return nil, opstap.Errorf(opstap.ECONFLICT, "a credit note cannot be credited")
	}
	cn := &Invoice{Kind: CreditNote, Month: inv.Month, Municipality: inv.Municipality, IssueDate: issue, Seller: inv.Seller,
		Buyer: inv.Buyer, Lines: inv.Lines, Corrects: inv.Number, CorrectsID: inv.ID, Note: reason}
	return cn, cn.Finish()
}

// PaymentTerms is the sentence on the invoice about paying it.
func (inv *Invoice) PaymentTerms() string {
	if inv.Kind == CreditNote {
		return "Creditering van factuur " + inv.Corrects + "; het bedrag wordt verrekend of terugbetaald."
	}
	return fmt.Sprintf("Betaling binnen %d dagen na factuurdatum onder vermelding van %s.", inv.PaymentDays, inv.Number)
}

// UBL returns the e-invoice document (SI-UBL 2.0), with the PDF embedded
// as its human-readable rendering when given.
func (inv *Invoice) UBL(pdf []byte) ubl.Document {
	period := ubl.Period{Start: inv.Month.First(), End: inv.Month.Last()}
	ref := inv.Buyer.BuyerReference
	if ref == "" {
		ref = inv.Buyer.LegalID // NLCIUS needs a buyer or order reference (BR-NL-2)
	}
	d := ubl.Document{
		Number: inv.Number, IssueDate: inv.IssueDate, DueDate: inv.DueDate, BuyerReference: ref, Note: inv.Note,
		Period: period, PaymentTerms: inv.PaymentTerms(), Seller: inv.Seller.ubl(), Buyer: inv.Buyer.ubl(),
		Payment: ubl.Payment{MeansCode: ubl.SEPACreditTransfer, IBAN: inv.Seller.IBAN}, Corrects: inv.Corrects, PDF: pdf,
	}
	for _, l := range inv.Lines {
		cat := ubl.Standard
		if l.VAT == 0 {
			cat = ubl.ZeroRated
		}
		d.Lines = append(d.Lines, ubl.Line{Name: l.Description, Minutes: l.Minutes, Count: l.Quantity, Unit: l.Unit,
			UnitPrice: l.UnitPrice, Amount: l.Net, VAT: ubl.VAT{Category: cat, Rate: l.VAT}})
	}
	return d
}

// XML writes the e-invoice, or the credit note, in SI-UBL 2.0.
func (inv *Invoice) XML(pdf []byte) ([]byte, error) {
	if inv.Kind == CreditNote {
		return ubl.CreditNote(inv.UBL(pdf))
	}
	return ubl.Invoice(inv.UBL(pdf))
}
