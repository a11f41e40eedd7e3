package storetest_test

import (
	"testing"

	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestBSNSeries(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 20000; i++ {
		b := storetest.BSN(i)
		if !candidate.ValidBSN(b) || seen[b] {
			t.Fatalf("BSN(%d) = %s: valid %v, seen %v", i, b, candidate.ValidBSN(b), seen[b])
		}
		seen[b] = true
	}
}
