package opstap

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
)

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
		{"1.234.567", 123456700, true},
		{"12", 1200, true},
		{"2,5", 250, true},
		{"-3,10", -310, true},
		{"0,01", 1, true},
		{"92233720368547758,07", math.MaxInt64, true},
		{"11,755", 0, false},
		{"elf", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"--5", 0, false},
		{"+5", 0, false},
		{"1,-5", 0, false},
		{"1,+5", 0, false},
		{"1.2.3", 0, false},
		{"1..234", 0, false},
		{".50", 0, false},
		{"12,", 0, false},
		{"1234.567,00", 0, false},
		{"92270000000000000", 0, false},     // the example: wrapped to a negative number before
		{"92233720368547758,08", 0, false},  // one cent past int64
		{"-92233720368547758,08", 0, false}, // MinInt64 itself is refused too: it has no positive twin
	}
	for _, tt := range tests {
		got, err := ParseCents(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseCents(%q) = %d, %v", tt.in, got, err)
		}
	}
	if _, err := ParseCents("92270000000000000"); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow error = %v, want ErrOverflow in the chain", err)
	}
	if s := Cents(123450).String(); s != "1234,50" {
		t.Errorf("String = %q", s)
	}
	if s := Cents(-5).String(); s != "-0,05" {
		t.Errorf("String = %q", s)
	}
	if s := Cents(math.MinInt64).String(); s != "-92233720368547758,08" {
		t.Errorf("String(MinInt64) = %q", s)
	}
}

func TestCheckedArithmetic(t *testing.T) {
	if r, err := Cents(100).Add(250); err != nil || r != 350 {
		t.Errorf("Add = %d, %v", r, err)
	}
	if _, err := Cents(math.MaxInt64).Add(1); err != ErrOverflow {
		t.Errorf("MaxInt64 + 1: %v", err)
	}
	if _, err := Cents(math.MinInt64).Add(-1); err != ErrOverflow {
		t.Errorf("MinInt64 - 1: %v", err)
	}
	if r, err := Cents(100).Sub(250); err != nil || r != -150 {
		t.Errorf("Sub = %d, %v", r, err)
	}
	if _, err := Cents(0).Sub(math.MinInt64); err != ErrOverflow {
		t.Errorf("0 - MinInt64: %v", err)
	}
	if _, err := Sum(math.MaxInt64-10, 5, 6); err != ErrOverflow {
		t.Errorf("Sum overflow: %v", err)
	}
	if r, err := Sum(1, 2, 3); err != nil || r != 6 {
		t.Errorf("Sum = %d, %v", r, err)
	}
	if r, err := Cents(35000).Times(2); err != nil || r != 70000 {
		t.Errorf("Times = %d, %v", r, err)
	}
	if _, err := Cents(math.MaxInt64 / 2).Times(3); err != ErrOverflow {
		t.Errorf("Times overflow: %v", err)
	}
}

// TestRounding holds the one rounding rule of docs/money.md: each line is
// rounded to the cent, half away from zero. Every expectation is worked out
// by hand in the comment beside it.
func TestRounding(t *testing.T) {
	hours := []struct {
		rate Cents
		min  Minutes
		want Cents
	}{
		{1175, 60, 1175},        // 1 h × 11,75
		{1175, 450, 8813},       // 7,5 h × 11,75 = 88,125 → half up → 88,13
		{1175, -450, -8813},     // a correction line: −88,125 → half away from zero → −88,13
		{1175, 440, 8617},       // 7:20 = 22/3 h × 11,75 = 86,1666… → 86,17
		{1175, 1, 20},           // 1 min × 11,75 = 0,19583… → 0,20
		{200, 450, 1500},        // premium 7,5 h × 2,00 = 15,00
		{1, 30, 1},              // 0,005 → half away from zero → 0,01
		{1, 29, 0},              // 0,00483… → 0,00
		{-1, 30, -1},            // −0,005 → −0,01
		{1175, 0, 0},            // no hours
		{100000, 1440, 2400000}, // 24 h × 1.000,00
	}
	for _, tt := range hours {
		if got, err := tt.rate.MulHours(tt.min); err != nil || got != tt.want {
			t.Errorf("%d × %d min = %d, %v; want %d", tt.rate, tt.min, got, err, tt.want)
		}
	}
	pct := []struct {
		amount Cents
		bp     BasisPoints
		want   Cents
	}{
		{10000, 2100, 2100},     // 21 % of 100,00
		{8813, 2100, 1851},      // 21 % of 88,13 = 18,5073 → 18,51
		{250, 2100, 53},         // 21 % of 2,50 = 0,525 → 0,53
		{-250, 2100, -53},       // credit: −0,525 → −0,53
		{150, 900, 14},          // 9 % of 1,50 = 0,135 → 0,14
		{1000000, 2000, 200000}, // 20 % of 10.000 = 2.000
		{3333, 1500, 500},       // 15 % of 33,33 = 4,9995 → 5,00
		{1, 4999, 0},            // 0,004999 → 0,00
		{1, 5000, 1},            // 0,005 → 0,01
	}
	for _, tt := range pct {
		if got, err := tt.amount.MulBasisPoints(tt.bp); err != nil || got != tt.want {
			t.Errorf("%d × %d bp = %d, %v; want %d", tt.amount, tt.bp, got, err, tt.want)
		}
	}
	// A large product that only fits after the division is exact, not refused.
	big1 := Cents(math.MaxInt64 / 60 * 59)
	if _, err := big1.MulHours(60); err != nil {
		t.Errorf("product over int64, result within: %v", err)
	}
	if _, err := Cents(math.MaxInt64).MulHours(61); err != ErrOverflow {
		t.Errorf("MulHours overflow: %v", err)
	}
	if _, err := Cents(math.MaxInt64).MulBasisPoints(10001); err != ErrOverflow {
		t.Errorf("MulBasisPoints overflow: %v", err)
	}
}

// TestMulDivRoundAgainstBig compares the 128-bit path with math/big on
// values around the edges.
func TestMulDivRoundAgainstBig(t *testing.T) {
	vals := []int64{0, 1, -1, 29, 30, 59, 5000, -5000, 9999, 1 << 40, -(1 << 40), math.MaxInt64, math.MinInt64 + 1, math.MaxInt64 / 3}
	for _, a := range vals {
		for _, b := range vals {
			for _, d := range []int64{1, 60, 10000} {
				checkMulDiv(t, a, b, d)
			}
		}
	}
}

func checkMulDiv(t *testing.T, a, b, d int64) {
	t.Helper()
	got, err := mulDivRound(a, b, d)
	want, fits := refMulDivRound(a, b, d)
	if fits != (err == nil) || (fits && got != want) {
		t.Fatalf("mulDivRound(%d, %d, %d) = %d, %v; want %d (fits %v)", a, b, d, got, err, want, fits)
	}
}

// refMulDivRound is the reference: exact rationals, half away from zero.
func refMulDivRound(a, b, d int64) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	neg := p.Sign() < 0
	p.Abs(p)
	q, r := new(big.Int).QuoRem(p, big.NewInt(d), new(big.Int))
	if new(big.Int).Mul(r, big.NewInt(2)).Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	// MinInt64 is refused as a result: its negation does not exist.
	if !q.IsInt64() || q.Int64() == math.MinInt64 {
		return 0, false
	}
	return q.Int64(), true
}

func TestParseBasisPoints(t *testing.T) {
	tests := []struct {
		in   string
		want BasisPoints
		ok   bool
	}{
		{"21", 2100, true},
		{"21 %", 2100, true},
		{"9,5", 950, true},
		{"12,25%", 1225, true},
		{"0", 0, true},
		{"100", 10000, true},
		{"100,01", 0, false},
		{"-5", 0, false},
		{"1,234", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"%", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseBasisPoints(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseBasisPoints(%q) = %d, %v", tt.in, got, err)
		}
	}
	for bp, want := range map[BasisPoints]string{2100: "21", 950: "9,5", 1225: "12,25", 0: "0", 10000: "100", 5: "0,05"} {
		if s := bp.String(); s != want {
			t.Errorf("%d.String() = %q, want %q", bp, s, want)
		}
	}
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in   string
		want Minutes
		ok   bool
	}{
		{"8", 480, true},
		{"7,5", 450, true},
		{"7.25", 435, true},
		{"7:20", 440, true},
		{"0:05", 5, true},
		{"0,05", 3, true},
		{"24", 1440, true},
		{"7,33", 0, false}, // 7 h 19,8 min: not whole minutes
		{"7:60", 0, false},
		{"7:5", 0, false},
		{"-1", 0, false},
		{"-1:00", 0, false},
		{"acht", 0, false},
		{"", 0, false},
		{"9999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseHours(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseHours(%q) = %d, %v", tt.in, got, err)
		}
	}
	if s := Minutes(440).String(); s != "7:20" {
		t.Errorf("String = %q", s)
	}
	if s := Minutes(440).Decimal(); s != "7,33" {
		t.Errorf("Decimal = %q", s)
	}
}

// The fuzz targets hold two properties of every parser: it never panics,
// and what it accepts survives a round trip through its own formatting.

func FuzzParseCents(f *testing.F) {
	for _, s := range []string{"11,75", "€ 1.234,50", "1,234.50", "-3,10", "92270000000000000", "1,-5", "--5", "0,01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCents(s)
		if err != nil {
			return
		}
		back, err := ParseCents(c.String())
		if err != nil || back != c {
			t.Fatalf("%q → %d → %q → %d, %v", s, c, c.String(), back, err)
		}
		// The sign is the input's: a wrap-around would flip it.
		neg := strings.Contains(s, "-")
		if c != 0 && (c < 0) != neg {
			t.Fatalf("%q parsed with the wrong sign: %d", s, c)
		}
	})
}

func FuzzParseBasisPoints(f *testing.F) {
	for _, s := range []string{"21", "9,5", "12,25 %", "100,01", "-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bp, err := ParseBasisPoints(s)
		if err != nil {
			return
		}
		if bp < 0 || bp > 10000 {
			t.Fatalf("%q → %d outside 0–100 %%", s, bp)
		}
		if back, err := ParseBasisPoints(bp.String()); err != nil || back != bp {
			t.Fatalf("%q → %d → %q → %d, %v", s, bp, bp.String(), back, err)
		}
	})
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"8", "7,5", "7:20", "7,33", "0:05", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseHours(s)
		if err != nil {
			return
		}
		if m < 0 {
			t.Fatalf("%q → negative %d", s, m)
		}
		if back, err := ParseHours(m.String()); err != nil || back != m {
			t.Fatalf("%q → %d → %q → %d, %v", s, m, m.String(), back, err)
		}
	})
}

func FuzzMulDivRound(f *testing.F) {
	f.Add(int64(1175), int64(450), uint8(0))
	f.Add(int64(math.MaxInt64), int64(61), uint8(1))
	f.Add(int64(-250), int64(2100), uint8(2))
	f.Fuzz(func(t *testing.T, a, b int64, which uint8) {
		checkMulDiv(t, a, b, []int64{1, 60, 10000}[which%3])
	})
}
