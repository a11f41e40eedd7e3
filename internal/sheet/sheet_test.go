package sheet

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/csvsafe"
)

func settlement() Sheet {
	return Sheet{
		Name: "Specificatie",
		Columns: []Column{
			{Title: "Kandidaat", Kind: Text},
			{Title: "Maand", Kind: Date},
			{Title: "Uren", Kind: Hours},
			{Title: "Plaatsingen", Kind: Integer},
			{Title: "Omzet", Kind: Cents},
			{Title: "Staffel", Kind: Percent},
		},
		Rows: [][]any{
			{"Zoë Çelik", opstap.Date{Year: 2026, Month: 1, Day: 31}, opstap.Minutes(3855), 1, opstap.Cents(75494), opstap.BasisPoints(2100)},
			{"=HYPERLINK(\"http://evil\",\"x\")", opstap.Date{Year: 2026, Month: 2, Day: 28}, opstap.Minutes(450), int64(2), opstap.Cents(-2350)},
			{"@SUM(A1)", opstap.Date{}, nil, nil, opstap.Cents(92233720368547)},
		},
		Footer: []any{"Totaal", nil, opstap.Minutes(4305), int64(3), opstap.Cents(92233720441691)},
	}
}

// open reads a workbook back with excelize.
func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestRoundTrip writes a workbook and reads every cell back: the type, the
// exact stored value and the number format.
func TestRoundTrip(t *testing.T) {
	second := Sheet{Name: "Per maand", Columns: []Column{{Title: "+ teken", Kind: Text, Width: 12}, {Title: "Uren", Kind: Hours}},
		Rows: [][]any{{"\tverborgen", opstap.Minutes(440)}, {"-12"}, {"gewoon"}}}
	b, err := Bytes(settlement(), second)
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, b)
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Specificatie" || got[1] != "Per maand" {
		t.Fatalf("sheets %v", got)
	}
	cases := []struct {
		sheet, cell string
		typ         excelize.CellType
		raw, format string
		bold        bool
	}{
		{"Specificatie", "A1", excelize.CellTypeInlineString, "Kandidaat", "", true},
		{"Specificatie", "E1", excelize.CellTypeInlineString, "Omzet", "", true},
		{"Specificatie", "A2", excelize.CellTypeInlineString, "Zoë Çelik", FormatText, false},
		{"Specificatie", "B2", excelize.CellTypeUnset, "46053", FormatDate, false}, // 31-01-2026
		{"Specificatie", "C2", excelize.CellTypeUnset, "64.25", FormatHours, false},
		{"Specificatie", "F2", excelize.CellTypeUnset, "0.21", FormatPercent, false},
		{"Specificatie", "D2", excelize.CellTypeUnset, "1", FormatInteger, false},
		{"Specificatie", "E2", excelize.CellTypeUnset, "754.94", FormatCents, false},
		{"Specificatie", "A3", excelize.CellTypeInlineString, "'=HYPERLINK(\"http://evil\",\"x\")", FormatText, false},
		{"Specificatie", "B3", excelize.CellTypeUnset, "46081", FormatDate, false},
		{"Specificatie", "C3", excelize.CellTypeUnset, "7.5", FormatHours, false},
		{"Specificatie", "E3", excelize.CellTypeUnset, "-23.5", FormatCents, false},
		{"Specificatie", "A4", excelize.CellTypeInlineString, "'@SUM(A1)", FormatText, false},
		{"Specificatie", "E4", excelize.CellTypeUnset, "922337203685.47", FormatCents, false},
		{"Specificatie", "A5", excelize.CellTypeInlineString, "Totaal", FormatText, true},
		{"Specificatie", "C5", excelize.CellTypeUnset, "71.75", FormatHours, true},
		{"Per maand", "B2", excelize.CellTypeUnset, "7.33333333333333", FormatHours, false}, // 7:20 to the 15 digits a spreadsheet keeps
		{"Specificatie", "E5", excelize.CellTypeUnset, "922337204416.91", FormatCents, true},
		{"Per maand", "A1", excelize.CellTypeInlineString, "'+ teken", "", true},
		{"Per maand", "A2", excelize.CellTypeInlineString, "'\tverborgen", FormatText, false},
		{"Per maand", "A3", excelize.CellTypeInlineString, "-12", FormatText, false}, // a plain number holds no formula
		{"Per maand", "A4", excelize.CellTypeInlineString, "gewoon", FormatText, false},
	}
	for _, c := range cases {
		typ, err := f.GetCellType(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		id, err := f.GetCellStyle(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		format := ""
		if style.CustomNumFmt != nil {
			format = *style.CustomNumFmt
		}
		bold := style.Font != nil && style.Font.Bold
		if typ != c.typ || raw != c.raw || format != c.format || bold != c.bold {
			t.Errorf("%s!%s: type %v %q format %q bold %v; want %v %q %q %v", c.sheet, c.cell, typ, raw, format, bold, c.typ, c.raw, c.format, c.bold)
		}
	}
	// Empty cells stay empty: no zero date, no zero hours.
	for _, cell := range []string{"B4", "C4", "D4", "B5"} {
		if v, _ := f.GetCellValue("Specificatie", cell); v != "" {
			t.Errorf("%s = %q, want empty", cell, v)
		}
	}
	// The date reads back as the same day, and the heading row is frozen.
	if v, _ := f.GetCellValue("Specificatie", "B2"); v != "31-01-2026" {
		t.Errorf("B2 shows %q", v)
	}
	if p, err := f.GetPanes("Specificatie"); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v, %v", p, err)
	}
	if v, _ := f.GetCellValue("Specificatie", "E2"); !strings.Contains(v, "754.94") && !strings.Contains(v, "754,94") {
		t.Errorf("E2 shows %q", v)
	}
}

func TestRefusals(t *testing.T) {
	cases := map[string]func(s *Sheet){
		"wrong type":      func(s *Sheet) { s.Rows[0][4] = 754.94 },
		"int for cents":   func(s *Sheet) { s.Rows[0][4] = 75494 },
		"cents for hours": func(s *Sheet) { s.Rows[0][2] = opstap.Cents(1) },
		"int64 for hours": func(s *Sheet) { s.Rows[0][2] = int64(6425) },
		"int for percent": func(s *Sheet) { s.Rows[0][5] = 21 },
		"too many values": func(s *Sheet) { s.Rows[0] = append(s.Rows[0], "x") },
		"text too long":   func(s *Sheet) { s.Rows[0][0] = strings.Repeat("é", excelize.TotalCellChars+1) },
		"date out of range": func(s *Sheet) {
			s.Rows[0][1] = opstap.Date{Year: 1899, Month: 1, Day: 1}
		},
		"bad sheet name": func(s *Sheet) { s.Name = "a/b" },
		"no columns":     func(s *Sheet) { s.Columns, s.Rows, s.Footer = nil, nil, nil },
		"unknown kind":   func(s *Sheet) { s.Columns[0].Kind = 9 },
		"footer type":    func(s *Sheet) { s.Footer[0] = 1 },
	}
	for name, change := range cases {
		s := settlement()
		change(&s)
		if _, err := Bytes(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Bytes(); err == nil {
		t.Error("an empty workbook was accepted")
	}
}

// FuzzText: any text is written and reads back as csvsafe.Cell made it, or
// the workbook is refused (a text longer than a cell holds); it is never
// cut or broken.
func FuzzText(f *testing.F) {
	for _, s := range []string{"Zoë", "=1+1", "\x00\x01", "a\r\nb", "\uFFFE", strings.Repeat("x", 40000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Bytes(Sheet{Name: "S", Columns: []Column{{Title: "T", Kind: Text}}, Rows: [][]any{{s}}})
		if err != nil {
			return
		}
		got, err := open(t, b).GetCellValue("S", "A2", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if want := csvsafe.Cell(s); got != want && utf8.ValidString(s) && !strings.ContainsFunc(s, notXMLChar) {
			t.Fatalf("wrote %.80q, read %.80q", want, got)
		}
	})
}

// notXMLChar reports the characters XML 1.0 cannot carry.
func notXMLChar(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r <= 0xDFFF
}

// BenchmarkSettlement writes a half year's specification for 5,000
// placements: 30,000 rows of eight columns.
func BenchmarkSettlement(b *testing.B) {
	s := Sheet{Name: "Specificatie", Columns: []Column{
		{Title: "Kandidaat", Kind: Text}, {Title: "Maand", Kind: Date}, {Title: "Uren", Kind: Hours},
		{Title: "Omzet", Kind: Cents}, {Title: "Premie", Kind: Cents}, {Title: "Reiskosten", Kind: Cents},
		{Title: "Regels", Kind: Integer}, {Title: "Staffel", Kind: Percent},
	}}
	for i := range 30000 {
		s.Rows = append(s.Rows, []any{"Kandidaat " + strings.Repeat("x", i%20), opstap.Date{Year: 2026, Month: time.Month(1 + i%6), Day: 28},
			opstap.Minutes(i % 10000), opstap.Cents(i * 1175), opstap.Cents(i * 200), opstap.Cents(i % 5000), i % 31, opstap.BasisPoints(1500)})
	}
	for b.Loop() {
		if _, err := Bytes(s); err != nil {
			b.Fatal(err)
		}
	}
}
