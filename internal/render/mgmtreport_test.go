package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/mgmtreport"
)

var reportMade = time.Date(2026, 4, 1, 6, 0, 0, 0, time.UTC)

func sampleMonthly() *mgmtreport.Monthly {
	march := opstap.Month{Year: 2026, Month: 3}
	first, _ := opstap.ParseDate("2026-03-02")
	last, _ := opstap.ParseDate("2026-06-01")
	return &mgmtreport.Monthly{Version: 1, Municipality: "0034", MunicipalityName: "Gemeente Almere", Period: mgmtreport.Period{From: march, To: march},
		Made: opstap.DateOf(reportMade), PlacedCandidates: 2, Placements: mgmtreport.PlacementCounts{Running: 2, Started: 1},
		Assignments: mgmtreport.AssignmentCounts{Opened: 1, Open: 1, Filled: 1}, Durations: mgmtreport.Durations{Average: 23, UnderOne: 1, OneToThree: 1},
		Candidates: []mgmtreport.CandidateMoney{
			{CandidateID: "6f1c2d3e-aaaa-4bbb-8ccc-000000000001", Name: "Zoë Müller", Placements: 1, Minutes: 870, Revenue: 17038, Premium: 2900, PremiumKnown: true, Travel: 420},
			{CandidateID: "0a1b2c3d-aaaa-4bbb-8ccc-000000000002", Placements: 1, Minutes: 600, Revenue: 11750},
		},
		Total:          mgmtreport.CandidateMoney{Placements: 2, Minutes: 1470, Revenue: 28788, Premium: 2900, Travel: 420},
		PremiumUnknown: 1,
		PlacementLines: []mgmtreport.PlacementLine{{Placement: mgmtreport.Placement{ID: "p1", CandidateID: "6f1c2d3e-aaaa-4bbb-8ccc-000000000001",
			AssignmentTitle: "Hulp in de bakkerij", EmployerName: "Bakkerij De Korenschoof", FirstDay: first, LastDay: last, HoursPerWeek: 32}, Months: 10}},
	}
}

func sampleQuarterly() *mgmtreport.Quarterly {
	m := sampleMonthly()
	s := mgmtreport.SummaryOf(m)
	maxDay, _ := opstap.ParseDate("2026-04-12")
	return &mgmtreport.Quarterly{Version: 1, Municipality: "0034", MunicipalityName: "Gemeente Almere", Quarter: mgmtreport.Quarter{Year: 2026, Q: 1},
		Made: m.Made, Months: []mgmtreport.Summary{s, s, s}, Total: s,
		Trend: []mgmtreport.Trend{{Figure: "placed_candidates", First: 1, Last: 2, Direction: mgmtreport.Up}},
		Attention: mgmtreport.Attention{NearMaximum: []mgmtreport.NearMaximum{{PlacementID: "p1", CandidateID: "6f1c2d3e-aaaa", AssignmentTitle: "Hulp in de bakkerij",
			EmployerName: "Bakkerij De Korenschoof", MaxDay: maxDay, DaysLeft: 11}}},
	}
}

// TestMonthlyReportPDF_003art5lid10: a sound PDF in Dutch with the figures,
// the per-candidate overview and an incomplete premium marked as such.
func TestMonthlyReportPDF_003art5lid10(t *testing.T) {
	b, err := MonthlyReportPDF(sampleMonthly(), "Opstap Re-integratie B.V.", "nl", reportMade)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(checkPDF(t, b)), " ")
	if text == "" {
		return // pdftotext is missing; the structure was checked
	}
	for _, want := range []string{"Managementrapportage maart 2026", "Gemeente Almere", "Zoë Müller", "0a1b2c3d", "170,38", "287,88", "onvolledig", "Hulp in de bakkerij", "2,3"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
}

// TestQuarterlyReportPDF_003art5lid11: the progress report lists the months,
// the trend and the attention points.
func TestQuarterlyReportPDF_003art5lid11(t *testing.T) {
	b, err := QuarterlyReportPDF(sampleQuarterly(), "Opstap Re-integratie B.V.", "nl", reportMade)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(checkPDF(t, b)), " ")
	if text == "" {
		return
	}
	for _, want := range []string{"Voortgangsrapportage 2026-Q1", "Kwartaal", "Geplaatste kandidaten: gestegen (van 1 naar 2)", "12-04-2026", "11 dagen"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
}

// TestMonthlyReportXLSX: money and hours are numbers with their formats,
// the totals row is the report's total.
func TestMonthlyReportXLSX(t *testing.T) {
	b, err := MonthlyReportXLSX(sampleMonthly(), "nl")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Cijfers,Per kandidaat,Plaatsingen" {
		t.Fatalf("sheets %v", got)
	}
	for _, c := range []struct{ cell, want string }{
		{"A2", "6f1c2d3e-aaaa-4bbb-8ccc-000000000001"}, {"B2", "Zoë Müller"}, {"D2", "14.5"}, {"E2", "170.38"}, {"G3", "nee"}, {"E4", "287.88"},
	} {
		v, err := f.GetCellValue("Per kandidaat", c.cell, excelize.Options{RawCellValue: true})
		if err != nil || v != c.want {
			t.Errorf("%s = %q (%v), want %q", c.cell, v, err, c.want)
		}
	}
	if typ, _ := f.GetCellType("Per kandidaat", "E2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Error("revenue is text, not a number")
	}
	if v, _ := f.GetCellValue("Plaatsingen", "E2"); v != "02-03-2026" {
		t.Errorf("first day shown as %q", v)
	}
}
