// Package invoice holds the rules of Opstap's outgoing invoices: the
// monthly invoice to a client employer (approved hours × the assignment's
// rate [003 art 5 lid 8]), the monthly invoice to a municipality (minimum,
// licences and advice days [003 art 6.1, 6.2]), credit notes, numbering
// without gaps per series and year, and the e-invoice document. Pure: the
// store allocates numbers and keeps the issued record.
package invoice

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/ubl"
)

// Kind is what an invoice is for.
type Kind string

// The kinds.
const (
	Employer     Kind = "employer"     // monthly hours of a client employer
	Municipality Kind = "municipality" // monthly charges of the service agreement
	CreditNote   Kind = "credit_note"  // corrects an issued invoice
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Employer || k == Municipality || k == CreditNote }

// Series returns the number series of a kind. Credit notes have their own
// series, so the invoice series stays without gaps and a reader tells the
// two apart by the first letter.
func (k Kind) Series() string {
	switch k {
	case Employer:
		return "F"
	case Municipality:
		return "G"
	default:
		return "C"
	}
}

// Number formats an invoice number: series, year, a six-digit sequence
// that restarts every year, e.g. F2026-000123.
func Number(series string, year int, seq int64) string {
	return fmt.Sprintf("%s%04d-%06d", series, year, seq)
}

var numberRe = regexp.MustCompile(`^([FGC])([0-9]{4})-([0-9]{6,})$`)

// ParseNumber reads an invoice number back (search, the API's filters).
func ParseNumber(s string) (series string, year int, seq int64, err error) {
	m := numberRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", 0, 0, opstap.FieldError("number", "an invoice number looks like F2026-000123")
	}
	year, _ = strconv.Atoi(m[2])
	seq, err = strconv.ParseInt(m[3], 10, 64)
	if err != nil || year == 0 || seq == 0 {
		return "", 0, 0, opstap.FieldError("number", "an invoice number looks like F2026-000123")
	}
	return m[1], year, seq, nil
}

// Party is an organisation as an invoice names it.
type Party struct {
	OrgID          string     `json:"org_id" validate:"max=64"`
	Name           string     `json:"name" validate:"max=200"`
	LegalID        string     `json:"legal_id" validate:"required,max=40"`    // KvK number or OIN
	LegalScheme    ubl.Scheme `json:"legal_scheme" validate:"required,max=4"` // 0106 or 0190
	VATNumber      string     `json:"vat_number,omitempty" validate:"max=20"`
	Street         string     `json:"street" validate:"required,max=200"`
	HouseNumber    string     `json:"house_number,omitempty" validate:"max=20"`
	PostalCode     string     `json:"postal_code" validate:"required,max=10"`
	City           string     `json:"city" validate:"required,max=100"`
	Email          string     `json:"email,omitempty" validate:"max=254"`
	IBAN           string     `json:"iban,omitempty" validate:"max=34"`             // the seller's account
	BuyerReference string     `json:"buyer_reference,omitempty" validate:"max=100"` // the buyer's order or cost-centre reference
}

func (p Party) ubl() ubl.Party {
	return ubl.Party{
		Name: p.Name, LegalID: p.LegalID, LegalScheme: p.LegalScheme, VATNumber: p.VATNumber,
		Address: ubl.Address{Street: p.Street, Number: p.HouseNumber, PostalCode: p.PostalCode, City: p.City},
		Contact: ubl.Contact{Email: p.Email},
	}
}

// Check validates a party's details as the e-invoice needs them (the
// seller also a VAT number and an IBAN), by the e-invoice's own checks.
func (p Party) Check(seller bool) error {
	day := opstap.Date{Year: 2000, Month: 1, Day: 1}
	d := ubl.Document{Number: "X", IssueDate: day, DueDate: day, BuyerReference: "X", Seller: p.ubl(), Buyer: p.ubl(),
		Payment: ubl.Payment{IBAN: p.IBAN}, Lines: []ubl.Line{{Name: "X", Count: 1, UnitPrice: 1, Amount: 1, VAT: ubl.VAT{Category: ubl.Standard, Rate: 2100}}}}
	if !seller {
		d.Seller, d.Payment.IBAN = reference.ubl(), reference.IBAN
	}
	_, err := ubl.Invoice(d)
	var e *opstap.Error
	if errors.As(err, &e) && e.Field != "" {
		// The e-invoice names its own element; the caller filled a Party,
		// so the error names the Party's field.
		f := *e
		f.Field = partyField(e.Field)
		return &f
	}
	return err
}

// partyField maps an e-invoice field ("seller.address.postal_code",
// "payment.iban") to the Party property it came from ("postal_code",
// "iban").
func partyField(field string) string {
	if field == "payment.iban" {
		return "iban"
	}
	for _, prefix := range []string{"seller.", "buyer."} {
		field = strings.TrimPrefix(field, prefix)
	}
	return strings.TrimPrefix(field, "address.")
}

// reference is a complete seller that lets Check test a buyer alone.
var reference = Party{Name: "X", LegalID: "12345678", LegalScheme: ubl.KvK, VATNumber: "NL001234567B01",
	Street: "X", PostalCode: "1000 AA", City: "X", IBAN: "NL91ABNA0417164300"}

// Line is one line of an issued invoice.
type Line struct {
	PlacementID string             `json:"placement_id,omitempty"`
	CandidateID string             `json:"candidate_id,omitempty"` // pseudonymous
	Description string             `json:"description"`
	Minutes     opstap.Minutes     `json:"minutes,omitempty"`
	Quantity    int64              `json:"quantity,omitempty"`
	Unit        string             `json:"unit,omitempty"`
	UnitPrice   opstap.Cents       `json:"unit_price_cents"` // per hour for a time line
	Net         opstap.Cents       `json:"net_cents"`
	VAT         opstap.BasisPoints `json:"vat_basis_points"`
}

// HoursRow is one placement's approved hours in a month, as the employer
// invoice bills them.
type HoursRow struct {
	PlacementID   string
	CandidateID   string
	CandidateName string // shown to the employer, who knows the person [003 art 5 lid 4]
	Assignment    string
	Minutes       opstap.Minutes
	Rate          opstap.Cents // the assignment's hourly rate, set by the municipality
}

// EmployerLines bills a month's approved hours: a line per placement,
// minutes × rate rounded once (billing.HoursLine). A placement whose
// corrections net to zero is left out.
func EmployerLines(m opstap.Month, rows []HoursRow, vat opstap.BasisPoints) ([]Line, error) {
	var out []Line
	for _, r := range rows {
		if r.Minutes == 0 {
			continue
		}
		net, err := billing.HoursLine(r.Minutes, r.Rate)
		if err != nil {
			return nil, err
		}
		out = append(out, Line{
			PlacementID: r.PlacementID, CandidateID: r.CandidateID,
			Description: fmt.Sprintf("Inzet %s, %s, %s", r.CandidateName, r.Assignment, MonthName(m)),
			Minutes:     r.Minutes, UnitPrice: r.Rate, Net: net, VAT: vat,
		})
	}
	return out, nil
}

var chargeNames = map[string]string{"minimum": "Minimale maandvergoeding", "licences": "Softwarelicenties", "advice": "Adviesdagen"}

// MunicipalityLines are the monthly charges of the terms [003 art 6.1 lid
// 1–4, 6.2]: the minimum, the licences and the advice days, at the fee VAT
// rate. The fee above the minimum is not invoiced monthly: it is settled
// every half year (art 6.1 lid 5).
func MunicipalityLines(m opstap.Month, t billing.Terms) ([]Line, error) {
	cs, err := billing.MonthlyCharges(t)
	if err != nil {
		return nil, err
	}
	out := make([]Line, 0, len(cs))
	for _, c := range cs {
		unit := ubl.UnitPiece
		if c.Kind == "advice" {
			unit = ubl.UnitDay
		}
		out = append(out, Line{Description: chargeNames[c.Kind] + ", " + MonthName(m), Quantity: c.Count, Unit: unit,
			UnitPrice: c.Price, Net: c.Net, VAT: t.FeeVATRate})
	}
	return out, nil
}

// MonthFee is a municipality's month as the provider's fee sees it
// [003 art 6.1]: the realised revenue (approved hours × rate, without
// VAT), the marginal tiered fee with its bands, and the part above the
// monthly minimum that the half-year settlement deducts.
type MonthFee struct {
	Revenue    opstap.Cents   `json:"revenue_cents"`
	Fee        opstap.Cents   `json:"fee_cents"`
	Bands      []billing.Band `json:"bands"`
	Minimum    opstap.Cents   `json:"minimum_cents"`
	AboveMinum opstap.Cents   `json:"above_minimum_cents"`
}

// Revenue adds the month's hours lines without VAT.
func Revenue(lines []Line) (opstap.Cents, error) {
	var sum opstap.Cents
	var err error
	for _, l := range lines {
		if sum, err = sum.Add(l.Net); err != nil {
			return 0, err
		}
	}
	return sum, nil
}

// FeeOf computes a month's fee from its revenue and the terms.
func FeeOf(revenue opstap.Cents, t billing.Terms) (MonthFee, error) {
	fee, bands, err := billing.Fee(revenue, t.FeeTiers)
	if err != nil {
		return MonthFee{}, err
	}
	above, err := billing.FeeAboveMinimum(fee, t.MonthlyMinimum)
	if err != nil {
		return MonthFee{}, err
	}
	return MonthFee{Revenue: revenue, Fee: fee, Bands: bands, Minimum: t.MonthlyMinimum, AboveMinum: above}, nil
}

var monthNames = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// MonthName writes a month the Dutch way, "maart 2026": invoices go out
// in Dutch, the language of the receivers.
func MonthName(m opstap.Month) string {
	if m.Month < 1 || m.Month > 12 {
		return m.String()
	}
	return fmt.Sprintf("%s %d", monthNames[m.Month-1], m.Year)
}
