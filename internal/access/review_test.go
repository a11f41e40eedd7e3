package access_test

import (
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// TestReviewSchedule_003bewerkers5: every access right is evaluated at
// least once a year [003 bewerkers art 5]: due after eleven calendar
// months in Amsterdam, overdue after twelve, blocked fourteen days later.
// The UTC moments below are worked out by hand, across summer time.
func TestReviewSchedule_003bewerkers5(t *testing.T) {
	utc := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name                  string
		reviewed              time.Time
		due, overdue, blockAt time.Time
	}{
		{"winter to winter", utc(2026, 1, 15, 8), utc(2026, 12, 15, 8), utc(2027, 1, 15, 8), utc(2027, 1, 29, 8)},
		// 20 Nov 12:00 CET; 20 Oct 12:00 is summer time (10:00 UTC).
		{"due in summer time", utc(2025, 11, 20, 11), utc(2026, 10, 20, 10), utc(2026, 11, 20, 11), utc(2026, 12, 4, 11)},
		// 20 May 12:00 CEST; 20 Apr 12:00 CEST; the grace ends 3 June.
		{"summer to summer", utc(2026, 5, 20, 10), utc(2027, 4, 20, 10), utc(2027, 5, 20, 10), utc(2027, 6, 3, 10)},
		// 23:30 CET on 31 Dec: the months count from Amsterdam's 31 Dec. November
		// has no 31st: time.AddDate rolls over to 1 December rather than
		// keeping to the month's last day as opstap.Date.AddMonths does
		// (docs/architecture.md, departures).
		{"31 December, month without a 31st", time.Date(2025, 12, 31, 22, 30, 0, 0, time.UTC),
			time.Date(2026, 12, 1, 22, 30, 0, 0, time.UTC), time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC), time.Date(2027, 1, 14, 22, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := access.ScheduleFor(tt.reviewed)
			if !s.DueAt.Equal(tt.due) || !s.OverdueAt.Equal(tt.overdue) || !s.BlockAt.Equal(tt.blockAt) {
				t.Fatalf("got %+v, want due %s overdue %s block %s", s, tt.due, tt.overdue, tt.blockAt)
			}
			states := []struct {
				at    time.Time
				state string
				block bool
			}{
				{tt.due.Add(-time.Second), access.ReviewOK, false},
				{tt.due, access.ReviewDue, false},
				{tt.overdue.Add(-time.Second), access.ReviewDue, false},
				{tt.overdue, access.ReviewOverdue, false},
				{tt.blockAt.Add(-time.Second), access.ReviewOverdue, false},
				{tt.blockAt, access.ReviewOverdue, true},
			}
			for _, st := range states {
				if got := s.State(st.at); got != st.state {
					t.Errorf("at %s: %s, want %s", st.at, got, st.state)
				}
				if got := s.Blocks(st.at); got != st.block {
					t.Errorf("at %s: blocks %v, want %v", st.at, got, st.block)
				}
			}
		})
	}
}

// TestReviewScope: the provider's admin and privacy officer review every
// organisation's grants; an admin of a commissioner or client employer
// reviews their own organisation's; nobody else reviews.
func TestReviewScope(t *testing.T) {
	cityAdmin := mkActor("u-ka", commissionerID, opstap.OrgMunicipality, opstap.RoleAdmin, opstap.Write)
	cityAdminR := mkActor("u-ka", commissionerID, opstap.OrgMunicipality, opstap.RoleAdmin, opstap.Read)
	providerAdmin := mkActor("u-beheer", "org-provider", opstap.OrgProvider, opstap.RoleAdmin, opstap.Read)
	for _, c := range []struct {
		name string
		a    *opstap.Actor
		all  bool
		org  string
		ok   bool
	}{
		{"system", system, true, "", true},
		{"provider admin", providerAdmin, true, "", true},
		{"privacy officer", privacyR, true, "", true},
		{"municipality admin", cityAdmin, false, commissionerID, true},
		{"municipality admin read-only", cityAdminR, false, "", false},
		{"coach", coach, false, "", false},
		{"case manager", caseMgr, false, "", false},
		{"nobody", nil, false, "", false},
	} {
		all, org, ok := access.ReviewScope(c.a)
		if all != c.all || org != c.org || ok != c.ok {
			t.Errorf("%s: (%v, %q, %v), want (%v, %q, %v)", c.name, all, org, ok, c.all, c.org, c.ok)
		}
	}
}
