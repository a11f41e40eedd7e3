package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestReviewRunsOnStart_003bewerkersArt5: the daily access review is
// scheduled, runs at start and blocks a grant not re-attested within
// twelve months and fourteen days.
func TestReviewRunsOnStart_003bewerkersArt5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		seedUser(t, db, now)
		execSQL(t, db, `INSERT INTO grants (id, user_id, role, access, granted_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			"g-stale", "user-1", "coach", "write", now.AddDate(-2, 0, 0), now.AddDate(0, -12, -15))
		execSQL(t, db, `INSERT INTO grants (id, user_id, role, access, granted_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			"g-fresh", "user-1", "finance", "write", now.AddDate(-2, 0, 0), now.AddDate(0, -1, 0))

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
		for count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = ? AND state = ?`, "access_review", "completed") == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no access review completed within 15 s of start")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM grants WHERE id = ? AND blocked_at IS NOT NULL`, "g-stale"); n != 1 {
			t.Error("stale grant not blocked")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM grants WHERE id = ? AND blocked_at IS NULL`, "g-fresh"); n != 1 {
			t.Error("fresh grant blocked")
		}
	})
}
