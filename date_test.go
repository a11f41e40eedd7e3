package opstap

import (
	"cmp"
	"testing"
)

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

func TestDateCompare(t *testing.T) {
	var zero Date
	tests := []struct {
		a, b Date
		want int
	}{
		{Date{2026, 3, 28}, Date{2026, 3, 28}, 0},
		{Date{2026, 3, 28}, Date{2026, 3, 29}, -1},
		{Date{2026, 4, 1}, Date{2026, 3, 31}, 1},
		{Date{2025, 12, 31}, Date{2026, 1, 1}, -1},
		{Date{2024, 2, 29}, Date{2024, 3, 1}, -1},
		{Date{999, 1, 1}, Date{2026, 1, 1}, -1},
		{zero, Date{1, 1, 1}, -1}, // unset lies before every date
		{Date{1, 1, 1}, zero, 1},
		{zero, zero, 0},
		{Date{0, 5, 3}, zero, 0}, // year 0 is unset, whatever its month
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		// The text comparison it replaces, for every date it can format.
		if text := cmp.Compare(tt.a.String(), tt.b.String()); text != tt.want {
			t.Errorf("text order of %v and %v = %d, want %d", tt.a, tt.b, text, tt.want)
		}
		if tt.a.Before(tt.b) != (tt.want < 0) || tt.a.After(tt.b) != (tt.want > 0) {
			t.Errorf("%v Before/After %v disagree with %d", tt.a, tt.b, tt.want)
		}
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

func TestMonth(t *testing.T) {
	m, err := ParseMonth("2026-02")
	if err != nil || m.First().String() != "2026-02-01" || m.Last().String() != "2026-02-28" {
		t.Fatalf("2026-02: %v %v %v", m, m.Last(), err)
	}
	if l := (Month{2028, 2}).Last().String(); l != "2028-02-29" {
		t.Errorf("leap February ends %s", l)
	}
	if n := (Month{2026, 12}).Next(); n != (Month{2027, 1}) {
		t.Errorf("December + 1 = %v", n)
	}
	if p := (Month{2026, 1}).Add(-1); p != (Month{2025, 12}) {
		t.Errorf("January − 1 = %v", p)
	}
	if !(Month{2025, 12}).Before(Month{2026, 1}) || (Month{2026, 1}).Before(Month{2026, 1}) {
		t.Error("Before")
	}
	d, _ := ParseDate("2026-03-31")
	if !(Month{2026, 3}).Contains(d) || (Month{2026, 4}).Contains(d) {
		t.Error("Contains")
	}
	for _, s := range []string{"03-2026", "3-2026"} {
		if m, err := ParseMonth(s); err != nil || m != (Month{2026, 3}) {
			t.Errorf("ParseMonth(%q) = %v, %v", s, m, err)
		}
	}
	for _, s := range []string{"2026-13", "0000-01", "maart", ""} {
		if _, err := ParseMonth(s); err == nil {
			t.Errorf("ParseMonth(%q) accepted", s)
		}
	}
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-03", "03-2026", "3-2026", "2026-13", "0000-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			return
		}
		if m.Month < 1 || m.Month > 12 || m.IsZero() {
			t.Fatalf("%q → impossible month %+v", s, m)
		}
		if back, err := ParseMonth(m.String()); err != nil || back != m {
			t.Fatalf("%q → %v → %v, %v", s, m, back, err)
		}
		if !m.Contains(m.First()) || !m.Contains(m.Last()) || m.Contains(m.Last().AddDays(1)) {
			t.Fatalf("%v: first %v last %v", m, m.First(), m.Last())
		}
	})
}
