// Package csvfile reads the CSV files people upload (the bulk candidate
// registration, the municipality's history import): UTF-8 with or without
// a byte-order mark, ';' or ',' as detected from the header, columns named
// in the header in any order, and every problem reported at once by row and
// column, so that a whole file is accepted or refused as one.
package csvfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// RowError is one problem in a file: Row is the line of the file (1 the
// header), as an editor or a spreadsheet shows it. Message is the English text that
// the catalogue translates, with Args.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
	Args    []any  `json:"-"`
}

// FileError rejects a whole file. It unwraps to an EINVALID error on the
// field "file", so the HTTP layers answer 422; Rows says what to fix where.
type FileError struct {
	Rows []RowError
	// Summary is the message of the whole file; empty means the bulk
	// registration's.
	Summary string
}

func (e *FileError) Error() string { return fmt.Sprintf("file rejected: %d errors", len(e.Rows)) }

// Unwrap gives the application error for the whole file.
func (e *FileError) Unwrap() error {
	msg := e.Summary
	if msg == "" {
		msg = "the file has errors; nothing was registered"
	}
	return &opstap.Error{Code: opstap.EINVALID, Field: "file", Message: msg}
}

// Schema names a file's columns.
type Schema struct {
	// Columns are every column a header may name.
	Columns []string
	// Required are the columns a header must name.
	Required []string
	// MaxRows bounds the data rows.
	MaxRows int
}

// Row is one data row: its line and its values by column, trimmed. The
// checks of the row collect their problems in Errs.
type Row struct {
	Line   int
	Fields map[string]string
	Errs   []RowError
}

// Read reads a file by the schema. Problems with the file as a whole (not
// UTF-8, not CSV, empty, a bad header, too many rows) come back as a
// *FileError; a row whose number of fields differs from the header's comes
// back as a Row with that problem in Errs, so the caller reports it with
// the other rows' problems. Blank rows are skipped.
func Read(r io.Reader, s Schema) ([]*Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, &FileError{Rows: []RowError{{Row: firstInvalidLine(data), Field: "file", Message: "the file is not UTF-8 encoded; save it as CSV UTF-8"}}}
	}
	header, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ';'
	if bytes.Count(header, []byte(",")) > bytes.Count(header, []byte(";")) {
		cr.Comma = ','
	}
	cr.FieldsPerRecord = -1
	// Each record with the line it starts on: empty lines are skipped by
	// the reader, and a quoted field may span lines, so the report counts
	// the file's lines, as an editor shows them.
	var records [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &FileError{Rows: []RowError{{Row: line, Field: "file", Message: "the file is not valid CSV"}}}
		}
		line, _ := cr.FieldPos(0)
		records, lines = append(records, rec), append(lines, line)
	}
	if len(records) == 0 {
		return nil, &FileError{Rows: []RowError{{Row: 1, Field: "file", Message: "the file is empty"}}}
	}
	cols, errs := s.header(records[0])
	if len(errs) > 0 {
		return nil, &FileError{Rows: errs}
	}
	if len(records)-1 > s.MaxRows {
		return nil, &FileError{Rows: []RowError{{Row: s.MaxRows + 2, Field: "file", Message: "a file holds at most %d rows", Args: []any{s.MaxRows}}}}
	}
	var rows []*Row
	for i, rec := range records[1:] {
		row := &Row{Line: lines[i+1], Fields: map[string]string{}}
		if isBlank(rec) {
			continue
		}
		if len(rec) != len(cols) {
			row.Fail("file", "row has %d fields, the header %d", len(rec), len(cols))
		} else {
			for j, c := range cols {
				row.Fields[c] = strings.TrimSpace(rec[j])
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, &FileError{Rows: []RowError{{Row: 2, Field: "file", Message: "the file has no data rows"}}}
	}
	return rows, nil
}

// Errors gathers the problems of all rows.
func Errors(rows []*Row) []RowError {
	var out []RowError
	for _, r := range rows {
		out = append(out, r.Errs...)
	}
	return out
}

// Fail records a problem with the row's column field.
func (r *Row) Fail(field, msg string, args ...any) {
	r.Errs = append(r.Errs, RowError{Row: r.Line, Field: field, Message: msg, Args: args})
}

// FailErr records an application error of the row on its field (on
// fallback when it names none); every error of a joined one (errors.Join),
// so that the report names each field at fault.
func (r *Row) FailErr(fallback string, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			r.FailErr(fallback, e)
		}
		return
	}
	e := opstap.AsError(err)
	if e == nil {
		r.Fail(fallback, "something went wrong on our side; please try again")
		return
	}
	f := e.Field
	if f == "" {
		f = fallback
	}
	r.Fail(f, e.Message, e.Args...)
}

// Date reads the column as a date in ISO or Dutch notation; empty is the
// zero Date.
func (r *Row) Date(field string) opstap.Date {
	v := r.Fields[field]
	if v == "" {
		return opstap.Date{}
	}
	d, err := opstap.ParseDate(v)
	if err != nil {
		r.Fail(field, "not a valid date (use dd-mm-jjjj or jjjj-mm-dd)")
	}
	return d
}

func firstInvalidLine(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[size:]
	}
	return line
}

func isBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (s Schema) header(h []string) ([]string, []RowError) {
	var errs []RowError
	known := map[string]bool{}
	for _, c := range s.Columns {
		known[c] = true
	}
	cols := make([]string, len(h))
	have := map[string]bool{}
	for i, c := range h {
		c = strings.ToLower(strings.TrimSpace(c))
		cols[i] = c
		switch {
		case !known[c]:
			errs = append(errs, RowError{Row: 1, Field: c, Message: "unknown column; check the delimiter (; or ,) and the column names"})
		case have[c]:
			errs = append(errs, RowError{Row: 1, Field: c, Message: "column appears twice"})
		}
		have[c] = true
	}
	for _, c := range s.Required {
		if !have[c] {
			errs = append(errs, RowError{Row: 1, Field: c, Message: "required column is missing"})
		}
	}
	return cols, errs
}
