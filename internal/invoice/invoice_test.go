package invoice

import (
	"bytes"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/ubl"
)

var march = opstap.Month{Year: 2026, Month: 3}

func TestNumber(t *testing.T) {
	if got := Number("F", 2026, 123); got != "F2026-000123" {
		t.Fatalf("Number = %q", got)
	}
	if got := Number("G", 2026, 1234567); got != "G2026-1234567" {
		t.Fatalf("Number beyond six digits = %q", got)
	}
	for _, s := range []string{"F2026-000123", " C2027-000001 "} {
		if _, _, _, err := ParseNumber(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "F2026-123", "X2026-000123", "F0000-000001", "F2026-000000", "F2026-99999999999999999999"} {
		if _, _, _, err := ParseNumber(s); opstap.AsError(err) == nil || opstap.AsError(err).Field != "number" {
			t.Errorf("%q: want a number field error, got %v", s, err)
		}
	}
	if Employer.Series() == CreditNote.Series() || Municipality.Series() == Employer.Series() {
		t.Fatal("credit notes and each invoice kind need their own series")
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"F2026-000123", "C2026-000001", "G9999-999999999", "F2026-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		series, year, seq, err := ParseNumber(s)
		if err != nil {
			return
		}
		if again := Number(series, year, seq); again != strings.TrimSpace(s) && !strings.Contains(s, "-0000000") {
			if _, _, seq2, _ := ParseNumber(again); seq2 != seq {
				t.Fatalf("%q → %q does not round-trip", s, again)
			}
		}
	})
}

func TestEmployerLines(t *testing.T) {
	rows := []HoursRow{
		{PlacementID: "p1", CandidateID: "c1", CandidateName: "Zoë Çelik", Assignment: "Bakker", Minutes: 450, Rate: 1175},
		{PlacementID: "p2", CandidateID: "c2", CandidateName: "Jan Jansen", Assignment: "Magazijn", Minutes: 0, Rate: 1175},
		{PlacementID: "p3", CandidateID: "c3", CandidateName: "Piet", Assignment: "Tuin", Minutes: 440, Rate: 1250},
	}
	lines, err := EmployerLines(march, rows, 2100)
	if err != nil {
		t.Fatal(err)
	}
	// 7,5 h × 11,75 = 88,125 → 88,13; 7:20 h × 12,50 = 91,666… → 91,67; no line for zero hours.
	if len(lines) != 2 || lines[0].Net != 8813 || lines[1].Net != 9167 {
		t.Fatalf("lines = %+v", lines)
	}
	if lines[0].Description != "Inzet Zoë Çelik, Bakker, maart 2026" || lines[0].CandidateID != "c1" {
		t.Fatalf("description = %q", lines[0].Description)
	}
	if _, err := EmployerLines(march, []HoursRow{{Minutes: 1 << 62, Rate: 1 << 40}}, 2100); err == nil {
		t.Fatal("overflow accepted")
	}
}

func terms() billing.Terms {
	t := billing.DefaultTerms("0034", opstap.Date{Year: 2026, Month: 1, Day: 1})
	t.FeeTiers = []billing.Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}
	t.MonthlyMinimum, t.Licences, t.LicencePrice, t.AdviceDays, t.AdviceDayPrice = 250_000, 3, 4_500, 2, 95_000
	t.FeeVATRate = 2100
	return t
}

func TestMunicipalityLinesAndFee(t *testing.T) {
	lines, err := MunicipalityLines(march, terms())
	if err != nil {
		t.Fatal(err)
	}
	// 2.500 + 3 × 45 + 2 × 950 = 4.535,00 net, 21 % VAT 952,35.
	inv := &Invoice{Kind: Municipality, IssueDate: opstap.Date{Year: 2026, Month: 4, Day: 1}, PaymentDays: 30, Lines: lines}
	if err := inv.Finish(); err != nil {
		t.Fatal(err)
	}
	if inv.Totals.Net != 453_500 || inv.Totals.VAT != 95_235 || inv.Totals.Gross != 548_735 {
		t.Fatalf("totals = %+v", inv.Totals)
	}
	if inv.DueDate != (opstap.Date{Year: 2026, Month: 5, Day: 1}) {
		t.Fatalf("due %s", inv.DueDate)
	}
	// DOMAIN.md's worked example: 30.000 revenue carries 4.750 fee.
	f, err := FeeOf(3_000_000, terms())
	if err != nil || f.Fee != 475_000 || f.AboveMinum != 225_000 || len(f.Bands) != 3 {
		t.Fatalf("fee = %+v, %v", f, err)
	}
	f, err = FeeOf(500_000, terms())
	if err != nil || f.Fee != 100_000 || f.AboveMinum != 0 {
		t.Fatalf("fee below minimum = %+v, %v", f, err)
	}
}

var seller = Party{OrgID: "org-provider", Name: "Opstap Re-integratie B.V.", LegalID: "12345678", LegalScheme: ubl.KvK, VATNumber: "NL001234567B01",
	Street: "Stationsplein", HouseNumber: "1", PostalCode: "1315 KT", City: "Almere", IBAN: "NL91ABNA0417164300", Email: "finance@opstap.example"}
var employer = Party{OrgID: "org-bakker", Name: "Bakkerij De Korenschoof", LegalID: "87654321", LegalScheme: ubl.KvK,
	Street: "Kerkstraat", HouseNumber: "12-A", PostalCode: "1311 AB", City: "Almere"}
var gemeente = Party{OrgID: "org-almere", Name: "Gemeente Almere", LegalID: "00000001002220647000", LegalScheme: ubl.OIN,
	Street: "Stadhuisplein", HouseNumber: "1", PostalCode: "1315 HR", City: "Almere", BuyerReference: "Contract 2026/118"}

// TestPartyCheck: complete parties pass; each mistake names the Party's
// own field (as the API and the billing details form name it), not the
// e-invoice element it would have become.
func TestPartyCheck(t *testing.T) {
	if err := seller.Check(true); err != nil {
		t.Fatal(err)
	}
	if err := employer.Check(false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		p      Party
		seller bool
		change func(*Party)
		field  string
	}{
		{"seller without VAT number", seller, true, func(p *Party) { p.VATNumber = "" }, "vat_number"},
		{"seller without IBAN", seller, true, func(p *Party) { p.IBAN = "NL91ABNA0417164301" }, "iban"},
		{"short OIN", gemeente, false, func(p *Party) { p.LegalID = "123" }, "legal_id"},
		{"unknown scheme", employer, false, func(p *Party) { p.LegalScheme = "0001" }, "legal_scheme"},
		{"no postcode", employer, false, func(p *Party) { p.PostalCode = "" }, "postal_code"},
		{"no street", seller, true, func(p *Party) { p.Street = " " }, "street"},
		{"no city", gemeente, false, func(p *Party) { p.City = "" }, "city"},
		{"bad VAT number", employer, false, func(p *Party) { p.VATNumber = "NL12" }, "vat_number"},
	} {
		p := c.p
		c.change(&p)
		if e := opstap.AsError(p.Check(c.seller)); e == nil || e.Field != c.field {
			t.Errorf("%s: %v, want field %s", c.name, e, c.field)
		}
	}
}

// TestEInvoicesValidate issues the three kinds and runs them through the
// UBL 2.1 XSD and the SI-UBL 2.0 schematron: no fatal assertion.
func TestEInvoicesValidate(t *testing.T) {
	issue := opstap.Date{Year: 2026, Month: 4, Day: 1}
	lines, err := EmployerLines(march, []HoursRow{
		{PlacementID: "p1", CandidateID: "c1", CandidateName: "Zoë Çelik", Assignment: "Bakker", Minutes: 3855, Rate: 1175},
		{PlacementID: "p3", CandidateID: "c3", CandidateName: "Piet Bos", Assignment: "Tuin", Minutes: -120, Rate: 1175},
	}, 2100)
	if err != nil {
		t.Fatal(err)
	}
	emp := &Invoice{Number: "F2026-000001", Kind: Employer, Month: march, IssueDate: issue, PaymentDays: 14, Seller: seller, Buyer: employer, Lines: lines}
	mlines, err := MunicipalityLines(march, terms())
	if err != nil {
		t.Fatal(err)
	}
	mun := &Invoice{Number: "G2026-000001", Kind: Municipality, Month: march, IssueDate: issue, PaymentDays: 30, Seller: seller, Buyer: gemeente, Lines: mlines}
	for _, inv := range []*Invoice{emp, mun} {
		if err := inv.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	cn, err := emp.Credit(issue.AddDays(3), "Uren dubbel gefactureerd")
	if err != nil {
		t.Fatal(err)
	}
	cn.Number = "C2026-000001"
	files := map[string][]byte{}
	for name, inv := range map[string]*Invoice{"employer.xml": emp, "municipality.xml": mun, "credit.xml": cn} {
		b, err := inv.XML([]byte("%PDF-1.4 test"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = b
	}
	if !bytes.Contains(files["municipality.xml"], []byte(`schemeID="0190"`)) || !bytes.Contains(files["credit.xml"], []byte("F2026-000001")) {
		t.Fatal("buyer OIN or credited number missing")
	}
	if _, err := mun.Credit(issue, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := cn.Credit(issue, "x"); opstap.ErrorCode(err) != opstap.ECONFLICT {
		t.Fatalf("credit of a credit note: %v", err)
	}
	formatcheck.EInvoices(t, files)
}
