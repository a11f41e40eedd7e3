package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/store"
)

// TestPlacementsExport: the documented columns, values in the documented
// form, and a cell that would be a formula neutralised in CSV and XLSX.
func TestPlacementsExport(t *testing.T) {
	d := func(s string) opstap.Date { v, _ := opstap.ParseDate(s); return v }
	fp := &store.FigurePlacements{Municipality: store.FigureMunicipality{CBS: "0034", Name: "Gemeente Almere"},
		Period: figures.Period{Start: d("2024-01-01"), End: d("2024-12-31")},
		Placements: []figures.PlacementFact{{ID: `=HYPERLINK("http://evil","x")`, Candidate: "c1", First: d("2024-01-31"), Last: d("2024-04-30"),
			Outcome: "completed", HoursPerWeek: 20, Days: 91, Months: 30, ApprovedMinutes: 14640, Over3Months: true}}}
	b, err := PlacementsCSV(fp)
	if err != nil {
		t.Fatal(err)
	}
	want := "placement_id;candidate_id;first_day;last_day;running;outcome;hours_per_week;days;months;approved_hours;longer_than_3_months;longer_than_6_months;above_24_hours\n" +
		`"'=HYPERLINK(""http://evil"",""x"")";c1;2024-01-31;2024-04-30;0;completed;20;91;3,0;244,00;1;0;0` + "\n"
	if string(b) != want {
		t.Errorf("CSV\n%s\nwant\n%s", b, want)
	}
	x, err := PlacementsXLSX(fp, "nl")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Plaatsingen")
	if err != nil || len(rows) != 2 || !strings.HasPrefix(rows[1][0], "'=") || rows[0][3] != "Laatste dag geteld" {
		t.Fatalf("XLSX rows %q %v", rows, err)
	}
	if name := PlacementsFileName(fp, "csv"); name != "plaatsingen-0034-2024-01-01_2024-12-31.csv" {
		t.Errorf("file name %s", name)
	}
}
