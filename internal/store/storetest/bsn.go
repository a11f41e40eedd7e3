package storetest

import "fmt"

// BSN returns the i-th of a series of distinct numbers that pass the
// eleven-test, for tests that register many people: one BSN is one person,
// and a commissioner cannot register it twice. BSN(0) is 111222333, the
// number of the tests' first candidate.
func BSN(i int) string {
	if i == 0 {
		return "111222333"
	}
	// Eight leading digits 1jjjjjjd with d ∈ {0, 1}: the seventh-weighted
	// digit d has weight 2, so when d = 0 leaves the check digit 10 (not a
	// digit), d = 1 makes it 1. Each i gets its own prefix.
	prefix := (1_000_000 + i) * 10
	for d := 0; d <= 1; d++ {
		p := prefix + d
		sum, w := 0, 2
		for n := p; n > 0; n /= 10 {
			sum += (n % 10) * w
			w++
		}
		if check := sum % 11; check < 10 {
			return fmt.Sprintf("%08d%d", p, check)
		}
	}
	panic("unreachable: d = 1 always gives a check digit")
}
