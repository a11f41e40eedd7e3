package sepa

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/formatcheck"
)

const schema = "validators/sepa/pain.001.001.09-EPC132-08-2023-SCT-C2PSP.xsd"

func batch() Batch {
	return Batch{
		MessageID:     "OPSTAP-PAY-2026-07-000012",
		Created:       time.Date(2026, 7, 3, 9, 30, 0, 0, time.UTC),
		ExecutionDate: opstap.Date{Year: 2026, Month: 7, Day: 6},
		Debtor: Debtor{
			Name: "Opstap Re-integratie B.V.", IBAN: "NL91 ABNA 0417 1643 00", BIC: "ABNANL2A",
			Address: Address{Street: "Stationsplein", Number: "1", PostalCode: "1315 KT", City: "Almere"},
		},
		Payments: []Payment{
			{EndToEndID: "PAYOUT-000101", Amount: 120000, Name: "Zoë Çelik-Ĳsselmeer", IBAN: "NL91ABNA0417164300",
				Address:    Address{Street: "Grote Markt", Number: "12-bis", PostalCode: "1315 AB", City: "Almere"},
				Remittance: "Premie 1e halfjaar 2026 (art. 31 lid 2 onder j Participatiewet) – € 1.200"},
			{EndToEndID: "PAYOUT-000102", Amount: 1, Name: "Jan Jansen & Zn", IBAN: "DE89370400440532013000",
				Address: Address{Street: "Hauptstraße", Number: "5", PostalCode: "10115", City: "Berlin", Country: "DE"}},
			{EndToEndID: "PAYOUT-000103", Amount: 99999, Name: "Łukasz Nowak", IBAN: "NL91ABNA0417164300",
				Address: Address{Street: "Kerkstraat", PostalCode: "1311 AB", City: "'s-Hertogenbosch"}, Remittance: "Reiskosten"},
		},
	}
}

func TestText(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"Zoë Çelik", 70, "Zoe Celik"},
		{"Ĳsselmeer straße", 70, "IJsselmeer strasse"},
		{"Jan & Zn_B.V.", 70, "Jan + Zn-B.V."},
		{"  €  100 \t\n x ", 70, "100 x"},
		{"'s-Hertogenbosch", 70, "'s-Hertogenbosch"},
		{"Łódź Ærø", 70, "Lodz AEro"},
		{"“quoted” <b>", 70, "quoted b"},
		{"abcdef ghij", 7, "abcdef"}, // cut, then the trailing space dropped
		{"日本", 70, ""},
	}
	for _, c := range cases {
		if got := Text(c.in, c.max); got != c.want {
			t.Errorf("Text(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"PAYOUT-000101": true, "A/B": true, "/AB": false, "AB/": false, "A//B": false, "": false,
		"with space": false, strings.Repeat("X", 35): true, strings.Repeat("X", 36): false, "Zoë": false,
	} {
		if ValidID(id) != want {
			t.Errorf("ValidID(%q) = %v", id, !want)
		}
	}
}

func TestCheck(t *testing.T) {
	b := batch()
	s, err := b.Check()
	if err != nil {
		t.Fatal(err)
	}
	if s.Count != 3 || s.ControlSum != 120000+1+99999 {
		t.Fatalf("summary %+v", s)
	}
	cases := []struct {
		field  string
		change func(b *Batch)
	}{
		{"message_id", func(b *Batch) { b.MessageID = "a b" }},
		{"created", func(b *Batch) { b.Created = time.Time{} }},
		{"execution_date", func(b *Batch) { b.ExecutionDate = opstap.Date{Year: 2026, Month: 7, Day: 2} }},
		{"execution_date", func(b *Batch) { b.ExecutionDate = opstap.Date{} }},
		{"debtor.name", func(b *Batch) { b.Debtor.Name = "日本" }},
		{"debtor.iban", func(b *Batch) { b.Debtor.IBAN = "NL91ABNA0417164301" }},
		{"debtor.bic", func(b *Batch) { b.Debtor.BIC = "ABNA" }},
		{"debtor.address.city", func(b *Batch) { b.Debtor.Address.City = "" }},
		{"payments", func(b *Batch) { b.Payments = nil }},
		{"payments[1].end_to_end_id", func(b *Batch) { b.Payments[1].EndToEndID = "PAYOUT-000101" }},
		{"payments[0].end_to_end_id", func(b *Batch) { b.Payments[0].EndToEndID = "" }},
		{"payments[2].amount", func(b *Batch) { b.Payments[2].Amount = 0 }},
		{"payments[2].amount", func(b *Batch) { b.Payments[2].Amount = -5 }},
		{"payments[2].amount", func(b *Batch) { b.Payments[2].Amount = MaxAmount + 1 }},
		{"payments[0].name", func(b *Batch) { b.Payments[0].Name = " " }},
		{"payments[0].iban", func(b *Batch) { b.Payments[0].IBAN = "NL91ABNA041716430" }},
		{"payments[0].address.street", func(b *Batch) { b.Payments[0].Address.Street = "" }},
		{"payments[0].address.postal_code", func(b *Batch) { b.Payments[0].Address.PostalCode = "" }},
		{"payments[0].address.city", func(b *Batch) { b.Payments[0].Address.City = "€" }},
		{"payments[1].address.country", func(b *Batch) { b.Payments[1].Address.Country = "de" }},
	}
	for _, c := range cases {
		b := batch()
		c.change(&b)
		if _, err := CreditTransfer(b); formatcheck.Field(err) != c.field {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
}

// TestSchema validates batches against the EPC pain.001.001.09 schema, and
// shows the schema refuses a spoiled copy (an amount with three decimals).
func TestSchema(t *testing.T) {
	full, err := CreditTransfer(batch())
	if err != nil {
		t.Fatal(err)
	}
	small := batch()
	small.Debtor.BIC, small.Debtor.Address = "", Address{}
	small.Payments = small.Payments[1:2]
	one, err := CreditTransfer(small)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(full, []byte(`>0.01</InstdAmt>`), []byte(`>0.011</InstdAmt>`), 1)
	if bytes.Equal(bad, full) {
		t.Fatal("the spoiled file is not spoiled")
	}
	dir := formatcheck.WriteFiles(t, map[string][]byte{"full.xml": full, "one.xml": one, "bad.xml": bad})
	xsd := formatcheck.SharedData(t, schema)
	formatcheck.XSD(t, xsd, filepath.Join(dir, "full.xml"), filepath.Join(dir, "one.xml"))
	if err := formatcheck.XSDError(t, xsd, filepath.Join(dir, "bad.xml")); err == nil {
		t.Error("the schema accepted an amount with three decimals")
	}
}

// TestContent reads the file back: the sums the bank checks, the
// transliterated names and the structured address.
func TestContent(t *testing.T) {
	b, err := CreditTransfer(batch())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		XMLName xml.Name `xml:"Document"`
		Header  struct {
			Count   string `xml:"NbOfTxs"`
			CtrlSum string `xml:"CtrlSum"`
			Created string `xml:"CreDtTm"`
		} `xml:"CstmrCdtTrfInitn>GrpHdr"`
		Info struct {
			Count   string `xml:"NbOfTxs"`
			CtrlSum string `xml:"CtrlSum"`
			Date    string `xml:"ReqdExctnDt>Dt"`
			BIC     string `xml:"DbtrAgt>FinInstnId>BICFI"`
			IBAN    string `xml:"DbtrAcct>Id>IBAN"`
			Tx      []struct {
				E2E     string `xml:"PmtId>EndToEndId"`
				Amount  string `xml:"Amt>InstdAmt"`
				Name    string `xml:"Cdtr>Nm"`
				Street  string `xml:"Cdtr>PstlAdr>StrtNm"`
				Number  string `xml:"Cdtr>PstlAdr>BldgNb"`
				Postal  string `xml:"Cdtr>PstlAdr>PstCd"`
				Town    string `xml:"Cdtr>PstlAdr>TwnNm"`
				Country string `xml:"Cdtr>PstlAdr>Ctry"`
				Ustrd   string `xml:"RmtInf>Ustrd"`
			} `xml:"CdtTrfTxInf"`
		} `xml:"CstmrCdtTrfInitn>PmtInf"`
	}
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	h, i := got.Header, got.Info
	if got.XMLName.Space != Namespace || h.Count != "3" || h.CtrlSum != "2200.00" || i.Count != "3" || i.CtrlSum != "2200.00" ||
		h.Created != "2026-07-03T11:30:00+02:00" || i.Date != "2026-07-06" || i.BIC != "ABNANL2A" || i.IBAN != "NL91ABNA0417164300" {
		t.Errorf("header %+v, info %+v", h, i)
	}
	if len(i.Tx) != 3 {
		t.Fatalf("%d transactions", len(i.Tx))
	}
	z := i.Tx[0]
	if z.E2E != "PAYOUT-000101" || z.Amount != "1200.00" || z.Name != "Zoe Celik-IJsselmeer" || z.Street != "Grote Markt" ||
		z.Number != "12-bis" || z.Postal != "1315 AB" || z.Town != "Almere" || z.Country != "NL" ||
		z.Ustrd != "Premie 1e halfjaar 2026 (art. 31 lid 2 onder j Participatiewet) - 1.200" {
		t.Errorf("first transaction %+v", z)
	}
	if i.Tx[1].Amount != "0.01" || i.Tx[1].Name != "Jan Jansen + Zn" || i.Tx[1].Street != "Hauptstrasse" || i.Tx[1].Country != "DE" || i.Tx[1].Ustrd != "" {
		t.Errorf("second transaction %+v", i.Tx[1])
	}
	if i.Tx[2].Number != "" || i.Tx[2].Name != "Lukasz Nowak" {
		t.Errorf("third transaction %+v", i.Tx[2])
	}
}

// FuzzText: the output is in the SEPA set, within the length, without
// leading, trailing or doubled spaces, and Text is idempotent.
func FuzzText(f *testing.F) {
	for _, s := range []string{"Zoë Çelik", "Ĳ ß & “x”", "\x00\xff", "  a  b  ", "日本"} {
		f.Add(s, 70)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 200 {
			return
		}
		got := Text(s, max)
		if len(got) > max || strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Text(%q, %d) = %q", s, max, got)
		}
		for i := 0; i < len(got); i++ {
			if !sepaChar(got[i]) {
				t.Fatalf("Text(%q) = %q holds %q", s, got, got[i])
			}
		}
		if again := Text(got, max); again != got {
			t.Fatalf("not idempotent: %q → %q", got, again)
		}
	})
}

// FuzzCreditTransfer: any creditor text gives a field error or a
// well-formed file whose control sum is the sum of its amounts.
func FuzzCreditTransfer(f *testing.F) {
	f.Add("Zoë", "Straße 1", "PAYOUT-1", int64(120000))
	f.Add("", "", "", int64(0))
	f.Add("<x>&", "]]>", "A//B", int64(MaxAmount))
	f.Fuzz(func(t *testing.T, name, street, id string, cents int64) {
		b := batch()
		b.Payments[0].Name, b.Payments[0].Address.Street, b.Payments[0].EndToEndID, b.Payments[0].Amount = name, street, id, opstap.Cents(cents)
		out, err := CreditTransfer(b)
		if err != nil && formatcheck.Field(err) == "" {
			t.Fatalf("not a field error: %v", err)
		} else if err != nil {
			return
		}
		var back struct {
			CtrlSum string   `xml:"CstmrCdtTrfInitn>GrpHdr>CtrlSum"`
			Amounts []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>Amt>InstdAmt"`
		}
		if err := xml.Unmarshal(out, &back); err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		var sum opstap.Cents
		for _, a := range back.Amounts {
			c, err := opstap.ParseCents(a)
			if err != nil {
				t.Fatal(err)
			}
			sum += c
		}
		if amount(sum) != back.CtrlSum {
			t.Fatalf("control sum %s, amounts add up to %s", back.CtrlSum, amount(sum))
		}
	})
}

// BenchmarkBatch writes a payout batch of 5,000 transfers.
func BenchmarkBatch(b *testing.B) {
	batch := batch()
	p := batch.Payments[0]
	batch.Payments = nil
	for i := range 5000 {
		p.EndToEndID = "PAYOUT-" + strconv.Itoa(i)
		batch.Payments = append(batch.Payments, p)
	}
	for b.Loop() {
		if _, err := CreditTransfer(batch); err != nil {
			b.Fatal(err)
		}
	}
}
