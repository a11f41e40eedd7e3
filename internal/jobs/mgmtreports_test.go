package jobs

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestMonthlyReportsJob: the scheduler enqueues the monthly reports at the
// first start and then on the first working day of each month (4 January
// 2027: New Year's Day and the weekend come first), and a run makes last
// month's report of every municipality once, however often it runs
// (issue 10 item 4).
func TestMonthlyReportsJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var clock atomic.Int64
		set := func(tm time.Time) { clock.Store(tm.UnixNano()) }
		set(time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC))
		db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
		sys := &opstap.Actor{System: true}
		var km string
		for _, o := range []*account.Organisation{{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality, CBSCode: "0034"},
			{Name: "Gemeente Lelystad", Kind: opstap.OrgMunicipality, CBSCode: "0995"}} {
			if err := db.CreateOrganisation(ctx, sys, o); err != nil {
				t.Fatal(err)
			}
			if km == "" {
				u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: o.ID, Email: "km@almere.nl", Name: "KM", Grants: []access.GrantSpec{{Role: opstap.RoleCaseManager}}})
				if err != nil {
					t.Fatal(err)
				}
				km = u.ID
			}
		}
		r, err := Start(ctx, db, testLogger(t), Options{Disabled: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)
		sched := &scheduleWorker{db: db, logger: testLogger(t), runner: r, jobs: dailyJobs()}
		work := &monthlyReportsWorker{db: db, logger: testLogger(t)}
		steps := []struct {
			at                     time.Time
			runs, reports, notices int
		}{
			{time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC), 1, 2, 1}, // first start: December's reports
			{time.Date(2027, 1, 1, 10, 1, 0, 0, time.UTC), 1, 2, 1}, // the same month again: nothing
			{time.Date(2027, 1, 4, 4, 59, 0, 0, time.UTC), 1, 2, 1}, // 05:59 in Amsterdam: not yet
			{time.Date(2027, 2, 1, 5, 0, 0, 0, time.UTC), 2, 4, 2},  // Monday 1 February 06:00: January's
			{time.Date(2027, 2, 1, 5, 0, 30, 0, time.UTC), 2, 4, 2}, // a second server ticking
		}
		for i, s := range steps {
			set(s.at)
			if _, err := sched.tick(ctx); err != nil {
				t.Fatal(err)
			}
			if err := work.Work(ctx, nil); err != nil {
				t.Fatal(err)
			}
			runs := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = ?`, MonthlyReportsArgs{}.Kind())
			reports := count(t, db, `SELECT COUNT(*) FROM management_reports`)
			notices := count(t, db, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ?`, km, store.NoticeManagementReport)
			if runs != s.runs || reports != s.reports || notices != s.notices {
				t.Errorf("step %d: %d runs, %d reports, %d notices; want %d, %d, %d", i, runs, reports, notices, s.runs, s.reports, s.notices)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM management_reports WHERE period = ?`, "2026-12"); n != 2 {
			t.Errorf("%d reports of December", n)
		}
	})
}
