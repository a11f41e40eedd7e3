// Package ubl writes e-invoices and credit notes in SI-UBL 2.0, the Dutch
// CIUS (NLCIUS) of the European norm EN 16931 in the UBL 2.1 syntax, which
// municipalities and most Dutch businesses receive through Peppol or their
// bookkeeping software. It is a pure package: the billing domain fills a
// Document from its own figures and stores the bytes.
//
// The package refuses what would make an invalid or self-contradicting
// document (a missing KvK/OIN number, a wrong IBAN, a line amount that is
// not quantity × price) instead of writing it: the tests run every document
// through the UBL 2.1 schemas and the official SI-UBL 2.0 schematron.
package ubl

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// Identifiers of the specification (BT-24) and the business process (BT-23).
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Scheme is the ISO 6523 identifier scheme of a Dutch party's legal
// registration; NLCIUS (BR-NL-1, BR-NL-10) accepts only these two.
type Scheme string

// The schemes NLCIUS accepts.
const (
	KvK Scheme = "0106" // Kamer van Koophandel number, 8 digits
	OIN Scheme = "0190" // Organisatie-identificatienummer of a government body, 20 digits
)

// Category is a VAT category code (UNCL 5305) as EN 16931 uses it.
type Category string

// The VAT categories this package writes.
const (
	Standard  Category = "S" // standard or reduced rate, rate > 0
	ZeroRated Category = "Z" // 0 % rate
	Exempt    Category = "E" // exempt from VAT; needs an exemption reason
)

// PaymentMeans codes (UNCL 4461) for a transfer to the seller's account;
// NLCIUS (BR-NL-12) limits the codes, these two are the transfers.
const (
	CreditTransfer     = 30
	SEPACreditTransfer = 58
)

// UN/ECE Recommendation 20 unit codes. Worked time is written in minutes
// with the hourly price per 60 minutes (cac:Price/cbc:BaseQuantity), so
// that quantity × price ÷ base quantity is exactly the line amount: 7:20 at
// € 11,75 is 440 × 11,75 ÷ 60 = € 86,17, which 7,33 hours would not give.
const (
	UnitMinute = "MIN"
	UnitPiece  = "C62" // one (a licence, the monthly minimum)
	UnitDay    = "DAY"
)

// Address is a structured postal address. Street and Number are kept
// apart because SEPA needs them apart; UBL joins them (EN 16931 has no
// house-number field).
type Address struct {
	Street     string
	Number     string // house number with any addition: "12", "12-A"
	PostalCode string
	City       string
	Country    string // ISO 3166-1 alpha-2; empty means NL
}

// Contact is the party's contact point; every field is optional.
type Contact struct {
	Name  string
	Phone string
	Email string
}

// Party is the seller (the provider) or the buyer (an employer or a
// municipality).
type Party struct {
	Name        string
	LegalID     string // KvK number or OIN, by LegalScheme
	LegalScheme Scheme
	VATNumber   string // e.g. NL123456789B01; required for the seller
	Address     Address
	Contact     Contact
}

// VAT is the tax of one line: category and rate (2100 basis points is
// 21 %).
type VAT struct {
	Category        Category
	Rate            opstap.BasisPoints
	ExemptionReason string // required for Exempt, refused otherwise
}

// Line is one invoice line, of worked time or of a count. A time line has
// Minutes and UnitPrice per hour; a count line has Count units of Unit at
// UnitPrice each. Amount must equal LineAmount(line): the domain rounds
// each line once, and the document repeats that figure.
type Line struct {
	ID          string // unique within the document; empty means its position (1, 2, …)
	Name        string // what was delivered, e.g. "Inzet J. Jansen, maart 2026"
	Description string // optional longer text
	Minutes     opstap.Minutes
	Count       int64
	Unit        string // for a count line: UN/ECE Rec 20 code; empty means UnitPiece
	UnitPrice   opstap.Cents
	Amount      opstap.Cents
	VAT         VAT
	Period      Period // optional: the days the line covers
}

// Period is a span of dates; either end may be zero.
type Period struct {
	Start, End opstap.Date
}

// Payment says how the buyer pays an invoice: the means code, the seller's
// account and the reference (BT-83) the buyer quotes with the transfer. A
// credit note ignores it.
type Payment struct {
	MeansCode int    // CreditTransfer or SEPACreditTransfer; 0 means SEPACreditTransfer
	IBAN      string // the seller's account
	Reference string // empty means the document number
}

// Document holds what an invoice or a credit note says. The totals are not
// fields: Totals computes them from the lines, so they always add up.
type Document struct {
	Number         string
	IssueDate      opstap.Date
	DueDate        opstap.Date // invoice: required; credit note: must be empty
	BuyerReference string      // BT-10; NLCIUS needs it or OrderReference (BR-NL-2)
	OrderReference string      // BT-13
	Note           string      // free text for the buyer
	Period         Period      // the invoicing period, e.g. the month
	PaymentTerms   string      // e.g. "Betaling binnen 30 dagen na factuurdatum"
	Seller         Party
	Buyer          Party
	Payment        Payment
	// Corrects is the number of the invoice a credit note corrects
	// (BillingReference); required for a credit note.
	Corrects string
	// PDF is the document's human-readable rendering, embedded as
	// supporting document: Dutch bookkeeping software shows it next to
	// the data. Optional; PDFName defaults to the number plus ".pdf".
	PDF     []byte
	PDFName string
	Lines   []Line
}

// Subtotal is the VAT breakdown of one category and rate.
type Subtotal struct {
	Category        Category
	Rate            opstap.BasisPoints
	ExemptionReason string
	Taxable         opstap.Cents
	Tax             opstap.Cents
}

// Totals are the document's sums.
type Totals struct {
	LineTotal opstap.Cents // Σ line amounts = total without VAT
	VAT       []Subtotal   // by category, then rate
	TaxTotal  opstap.Cents
	Payable   opstap.Cents // LineTotal + TaxTotal
}

// errOverflow is returned when an amount leaves the int64 range.
var errOverflow = opstap.FieldError("amount", "the amount is too large")

// LineAmount is what a line comes to, rounded to the cent half away from
// zero: minutes × price per hour ÷ 60 for a time line (7:20 at € 11,75 is
// € 86,17), count × price for a count line.
func LineAmount(l Line) (opstap.Cents, error) {
	if l.Minutes != 0 {
		return l.UnitPrice.MulHours(l.Minutes)
	}
	return l.UnitPrice.Times(l.Count)
}

// VATAmount is taxable × rate, rounded to the cent half away from zero, as
// EN 16931 rule BR-CO-17 computes it per category.
func VATAmount(taxable opstap.Cents, rate opstap.BasisPoints) (opstap.Cents, error) {
	return taxable.MulBasisPoints(rate)
}

var (
	kvkRe     = regexp.MustCompile(`^[0-9]{8}$`)
	oinRe     = regexp.MustCompile(`^[0-9]{20}$`)
	vatRe     = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z+*.]{2,12}$`)
	nlVATRe   = regexp.MustCompile(`^NL[0-9]{9}B[0-9]{2}$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
	unitRe    = regexp.MustCompile(`^[A-Z0-9]{2,3}$`)
)

// Totals checks the lines and computes the document's sums.
func (d *Document) Totals() (Totals, error) {
	var t Totals
	if len(d.Lines) == 0 {
		return t, opstap.FieldError("lines", "a document needs at least one line")
	}
	type key struct {
		c Category
		r opstap.BasisPoints
	}
	groups := map[key]*Subtotal{}
	ids := map[string]bool{}
	for i := range d.Lines {
		l := &d.Lines[i]
		f := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
		if id := lineID(l, i); ids[id] {
			return t, opstap.FieldError(f("id"), "line numbers must be unique")
		} else {
			ids[id] = true
		}
		if strings.TrimSpace(l.Name) == "" {
			return t, opstap.FieldError(f("name"), "a line needs a name")
		}
		if l.Unit != "" && (!unitRe.MatchString(l.Unit) || l.Minutes != 0) {
			return t, opstap.FieldError(f("unit"), "unknown unit code")
		}
		if l.Minutes != 0 && l.Count != 0 {
			return t, opstap.FieldError(f("count"), "a line has minutes or a count, not both")
		}
		if l.UnitPrice < 0 {
			return t, opstap.FieldError(f("unit_price"), "a unit price cannot be negative")
		}
		want, err := LineAmount(*l)
		if err != nil {
			return t, opstap.FieldError(f("amount"), "the amount is too large")
		}
		if l.Amount != want {
			return t, opstap.FieldError(f("amount"), "the line amount must be quantity times unit price, rounded to the cent")
		}
		if err := checkVAT(l.VAT, f("vat")); err != nil {
			return t, err
		}
		if !l.Period.End.IsZero() && l.Period.End.Before(l.Period.Start) {
			return t, opstap.FieldError(f("period"), "the period cannot end before it starts")
		}
		if t.LineTotal, err = t.LineTotal.Add(l.Amount); err != nil {
			return t, errOverflow
		}
		k := key{l.VAT.Category, l.VAT.Rate}
		g := groups[k]
		if g == nil {
			g = &Subtotal{Category: k.c, Rate: k.r, ExemptionReason: l.VAT.ExemptionReason}
			groups[k] = g
		} else if g.ExemptionReason != l.VAT.ExemptionReason {
			return t, opstap.FieldError(f("vat"), "lines of one VAT category need the same exemption reason")
		}
		if g.Taxable, err = g.Taxable.Add(l.Amount); err != nil {
			return t, errOverflow
		}
	}
	for _, g := range groups {
		tax, err := VATAmount(g.Taxable, g.Rate)
		if err != nil {
			return t, errOverflow
		}
		g.Tax = tax
		if t.TaxTotal, err = t.TaxTotal.Add(tax); err != nil {
			return t, errOverflow
		}
		t.VAT = append(t.VAT, *g)
	}
	sort.Slice(t.VAT, func(i, j int) bool {
		if t.VAT[i].Category != t.VAT[j].Category {
			return t.VAT[i].Category < t.VAT[j].Category
		}
		return t.VAT[i].Rate < t.VAT[j].Rate
	})
	var err error
	if t.Payable, err = t.LineTotal.Add(t.TaxTotal); err != nil {
		return t, errOverflow
	}
	return t, nil
}

func lineID(l *Line, i int) string {
	if l.ID != "" {
		return l.ID
	}
	return fmt.Sprint(i + 1)
}

func checkVAT(v VAT, field string) error {
	switch v.Category {
	case Standard:
		if v.Rate <= 0 || v.Rate > 10000 {
			return opstap.FieldError(field, "a standard VAT rate lies between 0 and 100 percent")
		}
	case ZeroRated, Exempt:
		if v.Rate != 0 {
			return opstap.FieldError(field, "a zero-rated or exempt line has VAT rate 0")
		}
	default:
		return opstap.FieldError(field, "unknown VAT category")
	}
	if (v.Category == Exempt) != (strings.TrimSpace(v.ExemptionReason) != "") {
		return opstap.FieldError(field, "an exemption reason is required for exempt lines, and only for them")
	}
	return nil
}

// check validates the header of a document of the given kind; the lines
// are checked by Totals.
func (d *Document) check(credit bool) error {
	if strings.TrimSpace(d.Number) == "" {
		return opstap.FieldError("number", "the document number is required")
	}
	if d.IssueDate.IsZero() {
		return opstap.FieldError("issue_date", "the issue date is required")
	}
	if !credit && d.DueDate.IsZero() {
		return opstap.FieldError("due_date", "the due date is required")
	}
	if credit && !d.DueDate.IsZero() {
		return opstap.FieldError("due_date", "a credit note has no due date; state the refund in the payment terms")
	}
	if !d.DueDate.IsZero() && d.DueDate.Before(d.IssueDate) {
		return opstap.FieldError("due_date", "the due date cannot be before the issue date")
	}
	if credit && strings.TrimSpace(d.Corrects) == "" {
		return opstap.FieldError("corrects", "a credit note names the invoice it corrects")
	}
	if strings.TrimSpace(d.BuyerReference) == "" && strings.TrimSpace(d.OrderReference) == "" {
		return opstap.FieldError("buyer_reference", "a buyer reference or an order reference is required")
	}
	if !d.Period.End.IsZero() && d.Period.End.Before(d.Period.Start) {
		return opstap.FieldError("period", "the period cannot end before it starts")
	}
	if err := d.Seller.check("seller", true); err != nil {
		return err
	}
	if err := d.Buyer.check("buyer", false); err != nil {
		return err
	}
	if len(d.PDF) > 0 && !bytes.HasPrefix(d.PDF, []byte("%PDF-")) {
		return opstap.FieldError("pdf", "the attachment is not a PDF")
	}
	if credit {
		return nil // the buyer pays nothing, so no payment means
	}
	switch d.Payment.MeansCode {
	case 0, CreditTransfer, SEPACreditTransfer:
	default:
		return opstap.FieldError("payment.means_code", "payment means must be 30 or 58 (credit transfer)")
	}
	if !candidate.ValidIBAN(d.Payment.IBAN) {
		return opstap.FieldError("payment.iban", "IBAN check digits are wrong")
	}
	return nil
}

func (p *Party) check(prefix string, seller bool) error {
	f := func(name string) string { return prefix + "." + name }
	if strings.TrimSpace(p.Name) == "" {
		return opstap.FieldError(f("name"), "the name is required")
	}
	switch p.LegalScheme {
	case KvK:
		if !kvkRe.MatchString(p.LegalID) {
			return opstap.FieldError(f("legal_id"), "a KvK number has 8 digits")
		}
	case OIN:
		if !oinRe.MatchString(p.LegalID) {
			return opstap.FieldError(f("legal_id"), "an OIN has 20 digits")
		}
	default:
		return opstap.FieldError(f("legal_scheme"), "the party is identified by KvK number (0106) or OIN (0190)")
	}
	if seller && p.VATNumber == "" {
		return opstap.FieldError(f("vat_number"), "the seller's VAT number is required")
	}
	if p.VATNumber != "" && (!vatRe.MatchString(p.VATNumber) || strings.HasPrefix(p.VATNumber, "NL") && !nlVATRe.MatchString(p.VATNumber)) {
		return opstap.FieldError(f("vat_number"), "a Dutch VAT number is written NL123456789B01")
	}
	a := p.Address
	if strings.TrimSpace(a.Street) == "" {
		return opstap.FieldError(f("address.street"), "the street is required")
	}
	if strings.TrimSpace(a.PostalCode) == "" {
		return opstap.FieldError(f("address.postal_code"), "the postcode is required")
	}
	if strings.TrimSpace(a.City) == "" {
		return opstap.FieldError(f("address.city"), "the city is required")
	}
	if a.Country != "" && !countryRe.MatchString(a.Country) {
		return opstap.FieldError(f("address.country"), "the country is a two-letter ISO code such as NL")
	}
	return nil
}
