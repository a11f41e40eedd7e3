package web

import (
	"errors"
	"reflect"
	"testing"

	"github.com/opstap/opstap"
)

// TestErrorSummary: every error of a joined error reaches the summary, one
// per field, in the order the form shows its fields, each linked to its
// field when the form has it (issue 12 item 5).
func TestErrorSummary(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		fields [][2]string // name, id, in form order
		want   []summaryItem
		beside map[string]string
	}{
		{"one field error", opstap.FieldError("bsn", "BSN fails the eleven-test"), [][2]string{{"bsn", "c-bsn"}},
			[]summaryItem{{"#c-bsn", "BSN fails the eleven-test"}}, map[string]string{"bsn": "BSN fails the eleven-test"}},
		{"joined, form order, first per field", errors.Join(opstap.FieldError("postcode", "postcode must look like 1234 AB"),
			opstap.FieldError("last_name", "last name is required"), opstap.FieldError("postcode", "second")),
			[][2]string{{"last_name", "c-last"}, {"postcode", "c-postcode"}},
			[]summaryItem{{"#c-last", "last name is required"}, {"#c-postcode", "postcode must look like 1234 AB"}},
			map[string]string{"last_name": "last name is required", "postcode": "postcode must look like 1234 AB"}},
		{"no field, or a field the form lacks, unlinked and last", errors.Join(opstap.Errorf(opstap.ECONFLICT, "already answered"),
			opstap.FieldError("hidden", "not here"), opstap.FieldError("email", "not a valid e-mail address")),
			[][2]string{{"email", "c-email"}},
			[]summaryItem{{"#c-email", "not a valid e-mail address"}, {"", "already answered"}, {"", "not here"}},
			map[string]string{"hidden": "not here", "email": "not a valid e-mail address"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &page{Lang: "en", Errors: map[string]string{}}
			p.setError(tc.err)
			for _, f := range tc.fields {
				p.FieldID(f[0], f[1])
			}
			if got := p.Problems(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("summary %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(p.Errors, tc.beside) {
				t.Errorf("beside the fields %v, want %v", p.Errors, tc.beside)
			}
		})
	}
}
