package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/mgmtreport"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/timesheet"
)

// reportFixture: Anna works 24 hours with 30 km in the week of 4 March
// 2030 and again in the week of 1 April (newPayoutFixture: € 11,75 an hour,
// € 2,00 premium, € 0,23 per km, born 1988, a 2030 cap of € 40,00).
func newMgmtReportFixture(t *testing.T, db *store.DB) *hoursFixture {
	t.Helper()
	f := newPayoutFixture(t, db)
	f.workWeek(t, f.mon)
	f.workWeek(t, f.mon.AddDays(28))
	return f
}

func errField(err error) string {
	if e := opstap.AsError(err); e != nil {
		if e.Field != "" {
			return e.Field
		}
		return e.Code
	}
	return ""
}

// TestMonthlyReport_003art5lid10 checks March 2030 against figures worked
// out by hand, on both engines, for the municipality and for finance.
func TestMonthlyReport_003art5lid10(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newMgmtReportFixture(t, db)
		ctx := context.Background()
		for _, reader := range []*opstap.Actor{f.manager, f.finance} {
			r, err := db.MonthlyReport(ctx, reader, "0034", f.march, f.march)
			if err != nil {
				t.Fatal(err)
			}
			// One placement from Sunday 3 March, running on the 31st: 29
			// days = 0,95 months → 1,0; shorter than a month. The
			// assignment's single place was filled when it was confirmed.
			if r.PlacedCandidates != 1 || r.Placements != (mgmtreport.PlacementCounts{Running: 1, Started: 1}) ||
				r.Durations != (mgmtreport.Durations{Average: 10, UnderOne: 1}) || r.Assignments != (mgmtreport.AssignmentCounts{Filled: 1}) {
				t.Errorf("figures: %+v", r)
			}
			// 24 h × 11,75 = 282,00; 30 km × 0,23 = 6,90; 24 h × 2,00 = 48,00.
			want := mgmtreport.CandidateMoney{CandidateID: f.anna.ID, Name: "Anna Test", Placements: 1, Minutes: 1440, Revenue: 28200, Premium: 4800, PremiumKnown: true, Travel: 690}
			if len(r.Candidates) != 1 || r.Candidates[0] != want {
				t.Errorf("candidates %+v", r.Candidates)
			}
			want.CandidateID, want.Name = "", ""
			if r.Total != want {
				t.Errorf("total %+v", r.Total)
			}
		}
		// March and April together: twice the money, one placement.
		r, err := db.MonthlyReport(ctx, f.manager, "0034", f.march, f.april)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total.Minutes != 2880 || r.Total.Revenue != 56400 || r.Total.Premium != 9600 || r.Total.Travel != 1380 || r.Placements.Running != 1 {
			t.Errorf("March–April total %+v", r.Total)
		}
		for _, tc := range []struct {
			name     string
			a        *opstap.Actor
			cbs      string
			from, to opstap.Month
			want     string
		}{
			{"another municipality's", f.other, "0034", f.march, f.march, opstap.EFORBIDDEN},
			{"an employer", f.boss, "0034", f.march, f.march, opstap.EFORBIDDEN},
			{"a coach", f.coach, "0034", f.march, f.march, opstap.EFORBIDDEN},
			{"unknown municipality", f.finance, "9999", f.march, f.march, "municipality"},
			{"ends before it starts", f.manager, "0034", f.april, f.march, "to"},
			{"longer than a year", f.manager, "0034", f.march, f.march.Add(12), "to"},
		} {
			if _, err := db.MonthlyReport(ctx, tc.a, tc.cbs, tc.from, tc.to); errField(err) != tc.want {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
	})
}

// TestQuarterlyReport_003art5lid11: the first quarter of 2030, made on 20
// May, lists the candidate's day waiting 18 days for the employer and the
// premium over 80 % of the year's € 40,00.
func TestQuarterlyReport_003art5lid11(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newMgmtReportFixture(t, db)
		ctx := context.Background()
		if _, err := db.EnterHours(ctx, f.self, f.p.ID, []timesheet.Entry{{Day: f.mon.AddDays(35), Minutes: 240}}); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return time.Date(2030, 5, 20, 10, 0, 0, 0, time.UTC) }
		q := mgmtreport.Quarter{Year: 2030, Q: 1}
		r, err := db.QuarterlyReport(ctx, f.manager, "0034", q)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Months) != 3 || r.Months[0].PlacedCandidates != 0 || r.Months[2].PlacedCandidates != 1 || r.Months[2].Revenue != 28200 || r.Total.Revenue != 28200 {
			t.Errorf("months %+v total %+v", r.Months, r.Total)
		}
		if r.Trend[0] != (mgmtreport.Trend{Figure: "placed_candidates", First: 0, Last: 1, Direction: mgmtreport.Up}) {
			t.Errorf("trend %+v", r.Trend)
		}
		at := r.Attention
		if len(at.OverdueApprovals) != 1 || at.OverdueApprovals[0].PlacementID != f.p.ID || at.OverdueApprovals[0].Days != 1 {
			t.Errorf("overdue %+v", at.OverdueApprovals)
		}
		// March 48,00 + April 48,00 accrued, nothing paid: over 32,00.
		if len(at.PremiumCaps) != 1 || at.PremiumCaps[0] != (mgmtreport.CapWarning{CandidateID: f.anna.ID, Year: 2030, Cap: 4000, Outstanding: 9600}) {
			t.Errorf("caps %+v", at.PremiumCaps)
		}
		// At 24 hours the placement may run six months, until 2 September.
		if len(at.NearMaximum) != 0 || len(at.LongOpen) != 0 {
			t.Errorf("attention %+v", at)
		}
		if _, err := db.QuarterlyReport(ctx, f.other, "0034", q); errField(err) != opstap.EFORBIDDEN {
			t.Errorf("Lelystad reads Almere's: %v", err)
		}
	})
}

// TestMonthlyReportsStored: the job's run stores one report per
// municipality and month and tells each municipality's case managers once,
// without personal data; running again changes nothing.
func TestMonthlyReportsStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newMgmtReportFixture(t, db)
		ctx := context.Background()
		for run, want := range []int{2, 0} {
			made, failed, err := db.MakeMonthlyReports(ctx, f.march)
			if err != nil || made != want || len(failed) != 0 {
				t.Fatalf("run %d: made %d, failed %v, %v", run, made, failed, err)
			}
		}
		for _, a := range []*opstap.Actor{f.manager, f.other} {
			ns, _, err := db.Notifications(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range ns {
				if x.Kind == store.NoticeManagementReport {
					n++
					if strings.Contains(x.Text+x.Link, "Anna") || !strings.HasPrefix(x.Link, "/management-reports/stored/") {
						t.Errorf("notice %+v", x)
					}
				}
			}
			if n != 1 {
				t.Fatalf("%d notices of the report: %+v", n, ns)
			}
		}
		list, err := db.StoredReports(ctx, f.manager)
		if err != nil || len(list) != 1 || list[0].Municipality != "0034" || list[0].Period != "2030-03" {
			t.Fatalf("manager's list %+v %v", list, err)
		}
		if all, err := db.StoredReports(ctx, f.finance); err != nil || len(all) != 2 {
			t.Fatalf("finance's list %+v %v", all, err)
		}
		r, err := db.StoredMonthly(ctx, f.manager, list[0].ID)
		if err != nil || r.Total.Revenue != 28200 || len(r.Candidates) != 1 || r.Candidates[0].Name != "Anna Test" {
			t.Fatalf("stored %+v %v", r, err)
		}
		if _, err := db.StoredMonthly(ctx, f.other, list[0].ID); errField(err) != opstap.EFORBIDDEN {
			t.Errorf("Lelystad reads Almere's stored report: %v", err)
		}
		if n := storetest.ClearIn(t, db, "management_reports", "Anna", "body"); n != 0 {
			t.Errorf("a stored report holds a name")
		}
	})
}
