package ubl

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/formatcheck"
)

func date(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var provider = Party{
	Name:        "Opstap Re-integratie B.V.",
	LegalID:     "12345678",
	LegalScheme: KvK,
	VATNumber:   "NL001234567B01",
	Address:     Address{Street: "Stationsplein", Number: "1", PostalCode: "1315 KT", City: "Almere"},
	Contact:     Contact{Name: "Afdeling Financiën", Phone: "036 123 45 67", Email: "finance@opstap.example"},
}

// employerInvoice is a month's invoice to a client employer: hours at the
// default rate of EUR 11.75 [003 art 5 lid 8], odd quarters to exercise the
// rounding.
func employerInvoice() Document {
	return Document{
		Number:         "F2026-000017",
		IssueDate:      date("2026-04-01"),
		DueDate:        date("2026-05-01"),
		BuyerReference: "Inkoop 4711",
		Period:         Period{date("2026-03-01"), date("2026-03-31")},
		PaymentTerms:   "Betaling binnen 30 dagen na factuurdatum",
		Seller:         provider,
		Buyer: Party{
			Name: "Bakkerij De Korenschoof & Zn.", LegalID: "87654321", LegalScheme: KvK, VATNumber: "NL009876543B02",
			Address: Address{Street: "Kerkstraat", Number: "12-A", PostalCode: "1311 AB", City: "Almere"},
		},
		Payment: Payment{MeansCode: SEPACreditTransfer, IBAN: "NL91 ABNA 0417 1643 00"},
		Lines: []Line{
			{Name: "Inzet J. Jansen, maart 2026", Minutes: 440, UnitPrice: 1175, Amount: 8617, VAT: VAT{Category: Standard, Rate: 2100}},
			{Name: "Inzet Zoë Çelik, maart 2026", Description: "Werkzaamheden in de bakkerij", Minutes: 3855, UnitPrice: 1175, Amount: 75494, VAT: VAT{Category: Standard, Rate: 2100},
				Period: Period{date("2026-03-02"), date("2026-03-27")}},
			{Name: "Correctie uren februari", Minutes: -120, UnitPrice: 1175, Amount: -2350, VAT: VAT{Category: Standard, Rate: 2100}},
		},
	}
}

// municipalityInvoice is the monthly invoice to a municipality, identified
// by its OIN, with an exempt line next to taxed ones.
func municipalityInvoice() Document {
	return Document{
		Number:         "G2026-000003",
		IssueDate:      date("2026-07-01"),
		DueDate:        date("2026-07-31"),
		OrderReference: "Contract 2026/118",
		Note:           "Maandfactuur juni 2026 volgens overeenkomst art. 6.2",
		Period:         Period{date("2026-06-01"), date("2026-06-30")},
		PaymentTerms:   "Betaling binnen 30 dagen",
		Seller:         provider,
		Buyer: Party{
			Name: "Gemeente Almere", LegalID: "00000001002220647000", LegalScheme: OIN, VATNumber: "NL001234568B01",
			Address: Address{Street: "Stadhuisplein", Number: "1", PostalCode: "1315 HR", City: "Almere", Country: "NL"},
			Contact: Contact{Email: "crediteuren@almere.example"},
		},
		Payment: Payment{MeansCode: CreditTransfer, IBAN: "NL91ABNA0417164300", Reference: "G2026-000003 juni"},
		Lines: []Line{
			{ID: "MIN", Name: "Maandelijks minimum", Count: 1, UnitPrice: 450000, Amount: 450000, VAT: VAT{Category: Standard, Rate: 2100}},
			{ID: "LIC", Name: "Licenties", Count: 12, Unit: UnitPiece, UnitPrice: 2500, Amount: 30000, VAT: VAT{Category: Standard, Rate: 900}},
			{ID: "ADV", Name: "Adviesdagen", Count: 3, Unit: UnitDay, UnitPrice: 47500, Amount: 142500, VAT: VAT{Category: Exempt, ExemptionReason: "Vrijgesteld: re-integratie art. 11 Wet OB"}},
			{ID: "NUL", Name: "Nultarief", Count: 1, UnitPrice: 1, Amount: 1, VAT: VAT{Category: ZeroRated}},
		},
	}
}

func creditNote() Document {
	d := employerInvoice()
	d.PDF, d.PDFName = []byte("%PDF-1.4\n% stand-in for the rendered credit note\n%%EOF\n"), "creditnota C2026-000002.pdf"
	d.Number = "C2026-000002"
	d.IssueDate = date("2026-04-10")
	d.DueDate = opstap.Date{}
	d.Corrects = "F2026-000017"
	d.PaymentTerms = "Wij storten het bedrag binnen 14 dagen terug"
	d.Lines = []Line{{Name: "Te veel gefactureerd: Inzet J. Jansen", Minutes: 75, UnitPrice: 1175, Amount: 1469, VAT: VAT{Category: Standard, Rate: 2100}}}
	return d
}

func TestLineAndVATAmount(t *testing.T) {
	lines := []struct {
		line Line
		want opstap.Cents
	}{
		{Line{Minutes: 440, UnitPrice: 1175}, 8617},   // 7:20 × 11,75 = 86,1666…
		{Line{Minutes: 450, UnitPrice: 1175}, 8813},   // 88,125 rounds up
		{Line{Minutes: -450, UnitPrice: 1175}, -8813}, // half away from zero, also negative
		{Line{Minutes: 3855, UnitPrice: 1175}, 75494}, // 754,9375
		{Line{Minutes: 1, UnitPrice: 30}, 1},          // 0,5 cent
		{Line{Minutes: 1, UnitPrice: 29}, 0},          // 0,483 cent
		{Line{Count: 12, UnitPrice: 2500}, 30000},
		{Line{Count: 0, UnitPrice: 1175}, 0},
	}
	for _, c := range lines {
		if got, err := LineAmount(c.line); err != nil || got != c.want {
			t.Errorf("LineAmount(%+v) = %d, %v; want %d", c.line, got, err, c.want)
		}
	}
	vats := []struct {
		taxable opstap.Cents
		rate    opstap.BasisPoints
		want    opstap.Cents
	}{
		{81761, 2100, 17170}, // 171,6981
		{50, 2100, 11},       // 10,5 → 11
		{-50, 2100, -11},
		{30000, 900, 2700},
		{142500, 0, 0},
	}
	for _, c := range vats {
		if got, err := VATAmount(c.taxable, c.rate); err != nil || got != c.want {
			t.Errorf("VATAmount(%d, %d) = %d, %v; want %d", c.taxable, c.rate, got, err, c.want)
		}
	}
}

// TestTotals checks the sums against a hand computation:
// 86.17 + 754.94 − 23.50 = 817.61; 21 % of 817.61 = 171.6981 → 171.70.
func TestTotals(t *testing.T) {
	d := employerInvoice()
	tot, err := d.Totals()
	if err != nil {
		t.Fatal(err)
	}
	if tot.LineTotal != 81761 || tot.TaxTotal != 17170 || tot.Payable != 98931 || len(tot.VAT) != 1 {
		t.Fatalf("totals %+v", tot)
	}
	m := municipalityInvoice()
	tot, err = m.Totals()
	if err != nil {
		t.Fatal(err)
	}
	// 4500 × 21 % = 945; 300 × 9 % = 27; 1425 exempt; 0.01 zero rated.
	want := []Subtotal{
		{Category: Exempt, Taxable: 142500, Tax: 0, ExemptionReason: "Vrijgesteld: re-integratie art. 11 Wet OB"},
		{Category: Standard, Rate: 900, Taxable: 30000, Tax: 2700},
		{Category: Standard, Rate: 2100, Taxable: 450000, Tax: 94500},
		{Category: ZeroRated, Taxable: 1, Tax: 0},
	}
	if len(tot.VAT) != len(want) {
		t.Fatalf("VAT breakdown %+v", tot.VAT)
	}
	for i := range want {
		if tot.VAT[i] != want[i] {
			t.Errorf("VAT[%d] = %+v, want %+v", i, tot.VAT[i], want[i])
		}
	}
	if tot.LineTotal != 622501 || tot.TaxTotal != 97200 || tot.Payable != 719701 {
		t.Errorf("totals %+v", tot)
	}
}

func TestRefusals(t *testing.T) {
	cases := []struct {
		field  string
		credit bool
		change func(d *Document)
	}{
		{"number", false, func(d *Document) { d.Number = " " }},
		{"issue_date", false, func(d *Document) { d.IssueDate = opstap.Date{} }},
		{"due_date", false, func(d *Document) { d.DueDate = opstap.Date{} }},
		{"due_date", false, func(d *Document) { d.DueDate = date("2026-03-01") }},
		{"due_date", true, func(d *Document) { d.DueDate = date("2026-05-01") }},
		{"corrects", true, func(d *Document) { d.Corrects = "" }},
		{"payment_terms", true, func(d *Document) { d.PaymentTerms = "" }},
		{"buyer_reference", false, func(d *Document) { d.BuyerReference = "" }},
		{"period", false, func(d *Document) { d.Period.End = date("2026-02-01") }},
		{"seller.name", false, func(d *Document) { d.Seller.Name = "" }},
		{"seller.legal_id", false, func(d *Document) { d.Seller.LegalID = "1234567" }},
		{"buyer.legal_id", false, func(d *Document) { d.Buyer.LegalScheme = OIN }},
		{"buyer.legal_scheme", false, func(d *Document) { d.Buyer.LegalScheme = "0088" }},
		{"seller.vat_number", false, func(d *Document) { d.Seller.VATNumber = "" }},
		{"buyer.vat_number", false, func(d *Document) { d.Buyer.VATNumber = "NL12345" }},
		{"buyer.address.street", false, func(d *Document) { d.Buyer.Address.Street = "" }},
		{"buyer.address.postal_code", false, func(d *Document) { d.Buyer.Address.PostalCode = "" }},
		{"seller.address.city", false, func(d *Document) { d.Seller.Address.City = "" }},
		{"buyer.address.country", false, func(d *Document) { d.Buyer.Address.Country = "Nederland" }},
		{"payment.means_code", false, func(d *Document) { d.Payment.MeansCode = 49 }},
		{"payment.iban", false, func(d *Document) { d.Payment.IBAN = "NL91ABNA0417164301" }},
		{"lines", false, func(d *Document) { d.Lines = nil }},
		{"pdf", true, func(d *Document) { d.PDF = []byte("<html>") }},
		{"lines", false, func(d *Document) { d.Lines = d.Lines[2:] }}, // only the negative correction
		{"lines[1].amount", false, func(d *Document) { d.Lines[1].Amount++ }},
		{"lines[0].amount", false, func(d *Document) { d.Lines[0].Minutes = math.MaxInt64 }},
		{"lines[0].amount", false, func(d *Document) { d.Lines[0].Minutes, d.Lines[0].Count = 0, 440 }},
		{"lines[0].unit_price", false, func(d *Document) { d.Lines[0].UnitPrice, d.Lines[0].Minutes, d.Lines[0].Amount = -1175, -440, 8617 }},
		{"lines[0].name", false, func(d *Document) { d.Lines[0].Name = "" }},
		{"lines[0].unit", false, func(d *Document) { d.Lines[0].Unit = UnitDay }},
		{"lines[0].count", false, func(d *Document) { d.Lines[0].Count = 1 }},
		{"lines[1].id", false, func(d *Document) { d.Lines[1].ID = "1" }},
		{"lines[0].vat", false, func(d *Document) { d.Lines[0].VAT = VAT{Category: "AE"} }},
		{"lines[0].vat", false, func(d *Document) { d.Lines[0].VAT.Rate = 0 }},
		{"lines[0].vat", false, func(d *Document) { d.Lines[0].VAT = VAT{Category: ZeroRated, Rate: 900} }},
		{"lines[0].vat", false, func(d *Document) { d.Lines[0].VAT = VAT{Category: Exempt} }},
		{"lines[0].vat", false, func(d *Document) { d.Lines[0].VAT.ExemptionReason = "geen" }},
		{"lines[0].period", false, func(d *Document) { d.Lines[0].Period = Period{date("2026-03-05"), date("2026-03-04")} }},
	}
	for _, c := range cases {
		d := employerInvoice()
		write := Invoice
		if c.credit {
			d, write = creditNote(), CreditNote
		}
		c.change(&d)
		if _, err := write(d); formatcheck.Field(err) != c.field {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
	d := municipalityInvoice()
	d.Lines = append(d.Lines, Line{Name: "x", Count: 1, UnitPrice: 1, Amount: 1, VAT: VAT{Category: Exempt, ExemptionReason: "anders"}})
	if _, err := Invoice(d); err == nil || !strings.Contains(err.Error(), "lines[4].vat") {
		t.Errorf("two exemption reasons in one category: %v", err)
	}
}

// TestValidators writes every kind of document the package makes and runs
// the UBL 2.1 schemas and the official SI-UBL 2.0 schematron over them, in
// one Saxon run together with documents spoiled on purpose, which must
// fail: so the check itself is shown to bite.
func TestValidators(t *testing.T) {
	inv, err := Invoice(employerInvoice())
	if err != nil {
		t.Fatal(err)
	}
	gem, err := Invoice(municipalityInvoice())
	if err != nil {
		t.Fatal(err)
	}
	cn, err := CreditNote(creditNote())
	if err != nil {
		t.Fatal(err)
	}
	// Spoiled: a total that no longer adds up, and a Dutch buyer without
	// KvK or OIN scheme.
	badTotal := bytes.Replace(inv, []byte(`<cbc:PayableAmount currencyID="EUR">989.31<`), []byte(`<cbc:PayableAmount currencyID="EUR">989.32<`), 1)
	badScheme := bytes.Replace(gem, []byte(`<cbc:CompanyID schemeID="0190">`), []byte(`<cbc:CompanyID schemeID="0088">`), 1)
	if bytes.Equal(badTotal, inv) || bytes.Equal(badScheme, gem) {
		t.Fatal("the spoiled documents are not spoiled: the expected text is missing")
	}
	dir := formatcheck.WriteFiles(t, map[string][]byte{
		"invoice.xml": inv, "municipality.xml": gem, "creditnote.xml": cn,
		"bad-total.xml": badTotal, "bad-scheme.xml": badScheme,
	})
	path := func(n string) string { return filepath.Join(dir, n) }
	formatcheck.XSD(t, formatcheck.SharedData(t, "validators/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"), path("invoice.xml"), path("municipality.xml"))
	formatcheck.XSD(t, formatcheck.SharedData(t, "validators/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"), path("creditnote.xml"))

	reports := formatcheck.SIUBLReports(t, dir)
	for _, name := range []string{"invoice.xml", "municipality.xml", "creditnote.xml"} {
		for _, a := range reports[name] {
			if a.Flag == "fatal" || a.Flag == "" {
				t.Errorf("%s: %s", name, a)
			} else {
				t.Logf("%s: %s", name, a)
			}
		}
	}
	expect := map[string]string{"bad-total.xml": "BR-CO-16", "bad-scheme.xml": "BR-NL-10"}
	for name, id := range expect {
		found := false
		for _, a := range reports[name] {
			found = found || (a.ID == id && a.Flag == "fatal")
		}
		if !found {
			t.Errorf("%s: no fatal %s in %v", name, id, reports[name])
		}
	}
}

// TestContent reads the invoice back and checks what a reader relies on:
// exact amounts, the parties' schemes, the IBAN and the line quantity.
func TestContent(t *testing.T) {
	b, err := Invoice(employerInvoice())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		XMLName  xml.Name
		Due      string `xml:"DueDate"`
		Supplier struct {
			Legal struct {
				ID struct {
					Scheme string `xml:"schemeID,attr"`
					Value  string `xml:",chardata"`
				} `xml:"CompanyID"`
			} `xml:"Party>PartyLegalEntity"`
		} `xml:"AccountingSupplierParty"`
		Street  []string `xml:"AccountingCustomerParty>Party>PostalAddress>StreetName"`
		IBAN    string   `xml:"PaymentMeans>PayeeFinancialAccount>ID"`
		Code    string   `xml:"PaymentMeans>PaymentMeansCode"`
		Payable string   `xml:"LegalMonetaryTotal>PayableAmount"`
		Tax     string   `xml:"TaxTotal>TaxAmount"`
		Lines   []struct {
			Qty struct {
				Unit  string `xml:"unitCode,attr"`
				Value string `xml:",chardata"`
			} `xml:"InvoicedQuantity"`
			Amount string `xml:"LineExtensionAmount"`
			Base   string `xml:"Price>BaseQuantity"`
		} `xml:"InvoiceLine"`
	}
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.XMLName.Space != nsInvoice || got.XMLName.Local != "Invoice" || got.Due != "2026-05-01" ||
		got.Supplier.Legal.ID.Scheme != "0106" || got.Supplier.Legal.ID.Value != "12345678" ||
		len(got.Street) != 1 || got.Street[0] != "Kerkstraat 12-A" ||
		got.IBAN != "NL91ABNA0417164300" || got.Code != "58" || got.Payable != "989.31" || got.Tax != "171.70" ||
		len(got.Lines) != 3 || got.Lines[0].Qty.Unit != "MIN" || got.Lines[0].Qty.Value != "440" || got.Lines[0].Base != "60" ||
		got.Lines[0].Amount != "86.17" || got.Lines[2].Qty.Value != "-120" || got.Lines[2].Amount != "-23.50" {
		t.Errorf("read back %+v", got)
	}
	if !bytes.Contains(b, []byte("Bakkerij De Korenschoof &amp; Zn.")) || !bytes.Contains(b, []byte("Zoë Çelik")) {
		t.Error("names are not escaped or not kept in UTF-8")
	}
}

func TestDec2(t *testing.T) {
	for n, want := range map[int64]string{0: "0.00", 5: "0.05", -5: "-0.05", 123456: "1234.56", -100: "-1.00", math.MinInt64: "-92233720368547758.08"} {
		if got := dec2(n); got != want {
			t.Errorf("dec2(%d) = %s, want %s", n, got, want)
		}
	}
}

// FuzzInvoice: whatever text the parties and lines carry, a document is
// either refused with a field error or well-formed XML whose totals are
// the ones Totals computed.
func FuzzInvoice(f *testing.F) {
	f.Add("Bakkerij <De> & 'Zn'", "Inzet \x00 uren", int64(750), int64(1175), int64(2100))
	f.Add("", "x", int64(-1), int64(0), int64(0))
	f.Add("a\u2028b", "]]>", int64(math.MaxInt64), int64(2), int64(10000))
	f.Fuzz(func(t *testing.T, name, item string, q, price, bp int64) {
		d := employerInvoice()
		d.Buyer.Name = name
		l := Line{Name: item, Minutes: opstap.Minutes(q), UnitPrice: opstap.Cents(price), VAT: VAT{Category: Standard, Rate: opstap.BasisPoints(bp)}}
		var err error
		if l.Amount, err = LineAmount(l); err != nil {
			return
		}
		d.Lines = []Line{l}
		b, err := Invoice(d)
		if err != nil && formatcheck.Field(err) == "" {
			t.Fatalf("not a field error: %v", err)
		} else if err != nil {
			return
		}
		var back struct {
			Payable string `xml:"LegalMonetaryTotal>PayableAmount"`
		}
		if err := xml.Unmarshal(b, &back); err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		tot, _ := d.Totals()
		if back.Payable != dec2(int64(tot.Payable)) {
			t.Fatalf("payable %s, want %s", back.Payable, dec2(int64(tot.Payable)))
		}
	})
}

// TestAttachment: the PDF travels inside the credit note, byte for byte.
func TestAttachment(t *testing.T) {
	d := creditNote()
	b, err := CreditNote(d)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Ref struct {
			ID  string `xml:"ID"`
			Obj struct {
				MIME     string `xml:"mimeCode,attr"`
				Filename string `xml:"filename,attr"`
				Value    []byte `xml:",chardata"`
			} `xml:"Attachment>EmbeddedDocumentBinaryObject"`
		} `xml:"AdditionalDocumentReference"`
	}
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	pdf, err := base64.StdEncoding.DecodeString(string(got.Ref.Obj.Value))
	if err != nil || !bytes.Equal(pdf, d.PDF) || got.Ref.ID != "C2026-000002" || got.Ref.Obj.MIME != "application/pdf" || got.Ref.Obj.Filename != d.PDFName {
		t.Errorf("attachment %+v, %v", got.Ref, err)
	}
	inv, err := Invoice(employerInvoice())
	if err != nil || bytes.Contains(inv, []byte("AdditionalDocumentReference")) {
		t.Errorf("an invoice without PDF carries an attachment: %v", err)
	}
}

// BenchmarkInvoice writes an invoice of 5,000 time lines.
func BenchmarkInvoice(b *testing.B) {
	d := employerInvoice()
	d.Lines = nil
	for i := range 5000 {
		l := Line{Name: "Inzet kandidaat " + strconv.Itoa(i), Minutes: opstap.Minutes(i%9000 + 1), UnitPrice: 1175, VAT: VAT{Category: Standard, Rate: 2100}}
		l.Amount, _ = LineAmount(l)
		d.Lines = append(d.Lines, l)
	}
	for b.Loop() {
		if _, err := Invoice(d); err != nil {
			b.Fatal(err)
		}
	}
}
