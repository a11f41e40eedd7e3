package httpx

import (
	"strings"
	"testing"

	"github.com/opstap/opstap"
)

// TestCheckLimits: a value built from a web form meets the same limits as a
// JSON body of its type, naming the same field, nested ones included;
// missing required fields are left to the form and the domain.
func TestCheckLimits(t *testing.T) {
	type inner struct {
		Code string `json:"code" validate:"required,max=4"`
	}
	type form struct {
		Name  string   `json:"name" validate:"required,max=5"`
		Note  string   `json:"note,omitempty"`
		Hours int      `json:"hours" validate:"min=0,max=60"`
		Tags  []string `json:"tags" validate:"items=2,max=3"`
		In    inner    `json:"in"`
		Later string   `json:"later" validate:"max=2"`
	}
	ok := form{Name: "Anna", Hours: 60, Tags: []string{"a", "bcd"}, In: inner{Code: "1234"}}
	tests := []struct {
		name  string
		edit  func(*form)
		field string
	}{
		{"within every limit", func(*form) {}, ""},
		{"required left empty", func(f *form) { f.Name, f.In.Code = "", "" }, ""},
		{"text over its max", func(f *form) { f.Name = "Annabel" }, "name"},
		{"characters, not bytes", func(f *form) { f.Name = "ééééé" }, ""},
		{"text without a max over the default", func(f *form) { f.Note = strings.Repeat("x", DefaultMaxText+1) }, "note"},
		{"NUL", func(f *form) { f.Note = "a\x00b" }, "note"},
		{"number over its max", func(f *form) { f.Hours = 61 }, "hours"},
		{"number under its min", func(f *form) { f.Hours = -1 }, "hours"},
		{"too many items", func(f *form) { f.Tags = []string{"a", "b", "c"} }, "tags"},
		{"list element over its max", func(f *form) { f.Tags = []string{"abcd"} }, "tags[0]"},
		{"nested", func(f *form) { f.In.Code = "12345" }, "in.code"},
		{"after an empty required nested field", func(f *form) { f.In.Code, f.Later = "", "abc" }, "later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			err := CheckLimits(&f)
			got := ""
			if e := opstap.AsError(err); e != nil {
				got = e.Field
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tt.field {
				t.Fatalf("field %q, want %q (%v)", got, tt.field, err)
			}
		})
	}
}
