package demo_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkLoad measures loading the demo into a fresh SQLite database:
// every server and browser test pays it once, so what the demo adds is
// kept cheap (docs/benchmarks.md).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b, store.SQLite)
		b.StartTimer()
		if _, err := demo.Load(context.Background(), db); err != nil {
			b.Fatal(err)
		}
	}
}
