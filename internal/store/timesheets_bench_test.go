package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkMonthHours: finance's month overview of hours with 5,000
// placements and 400,000 timesheet lines (80 days each, so about 30 in the
// month shown): every candidate's read decided and logged.
func BenchmarkMonthHours(b *testing.B) {
	const placements, days = 5000, 80
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			hb := newHoursBench(b, d, placements, days)
			db, fin := hb.db, hb.finance
			month := opstap.Month{Year: 2026, Month: 2}
			var total time.Duration
			for b.Loop() {
				t0 := time.Now()
				mh, err := db.FindMonthHours(ctx, fin, month)
				if err != nil {
					b.Fatal(err)
				}
				if len(mh.Rows) != placements || mh.Total.Minutes != placements*28*480 {
					b.Fatalf("%d rows, %d minutes", len(mh.Rows), mh.Total.Minutes)
				}
				total += time.Since(t0)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/month")
		})
	}
}
