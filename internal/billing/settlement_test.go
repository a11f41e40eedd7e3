package billing

import (
	"errors"
	"testing"

	"github.com/opstap/opstap"
)

// The half years are January–June and July–December; the one to settle is
// the latest that has ended [003 art 6.1 lid 5, 6.2 lid 4].
func TestLastHalfYear_003art6(t *testing.T) {
	for _, c := range []struct {
		today string
		want  HalfYear
	}{
		{"2026-01-01", HalfYear{2025, 2}},
		{"2026-06-30", HalfYear{2025, 2}},
		{"2026-07-01", HalfYear{2026, 1}},
		{"2026-12-31", HalfYear{2026, 1}},
		{"2028-02-29", HalfYear{2027, 2}},
	} {
		today, err := opstap.ParseDate(c.today)
		if err != nil {
			t.Fatal(err)
		}
		if got := LastHalfYear(today); got != c.want {
			t.Errorf("LastHalfYear(%s) = %v, want %v", c.today, got, c.want)
		}
	}
}

func TestHalfYearField(t *testing.T) {
	def := HalfYear{2026, 1}
	for _, c := range []struct {
		in   string
		want HalfYear
		bad  bool
	}{
		{"", def, false},
		{"2026-H2", HalfYear{2026, 2}, false},
		{"2025-h1", HalfYear{2025, 1}, false},
		{"2026-2", HalfYear{2026, 2}, false},
		{"2026-H3", HalfYear{}, true},
		{"26-H1", HalfYear{}, true},
		{"H1", HalfYear{}, true},
	} {
		got, err := HalfYearField("half_year", c.in, def)
		if c.bad {
			var e *opstap.Error
			if !errors.As(err, &e) || e.Field != "half_year" {
				t.Errorf("%q: err = %v, want a refusal naming half_year", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
