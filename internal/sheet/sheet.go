// Package sheet writes XLSX workbooks from typed columns: the half-year
// settlement's specification and other figures finance and a municipality's
// controller recompute in a spreadsheet. Numbers are real numeric cells with
// number formats (euros, dates, hours), not text, so they add up in Excel or
// LibreOffice; text cells go through csvsafe.Cell so that a name such as
// =HYPERLINK(…) is never taken for a formula.
package sheet

import (
	"bytes"
	"fmt"
	"io"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/csvsafe"
)

// Kind is the type of a column, which fixes what its values are and how the
// spreadsheet shows them.
type Kind int

// The column kinds and the Go type of their values (nil is an empty cell).
const (
	Text    Kind = iota // string
	Integer             // int or int64
	Cents               // opstap.Cents, shown as € 1.234,50 (in the reader's locale)
	Date                // opstap.Date, shown as dd-mm-yyyy
	Hours               // opstap.Minutes, shown as decimal hours with two decimals
	Percent             // opstap.BasisPoints, shown as 21,00%
)

// kinds is the number of kinds.
const kinds = int(Percent) + 1

// Number formats of the kinds. The euro format puts the sign after the
// symbol, as Dutch bookkeeping does.
const (
	FormatCents   = `"€ "#,##0.00;"€ "-#,##0.00`
	FormatDate    = "dd-mm-yyyy"
	FormatHours   = "0.00"
	FormatInteger = "0"
	FormatPercent = "0.00%"
	FormatText    = "@"
)

// Column is one column: its heading, kind and optional width (in
// characters; 0 picks one by kind).
type Column struct {
	Title string
	Kind  Kind
	Width float64
}

// Sheet is one worksheet: a bold, frozen heading row, the rows, and an
// optional bold footer (totals the caller computed to the cent).
type Sheet struct {
	Name    string // at most 31 characters, none of : \ / ? * [ ]
	Columns []Column
	Rows    [][]any
	Footer  []any
}

// Write writes the sheets as one workbook to w.
func Write(w io.Writer, sheets ...Sheet) error {
	b, err := Bytes(sheets...)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Bytes returns the sheets as one XLSX workbook.
func Bytes(sheets ...Sheet) ([]byte, error) {
	if len(sheets) == 0 {
		return nil, fmt.Errorf("sheet: a workbook needs a sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	first := f.GetSheetName(0)
	for i, s := range sheets {
		if i == 0 {
			err = f.SetSheetName(first, s.Name)
		} else {
			_, err = f.NewSheet(s.Name)
		}
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		if err := writeSheet(f, st, s); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
	}
	// The first sheet is the active one already; SetActiveSheet would
	// parse every streamed sheet back into memory (half the time).
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// styles holds the style ids: per kind for body cells, and bold variants
// for the heading and the footer.
type styles struct {
	body, bold [kinds]int
	heading    int
}

func newStyles(f *excelize.File) (*styles, error) {
	st := &styles{}
	formats := [kinds]string{Text: FormatText, Integer: FormatInteger, Cents: FormatCents, Date: FormatDate, Hours: FormatHours, Percent: FormatPercent}
	for k, code := range formats {
		var err error
		if st.body[k], err = f.NewStyle(&excelize.Style{CustomNumFmt: &code}); err != nil {
			return nil, err
		}
		if st.bold[k], err = f.NewStyle(&excelize.Style{CustomNumFmt: &code, Font: &excelize.Font{Bold: true}}); err != nil {
			return nil, err
		}
	}
	var err error
	st.heading, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	return st, err
}

// defaultWidth per kind, in characters.
var defaultWidth = [kinds]float64{Text: 30, Integer: 10, Cents: 16, Date: 12, Hours: 10, Percent: 10}

func writeSheet(f *excelize.File, st *styles, s Sheet) error {
	if len(s.Columns) == 0 {
		return fmt.Errorf("no columns")
	}
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	head := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		if c.Kind < Text || int(c.Kind) >= kinds {
			return fmt.Errorf("column %d: unknown kind %d", i+1, c.Kind)
		}
		width := c.Width
		if width == 0 {
			width = max(defaultWidth[c.Kind], float64(utf8.RuneCountInString(c.Title))+2)
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
		head[i] = excelize.Cell{StyleID: st.heading, Value: csvsafe.Cell(c.Title)}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 2
	put := func(values []any, style [kinds]int) error {
		cells, err := cellsOf(s.Columns, values, style)
		if err != nil {
			return fmt.Errorf("row %d: %w", row, err)
		}
		ref, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(ref, cells)
	}
	for _, r := range s.Rows {
		if err := put(r, st.body); err != nil {
			return err
		}
	}
	if s.Footer != nil {
		if err := put(s.Footer, st.bold); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cellsOf converts one row's values by their columns' kinds.
func cellsOf(cols []Column, values []any, style [kinds]int) ([]any, error) {
	if len(values) > len(cols) {
		return nil, fmt.Errorf("%d values for %d columns", len(values), len(cols))
	}
	cells := make([]any, len(values))
	for i, v := range values {
		k := cols[i].Kind
		var x any
		switch v := v.(type) {
		case nil:
			cells[i] = nil
			continue
		case string:
			// Spreadsheets cut longer texts; refuse rather than lose text.
			if t := csvsafe.Cell(v); k == Text && len(utf16.Encode([]rune(t))) <= excelize.TotalCellChars {
				x = t
			}
		case int:
			if k == Integer {
				x = int64(v)
			}
		case int64:
			if k == Integer {
				x = v
			}
		case opstap.Minutes:
			if k == Hours {
				// Stored to 15 digits, so hours × rate in the spreadsheet
				// rounds to the amount on the invoice.
				x = float64(v) / 60
			}
		case opstap.BasisPoints:
			if k == Percent {
				x = float64(v) / 10000
			}
		case opstap.Cents:
			if k == Cents {
				// Written with the 15 significant digits spreadsheets
				// keep: exact for every amount below 10^13 euros.
				x = float64(v) / 100
			}
		case opstap.Date:
			if k == Date && v.IsZero() {
				cells[i] = nil
				continue
			} else if k == Date && v.Year >= 1901 && v.Year <= 9999 {
				x = serial(v)
			}
		}
		if x == nil {
			return nil, fmt.Errorf("column %q: %.40v (%T) does not fit a %s column", cols[i].Title, v, v, kindName[k])
		}
		cells[i] = excelize.Cell{StyleID: style[k], Value: x}
	}
	return cells, nil
}

// kindName is in the order of the kinds.
var kindName = [kinds]string{"text", "integer", "cents", "date", "hours", "percent"}

// epoch is day 0 of the spreadsheet date system (1900, with Lotus's
// phantom 29 February 1900 folded in for every date after it).
var epoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is the spreadsheet's day number of d.
func serial(d opstap.Date) int64 {
	return (time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() - epoch.Unix()) / 86400
}
