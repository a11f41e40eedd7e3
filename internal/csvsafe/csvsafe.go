// Package csvsafe neutralises spreadsheet formulas in cells the product
// writes to CSV or XLSX files (CSV/formula injection, OWASP). A candidate
// or user name such as =HYPERLINK("http://evil","x") or @SUM(A1) is
// otherwise run by Excel or LibreOffice when the privacy officer or an
// auditor opens the file.
//
// Use Writer for CSV; for XLSX pass every string cell through Cell (numbers
// written as numeric cells are not interpreted as formulas).
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"
)

// Cell returns s so that no spreadsheet reads it as a formula: a value that
// starts with = + - @, a tab or a carriage return (or the full-width forms
// of = + - @, which some Excel locales also accept) gets a leading
// apostrophe, the prefix spreadsheets show as "text follows". A plain
// number such as -12 or -1.234,56 stays as it is: it cannot hold a formula,
// and money columns must keep their sign readable.
func Cell(s string) string {
	if !dangerous(s) || plainNumber(s) {
		return s
	}
	return "'" + s
}

// Row returns a copy of record with every cell passed through Cell.
func Row(record []string) []string {
	out := make([]string, len(record))
	for i, s := range record {
		out[i] = Cell(s)
	}
	return out
}

// dangerous reports whether s starts with a character a spreadsheet takes
// as the start of a formula (or, for tab and CR, as a way to hide one).
func dangerous(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r',
		'\uFF1D', '\uFF0B', '\uFF0D', '\uFF20': // full-width = + - @
		return true
	}
	return false
}

// plainNumber reports whether s is a sign followed by ASCII digits and
// at most the separators . and , (Dutch and English notation); nothing a
// spreadsheet could evaluate as an expression.
func plainNumber(s string) bool {
	if s == "" || (s[0] != '-' && s[0] != '+') {
		return false
	}
	body := s[1:]
	if body == "" || body[0] < '0' || body[0] > '9' {
		return false
	}
	return strings.Trim(body, "0123456789.,") == ""
}

// Writer is a csv.Writer whose Write and WriteAll neutralise every cell.
// Comma and UseCRLF of the embedded csv.Writer can be set as usual.
type Writer struct {
	*csv.Writer
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{csv.NewWriter(w)}
}

// Write writes one record with every cell neutralised.
func (w *Writer) Write(record []string) error {
	return w.Writer.Write(Row(record))
}

// WriteAll writes every record with every cell neutralised, then flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
