package jobs

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestExpireJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		goroutines := runtime.NumGoroutine()

		r, err := Start(ctx, db, testLogger(t), Options{})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		stopped := false
		t.Cleanup(func() {
			if !stopped {
				_ = r.Stop(ctx)
			}
		})
		riverTablesBesideStore(t, db)

		now := time.Now().UTC()
		seedUser(t, db, now)
		insertSession(t, db, "s-expired", now.Add(-2*time.Minute), now.Add(-time.Minute))
		insertSession(t, db, "s-fresh", now, now.Add(time.Hour))

		// Tell our job from the one River enqueues at start.
		events, unsubscribe := r.worker.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer unsubscribe()
		marker := rand.Text()
		err = db.WithTx(ctx, func(tx *store.Tx) error {
			return r.InsertTx(ctx, tx, ExpireArgs{}, &river.InsertOpts{Metadata: []byte(`{"opstap_test":"` + marker + `"}`)})
		})
		if err != nil {
			t.Fatalf("InsertTx: %v", err)
		}

		enqueued := time.Now()
		deadline := time.After(15 * time.Second)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for done := false; !done; {
			select {
			case ev := <-events:
				if !hasMarker(ev.Job.Metadata, marker) {
					continue
				}
				if ev.Kind == river.EventKindJobFailed {
					t.Fatalf("expire job failed: %+v", ev.Job.Errors)
				}
				done = true
				t.Logf("job completed %v after commit", time.Since(enqueued).Round(time.Millisecond))
			case <-tick.C:
			case <-deadline:
				t.Fatalf("expire job not completed within 15 s; expired session present: %v",
					count(t, db, `SELECT COUNT(*) FROM sessions WHERE id = ?`, "s-expired") == 1)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE id = ?`, "s-expired"); n != 0 {
			t.Errorf("expired session still present after the job completed")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE id = ?`, "s-fresh"); n != 1 {
			t.Errorf("fresh session was purged")
		}

		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		start := time.Now()
		if err := r.Stop(stopCtx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		stopped = true
		t.Logf("stopped in %v", time.Since(start).Round(time.Millisecond))
		if err := r.Stop(stopCtx); err != nil {
			t.Errorf("second Stop: %v", err)
		}
		checkGoroutines(t, goroutines)
	})
}

// TestExpireRunsOnStart checks that the periodic expire job is scheduled
// and runs once at start, without anyone enqueueing it.
func TestExpireRunsOnStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		seedUser(t, db, now)
		insertSession(t, db, "s-expired", now.Add(-2*time.Minute), now.Add(-time.Minute))

		r, err := Start(ctx, db, testLogger(t), Options{Workers: 1, testOnly: true})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		defer func() {
			if err := r.Stop(ctx); err != nil {
				t.Errorf("Stop: %v", err)
			}
		}()

		deadline := time.Now().Add(15 * time.Second)
		for count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = ? AND state = ?`, "expire", "completed") == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no expire job completed within 15 s of start")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE id = ?`, "s-expired"); n != 0 {
			t.Errorf("expired session still present after the start-up run")
		}
	})
}

// TestInsertTx checks that a job enqueued in a store transaction shares its
// fate, with a runner that only inserts.
func TestInsertTx(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r, err := Start(ctx, db, testLogger(t), Options{Disabled: true})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		defer func() {
			if err := r.Stop(ctx); err != nil {
				t.Errorf("Stop: %v", err)
			}
		}()
		if r.worker != nil {
			t.Fatal("a disabled runner has a worker")
		}
		riverTablesBesideStore(t, db)

		// A queue nobody works, so the rows stay put. Tags and uniqueness
		// take River's array and bit-string paths, which on PostgreSQL run
		// through lib/pq types over pgx's stdlib.
		opts := &river.InsertOpts{Queue: "held", Tags: []string{"test"},
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByQueue: true}}
		errRollback := errors.New("roll back")
		err = db.WithTx(ctx, func(tx *store.Tx) error {
			if err := r.InsertTx(ctx, tx, ExpireArgs{}, opts); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("WithTx = %v, want the rollback", err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE queue = ?`, "held"); n != 0 {
			t.Fatalf("%d jobs after rollback, want 0", n)
		}

		// Twice: the second is a duplicate and River skips it.
		for range 2 {
			err = db.WithTx(ctx, func(tx *store.Tx) error { return r.InsertTx(ctx, tx, ExpireArgs{}, opts) })
			if err != nil {
				t.Fatalf("InsertTx: %v", err)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE queue = ? AND kind = ? AND state = ?`, "held", "expire", "available"); n != 1 {
			t.Fatalf("%d available jobs after commit, want 1", n)
		}
	})
}

// riverTablesBesideStore checks that River migrated into the store's own
// schema: on PostgreSQL the test's schema from search_path, not public.
func riverTablesBesideStore(t *testing.T, db *store.DB) {
	t.Helper()
	q := `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('river_job', 'sessions')`
	if db.Dialect == store.Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables
		     WHERE table_schema = current_schema() AND table_name IN ('river_job', 'sessions')`
	}
	if n := count(t, db, q); n != 2 {
		t.Fatalf("river_job and sessions are not in the same schema (%d of 2 found)", n)
	}
}

func hasMarker(metadata []byte, marker string) bool {
	var m struct {
		OpstapTest string `json:"opstap_test"`
	}
	return json.Unmarshal(metadata, &m) == nil && m.OpstapTest == marker
}

// checkGoroutines fails when, after Stop, clearly more goroutines run than
// before Start. A little slack allows for runtime and pool helpers.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	const slack = 3
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before+slack {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines after Stop, %d before Start:\n%s", n, before, buf)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
