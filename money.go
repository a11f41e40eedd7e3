package opstap

import (
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount of money in euro cents. Money is never a float:
// invoices, premiums and settlements add up to the cent.
type Cents int64

// ParseCents reads an amount in euros as people type it: "11,75", "11.75",
// "€ 1.234,50", "12". More than two decimals is an error, not a rounding.
func ParseCents(s string) (Cents, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(s, " ", "")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	// The last separator is the decimal one when it is a comma, or a point
	// followed by one or two digits; a point before three digits groups
	// thousands ("1.234", Dutch).
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ",."); i >= 0 && (s[i] == ',' || len(s)-i-1 <= 2) {
		whole, frac = s[:i], s[i+1:]
	}
	whole = strings.NewReplacer(".", "", ",", "").Replace(whole)
	if whole == "" || len(frac) > 2 {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	c := Cents(w*100 + f)
	if neg {
		c = -c
	}
	return c, nil
}

// String formats in Dutch notation without the symbol: 1234,50.
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d,%02d", sign, c/100, c%100)
}
