package store_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkListPage reads one page of 50 at a random place of each staff
// list over 10,000 rows (newBigLists): the count, the page's ids in order,
// the rows, the access decisions and the audit entries of what the page
// shows. It reports the median and the 95th percentile of one page.
func BenchmarkListPage(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			l := newBigLists(b, db)
			lists := []struct {
				name string
				read func(p store.Paging) error
			}{
				{"assignments", func(p store.Paging) error {
					_, _, err := db.FindAssignments(ctx, l.manager, store.AssignmentFilter{Paging: p})
					return err
				}},
				{"placements", func(p store.Paging) error {
					_, _, err := db.MunicipalityPlacements(ctx, l.manager, store.PlacementFilter{Paging: p})
					return err
				}},
				{"complaints", func(p store.Paging) error {
					_, _, err := db.FindComplaints(ctx, l.desk, store.ComplaintFilter{Status: store.ListAll, Paging: p})
					return err
				}},
				{"rights", func(p store.Paging) error {
					_, _, err := db.RightsQueue(ctx, l.privacy, store.RightsFilter{Status: store.ListAll, Paging: p})
					return err
				}},
			}
			for _, list := range lists {
				b.Run(list.name, func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 2))
					var took []time.Duration
					for b.Loop() {
						t0 := time.Now()
						if err := list.read(store.Paging{Offset: rng.IntN(listRows/store.DefaultLimit) * store.DefaultLimit}); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
					}
					slices.Sort(took)
					ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
					b.ReportMetric(ms(0.5), "p50-ms")
					b.ReportMetric(ms(0.95), "p95-ms")
				})
			}
		})
	}
}
