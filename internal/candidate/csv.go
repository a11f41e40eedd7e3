package candidate

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

// CSVColumns are the bulk registration columns, documented in
// docs/candidates-csv.md. The header must name columns from this list
// (any order, case-insensitive); external_ref, first_name, last_name and
// birth_date are required.
var CSVColumns = []string{
	"external_ref", "first_name", "last_name", "birth_date", "gender", "nationality",
	"street", "house_number", "postcode", "city", "phone", "email",
	"bsn", "benefit_kind", "benefit_start", "registered_on", "coach_email",
}

var requiredColumns = []string{"external_ref", "first_name", "last_name", "birth_date"}

// MaxCSVRows bounds one file.
const MaxCSVRows = 50000

// MaxCSVFile is the largest bulk file in bytes (web and API); 50,000 rows
// fit well within it.
const MaxCSVFile = 32 << 20

// RowError is one problem in a bulk file: row 1 is the header, so data
// rows start at 2, as a spreadsheet shows them.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
	Args    []any  `json:"-"`
}

// FileError rejects a whole bulk file. It unwraps to an EINVALID error so
// the HTTP layers answer 422; Rows says what to fix where.
type FileError struct {
	Rows []RowError
}

func (e *FileError) Error() string { return fmt.Sprintf("bulk file rejected: %d errors", len(e.Rows)) }

// Unwrap gives the application error for the whole file.
func (e *FileError) Unwrap() error {
	return &opstap.Error{Code: opstap.EINVALID, Field: "file", Message: "the file has errors; nothing was registered"}
}

// CSVRow is one parsed data row with its line number and coach e-mail
// (resolved to a user by the store).
type CSVRow struct {
	Line         int
	Registration Registration
	CoachEmail   string
}

// ParseCSV reads a bulk registration file: UTF-8 (a BOM is allowed), ';' or
// ',' separated (detected from the header), Dutch or ISO dates. It
// validates every row against today and returns all problems at once.
func ParseCSV(r io.Reader, commissionerOrgID string, today opstap.Date) ([]CSVRow, error) {
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
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		line := 0
		if errors.As(err, &pe) {
			line = pe.Line
		}
		return nil, &FileError{Rows: []RowError{{Row: line, Field: "file", Message: "the file is not valid CSV"}}}
	}
	if len(records) == 0 {
		return nil, &FileError{Rows: []RowError{{Row: 1, Field: "file", Message: "the file is empty"}}}
	}
	cols, errs := parseHeader(records[0])
	if len(errs) > 0 {
		return nil, &FileError{Rows: errs}
	}
	if len(records)-1 > MaxCSVRows {
		return nil, &FileError{Rows: []RowError{{Row: MaxCSVRows + 2, Field: "file", Message: "a file holds at most %d rows", Args: []any{MaxCSVRows}}}}
	}
	var rows []CSVRow
	seen := map[string]int{}
	for i, rec := range records[1:] {
		line := i + 2
		if isBlank(rec) {
			continue
		}
		if len(rec) != len(cols) {
			errs = append(errs, RowError{Row: line, Field: "file", Message: "row has %d fields, the header %d", Args: []any{len(rec), len(cols)}})
			continue
		}
		row, rerrs := parseRow(line, cols, rec, commissionerOrgID, today)
		errs = append(errs, rerrs...)
		if ref := row.Registration.ExternalRef; ref != "" {
			if first, dup := seen[ref]; dup {
				errs = append(errs, RowError{Row: line, Field: "external_ref", Message: "external reference repeats row %d", Args: []any{first}})
			}
			seen[ref] = line
		}
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, &FileError{Rows: errs}
	}
	if len(rows) == 0 {
		return nil, &FileError{Rows: []RowError{{Row: 2, Field: "file", Message: "the file has no data rows"}}}
	}
	return rows, nil
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

func parseHeader(h []string) ([]string, []RowError) {
	var errs []RowError
	known := map[string]bool{}
	for _, c := range CSVColumns {
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
	for _, c := range requiredColumns {
		if !have[c] {
			errs = append(errs, RowError{Row: 1, Field: c, Message: "required column is missing"})
		}
	}
	return cols, errs
}

// parseRow fills a registration from one row and validates it; it reports
// every bad date and then the first rule the row breaks.
func parseRow(line int, cols, rec []string, orgID string, today opstap.Date) (CSVRow, []RowError) {
	row := CSVRow{Line: line, Registration: Registration{CommissionerOrgID: orgID}}
	reg := &row.Registration
	var errs []RowError
	date := func(field, v string, dst *opstap.Date) {
		if v == "" {
			return
		}
		d, err := opstap.ParseDate(v)
		if err != nil {
			errs = append(errs, RowError{Row: line, Field: field, Message: "not a valid date (use dd-mm-jjjj or jjjj-mm-dd)"})
			return
		}
		*dst = d
	}
	text := map[string]*string{
		"external_ref": &reg.ExternalRef, "first_name": &reg.Basic.FirstName, "last_name": &reg.Basic.LastName,
		"gender": &reg.Basic.Gender, "nationality": &reg.Basic.Nationality, "street": &reg.Basic.Street,
		"house_number": &reg.Basic.HouseNumber, "postcode": &reg.Basic.Postcode, "city": &reg.Basic.City,
		"phone": &reg.Basic.Phone, "email": &reg.Basic.Email, "bsn": &reg.BSN, "benefit_kind": &reg.BenefitKind, "coach_email": &row.CoachEmail,
	}
	for i, c := range cols {
		v := strings.TrimSpace(rec[i])
		switch c {
		case "birth_date":
			date(c, v, &reg.Basic.BirthDate)
		case "benefit_start":
			date(c, v, &reg.BenefitStart)
		case "registered_on":
			date(c, v, &reg.RegisteredOn)
		default:
			*text[c] = v
		}
	}
	reg.Basic.Gender = strings.ToLower(reg.Basic.Gender)
	reg.BenefitKind = strings.ToLower(reg.BenefitKind)
	if len(errs) > 0 {
		return row, errs
	}
	if reg.ExternalRef == "" {
		return row, []RowError{{Row: line, Field: "external_ref", Message: "external reference is required in a bulk file"}}
	}
	if err := reg.Validate(today); err != nil {
		e := opstap.AsError(err)
		return row, []RowError{{Row: line, Field: e.Field, Message: e.Message, Args: e.Args}}
	}
	return row, nil
}
