package opstap

import "testing"

func TestParseCents(t *testing.T) {
	tests := []struct {
		in   string
		want Cents
		ok   bool
	}{
		{"11,75", 1175, true},
		{"11.75", 1175, true},
		{"€ 1.234,50", 123450, true},
		{"1,234.50", 123450, true},
		{"12", 1200, true},
		{"2,5", 250, true},
		{"-3,10", -310, true},
		{"11,755", 0, false},
		{"elf", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseCents(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseCents(%q) = %d, %v", tt.in, got, err)
		}
	}
	if s := Cents(123450).String(); s != "1234,50" {
		t.Errorf("String = %q", s)
	}
}
