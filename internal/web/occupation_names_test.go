package web

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestOccupationRows: the form shows the lines filled in and two empty
// ones, never more than a profile may hold.
func TestOccupationRows(t *testing.T) {
	for _, c := range []struct{ filled, want int }{{0, 2}, {1, 3}, {2, 4}, {49, 50}, {50, 50}, {60, 50}} {
		f := url.Values{"occupation_x": {"not a row"}}
		for i := range c.filled {
			f.Set("occupation_"+strconv.Itoa(i), "bakker")
		}
		if got := len(occupationRows(f)); got != c.want {
			t.Errorf("%d filled: %d rows, want %d", c.filled, got, c.want)
		}
	}
}

// FuzzLines: a text area of names splits into trimmed, non-empty lines that
// keep every non-space character.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "bakker", "bakker\r\nkok\n\n  kassa medewerker  ", "\n\n", "a\rb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var kept int
		for _, l := range lines(s) {
			if l == "" || l != strings.TrimSpace(l) {
				t.Fatalf("line %q", l)
			}
			kept += len(strings.Join(strings.Fields(l), ""))
		}
		if want := len(strings.Join(strings.Fields(s), "")); kept != want {
			t.Fatalf("%q: kept %d non-space bytes of %d", s, kept, want)
		}
	})
}
