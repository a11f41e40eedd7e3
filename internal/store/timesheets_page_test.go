package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestMonthHoursPages: the month overview shows a page of placements and
// logs the reads of that page's candidates only; the totals are of all
// pages.
func TestMonthHoursPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		const n, days = 2*store.MonthHoursPage + 50, 3
		ids, err := gen.Dossiers(ctx, db, f.manager.OrgID, f.coach.UserID, n, 0, "GEN", 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.GenerateHours(ctx, db, storetest.Hours{Assignments: []string{f.assignment.ID}, Candidates: ids,
			First: f.march.First(), Days: days, By: f.boss.UserID}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			page, rows int
		}{{0, store.MonthHoursPage}, {1, store.MonthHoursPage}, {2, 50}, {3, 0}}
		for _, tt := range tests {
			before := readsOfMarch(t, db, f.finance)
			mh, err := db.FindMonthHours(ctx, f.finance, f.march, tt.page)
			if err != nil {
				t.Fatal(err)
			}
			if len(mh.Rows) != tt.rows || mh.Count != n || mh.Pages != 3 || mh.Total.Minutes != n*days*480 || mh.Total.TravelKm != n*days*10 {
				t.Fatalf("page %d: %d rows, count %d, pages %d, total %+v", tt.page, len(mh.Rows), mh.Count, mh.Pages, mh.Total)
			}
			if logged := readsOfMarch(t, db, f.finance) - before; logged != tt.rows {
				t.Fatalf("page %d: %d reads logged for %d rows", tt.page, logged, tt.rows)
			}
		}
		if _, err := db.FindMonthHours(ctx, f.finance, f.march, -1); fieldOrCode(err) != "page" {
			t.Fatalf("page -1: %v", err)
		}
	})
}

func readsOfMarch(t *testing.T, db *store.DB, a *opstap.Actor) int {
	t.Helper()
	es, err := db.FindAuditEntries(context.Background(), store.AuditFilter{ActorUserID: a.UserID, Event: audit.EventRead, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if strings.HasSuffix(e.Detail, "hours of 2030-03") && e.CandidateID != "" {
			n++
		}
	}
	return n
}
