// Package refdata reads the reference data that the flex platform matches
// on, in the files as their publishers distribute them (issue 5; DOMAIN.md
// §5): the ESCO occupations CSV export with Dutch labels and ISCO-08 groups,
// and the GeoNames Dutch postal-code file. It only parses and computes; the
// store imports what it returns. docs/refdata.md names sources and licences.
package refdata

import "fmt"

// Occupation is one ESCO occupation.
type Occupation struct {
	URI         string   `json:"uri"`         // ESCO concept URI, the stable identifier
	Code        string   `json:"code"`        // ESCO code, e.g. "2654.1.7": the ISCO unit group, then ESCO's own levels
	ISCO        string   `json:"isco"`        // ISCO-08 unit group, four digits
	Label       string   `json:"label"`       // preferred Dutch label
	AltLabels   []string `json:"alt_labels"`  // other Dutch labels (female forms, synonyms)
	Description string   `json:"description"` // Dutch description ("" where ESCO has none)
}

// Postcode is one Dutch 4-digit postcode area.
type Postcode struct {
	Code4        string  `json:"code4"`        // "1315"
	Place        string  `json:"place"`        // the first place GeoNames lists for the postcode
	Municipality string  `json:"municipality"` // municipality name, "" where GeoNames has none
	CBSCode      string  `json:"cbs_code"`     // CBS municipality code, four digits zero-padded, "" where GeoNames has none
	Province     string  `json:"province"`     // province as GeoNames names it (in English)
	Lat          float64 `json:"lat"`          // mean over the postcode's places
	Lon          float64 `json:"lon"`
}

// Municipality is a municipality, identified by its CBS code.
type Municipality struct {
	CBSCode  string `json:"cbs_code"`
	Name     string `json:"name"`
	Province string `json:"province"`
}

// digits reports whether s is n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String names an occupation in logs and tests.
func (o Occupation) String() string { return fmt.Sprintf("%s %s", o.Code, o.Label) }
