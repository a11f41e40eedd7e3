package opstap

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Cents is an amount of money in euro cents. Money is never a float:
// invoices, premiums and settlements add up to the cent. Arithmetic on
// amounts goes through the checked methods below, which refuse a result
// that does not fit instead of wrapping around to a wrong sign.
type Cents int64

// BasisPoints is a percentage in hundredths of a percent: 2100 is 21 %,
// 1 is 0.01 %. Fee tiers and VAT rates are basis points so that no
// percentage is ever a float.
type BasisPoints int64

// Minutes is a duration of work in whole minutes. Hours are kept in
// minutes, not in hundredths of an hour, because people write "7:20",
// which is no whole number of hundredths.
type Minutes int64

// ErrOverflow is returned when an amount, or a step of a calculation, falls
// outside the range Opstap can represent exactly. It names no field; the
// caller knows which input it came from.
var ErrOverflow = &Error{Code: EINVALID, Message: "the amount is too large to calculate with"}

// ParseCents reads an amount in euros as people type it: "11,75", "11.75",
// "€ 1.234,50", "1,234.50", "12", "-3,10". More than two decimals is an
// error, not a rounding; an amount that does not fit is an error, never a
// wrapped number.
func ParseCents(s string) (Cents, error) {
	in := s
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(s, " ", "")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, ok := splitDecimal(s, 2)
	if !ok {
		return 0, fmt.Errorf("not an amount: %q", in)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseUint(whole+frac, 10, 63)
	if err != nil {
		return 0, fmt.Errorf("not an amount: %q: %w", in, ErrOverflow)
	}
	c := Cents(w)
	if neg {
		c = -c
	}
	return c, nil
}

// splitDecimal splits a number without sign into its whole digits (group
// separators removed) and at most maxFrac decimal digits. The last
// separator is the decimal one when it is a comma, or a point followed by
// one or two digits; a point before three digits groups thousands ("1.234",
// Dutch). Group separators must sit between groups of three digits, so
// "1.2.3" is refused rather than guessed at.
func splitDecimal(s string, maxFrac int) (whole, frac string, ok bool) {
	whole = s
	if i := strings.LastIndexAny(s, ",."); i >= 0 && (s[i] == ',' || len(s)-i-1 <= 2) {
		whole, frac = s[:i], s[i+1:]
		if frac == "" || len(frac) > maxFrac || !digits(frac) {
			return "", "", false
		}
	}
	groups := strings.FieldsFunc(whole, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) == 0 || strings.Join(groups, "") == "" {
		return "", "", false
	}
	if len(groups) > 1 {
		// Separators must be single and between digits, groups of three after the first.
		if strings.Count(whole, ".")+strings.Count(whole, ",") != len(groups)-1 ||
			whole[0] == '.' || whole[0] == ',' || len(groups[0]) > 3 {
			return "", "", false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return "", "", false
			}
		}
	}
	whole = strings.Join(groups, "")
	if !digits(whole) {
		return "", "", false
	}
	return whole, frac, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// String formats in Dutch notation without the symbol: 1234,50.
func (c Cents) String() string {
	sign := ""
	u := uint64(c)
	if c < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d,%02d", sign, u/100, u%100)
}

// Add returns c + d, or ErrOverflow.
func (c Cents) Add(d Cents) (Cents, error) {
	r := c + d
	if (d > 0 && r < c) || (d < 0 && r > c) {
		return 0, ErrOverflow
	}
	return r, nil
}

// Sub returns c − d, or ErrOverflow.
func (c Cents) Sub(d Cents) (Cents, error) {
	if d == math.MinInt64 {
		return 0, ErrOverflow
	}
	return c.Add(-d)
}

// Sum adds amounts, refusing overflow at any step.
func Sum(amounts ...Cents) (Cents, error) {
	var t Cents
	for _, a := range amounts {
		var err error
		if t, err = t.Add(a); err != nil {
			return 0, err
		}
	}
	return t, nil
}

// Times returns c × n (a count of licences, advice days), or ErrOverflow.
func (c Cents) Times(n int64) (Cents, error) {
	r, err := mulDivRound(int64(c), n, 1)
	return Cents(r), err
}

// MulHours returns the amount for m minutes at c per hour, rounded to the
// cent half away from zero. This is the one rounding of a line (docs/money.md):
// callers round each line once and add the rounded lines.
func (c Cents) MulHours(m Minutes) (Cents, error) {
	r, err := mulDivRound(int64(c), int64(m), 60)
	return Cents(r), err
}

// MulBasisPoints returns bp basis points of c (VAT, a fee tier), rounded to
// the cent half away from zero.
func (c Cents) MulBasisPoints(bp BasisPoints) (Cents, error) {
	r, err := mulDivRound(int64(c), int64(bp), 10000)
	return Cents(r), err
}

// mulDivRound returns a×b÷d rounded half away from zero, exactly: the
// product is taken in 128 bits, so only a result that does not fit is
// refused, never an intermediate step. d must be positive.
func mulDivRound(a, b, d int64) (int64, error) {
	if d <= 0 {
		return 0, fmt.Errorf("opstap: divisor %d must be positive", d)
	}
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absU(a), absU(b))
	ud := uint64(d)
	if hi >= ud {
		return 0, ErrOverflow
	}
	q, r := bits.Div64(hi, lo, ud)
	if r >= ud-r { // 2r ≥ d without overflowing: the half goes away from zero
		q++
		if q == 0 {
			return 0, ErrOverflow
		}
	}
	if q > math.MaxInt64 {
		return 0, ErrOverflow
	}
	if neg {
		return -int64(q), nil
	}
	return int64(q), nil
}

func absU(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// ParseBasisPoints reads a percentage as people type it: "21", "21 %",
// "9,5", "12,25%". More than two decimals is an error; so is a negative
// percentage or one above 100 %, since no rate or tier in Opstap can be.
func ParseBasisPoints(s string) (BasisPoints, error) {
	in := s
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, ok := splitDecimal(s, 2)
	if !ok || len(whole) > 3 {
		return 0, fmt.Errorf("not a percentage: %q", in)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.Atoi(whole + frac)
	if err != nil || n > 10000 {
		return 0, fmt.Errorf("not a percentage between 0 and 100: %q", in)
	}
	return BasisPoints(n), nil
}

// String formats in Dutch notation without the sign: 21, 9,5, 12,25.
func (bp BasisPoints) String() string {
	sign := ""
	u := uint64(bp)
	if bp < 0 {
		sign, u = "-", -u
	}
	s := fmt.Sprintf("%s%d,%02d", sign, u/100, u%100)
	return strings.TrimRight(strings.TrimRight(s, "0"), ",")
}

// MaxDayMinutes is the most work a single day can hold.
const MaxDayMinutes Minutes = 24 * 60

// ParseHours reads worked time as people type it: decimal hours "7,5",
// "7.25", "8", or hours and minutes "7:20". Decimal hours must come to
// whole minutes ("7,33" is 7 h 19.8 min and is refused: write "7:20").
// Negative time is refused; the day limit is the caller's rule.
func ParseHours(s string) (Minutes, error) {
	in := s
	s = strings.TrimSpace(s)
	if h, m, ok := strings.Cut(s, ":"); ok {
		if !digits(h) || len(h) > 6 || len(m) != 2 || !digits(m) {
			return 0, fmt.Errorf("not a time in hours and minutes: %q", in)
		}
		hh, _ := strconv.Atoi(h)
		mm, _ := strconv.Atoi(m)
		if mm >= 60 {
			return 0, fmt.Errorf("not a time in hours and minutes: %q", in)
		}
		return Minutes(hh*60 + mm), nil
	}
	whole, frac, ok := splitDecimal(s, 2)
	if !ok || len(whole) > 6 {
		return 0, fmt.Errorf("not a number of hours: %q", in)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	hundredths, _ := strconv.Atoi(whole + frac)
	if hundredths*60%100 != 0 {
		return 0, fmt.Errorf("not a whole number of minutes: %q", in)
	}
	return Minutes(hundredths * 60 / 100), nil
}

// String formats as hours and minutes, 7:20.
func (m Minutes) String() string {
	sign := ""
	u := uint64(m)
	if m < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d:%02d", sign, u/60, u%60)
}

// Decimal formats as decimal hours in Dutch notation with two decimals,
// rounded half away from zero, as invoices show a quantity: 7:20 → 7,33.
func (m Minutes) Decimal() string {
	h, _ := mulDivRound(int64(m), 100, 60)
	return Cents(h).String()
}
