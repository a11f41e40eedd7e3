package refdata

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// The columns of a GeoNames postal-code file (download.geonames.org/export/zip/
// readme.txt): tab-separated, no header. For the Netherlands admin1 is the
// province, admin2 the municipality with its CBS code; admin3 is empty.
const (
	gnCountry = iota
	gnPostcode
	gnPlace
	gnProvince
	gnProvinceCode
	gnMunicipality
	gnCBSCode
	gnAdmin3
	gnAdmin3Code
	gnLat
	gnLon
	gnAccuracy
	gnColumns
)

// ParsePostcodes reads the GeoNames postal-code file for the Netherlands
// (NL.txt in NL.zip: 4-digit postcodes; NL_full.txt with 6-character
// postcodes is refused). It returns one Postcode per 4-digit postcode,
// ordered by postcode.
//
// GeoNames lists a postcode once per place that uses it (1 in 20 postcodes
// spans several villages, a few even two municipalities). Opstap matches on
// the postcode, so it keeps one row: the place, municipality and province
// of the FIRST line that names the postcode, and the MEAN of all its lines'
// coordinates, which lies between the villages, not in one of them.
//
// GeoNames writes municipality names inconsistently ("Assen Municipality",
// "Gemeente Emmen", "Altena"); the name is kept without those additions. It
// pads CBS codes to four digits. Lines without a municipality (GeoNames had
// not yet assigned the villages of a municipality formed by a merger) keep
// the postcode with empty municipality and CBS code.
func ParsePostcodes(r io.Reader) ([]Postcode, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	type acc struct {
		p        Postcode
		lat, lon float64
		n        int
	}
	byCode := map[string]*acc{}
	var order []*acc
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		p, err := postcodeLine(text, line)
		if err != nil {
			return nil, err
		}
		a := byCode[p.Code4]
		if a == nil {
			a = &acc{p: p}
			byCode[p.Code4] = a
			order = append(order, a)
		}
		a.lat += p.Lat
		a.lon += p.Lon
		a.n++
	}
	if err := sc.Err(); err != nil {
		return nil, opstap.FieldError("file", "line %d: cannot read the file: %s", line+1, err.Error())
	}
	if len(order) == 0 {
		return nil, opstap.FieldError("file", "the file holds no postcodes")
	}
	out := make([]Postcode, len(order))
	for i, a := range order {
		out[i] = a.p
		out[i].Lat = round(a.lat/float64(a.n), 5)
		out[i].Lon = round(a.lon/float64(a.n), 5)
	}
	slices.SortFunc(out, func(a, b Postcode) int { return strings.Compare(a.Code4, b.Code4) })
	return out, nil
}

// postcodeLine checks and converts one line.
func postcodeLine(text string, line int) (Postcode, error) {
	f := strings.Split(text, "\t")
	if len(f) != gnColumns {
		return Postcode{}, opstap.FieldError("file", "line %d: expected %d tab-separated columns, found %d", line, gnColumns, len(f))
	}
	if !utf8.ValidString(text) {
		return Postcode{}, opstap.FieldError("file", "line %d: the text is not UTF-8", line)
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	p := Postcode{Code4: f[gnPostcode], Place: f[gnPlace], Province: f[gnProvince], Municipality: municipalityName(f[gnMunicipality])}
	var err error
	switch {
	case f[gnCountry] != "NL":
		return p, opstap.FieldError("file", "line %d: country %q is not NL", line, f[gnCountry])
	case !ValidPostcode4(p.Code4):
		return p, opstap.FieldError("file", "line %d: postcode %q is not four digits (use NL.txt, not NL_full.txt)", line, p.Code4)
	case p.Place == "":
		return p, opstap.FieldError("file", "line %d: the place name is missing", line)
	}
	if p.CBSCode, err = cbsCode(f[gnCBSCode], line); err != nil {
		return p, err
	}
	if p.Lat, err = coordinate(f[gnLat], 90, line); err != nil {
		return p, err
	}
	if p.Lon, err = coordinate(f[gnLon], 180, line); err != nil {
		return p, err
	}
	return p, nil
}

// ValidPostcode4 reports whether s is a Dutch 4-digit postcode: Dutch
// postcodes run from 1000 to 9999.
func ValidPostcode4(s string) bool { return digits(s, 4) && s[0] != '0' }

// cbsCode pads a CBS municipality code to four digits ("34" → "0034"); an
// empty code stays empty.
func cbsCode(s string, line int) (string, error) {
	if s == "" {
		return "", nil
	}
	if len(s) > 4 || !digits(s, len(s)) {
		return "", opstap.FieldError("file", "line %d: CBS municipality code %q is not a number of at most four digits", line, s)
	}
	return strings.Repeat("0", 4-len(s)) + s, nil
}

func coordinate(s string, limit float64, line int) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.Abs(v) > limit {
		return 0, opstap.FieldError("file", "line %d: coordinate %q is not a number between -%g and %g", line, s, limit, limit)
	}
	return v, nil
}

// municipalityName drops the additions GeoNames makes to some names.
func municipalityName(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(s, " Municipality"))
	return strings.TrimSpace(strings.TrimPrefix(s, "Gemeente "))
}

func round(v float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(v*p) / p
}

// Municipalities returns the municipalities the postcodes name, one per CBS
// code, ordered by code, with the name and province of the first postcode
// that names each.
func Municipalities(ps []Postcode) []Municipality {
	seen := map[string]bool{}
	var out []Municipality
	for _, p := range ps {
		if p.CBSCode == "" || seen[p.CBSCode] {
			continue
		}
		seen[p.CBSCode] = true
		out = append(out, Municipality{CBSCode: p.CBSCode, Name: p.Municipality, Province: p.Province})
	}
	slices.SortFunc(out, func(a, b Municipality) int { return strings.Compare(a.CBSCode, b.CBSCode) })
	return out
}
