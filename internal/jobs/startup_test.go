package jobs

import (
	"context"
	"sync"
	"testing"

	"github.com/opstap/opstap/internal/store/storetest"
)

// TestServersStartTogether: several servers starting at once on an empty
// database all migrate it — the store's migrations and River's — without
// one of them failing on a table another just created (issue 13 defect 2).
func TestServersStartTogether(t *testing.T) {
	const servers = 6
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			for trial := range 3 {
				open := storetest.Fresh(t, d)
				ctx := context.Background()
				start := make(chan struct{})
				errs := make([]error, servers)
				var wg sync.WaitGroup
				for i := range servers {
					wg.Go(func() {
						db, err := open(ctx)
						if err != nil {
							errs[i] = err
							return
						}
						defer db.Close()
						<-start
						if errs[i] = db.Migrate(ctx); errs[i] != nil {
							return
						}
						r, err := Start(ctx, db, testLogger(t), Options{Disabled: true})
						if err != nil {
							errs[i] = err
							return
						}
						errs[i] = r.Stop(ctx)
					})
				}
				close(start)
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("trial %d, server %d: %v", trial, i, err)
					}
				}
				db, err := open(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n := count(t, db, `SELECT COUNT(*) FROM river_job`); n != 0 {
					t.Errorf("river_job holds %d rows", n)
				}
				db.Close()
			}
		})
	}
}
