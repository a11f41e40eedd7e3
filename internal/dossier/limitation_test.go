package dossier_test

import (
	"slices"
	"testing"

	"github.com/opstap/opstap/internal/dossier"
)

// TestLimitationCodes_002art5: the medical segment stays with the experts
// [002 art 5.1 "alleen inzichtelijk voor de … gecertificeerde
// artsen/deskundigen"]; what others may see of it is a code from a fixed
// list, so a free text is refused and the codes are kept in list order.
func TestLimitationCodes_002art5(t *testing.T) {
	for _, tt := range []struct {
		name  string
		codes []string
		want  []string
		field string
	}{
		{"none", nil, []string{}, ""},
		{"list order, no repeats", []string{"no_night_shifts", "no_heavy_lifting", "no_heavy_lifting"}, []string{"no_heavy_lifting", "no_night_shifts"}, ""},
		{"every code", []string{"limited_screen_work", "quiet_environment", "reduced_hours", "no_driving", "limited_walking", "limited_standing", "no_night_shifts", "no_heavy_lifting"},
			[]string{"no_heavy_lifting", "no_night_shifts", "limited_standing", "limited_walking", "no_driving", "reduced_hours", "quiet_environment", "limited_screen_work"}, ""},
		{"a description", []string{"no_heavy_lifting", "hernia L4-L5"}, nil, "codes"},
		{"empty code", []string{""}, nil, "codes"},
	} {
		got, err := dossier.LimitationCodes(tt.codes)
		if field(err) != tt.field || !slices.Equal(got, tt.want) || (tt.want != nil && got == nil) {
			t.Errorf("%s: %q, %v; want %q, field %q", tt.name, got, err, tt.want, tt.field)
		}
	}
}
