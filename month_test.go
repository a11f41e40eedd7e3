package opstap

import (
	"encoding/json"
	"testing"
)

func TestParseMonth(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2026-03", "2026-03", true},
		{" 03-2026 ", "2026-03", true},
		{"3-2026", "2026-03", true},
		{"12/2026", "2026-12", true},
		{"2026-13", "", false},
		{"2026-00", "", false},
		{"0000-01", "", false},
		{"maart", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMonth(tt.in)
			if (err == nil) != tt.ok || m.String() != tt.want {
				t.Fatalf("ParseMonth(%q) = %v, %v", tt.in, m, err)
			}
		})
	}
}

func TestMonthArithmetic(t *testing.T) {
	feb := Month{2028, 2}
	if feb.Last().String() != "2028-02-29" || feb.First().String() != "2028-02-01" {
		t.Fatalf("February 2028: %s – %s", feb.First(), feb.Last())
	}
	dec := Month{2026, 12}
	if dec.Next() != (Month{2027, 1}) || dec.Add(-12) != (Month{2025, 12}) || dec.Last().String() != "2026-12-31" {
		t.Fatalf("December: next %v, a year back %v", dec.Next(), dec.Add(-12))
	}
	d, _ := ParseDate("2026-12-31")
	if !dec.Contains(d) || dec.Next().Contains(d) || MonthOf(d) != dec {
		t.Fatal("Contains / MonthOf")
	}
	if feb.Before(dec) || !feb.After(dec) || !dec.Before(Month{2027, 1}) || dec.Before(dec) || dec.After(dec) {
		t.Fatal("Before / After")
	}
	if dec.Dutch() != "12-2026" || (Month{}).String() != "" {
		t.Fatalf("formats: %q", dec.Dutch())
	}
}

func TestMonthJSONAndSQL(t *testing.T) {
	b, err := json.Marshal(struct{ M Month }{Month{2026, 3}})
	if err != nil || string(b) != `{"M":"2026-03"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var m Month
	if err := json.Unmarshal([]byte(`"04-2026"`), &m); err != nil || m != (Month{2026, 4}) {
		t.Fatalf("unmarshal: %v %v", m, err)
	}
	if err := json.Unmarshal([]byte(`"april"`), &m); err == nil {
		t.Fatal("unmarshal accepted a word")
	}
	v, _ := m.Value()
	var back Month
	if err := back.Scan([]byte(v.(string))); err != nil || back != m {
		t.Fatalf("scan: %v %v", back, err)
	}
	if err := back.Scan(42); err == nil {
		t.Fatal("scan accepted an integer")
	}
}

// FuzzParseMonth: whatever is typed, ParseMonth never panics, and what it
// accepts formats back to a month it reads again as the same.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-03", "03-2026", "1/2026", "9999-12", "-1-2026", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			return
		}
		if m.Month < 1 || m.Month > 12 || m.Year < 1 {
			t.Fatalf("ParseMonth(%q) = %v", s, m)
		}
		again, err := ParseMonth(m.String())
		if err != nil || again != m {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
	})
}
