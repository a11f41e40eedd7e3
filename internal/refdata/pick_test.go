package refdata

import (
	"strings"
	"testing"
)

func TestPickOccupation(t *testing.T) {
	found := []Occupation{
		{URI: "u/1", Code: "8160.2", ISCO: "8160", Label: "bakkerijmedewerker", AltLabels: []string{"bakkersassistent", "hulp"}},
		{URI: "u/2", Code: "7512.1", ISCO: "7512", Label: "bakker", AltLabels: []string{"broodbakker", "banketbakker"}},
		{URI: "u/3", Code: "9412.1", ISCO: "9412", Label: "keukenhulp", AltLabels: []string{"hulp"}},
		{URI: "u/4", Code: "5223.6", ISCO: "5223", Label: "winkelmedewerker"},
		{URI: "u/5", Code: "5223.2", ISCO: "5223", Label: "verkoper"},
		{URI: "u/6", Code: "5223.7", ISCO: "5223", Label: "kassamedewerker"},
	}
	norm := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	for _, c := range []struct {
		typed, want string // want: the code picked, "" none
		suggestions int
	}{
		{"bakker", "7512.1", 0},
		{"  Bakker ", "7512.1", 0},    // case and spaces
		{"banketbakker", "7512.1", 0}, // a unique alternative label
		{"8160.2", "8160.2", 0},       // a code
		{"u/3", "9412.1", 0},          // a URI
		{"hulp", "", 5},               // an alternative label of two: choose
		{"bakk", "", 5},               // part of a name: choose
		{"", "", 0},                   // nothing typed
		{"keukenhulp", "9412.1", 0},   // the preferred label wins over another's alternative
		{"BAKKERIJMEDEWERKER", "8160.2", 0},
	} {
		got, sugg := PickOccupation(c.typed, found, norm)
		code := ""
		if got != nil {
			code = got.Code
		}
		if code != c.want || len(sugg) != c.suggestions {
			t.Errorf("%q: picked %q with %d suggestions, want %q with %d", c.typed, code, len(sugg), c.want, c.suggestions)
		}
	}
	if got, sugg := PickOccupation("x", nil, norm); got != nil || len(sugg) != 0 {
		t.Errorf("nothing found: %v %v", got, sugg)
	}
}
