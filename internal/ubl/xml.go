package ubl

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// Namespaces of UBL 2.1. The element names carry their prefixes literally
// (encoding/xml would otherwise declare a namespace on every element), and
// the root declares them once.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	currency     = "EUR"
)

// Invoice writes d as an SI-UBL 2.0 invoice (type code 380).
func Invoice(d Document) ([]byte, error) { return write(d, false) }

// CreditNote writes d as an SI-UBL 2.0 credit note (type code 381) that
// refers to the invoice d.Corrects. Quantities and amounts are positive:
// the document type says they are credited.
func CreditNote(d Document) ([]byte, error) { return write(d, true) }

func write(d Document, credit bool) ([]byte, error) {
	if err := d.check(credit); err != nil {
		return nil, err
	}
	t, err := d.Totals()
	if err != nil {
		return nil, err
	}
	if t.Payable < 0 {
		if credit {
			return nil, opstap.FieldError("lines", "a credit note cannot have a negative total; write an invoice")
		}
		return nil, opstap.FieldError("lines", "an invoice cannot have a negative total; write a credit note")
	}
	if credit && strings.TrimSpace(d.PaymentTerms) == "" {
		return nil, opstap.FieldError("payment_terms", "a credit note states its payment terms")
	}
	doc := docXML{
		Xmlns:           nsInvoice,
		Cac:             nsCAC,
		Cbc:             nsCBC,
		CustomizationID: CustomizationID,
		ProfileID:       ProfileID,
		ID:              d.Number,
		IssueDate:       d.IssueDate.String(),
		Note:            d.Note,
		Currency:        currency,
		BuyerReference:  d.BuyerReference,
		Period:          periodOf(d.Period),
		Supplier:        partyOf(d.Seller),
		Customer:        partyOf(d.Buyer),
		Totals: monetaryXML{
			LineExtension: amount(t.LineTotal),
			TaxExclusive:  amount(t.LineTotal),
			TaxInclusive:  amount(t.Payable),
			Payable:       amount(t.Payable),
		},
	}
	if d.OrderReference != "" {
		doc.Order = &idXML{d.OrderReference}
	}
	if d.Corrects != "" {
		doc.Billing = &billingXML{idXML{d.Corrects}}
	}
	if len(d.PDF) > 0 {
		name := d.PDFName
		if name == "" {
			name = d.Number + ".pdf"
		}
		doc.Attachment = &attachmentXML{ID: d.Number, Object: binaryXML{MIME: "application/pdf", Filename: name, Value: base64.StdEncoding.EncodeToString(d.PDF)}}
	}
	if d.PaymentTerms != "" {
		doc.Terms = &noteXML{d.PaymentTerms}
	}
	tax := taxTotalXML{Amount: amount(t.TaxTotal)}
	for _, s := range t.VAT {
		cat := categoryOf(s.Category, s.Rate)
		cat.ExemptionReason = s.ExemptionReason
		tax.Subtotals = append(tax.Subtotals, subtotalXML{Taxable: amount(s.Taxable), Amount: amount(s.Tax), Category: cat})
	}
	doc.Tax = tax
	if credit {
		doc.XMLName.Local = "CreditNote"
		doc.Xmlns = nsCreditNote
		doc.CreditTypeCode = "381"
	} else {
		doc.XMLName.Local = "Invoice"
		doc.DueDate = d.DueDate.String()
		doc.InvoiceTypeCode = "380"
		means := d.Payment.MeansCode
		if means == 0 {
			means = SEPACreditTransfer
		}
		ref := d.Payment.Reference
		if ref == "" {
			ref = d.Number
		}
		doc.Payment = &paymentXML{Code: means, PaymentID: ref, Account: idXML{candidate.NormaliseIBAN(d.Payment.IBAN)}}
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		q, price := &quantityXML{Unit: l.Unit, Value: fmt.Sprint(l.Count)}, priceXML{Amount: amount(l.UnitPrice)}
		if q.Unit == "" {
			q.Unit = UnitPiece
		}
		if l.Minutes != 0 {
			q = &quantityXML{Unit: UnitMinute, Value: fmt.Sprint(int64(l.Minutes))}
			price.Base = &quantityXML{Unit: UnitMinute, Value: "60"}
		}
		x := lineXML{
			ID:     lineID(l, i),
			Amount: amount(l.Amount),
			Period: periodOf(l.Period),
			Item: itemXML{
				Description: l.Description,
				Name:        l.Name,
				Tax:         categoryOf(l.VAT.Category, l.VAT.Rate), // the exemption reason belongs to the breakdown
			},
			Price: price,
		}
		if credit {
			x.Credited = q
			doc.CreditLines = append(doc.CreditLines, x)
		} else {
			x.Invoiced = q
			doc.InvoiceLines = append(doc.InvoiceLines, x)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("ubl: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// dec2 writes n hundredths as a decimal with two places: 1234550 → 12345.50.
func dec2(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-(n+1))+1 // MinInt64 safe
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

func amount(c opstap.Cents) amountXML { return amountXML{Currency: currency, Value: dec2(int64(c))} }

func periodOf(p Period) *periodXML {
	if p.Start.IsZero() && p.End.IsZero() {
		return nil
	}
	return &periodXML{Start: p.Start.String(), End: p.End.String()}
}

func categoryOf(c Category, rate opstap.BasisPoints) categoryXML {
	return categoryXML{ID: string(c), Percent: dec2(int64(rate)), Scheme: schemeXML{"VAT"}}
}

func partyOf(p Party) partyRoleXML {
	country := p.Address.Country
	if country == "" {
		country = "NL"
	}
	street := strings.TrimSpace(strings.TrimSpace(p.Address.Street) + " " + strings.TrimSpace(p.Address.Number))
	x := partyXML{
		Endpoint: schemedXML{Scheme: string(p.LegalScheme), Value: p.LegalID},
		Name:     &nameXML{p.Name},
		Address: addressXML{
			Street:     street,
			City:       p.Address.City,
			PostalZone: p.Address.PostalCode,
			Country:    countryXML{country},
		},
		Legal: legalXML{Name: p.Name, CompanyID: schemedXML{Scheme: string(p.LegalScheme), Value: p.LegalID}},
	}
	if p.VATNumber != "" {
		x.TaxScheme = &partyTaxXML{CompanyID: p.VATNumber, Scheme: schemeXML{"VAT"}}
	}
	if c := p.Contact; c != (Contact{}) {
		x.Contact = &contactXML{Name: c.Name, Phone: c.Phone, Email: c.Email}
	}
	return partyRoleXML{x}
}

type docXML struct {
	XMLName         xml.Name
	Xmlns           string         `xml:"xmlns,attr"`
	Cac             string         `xml:"xmlns:cac,attr"`
	Cbc             string         `xml:"xmlns:cbc,attr"`
	CustomizationID string         `xml:"cbc:CustomizationID"`
	ProfileID       string         `xml:"cbc:ProfileID"`
	ID              string         `xml:"cbc:ID"`
	IssueDate       string         `xml:"cbc:IssueDate"`
	DueDate         string         `xml:"cbc:DueDate,omitempty"`
	InvoiceTypeCode string         `xml:"cbc:InvoiceTypeCode,omitempty"`
	CreditTypeCode  string         `xml:"cbc:CreditNoteTypeCode,omitempty"`
	Note            string         `xml:"cbc:Note,omitempty"`
	Currency        string         `xml:"cbc:DocumentCurrencyCode"`
	BuyerReference  string         `xml:"cbc:BuyerReference,omitempty"`
	Period          *periodXML     `xml:"cac:InvoicePeriod"`
	Order           *idXML         `xml:"cac:OrderReference"`
	Billing         *billingXML    `xml:"cac:BillingReference"`
	Attachment      *attachmentXML `xml:"cac:AdditionalDocumentReference"`
	Supplier        partyRoleXML   `xml:"cac:AccountingSupplierParty"`
	Customer        partyRoleXML   `xml:"cac:AccountingCustomerParty"`
	Payment         *paymentXML    `xml:"cac:PaymentMeans"`
	Terms           *noteXML       `xml:"cac:PaymentTerms"`
	Tax             taxTotalXML    `xml:"cac:TaxTotal"`
	Totals          monetaryXML    `xml:"cac:LegalMonetaryTotal"`
	InvoiceLines    []lineXML      `xml:"cac:InvoiceLine"`
	CreditLines     []lineXML      `xml:"cac:CreditNoteLine"`
}

type idXML struct {
	ID string `xml:"cbc:ID"`
}

type noteXML struct {
	Note string `xml:"cbc:Note"`
}

type attachmentXML struct {
	ID     string    `xml:"cbc:ID"`
	Object binaryXML `xml:"cac:Attachment>cbc:EmbeddedDocumentBinaryObject"`
}

type binaryXML struct {
	MIME     string `xml:"mimeCode,attr"`
	Filename string `xml:"filename,attr"`
	Value    string `xml:",chardata"`
}

type billingXML struct {
	Invoice idXML `xml:"cac:InvoiceDocumentReference"`
}

type periodXML struct {
	Start string `xml:"cbc:StartDate,omitempty"`
	End   string `xml:"cbc:EndDate,omitempty"`
}

type schemedXML struct {
	Scheme string `xml:"schemeID,attr"`
	Value  string `xml:",chardata"`
}

type partyRoleXML struct {
	Party partyXML `xml:"cac:Party"`
}

type partyXML struct {
	Endpoint  schemedXML   `xml:"cbc:EndpointID"`
	Name      *nameXML     `xml:"cac:PartyName"`
	Address   addressXML   `xml:"cac:PostalAddress"`
	TaxScheme *partyTaxXML `xml:"cac:PartyTaxScheme"`
	Legal     legalXML     `xml:"cac:PartyLegalEntity"`
	Contact   *contactXML  `xml:"cac:Contact"`
}

type nameXML struct {
	Name string `xml:"cbc:Name"`
}

type addressXML struct {
	Street     string     `xml:"cbc:StreetName"`
	City       string     `xml:"cbc:CityName"`
	PostalZone string     `xml:"cbc:PostalZone"`
	Country    countryXML `xml:"cac:Country"`
}

type countryXML struct {
	Code string `xml:"cbc:IdentificationCode"`
}

type schemeXML struct {
	ID string `xml:"cbc:ID"`
}

type partyTaxXML struct {
	CompanyID string    `xml:"cbc:CompanyID"`
	Scheme    schemeXML `xml:"cac:TaxScheme"`
}

type legalXML struct {
	Name      string     `xml:"cbc:RegistrationName"`
	CompanyID schemedXML `xml:"cbc:CompanyID"`
}

type contactXML struct {
	Name  string `xml:"cbc:Name,omitempty"`
	Phone string `xml:"cbc:Telephone,omitempty"`
	Email string `xml:"cbc:ElectronicMail,omitempty"`
}

type paymentXML struct {
	Code      int    `xml:"cbc:PaymentMeansCode"`
	PaymentID string `xml:"cbc:PaymentID"`
	Account   idXML  `xml:"cac:PayeeFinancialAccount"`
}

type amountXML struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type categoryXML struct {
	ID              string    `xml:"cbc:ID"`
	Percent         string    `xml:"cbc:Percent"`
	ExemptionReason string    `xml:"cbc:TaxExemptionReason,omitempty"`
	Scheme          schemeXML `xml:"cac:TaxScheme"`
}

type subtotalXML struct {
	Taxable  amountXML   `xml:"cbc:TaxableAmount"`
	Amount   amountXML   `xml:"cbc:TaxAmount"`
	Category categoryXML `xml:"cac:TaxCategory"`
}

type taxTotalXML struct {
	Amount    amountXML     `xml:"cbc:TaxAmount"`
	Subtotals []subtotalXML `xml:"cac:TaxSubtotal"`
}

type monetaryXML struct {
	LineExtension amountXML `xml:"cbc:LineExtensionAmount"`
	TaxExclusive  amountXML `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive  amountXML `xml:"cbc:TaxInclusiveAmount"`
	Payable       amountXML `xml:"cbc:PayableAmount"`
}

type quantityXML struct {
	Unit  string `xml:"unitCode,attr"`
	Value string `xml:",chardata"`
}

type lineXML struct {
	ID       string       `xml:"cbc:ID"`
	Invoiced *quantityXML `xml:"cbc:InvoicedQuantity"`
	Credited *quantityXML `xml:"cbc:CreditedQuantity"`
	Amount   amountXML    `xml:"cbc:LineExtensionAmount"`
	Period   *periodXML   `xml:"cac:InvoicePeriod"`
	Item     itemXML      `xml:"cac:Item"`
	Price    priceXML     `xml:"cac:Price"`
}

type itemXML struct {
	Description string      `xml:"cbc:Description,omitempty"`
	Name        string      `xml:"cbc:Name"`
	Tax         categoryXML `xml:"cac:ClassifiedTaxCategory"`
}

type priceXML struct {
	Amount amountXML    `xml:"cbc:PriceAmount"`
	Base   *quantityXML `xml:"cbc:BaseQuantity"`
}
