package opstap

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2026-11-24", "2026-11-24", true},
		{"24-11-2026", "2026-11-24", true},
		{"4-1-2026", "2026-01-04", true},
		{"24/11/2026", "2026-11-24", true},
		{"24.11.2026", "2026-11-24", true},
		{"31-02-2026", "", false},
		{"2026-13-01", "", false},
		{"gisteren", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDate(tt.in)
			if (err == nil) != tt.ok || (tt.ok && d.String() != tt.want) {
				t.Fatalf("ParseDate(%q) = %v, %v", tt.in, d, err)
			}
		})
	}
}

// TestAddMonths follows DOMAIN.md §6: F + N months is the same day N months
// later, or the month's last day where that day does not exist.
func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-03-15", 3, "2026-06-15"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-05-31", -1, "2026-04-30"},
	}
	for _, tt := range tests {
		d, _ := ParseDate(tt.from)
		if got := d.AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	a, _ := ParseDate("2026-03-28")
	b := a.AddDays(3)
	if b.String() != "2026-03-31" || a.DaysUntil(b) != 3 || !a.Before(b) || !b.After(a) {
		t.Fatalf("arithmetic across DST: %v", b)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-24", "24-11-2026", "4-1-2026", "24.11.2026", "31-02-2026", "0000-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
			t.Fatalf("%q → impossible date %+v", s, d)
		}
		back, err := ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("%q → %v → %v, %v", s, d, back, err)
		}
		var j Date
		b, _ := d.MarshalJSON()
		if err := j.UnmarshalJSON(b); err != nil || (j != d && !d.IsZero()) {
			t.Fatalf("%q: JSON round trip %s → %v, %v", s, b, j, err)
		}
	})
}
