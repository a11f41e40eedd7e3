package render

import (
	"github.com/go-pdf/fpdf"
)

// Grid is a table of short cells in fixed columns, such as figures per
// month: one line per row, numbers right-aligned, the heading repeated on
// every page, an optional bold footer of totals.
type Grid struct {
	Caption string
	Headers []string
	Widths  []float64 // mm per column; the first column is text, the others figures
	Rows    [][]string
	Footer  []string
}

const (
	gridFont  = 8.5
	gridLineH = 4.6
	pageH     = 297.0
)

func writeGrid(pdf *fpdf.Fpdf, g Grid) {
	if g.Caption != "" {
		heading(pdf, g.Caption)
	}
	row := func(cells []string, bold, border bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont(family, style, gridFont)
		b := ""
		if border {
			b = "B"
		}
		for i, w := range g.Widths {
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(w, gridLineH, fit(pdf, cell(cells, i), w-1), b, 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	row(g.Headers, true, true)
	for _, r := range g.Rows {
		// Break before the footer margin ourselves, so the heading repeats.
		if pdf.GetY()+gridLineH > pageH-margin-2 {
			pdf.AddPage()
			row(g.Headers, true, true)
		}
		row(r, false, false)
	}
	if g.Footer != nil {
		row(g.Footer, true, false)
	}
	pdf.Ln(3)
}

// fit shortens s with an ellipsis to w mm in the current font: a long name
// must not run into the figures beside it.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
