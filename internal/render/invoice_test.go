package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/formatcheck"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/ubl"
)

// sampleInvoice is an employer's month with a name beyond Latin-1.
func sampleInvoice() *invoice.Invoice {
	m := opstap.Month{Year: 2026, Month: 3}
	lines, err := invoice.EmployerLines(m, []invoice.HoursRow{
		{PlacementID: "p1", CandidateID: "c1", CandidateName: "Zoë van IJsselstein-Müller", Assignment: "Bakker", Minutes: 3855, Rate: 1175},
		{PlacementID: "p2", CandidateID: "c2", CandidateName: "Jan Jansen", Assignment: "Magazijn", Minutes: 440, Rate: 1175},
	}, 2100)
	if err != nil {
		panic(err)
	}
	inv := &invoice.Invoice{Number: "F2026-000017", Kind: invoice.Employer, Month: m, IssueDate: opstap.Date{Year: 2026, Month: 4, Day: 1}, PaymentDays: 30,
		Seller: invoice.Party{Name: "Opstap Re-integratie B.V.", LegalID: "12345678", LegalScheme: ubl.KvK, VATNumber: "NL001234567B01",
			Street: "Stationsplein", HouseNumber: "1", PostalCode: "1315 KT", City: "Almere", IBAN: "NL91ABNA0417164300"},
		Buyer: invoice.Party{Name: "Bakkerij De Korenschoof", LegalID: "87654321", LegalScheme: ubl.KvK, Street: "Kerkstraat", HouseNumber: "12-A",
			PostalCode: "1311 AB", City: "Almere", BuyerReference: "Inkoop 4711"},
		Lines: lines}
	if err := inv.Finish(); err != nil {
		panic(err)
	}
	return inv
}

// TestInvoiceFiles: the PDF shows the figures the e-invoice carries, the
// e-invoice embeds that PDF and validates.
func TestInvoiceFiles(t *testing.T) {
	inv := sampleInvoice()
	pdf, xml, err := InvoiceFiles(inv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(xml, []byte("F2026-000017.pdf")) {
		t.Fatal("the e-invoice does not embed the PDF")
	}
	// 64:15 h × 11,75 = 754,94 and 7:20 h = 86,17: 841,11 net, VAT 176,63.
	if inv.Totals.Net != 84111 || inv.Totals.VAT != 17663 || !bytes.Contains(xml, []byte(`<cbc:PayableAmount currencyID="EUR">1017.74<`)) {
		t.Fatalf("totals %+v", inv.Totals)
	}
	formatcheck.EInvoices(t, map[string][]byte{"invoice.xml": xml})
	p := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool(t, "pdftotext"), p, "-").CombinedOutput()
	text := string(out)
	for _, want := range []string{"Factuur F2026-000017", "Zoë van IJsselstein-Müller", "1017,74", "NL001234567B01", "01-05-2026"} {
		if err != nil || !strings.Contains(text, want) {
			t.Fatalf("PDF text lacks %q: %v\n%s", want, err, text)
		}
	}
}
