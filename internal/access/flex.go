package access

import (
	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

// FlexRole is how an actor takes part in the flex platform (DOMAIN.md §5):
// the provider's staff (a coach or an administrator with write access, and
// the system) handle national accounts [003 art 5 lid 6]; a municipality's
// case manager acquires employers and assignments and matches for that
// municipality [003 art 5 lid 6, 7]; an employer's user sees its own
// organisation's. The zero FlexRole takes no part. It is built by
// FlexRoleOf only, so that every flex decision starts from the same rule.
type FlexRole struct {
	provider bool   // provider staff
	cbs      string // the case manager's municipality (CBS code), "" otherwise
	employer string // the employer organisation of an employer's user
	setsRate bool   // holds SetHourlyRate [003 art 5 lid 8]
}

// FlexRoleOf decides a's flex role. cbs is the CBS code of a's
// organisation, a fact the store looks up for a municipality's actors
// ("" when it has none); it counts only for a case manager with write
// access.
func FlexRoleOf(a *opstap.Actor, cbs string) FlexRole {
	var r FlexRole
	switch {
	case a == nil:
	case a.System:
		r.provider = true
	case a.OrgKind == opstap.OrgProvider && (a.Has(opstap.RoleCoach, opstap.Write) || a.Has(opstap.RoleAdmin, opstap.Write)):
		r.provider = true
	case a.OrgKind == opstap.OrgMunicipality && a.Has(opstap.RoleCaseManager, opstap.Write):
		r.cbs = cbs
		r.setsRate = cbs != "" && Can(a, SetHourlyRate)
	case a.OrgKind == opstap.OrgClientEmployer && a.Has(opstap.RoleEmployer, opstap.Read):
		r.employer = a.OrgID
	}
	return r
}

// Provider reports whether the actor acts as the provider's staff: all
// employers and assignments are in its scope.
func (r FlexRole) Provider() bool { return r.provider }

// Municipality is the CBS code of the case manager's municipality, "" for
// anyone else: the scope of their lists.
func (r FlexRole) Municipality() string { return r.cbs }

// Employer is the organisation of an employer's user, "" for anyone else:
// the scope of their lists.
func (r FlexRole) Employer() string { return r.employer }

// Staff reports whether the actor registers employers and assignments: the
// provider's staff or a municipality's case manager [003 art 5 lid 6].
func (r FlexRole) Staff() bool { return r.provider || r.cbs != "" }

// CaseManagerOf reports whether the actor is a case manager of municipality
// cbs: the municipality acquires, matches and decides on placements for
// itself [003 art 5 lid 6, 7].
func (r FlexRole) CaseManagerOf(cbs string) bool { return r.cbs != "" && r.cbs == cbs }

// UserOf reports whether the actor is a user of the employer organisation
// with the given id.
func (r FlexRole) UserOf(employerID string) bool { return r.employer != "" && r.employer == employerID }

// MayManageEmployer reports whether the actor may change an employer: the
// provider any, a case manager those of their municipality, not national
// accounts, which the provider brings [003 art 5 lid 6].
func (r FlexRole) MayManageEmployer(e *flex.Employer) bool {
	return r.provider || (r.cbs != "" && !e.National && e.Municipality == r.cbs)
}

// MaySeeEmployer reports whether the actor may see an employer: the
// provider any, a case manager those serving their municipality (a
// national account linked to it included), an employer's user its own.
func (r FlexRole) MaySeeEmployer(e *flex.Employer) bool {
	return r.provider || (r.cbs != "" && e.Serves(r.cbs)) || r.UserOf(e.ID)
}

// MaySeeAssignment: the provider's staff, the case managers of the
// assignment's municipality and the employer's own users.
func (r FlexRole) MaySeeAssignment(as *flex.Assignment) bool {
	return r.provider || r.CaseManagerOf(as.Municipality) || r.UserOf(as.EmployerID)
}

// MayManageAssignment reports whether the actor may create or change the
// assignment as of employer e, and set its status: the case manager of the
// assignment's municipality, or the provider's staff for a national
// account [003 art 5 lid 6].
func (r FlexRole) MayManageAssignment(as *flex.Assignment, e *flex.Employer) bool {
	return r.MayCheck(as) || (r.provider && e.National)
}

// MayCheck: only the case manager of the assignment's municipality records
// its displacement check (DOMAIN.md §5), also on a national account.
func (r FlexRole) MayCheck(as *flex.Assignment) bool { return r.CaseManagerOf(as.Municipality) }

// MaySetRate: the case manager of the assignment's municipality who holds
// the right to set hourly rates; the provider invoices the rate the
// municipality set, also on a national account [003 art 5 lid 8].
func (r FlexRole) MaySetRate(as *flex.Assignment) bool { return r.setsRate && r.MayCheck(as) }

// AssignmentActs is what an actor may do with an assignment, decided by the
// rules the store applies when they do it, so that a page offers only the
// forms that will be accepted.
type AssignmentActs struct {
	Manage  bool // change its terms and status (create it, when new)
	Check   bool // record the displacement check
	SetRate bool // set its hourly rate
}

// AssignmentActs decides the acts on as, an assignment the actor has read,
// of employer e; or on a new one (e nil: no employer chosen yet) of
// municipality as.Municipality, which the staff may create — the store
// decides by MayManageAssignment once the employer is chosen.
func (r FlexRole) AssignmentActs(as *flex.Assignment, e *flex.Employer) AssignmentActs {
	manage := r.Staff()
	if e != nil {
		manage = r.MayManageAssignment(as, e)
	}
	return AssignmentActs{Manage: manage, Check: r.MayCheck(as), SetRate: r.MaySetRate(as)}
}
