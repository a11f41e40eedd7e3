package httpx

import (
	"encoding/json"
	"reflect"
)

// CheckLimits applies the limits of v's validate tags (text length, NUL and
// UTF-8, number ranges, list sizes) to a value built from something else than
// a JSON body: a web form fills the same request types as the API, and must
// refuse what the API refuses, naming the same field. Required fields are the
// form's and the domain's business there (a form sends every field, and the
// domain names a missing one in its own words), so they are not checked.
func CheckLimits(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return check(raw, t, "", rule{lenient: true})
}
