package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/sheet"
	"github.com/opstap/opstap/internal/store"
)

var settledAt = time.Date(2030, 7, 2, 10, 0, 0, 0, time.UTC)

// sampleSettlement: Anna (named) and an erased candidate (pseudonym,
// premium not decided) in March 2030; DOMAIN.md's tiers, minimum 30,00.
func sampleSettlement(t *testing.T, revenue, premium opstap.Cents) *store.SettlementView {
	t.Helper()
	h := billing.HalfYear{Year: 2030, Half: 1}
	mar := opstap.Month{Year: 2030, Month: 3}
	terms := map[opstap.Month]billing.MonthTerms{}
	for _, m := range h.Months() {
		terms[m] = billing.MonthTerms{Applies: true, ValidFrom: h.Start(), MonthlyMinimum: 3_000,
			FeeTiers: []billing.Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}}
	}
	st, err := billing.Specify("0034", h, []billing.Work{
		{CandidateID: "c-anna-000", Month: mar, Minutes: 930, Revenue: revenue, Premium: premium, Excess: 1_200, Travel: 380},
		{CandidateID: "c-erased-00", Month: mar, Minutes: 240, Revenue: 4_700, Travel: 200, PremiumUnknown: true},
	}, terms, 30)
	if err != nil {
		t.Fatal(err)
	}
	v := &store.SettlementView{Municipality: "0034", MunicipalityName: "Almere", Provider: "Opstap Re-integratie B.V.", HalfYear: h,
		Status: store.SettlementDrawnUp, Statement: st, Names: map[string]string{"c-anna-000": "Zoë van IJsselstein-Müller"}}
	if sf, short, _ := st.Shortfall(); short {
		v.Shortfall = &sf
	}
	return v
}

// TestSettlementPDF: a sound PDF/A with embedded fonts showing the balance,
// its due date, the months, the candidates (the erased one by pseudonym)
// and, for a negative balance, the explanation.
func TestSettlementPDF(t *testing.T) {
	for _, tc := range []struct {
		name    string
		revenue opstap.Cents
		premium opstap.Cents
		status  string
		want    []string
	}{
		// 182,13 + 47,00 = 229,13 revenue, fee 45,83 (15,83 above the
		// minimum), premium 31,00, travel 5,80 → 176,50.
		{"payable", 18_213, 3_100, store.SettlementDrawnUp, []string{"Afrekening 1e halfjaar 2030, Almere", "Zoë van IJsselstein-Müller", "kandidaat c-erased", "176,50",
			"30-07-2030", "maart 2030", "15,83", "Opgesteld op 02-07-2030", "20 % tot € 10000,00",
			"Overschot", "EUR 12,00 premie opgebouwd boven het jaarmaximum"}},
		// 1,00 + 47,00 − 100,00 − 5,80 = −57,80.
		{"negative", 100, 10_000, store.SettlementDrawnUp, []string{"€ -57,80", "negatief", "samen € 105,80", "met € 57,80", "niet in rekening gebracht", "maart 2030"}},
		{"provisional", 18_213, 3_100, store.SettlementProvisional, []string{"VOORLOPIG"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := sampleSettlement(t, tc.revenue, tc.premium)
			v.Status = tc.status
			b, err := SettlementPDF(v, settledAt)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(checkPDF(t, b)), " ")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("PDF lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestSettlementXLSX: the workbook holds the figures as numbers with the
// euro and hour formats, per month, per candidate and per candidate-month,
// with totals that match the statement.
func TestSettlementXLSX(t *testing.T) {
	v := sampleSettlement(t, 18_213, 3_100)
	b, err := SettlementXLSX(v)
	if err != nil {
		t.Fatal(err)
	}
	if name := SettlementFileName(v, "xlsx"); name != "afrekening-0034-2030-H1.xlsx" {
		t.Errorf("file name %s", name)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != "Afrekening|Per maand|Per kandidaat|Per kandidaat per maand" {
		t.Fatalf("sheets %v", got)
	}
	for _, c := range []struct{ sheet, cell, raw, format string }{
		{"Per maand", "A4", "2030-03", sheet.FormatText},
		{"Per maand", "B4", "229.13", sheet.FormatCents},
		{"Per maand", "G4", "15.83", sheet.FormatCents},
		{"Per maand", "H8", "176.5", sheet.FormatCents}, // the footer: the balance
		{"Per kandidaat", "A2", "Zoë van IJsselstein-Müller", sheet.FormatText},
		{"Per kandidaat", "B2", "15.5", sheet.FormatHours},
		{"Per kandidaat", "A3", "kandidaat c-erased", sheet.FormatText},
		{"Per kandidaat", "E2", "12", sheet.FormatCents}, // premium above the year's maximum
		{"Per kandidaat per maand", "H3", "ja", sheet.FormatText},
	} {
		raw, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		id, _ := f.GetCellStyle(c.sheet, c.cell)
		style, _ := f.GetStyle(id)
		if raw != c.raw || style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != c.format {
			t.Errorf("%s!%s = %q (%+v), want %q in %s", c.sheet, c.cell, raw, style, c.raw, c.format)
		}
	}
}
