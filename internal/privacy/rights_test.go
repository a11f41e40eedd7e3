package privacy_test

import (
	"encoding/json"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/privacy"
)

// TestParseRectification_002art7_2: the corrected values as the privacy
// officer types them, one "field = value" per line.
func TestParseRectification_002art7_2(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
		field    string
	}{
		{"equals", "postcode = 1315 AB\ncity = Almere", map[string]string{"postcode": "1315 AB", "city": "Almere"}, ""},
		{"colon and blank lines", "\r\nphone: 06 12345678\r\n\r\n", map[string]string{"phone": "06 12345678"}, ""},
		{"empty value clears", "phone =", map[string]string{"phone": ""}, ""},
		{"value with equals", "email = a=b@example.nl", map[string]string{"email": "a=b@example.nl"}, ""},
		{"no field", "= Almere", nil, "values"},
		{"no separator", "Almere", nil, "values"},
		{"twice", "city = A\ncity = B", nil, "values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := privacy.ParseRectification(tc.in)
			if f := field(err); f != tc.field {
				t.Fatalf("field %q, want %q (%v)", f, tc.field, err)
			}
			if tc.field == "" && !equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func FuzzParseRectification(f *testing.F) {
	f.Add("postcode = 1315 AB\ncity: Almere\n")
	f.Add("=\n:\n\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := privacy.ParseRectification(s)
		if err != nil {
			return
		}
		r := privacy.Rectification{Category: opstap.CatBasic, Values: m}
		if len(m) == 0 {
			return
		}
		out, err := r.Apply([]byte(`{"first_name":"Lisa"}`))
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		var back map[string]any
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("apply wrote invalid JSON: %v", err)
		}
		for k, v := range m {
			if back[k] != v {
				t.Fatalf("%q = %v, want %q", k, back[k], v)
			}
		}
	})
}

// TestRectificationRules: what a request may correct, and how it is put
// into the stored data.
func TestRectificationRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		r     privacy.Rectification
		field string
	}{
		{"basic", privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{"postcode": "1315AB"}}, ""},
		{"medical goes through the medical expert", privacy.Rectification{Category: opstap.CatMedical, Values: map[string]string{"x": "y"}}, "category"},
		{"notes get a new version instead", privacy.Rectification{Category: opstap.CatNotes, Values: map[string]string{"x": "y"}}, "category"},
		{"nothing to change", privacy.Rectification{Category: opstap.CatBasic}, "values"},
		{"blank field name", privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{" city": "x"}}, "values"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if f := field(tc.r.Validate()); f != tc.field {
				t.Fatalf("field %q, want %q", f, tc.field)
			}
		})
	}
	r := privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{"postcode": "1315AB"}}
	out, err := r.Apply([]byte(`{"first_name":"Lisa","postcode":"1234AB"}`))
	if err != nil || string(out) != `{"first_name":"Lisa","postcode":"1315AB"}` {
		t.Fatalf("apply: %s %v", out, err)
	}
	if out, err = r.Apply(nil); err != nil || string(out) != `{"postcode":"1315AB"}` {
		t.Fatalf("apply to nothing: %s %v", out, err)
	}
}

// TestScreening_001: what can be screened off, and the union kept.
func TestScreening_001(t *testing.T) {
	if f := field(privacy.ValidateScreening(nil)); f != "categories" {
		t.Fatalf("nothing chosen: %q", f)
	}
	if f := field(privacy.ValidateScreening([]opstap.Category{opstap.CatBasic})); f != "categories" {
		t.Fatalf("basic screened: %q", f)
	}
	if err := privacy.ValidateScreening([]opstap.Category{opstap.CatNotes, opstap.CatBenefit}); err != nil {
		t.Fatal(err)
	}
	got := privacy.Union([]opstap.Category{opstap.CatNotes}, []opstap.Category{opstap.CatBenefit, opstap.CatNotes})
	if len(got) != 2 || got[0] != opstap.CatBenefit || got[1] != opstap.CatNotes {
		t.Fatalf("union %v", got)
	}
}
