package access

import (
	"time"

	"github.com/opstap/opstap"
)

// Access reviews [003 bewerkers art 5]: every access right is evaluated at
// least once a year and blocked at once when no longer needed. A grant is
// due for review eleven months after its last review (so the admin has a
// month to act), overdue after twelve, and the daily job blocks it when it
// is still not re-attested fourteen days after that: the grace period
// covers a holiday or an admin's absence without letting a forgotten right
// live on. Months are calendar months in Amsterdam. internal/store keeps
// the grants and their review history.
const (
	ReviewDueMonths     = 11
	ReviewOverdueMonths = 12
	ReviewGraceDays     = 14
)

// Review states of a grant.
const (
	ReviewOK      = "ok"
	ReviewDue     = "due"
	ReviewOverdue = "overdue"
)

// ReviewSchedule is when a grant reviewed at t becomes due, overdue and
// blocked.
type ReviewSchedule struct {
	DueAt     time.Time `json:"due_at"`
	OverdueAt time.Time `json:"overdue_at"`
	BlockAt   time.Time `json:"block_at"`
}

// ScheduleFor computes the review schedule of a grant last reviewed at t.
func ScheduleFor(reviewed time.Time) ReviewSchedule {
	r := reviewed.In(opstap.Amsterdam)
	over := r.AddDate(0, ReviewOverdueMonths, 0)
	return ReviewSchedule{DueAt: r.AddDate(0, ReviewDueMonths, 0).UTC(), OverdueAt: over.UTC(), BlockAt: over.AddDate(0, 0, ReviewGraceDays).UTC()}
}

// State is ok, due or overdue at now.
func (s ReviewSchedule) State(now time.Time) string {
	switch {
	case !now.Before(s.OverdueAt):
		return ReviewOverdue
	case !now.Before(s.DueAt):
		return ReviewDue
	}
	return ReviewOK
}

// Blocks reports whether the daily job blocks the grant at now: its grace
// after the overdue moment has passed.
func (s ReviewSchedule) Blocks(now time.Time) bool { return !now.Before(s.BlockAt) }

// ReviewScope returns the organisations whose grants the actor reviews:
// every organisation (all) for the system, the provider's application
// admin and privacy officer (ReviewGrants), and for an admin of a
// commissioner or client employer only their own organisation. The
// policy's ManageAccounts is provider-wide, so this per-organisation scope
// is for reviews only.
func ReviewScope(a *opstap.Actor) (all bool, orgID string, ok bool) {
	switch {
	case a == nil:
		return false, "", false
	case a.System || Can(a, ReviewGrants):
		return true, "", true
	case a.OrgKind != opstap.OrgProvider && a.Has(opstap.RoleAdmin, opstap.Write):
		return false, a.OrgID, true
	}
	return false, "", false
}
