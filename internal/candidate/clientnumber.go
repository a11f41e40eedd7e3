package candidate

import (
	"strconv"
	"strings"
)

// ParseClientNumber reads a client number as staff type it ("1042",
// "K-1042", "k1042"); ok is false for anything else. The number is the
// candidate's Number, shown as K-1042.
func ParseClientNumber(s string) (n int64, ok bool) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(strings.ToUpper(s), "K"); ok {
		s = strings.TrimPrefix(rest, "-")
	}
	if s == "" || len(s) > 12 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
