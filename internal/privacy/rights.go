package privacy

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Rights requests carried out by the system [001 "De rechten van de
// cliënten": "gegevens in te zien, te verbeteren, aan te vullen, te
// verwijderen of af te schermen indien deze gegevens niet juist of niet
// ter zake dienend zijn"; 002 art 7.2].

// Rectifiable lists the categories a rectification request can correct
// through the normal category write. Medical data and limitations are the
// medical expert's (their own segment), notes and reports are corrected by
// a new version in the dossier, which keeps the history.
var Rectifiable = []opstap.Category{opstap.CatBasic, opstap.CatBSN, opstap.CatBenefit, opstap.CatEducation, opstap.CatPreferences, opstap.CatFinancial}

// Screenable lists the categories a screening request can screen off.
// Basic data stays: without a name nobody can find the file to handle the
// candidate's own requests and complaints.
var Screenable = []opstap.Category{opstap.CatBSN, opstap.CatBenefit, opstap.CatEducation, opstap.CatPreferences, opstap.CatFinancial, opstap.CatNotes, opstap.CatReports}

// maxRectified bounds the fields one request corrects, and each value.
const (
	maxRectified      = 30
	maxRectifiedValue = 1000
)

// Rectification is what a granted rectification request changes: new
// values for fields of one category, by their JSON names.
type Rectification struct {
	Category opstap.Category   `json:"category" validate:"required,max=50"`
	Values   map[string]string `json:"values" validate:"required,items=30,max=1000"`
}

// Validate checks the shape; whether the values fit the category's rules
// is decided when they are applied to the current data.
func (r *Rectification) Validate() error {
	switch {
	case !slices.Contains(Rectifiable, r.Category):
		return opstap.FieldError("category", "this category cannot be corrected through a request")
	case len(r.Values) == 0:
		return opstap.FieldError("values", "give at least one corrected value")
	case len(r.Values) > maxRectified:
		return opstap.FieldError("values", "too many values in one request")
	}
	for k, v := range r.Values {
		if k == "" || strings.TrimSpace(k) != k || !utf8.ValidString(k+v) || utf8.RuneCountInString(v) > maxRectifiedValue {
			return opstap.FieldError("values", "each line names a field and its new value")
		}
	}
	return nil
}

// Apply returns current with the corrected values put in. current is the
// category's stored JSON object (nil when nothing is stored yet: the
// request completes the data).
func (r *Rectification) Apply(current []byte) ([]byte, error) {
	obj := map[string]any{}
	if len(current) > 0 {
		if err := json.Unmarshal(current, &obj); err != nil {
			return nil, err
		}
	}
	for k, v := range r.Values {
		obj[k] = v
	}
	return json.Marshal(obj)
}

// ParseRectification reads corrected values typed one per line as
// "field = value" (or "field: value"); empty lines are skipped. A value may
// be empty, to clear a field.
func ParseRectification(text string) (map[string]string, error) {
	if !utf8.ValidString(text) {
		return nil, opstap.FieldError("values", "the text is not valid UTF-8")
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			return nil, opstap.FieldError("values", "each line names a field and its new value")
		}
		k, v := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		if k == "" {
			return nil, opstap.FieldError("values", "each line names a field and its new value")
		}
		if _, dup := out[k]; dup {
			return nil, opstap.FieldError("values", "a field is named twice")
		}
		out[k] = v
	}
	return out, nil
}

// ValidateScreening checks the categories a screening request screens
// off.
func ValidateScreening(cats []opstap.Category) error {
	if len(cats) == 0 {
		return opstap.FieldError("categories", "choose the data to screen off")
	}
	for _, c := range cats {
		if !slices.Contains(Screenable, c) {
			return opstap.FieldError("categories", "this data cannot be screened off")
		}
	}
	return nil
}

// Union adds cats to have without repeats, in the order of
// opstap.Categories.
func Union(have, cats []opstap.Category) []opstap.Category {
	var out []opstap.Category
	for _, c := range opstap.Categories {
		if slices.Contains(have, c) || slices.Contains(cats, c) {
			out = append(out, c)
		}
	}
	return out
}
