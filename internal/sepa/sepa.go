// Package sepa writes SEPA credit-transfer batches in ISO 20022
// pain.001.001.09 as the European Payments Council's customer-to-bank
// guidelines (EPC132-08, 2023) restrict it: the file finance uploads to the
// provider's bank to pay the candidates' premiums. It is a pure package: the
// payout domain decides who is paid what, once; this package refuses a
// batch that would be wrong on its face (a bad IBAN, a duplicate end-to-end
// id, a control sum that overflows) and writes the rest.
//
// Creditor addresses are structured (street, number, postcode, town,
// country): banks refuse unstructured-only addresses from November 2026.
// Free text is transliterated into the SEPA Latin character set, since
// banks reject or mangle anything else.
package sepa

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// Namespace of pain.001.001.09.
const Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// MaxAmount is the largest amount of one SEPA credit transfer (EPC:
// 999 999 999,99 euro).
const MaxAmount opstap.Cents = 99999999999

// Address is a structured postal address.
type Address struct {
	Street     string
	Number     string // house number with any addition
	PostalCode string
	City       string
	Country    string // ISO 3166-1 alpha-2; empty means NL
}

// Debtor is the paying party: the provider's account.
type Debtor struct {
	Name    string
	IBAN    string
	BIC     string // optional within SEPA; written as NOTPROVIDED when empty
	Address Address
}

// Payment is one credit transfer: one payout to one candidate.
type Payment struct {
	EndToEndID string // the payout's own id, unique within the batch; travels to the creditor's statement
	Amount     opstap.Cents
	Name       string
	Address    Address
	IBAN       string
	Remittance string // unstructured remittance information, e.g. "Premie 1e halfjaar 2026"
}

// Batch is one pain.001 message with one payment information block: all
// payments leave the debtor's account on one execution date.
type Batch struct {
	MessageID     string // unique per file, e.g. "OPSTAP-PAY-2026-07-000012"
	Created       time.Time
	ExecutionDate opstap.Date
	Debtor        Debtor
	Payments      []Payment
}

// Summary is what the file promises the bank: number and sum.
type Summary struct {
	Count      int
	ControlSum opstap.Cents
}

// Field lengths of the EPC guidelines.
const (
	maxName       = 70
	maxRemittance = 140
	maxStreet     = 70
	maxNumber     = 16
	maxPostalCode = 16
	maxTown       = 35
)

var (
	// idRe is an EPC identifier: 1 to 35 characters of the SEPA set
	// without spaces (banks treat ids as opaque, spaces invite trouble).
	idRe      = regexp.MustCompile(`^[A-Za-z0-9/\-?:().,'+]{1,35}$`)
	bicRe     = regexp.MustCompile(`^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
)

// ValidID reports whether s may be a message, payment information or
// end-to-end id: SEPA characters, at most 35, no space, not starting or
// ending with '/' and without '//' (EPC rule).
func ValidID(s string) bool {
	return idRe.MatchString(s) && !strings.HasPrefix(s, "/") && !strings.HasSuffix(s, "/") && !strings.Contains(s, "//")
}

// special are letters NFKD does not decompose into Latin letters.
var special = strings.NewReplacer(
	"ß", "ss", "Æ", "AE", "æ", "ae", "Ø", "O", "ø", "o", "Œ", "OE", "œ", "oe",
	"Ł", "L", "ł", "l", "Đ", "D", "đ", "d", "Þ", "TH", "þ", "th", "ı", "i",
	"&", "+", "_", "-", "\"", "'", "‘", "'", "’", "'", "–", "-", "—", "-",
)

// Text returns s in the SEPA Latin character set (a–z A–Z 0–9 / - ? : ( )
// . , ' + and space): accents are dropped (Zoë → Zoe), ligatures and a few
// letters spelt out (ß → ss, ĳ → ij), anything else becomes a space; runs
// of spaces collapse and the result is cut to max characters.
func Text(s string, max int) string {
	s = norm.NFKD.String(special.Replace(s))
	var b strings.Builder
	space := true // drops leading spaces
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && sepaChar(byte(r)) && r != ' ':
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := strings.TrimRight(b.String(), " ")
	if len(out) > max {
		out = strings.TrimRight(out[:max], " ")
	}
	return out
}

func sepaChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("/-?:().,'+ ", c) >= 0
}

// Check validates the batch and returns its number of payments and control
// sum.
func (b *Batch) Check() (Summary, error) {
	var s Summary
	if !ValidID(b.MessageID) {
		return s, opstap.FieldError("message_id", "an identifier has 1 to 35 SEPA characters without spaces")
	}
	if b.Created.IsZero() {
		return s, opstap.FieldError("created", "the creation time is required")
	}
	if b.ExecutionDate.IsZero() || b.ExecutionDate.Before(opstap.DateOf(b.Created)) {
		return s, opstap.FieldError("execution_date", "the execution date cannot be before the file is made")
	}
	if Text(b.Debtor.Name, maxName) == "" {
		return s, opstap.FieldError("debtor.name", "the name is required")
	}
	if !candidate.ValidIBAN(b.Debtor.IBAN) {
		return s, opstap.FieldError("debtor.iban", "IBAN check digits are wrong")
	}
	if b.Debtor.BIC != "" && !bicRe.MatchString(b.Debtor.BIC) {
		return s, opstap.FieldError("debtor.bic", "a BIC has 8 or 11 letters and digits")
	}
	if b.Debtor.Address != (Address{}) {
		if err := checkAddress(b.Debtor.Address, "debtor.address"); err != nil {
			return s, err
		}
	}
	if len(b.Payments) == 0 {
		return s, opstap.FieldError("payments", "a batch needs at least one payment")
	}
	ids := map[string]bool{}
	for i, p := range b.Payments {
		f := func(name string) string { return fmt.Sprintf("payments[%d].%s", i, name) }
		if !ValidID(p.EndToEndID) {
			return s, opstap.FieldError(f("end_to_end_id"), "an identifier has 1 to 35 SEPA characters without spaces")
		}
		if ids[p.EndToEndID] {
			return s, opstap.FieldError(f("end_to_end_id"), "a payment occurs only once in a batch")
		}
		ids[p.EndToEndID] = true
		if p.Amount <= 0 || p.Amount > MaxAmount {
			return s, opstap.FieldError(f("amount"), "a transfer is between 0.01 and 999,999,999.99 euros")
		}
		if Text(p.Name, maxName) == "" {
			return s, opstap.FieldError(f("name"), "the name is required")
		}
		if !candidate.ValidIBAN(p.IBAN) {
			return s, opstap.FieldError(f("iban"), "IBAN check digits are wrong")
		}
		if err := checkAddress(p.Address, f("address")); err != nil {
			return s, err
		}
		var err error
		if s.ControlSum, err = s.ControlSum.Add(p.Amount); err != nil {
			return s, opstap.FieldError("payments", "the amount is too large")
		}
		s.Count++
	}
	return s, nil
}

func checkAddress(a Address, prefix string) error {
	if Text(a.Street, maxStreet) == "" {
		return opstap.FieldError(prefix+".street", "the street is required")
	}
	if Text(a.PostalCode, maxPostalCode) == "" {
		return opstap.FieldError(prefix+".postal_code", "the postcode is required")
	}
	if Text(a.City, maxTown) == "" {
		return opstap.FieldError(prefix+".city", "the city is required")
	}
	if a.Country != "" && !countryRe.MatchString(a.Country) {
		return opstap.FieldError(prefix+".country", "the country is a two-letter ISO code such as NL")
	}
	return nil
}

// CreditTransfer writes the batch as a pain.001.001.09 document.
func CreditTransfer(b Batch) ([]byte, error) {
	sum, err := b.Check()
	if err != nil {
		return nil, err
	}
	name := Text(b.Debtor.Name, maxName)
	count := fmt.Sprint(sum.Count)
	ctrl := amount(sum.ControlSum)
	agent := finInstnXML{BIC: b.Debtor.BIC}
	if agent.BIC == "" {
		agent.Other = &otherXML{"NOTPROVIDED"}
	}
	pi := pmtInfXML{
		ID:        b.MessageID,
		Method:    "TRF",
		Batch:     true,
		Count:     count,
		CtrlSum:   ctrl,
		Service:   "SEPA",
		Execution: b.ExecutionDate.String(),
		Debtor:    partyXML{Name: name, Address: addressOf(b.Debtor.Address)},
		Account:   accountXML{IBAN: candidate.NormaliseIBAN(b.Debtor.IBAN)},
		Agent:     agentXML{agent},
		Charges:   "SLEV",
	}
	for _, p := range b.Payments {
		tx := txXML{
			EndToEnd: p.EndToEndID,
			Amount:   amountXML{Currency: "EUR", Value: amount(p.Amount)},
			Creditor: partyXML{Name: Text(p.Name, maxName), Address: addressOf(p.Address)},
			Account:  accountXML{IBAN: candidate.NormaliseIBAN(p.IBAN)},
		}
		if r := Text(p.Remittance, maxRemittance); r != "" {
			tx.Remittance = &remittanceXML{r}
		}
		pi.Transactions = append(pi.Transactions, tx)
	}
	doc := documentXML{
		Xmlns: Namespace,
		Initiation: initiationXML{
			Header: headerXML{
				MessageID: b.MessageID,
				Created:   b.Created.In(opstap.Amsterdam).Format("2006-01-02T15:04:05-07:00"),
				Count:     count,
				CtrlSum:   ctrl,
				Initiator: nameXML{name},
			},
			PaymentInfo: pi,
		},
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("sepa: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// amount writes cents as euros with two decimals; amounts here are positive.
func amount(c opstap.Cents) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

func addressOf(a Address) *addressXML {
	if a == (Address{}) {
		return nil
	}
	country := a.Country
	if country == "" {
		country = "NL"
	}
	return &addressXML{
		Street:     Text(a.Street, maxStreet),
		Number:     Text(a.Number, maxNumber),
		PostalCode: Text(a.PostalCode, maxPostalCode),
		Town:       Text(a.City, maxTown),
		Country:    country,
	}
}

type documentXML struct {
	XMLName    xml.Name      `xml:"Document"`
	Xmlns      string        `xml:"xmlns,attr"`
	Initiation initiationXML `xml:"CstmrCdtTrfInitn"`
}

type initiationXML struct {
	Header      headerXML `xml:"GrpHdr"`
	PaymentInfo pmtInfXML `xml:"PmtInf"`
}

type headerXML struct {
	MessageID string  `xml:"MsgId"`
	Created   string  `xml:"CreDtTm"`
	Count     string  `xml:"NbOfTxs"`
	CtrlSum   string  `xml:"CtrlSum"`
	Initiator nameXML `xml:"InitgPty"`
}

type nameXML struct {
	Name string `xml:"Nm"`
}

type pmtInfXML struct {
	ID           string     `xml:"PmtInfId"`
	Method       string     `xml:"PmtMtd"`
	Batch        bool       `xml:"BtchBookg"`
	Count        string     `xml:"NbOfTxs"`
	CtrlSum      string     `xml:"CtrlSum"`
	Service      string     `xml:"PmtTpInf>SvcLvl>Cd"`
	Execution    string     `xml:"ReqdExctnDt>Dt"`
	Debtor       partyXML   `xml:"Dbtr"`
	Account      accountXML `xml:"DbtrAcct"`
	Agent        agentXML   `xml:"DbtrAgt"`
	Charges      string     `xml:"ChrgBr"`
	Transactions []txXML    `xml:"CdtTrfTxInf"`
}

type partyXML struct {
	Name    string      `xml:"Nm"`
	Address *addressXML `xml:"PstlAdr"`
}

type addressXML struct {
	Street     string `xml:"StrtNm,omitempty"`
	Number     string `xml:"BldgNb,omitempty"`
	PostalCode string `xml:"PstCd,omitempty"`
	Town       string `xml:"TwnNm,omitempty"`
	Country    string `xml:"Ctry"`
}

type accountXML struct {
	IBAN string `xml:"Id>IBAN"`
}

type agentXML struct {
	Institution finInstnXML `xml:"FinInstnId"`
}

type finInstnXML struct {
	BIC   string    `xml:"BICFI,omitempty"`
	Other *otherXML `xml:"Othr"`
}

type otherXML struct {
	ID string `xml:"Id"`
}

type amountXML struct {
	Currency string `xml:"Ccy,attr"`
	Value    string `xml:",chardata"`
}

type remittanceXML struct {
	Unstructured string `xml:"Ustrd"`
}

type txXML struct {
	EndToEnd   string         `xml:"PmtId>EndToEndId"`
	Amount     amountXML      `xml:"Amt>InstdAmt"`
	Creditor   partyXML       `xml:"Cdtr"`
	Account    accountXML     `xml:"CdtrAcct"`
	Remittance *remittanceXML `xml:"RmtInf"`
}
