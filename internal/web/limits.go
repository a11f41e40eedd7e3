package web

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
)

// The web forms fill the API's request types, so they take the API's limits
// from the same validate tags: in the browser as maxlength, min and max
// attributes (page.Limits), on the server with httpx.CheckLimits (formLimits).
var formTypes = map[string]reflect.Type{
	"registration":                reflect.TypeFor[candidate.Registration](),
	string(opstap.CatBasic):       reflect.TypeFor[candidate.Basic](),
	string(opstap.CatBSN):         reflect.TypeFor[candidate.BSN](),
	string(opstap.CatBenefit):     reflect.TypeFor[candidate.Benefit](),
	string(opstap.CatEducation):   reflect.TypeFor[candidate.Education](),
	string(opstap.CatPreferences): reflect.TypeFor[candidate.Preferences](),
	string(opstap.CatFinancial):   reflect.TypeFor[candidate.Financial](),
	"assignment":                  reflect.TypeFor[flex.Assignment](),
	"profile":                     reflect.TypeFor[flex.Profile](),
	"displacement_check":          reflect.TypeFor[flex.DisplacementCheck](),
	"entry":                       reflect.TypeFor[dossier.EntryInput](),
	"complaint":                   reflect.TypeFor[complaint.New](),
	"complaint_step":              reflect.TypeFor[complaint.Step](),
	"report":                      reflect.TypeFor[dossier.ReportContent](),
	"activity":                    reflect.TypeFor[dossier.Activity](),
	"oral":                        reflect.TypeFor[dossier.OralReport](),
	"decision":                    reflect.TypeFor[dossier.ReportDecision](),
}

// fieldLimits are the attributes of one input; zero values are left out.
type fieldLimits struct {
	MaxLength int
	Min, Max  string
}

// Limits returns the limits of field name of the form's type: a text's
// maximum length (the API's default where the type states none), a whole
// number's range.
func (p *page) Limits(form, name string) *fieldLimits {
	t, ok := formTypes[form]
	if !ok {
		return nil
	}
	for _, f := range httpx.FieldsOf(t) {
		if f.Name != name {
			continue
		}
		l := &fieldLimits{}
		switch f.Type.Kind() {
		case reflect.String:
			l.MaxLength = httpx.DefaultMaxText
			if f.Max != nil {
				l.MaxLength = int(*f.Max)
			}
		case reflect.Int, reflect.Int64, reflect.Int32:
			if f.Min != nil {
				l.Min = strconv.FormatFloat(*f.Min, 'f', -1, 64)
			}
			if f.Max != nil {
				l.Max = strconv.FormatFloat(*f.Max, 'f', -1, 64)
			}
		}
		return l
	}
	return nil
}

// formLimits checks a value built from a form against its type's limits,
// naming the form's field: a list's element ("skills[3]") or a nested
// field is reported on the input that holds it.
func formLimits(v any) error {
	err := httpx.CheckLimits(v)
	if e := opstap.AsError(err); e != nil {
		if i := strings.IndexAny(e.Field, "[."); i > 0 {
			c := *e
			c.Field = e.Field[:i]
			return &c
		}
	}
	return err
}
