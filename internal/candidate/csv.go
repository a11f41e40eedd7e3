package candidate

import (
	"io"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/csvfile"
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

// RowError is one problem in a bulk file (csvfile.RowError).
type RowError = csvfile.RowError

// FileError rejects a whole bulk file (csvfile.FileError).
type FileError = csvfile.FileError

// CSVRow is one parsed data row with its line number and coach e-mail
// (resolved to a user by the store).
type CSVRow struct {
	Line         int
	Registration Registration
	CoachEmail   string
}

// BulkCommissioner is the commissioner a bulk file of a is for: the one
// named, else a's own organisation — a commissioner registers its own
// candidates, and the store refuses any other organisation as no
// commissioner of theirs. The form and the API ask it alike.
func BulkCommissioner(a *opstap.Actor, named string) string {
	if named == "" && a != nil {
		return a.OrgID
	}
	return named
}

// ParseCSV reads a bulk registration file: UTF-8 (a BOM is allowed), ';' or
// ',' separated (detected from the header), Dutch or ISO dates. It
// validates every row against today and returns all problems at once.
func ParseCSV(r io.Reader, commissionerOrgID string, today opstap.Date) ([]CSVRow, error) {
	recs, err := csvfile.Read(r, csvfile.Schema{Columns: CSVColumns, Required: requiredColumns, MaxRows: MaxCSVRows})
	if err != nil {
		return nil, err
	}
	var rows []CSVRow
	seen := map[string]int{}
	for _, rec := range recs {
		if len(rec.Errs) > 0 {
			continue
		}
		row := parseRow(rec, commissionerOrgID, today)
		if ref := row.Registration.ExternalRef; ref != "" {
			if first, dup := seen[ref]; dup {
				rec.Fail("external_ref", "external reference repeats row %d", first)
			}
			seen[ref] = rec.Line
		}
		rows = append(rows, row)
	}
	if errs := csvfile.Errors(recs); len(errs) > 0 {
		return nil, &FileError{Rows: errs}
	}
	return rows, nil
}

// parseRow fills a registration from one row and validates it; it reports
// every bad date and then the first rule the row breaks.
func parseRow(rec *csvfile.Row, orgID string, today opstap.Date) CSVRow {
	row := CSVRow{Line: rec.Line, Registration: Registration{CommissionerOrgID: orgID}}
	reg := &row.Registration
	f := rec.Fields
	reg.ExternalRef, reg.BSN, row.CoachEmail = f["external_ref"], f["bsn"], f["coach_email"]
	reg.Basic = Basic{FirstName: f["first_name"], LastName: f["last_name"], Gender: strings.ToLower(f["gender"]),
		Nationality: f["nationality"], Street: f["street"], HouseNumber: f["house_number"], Postcode: f["postcode"],
		City: f["city"], Phone: f["phone"], Email: f["email"]}
	reg.BenefitKind = strings.ToLower(f["benefit_kind"])
	reg.Basic.BirthDate = rec.Date("birth_date")
	reg.BenefitStart = rec.Date("benefit_start")
	reg.RegisteredOn = rec.Date("registered_on")
	switch {
	case len(rec.Errs) > 0:
	case reg.ExternalRef == "":
		rec.Fail("external_ref", "external reference is required in a bulk file")
	default:
		if err := reg.Validate(today); err != nil {
			rec.FailErr("file", err)
		}
	}
	return row
}
