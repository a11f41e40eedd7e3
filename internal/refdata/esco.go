package refdata

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// escoColumns are the columns of the ESCO portal's CSV export that Opstap
// reads; the export has more (status, dates, schemes) and may order them
// differently between versions, so they are found by their header names.
var escoColumns = []string{"conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description", "code"}

// ParseESCO reads the ESCO occupations CSV export (comma-separated, a header
// row, fields quoted where they hold commas or line breaks, alternative
// labels one per line inside their field). It refuses the whole file on the
// first malformed row with an error naming the line, so that an import is
// all or nothing.
func ParseESCO(r io.Reader) ([]Occupation, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, opstap.FieldError("file", "the file is empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col, err := escoHeader(header)
	if err != nil {
		return nil, err
	}
	var out []Occupation
	seen := map[string]int{} // URI or code → line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		o, err := escoRow(rec, col, line)
		if err != nil {
			return nil, err
		}
		for _, key := range []string{o.URI, o.Code} {
			if first, dup := seen[key]; dup {
				return nil, opstap.FieldError("file", "line %d: occupation %s appeared before, on line %d", line, key, first)
			}
			seen[key] = line
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil, opstap.FieldError("file", "the file holds no occupations")
	}
	return out, nil
}

// escoHeader maps the needed column names to their positions.
func escoHeader(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		// The portal writes no byte-order mark, but a spreadsheet that saved
		// the file may have added one.
		col[strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF")] = i
	}
	for _, c := range escoColumns {
		if _, ok := col[c]; !ok {
			return nil, opstap.FieldError("file", "line 1: column %s is missing: is this the ESCO occupations export?", c)
		}
	}
	return col, nil
}

// escoRow checks and converts one record.
func escoRow(rec []string, col map[string]int, line int) (Occupation, error) {
	get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
	o := Occupation{URI: get("conceptUri"), ISCO: get("iscoGroup"), Label: get("preferredLabel"),
		Description: get("description"), Code: get("code"), AltLabels: splitLabels(rec[col["altLabels"]])}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return o, opstap.FieldError("file", "line %d: the text is not UTF-8", line)
		}
	}
	switch {
	case !strings.HasPrefix(o.URI, "http://data.europa.eu/esco/occupation/"):
		return o, opstap.FieldError("file", "line %d: %q is not an ESCO occupation URI", line, o.URI)
	case !ValidISCO(o.ISCO) || len(o.ISCO) != 4:
		return o, opstap.FieldError("file", "line %d: ISCO group %q is not a four-digit ISCO-08 unit group", line, o.ISCO)
	case !validESCOCode(o.Code, o.ISCO):
		return o, opstap.FieldError("file", "line %d: ESCO code %q does not extend ISCO group %s", line, o.Code, o.ISCO)
	case o.Label == "":
		return o, opstap.FieldError("file", "line %d: the occupation has no preferred label", line)
	}
	return o, nil
}

// splitLabels splits the alternative labels, one per line, dropping empty
// lines and repeats.
func splitLabels(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// validESCOCode: the ESCO code is the ISCO unit group followed by ESCO's
// own levels, each a dot and a number ("2654", "2654.1", "2654.1.7").
func validESCOCode(code, isco string) bool {
	rest, ok := strings.CutPrefix(code, isco)
	if !ok {
		return false
	}
	for rest != "" {
		var part string
		rest, ok = strings.CutPrefix(rest, ".")
		if !ok {
			return false
		}
		part, rest, _ = strings.Cut(rest, ".")
		if part == "" || !digits(part, len(part)) {
			return false
		}
		if rest != "" {
			rest = "." + rest
		}
	}
	return true
}

// csvError turns the CSV reader's error into one naming the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return opstap.FieldError("file", "line %d: not valid CSV: %s", pe.StartLine, pe.Err.Error())
	}
	return err
}
