package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestNextDue(t *testing.T) {
	day := 24 * time.Hour
	due := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"not yet due", due.Add(-time.Minute), due},
		{"exactly due", due, due.Add(day)},
		{"an hour late", due.Add(time.Hour), due.Add(day)},
		{"down for three days", due.Add(3*day + time.Hour), due.Add(4 * day)},
		{"down for exactly two periods", due.Add(2 * day), due.Add(3 * day)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextDue(due, tt.now, day); !got.Equal(tt.want) {
				t.Fatalf("NextDue = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSchedulersClaimEachPeriodOnce: many schedulers ticking at once — as
// several servers, or a new leader beside an old one — enqueue each daily
// job once per period (issue 13 defect 5).
func TestSchedulersClaimEachPeriodOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var clock atomic.Int64
		clock.Store(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC).UnixNano())
		db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
		r, err := Start(ctx, db, testLogger(t), Options{Disabled: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)

		const schedulers = 8
		tickAll := func() int {
			var wg sync.WaitGroup
			var total atomic.Int64
			for range schedulers {
				wg.Go(func() {
					w := &scheduleWorker{db: db, logger: testLogger(t), runner: r, jobs: dailyJobs()}
					n, err := w.tick(ctx)
					if err != nil {
						t.Errorf("tick: %v", err)
					}
					total.Add(int64(n))
				})
			}
			wg.Wait()
			return int(total.Load())
		}
		jobs := func(kind string) int {
			return count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = ?`, kind)
		}
		steps := []struct {
			advance           time.Duration
			reviews, retained int
		}{
			{0, 1, 0},                  // first start: the review at once, retention a day later
			{time.Hour, 1, 0},          // nothing due
			{23 * time.Hour, 2, 1},     // a day on: both
			{time.Minute, 2, 1},        // the same period again
			{3*24*time.Hour + 1, 3, 2}, // down for three days: one catch-up run each
		}
		for i, s := range steps {
			clock.Add(int64(s.advance))
			tickAll()
			if got := jobs("access_review"); got != s.reviews {
				t.Errorf("step %d: %d access reviews enqueued, want %d", i, got, s.reviews)
			}
			if got := jobs("retention"); got != s.retained {
				t.Errorf("step %d: %d retention runs enqueued, want %d", i, got, s.retained)
			}
		}
		sched, err := db.Schedule(ctx)
		// The monthly reports ran at the first start and are next due on
		// the first working day of January.
		if n := jobs("monthly_reports"); n != 1 {
			t.Errorf("%d monthly report runs enqueued, want 1", n)
		}
		if err != nil || len(sched) != 3 || sched[0].LastRunAt == nil {
			t.Fatalf("schedule: %+v %v", sched, err)
		}
	})
}

// TestLeaderRestartDoesNotRerunDailyJobs: a server that stops and starts
// again (a new River leader) does not run the daily access review again
// (issue 13 defect 5: it ran at every change of leader).
func TestLeaderRestartDoesNotRerunDailyJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		waitFor := func(what, q string, want int, args ...any) {
			t.Helper()
			deadline := time.Now().Add(20 * time.Second)
			for count(t, db, q, args...) < want {
				if time.Now().After(deadline) {
					t.Fatalf("%s: not within 20 s", what)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		completed := `SELECT COUNT(*) FROM river_job WHERE kind = ? AND state = 'completed'`
		for leader := 1; leader <= 3; leader++ {
			r, err := Start(ctx, db, testLogger(t), Options{Workers: 1, testOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			// Each new leader's scheduler runs at its start.
			waitFor("scheduler run", completed, leader, "schedule")
			if leader == 1 {
				waitFor("access review", completed, 1, "access_review")
			}
			if err := r.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = ?`, "access_review"); n != 1 {
			t.Fatalf("%d access reviews after three leaders, want 1", n)
		}
	})
}
