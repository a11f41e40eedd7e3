// Package access is the one place that decides whether a user may read or
// write a category of a candidate's data (DOMAIN.md §1, §3, §4), and whether
// a user holds a capability that is not about a candidate's data.
//
// It is pure: the caller supplies the actor with its active grants and the
// facts about the candidate, and enforces the Decision below the handlers so
// that the web UI, the API, exports and jobs cannot bypass it. The matrix
// itself is the data table policy in policy.go. Finer checks that need the
// resource itself, such as the candidate's consent to a particular report
// [000 art 5], come after Decide, never instead of it.
package access

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Subject describes the candidate whose data is asked for, with the facts the
// policy needs.
type Subject struct {
	CandidateID       string
	CommissionerOrgID string   // organisation that commissioned the candidate's trajectory
	CoachUserID       string   // assigned coach ("" if none)
	CandidateUserID   string   // the candidate's own login account ("" if none)
	EmployerOrgIDs    []string // client employers where the candidate has a current placement
	Restricted        bool     // AVG restriction of processing in force (issue 4): only storage, no processing
	// Screened are categories screened off on the candidate's request
	// because they were incorrect or irrelevant [001 "af te schermen"]:
	// kept, but read and written by nobody but the candidate.
	Screened []opstap.Category
}

// Relation is how an actor, in one of its roles, stands to a candidate.
type Relation string

// The relations. Provider staff stand in RelationOwnOrganisation to every
// candidate, since the provider keeps every dossier; a coach who is not the
// assigned coach does too.
const (
	RelationSelf            Relation = "self"             // the candidate's own account
	RelationAssignedCoach   Relation = "assigned_coach"   // the candidate's assigned coach
	RelationOwnOrganisation Relation = "own_organisation" // a candidate of the actor's organisation
	RelationOwnPlacement    Relation = "own_placement"    // a candidate placed at the actor's organisation
	RelationNone            Relation = "none"             // no relation
	RelationSharer          Relation = "sharer"           // sent the shared document (DecideSharedDocument only)
)

// MinReasonLength is the least number of characters, after trimming spaces,
// of a reason stated to break the glass.
const MinReasonLength = 10

// Reasons for a denial. They are stable English message keys: the audit log
// stores them and internal/i18n translates them.
const (
	ReasonNoActor         = "no authenticated user"
	ReasonNoRole          = "no active role"
	ReasonUnknownCategory = "unknown data category"
	ReasonUnknownAction   = "unknown action"
	ReasonMedical         = "medical data is for medical experts only"
	ReasonAdmin           = "administrators have no access to candidates' data"
	ReasonCategory        = "this role has no access to this data category"
	ReasonOrgKind         = "this role does not apply to your organisation"
	ReasonNotOwnCandidate = "not a candidate of your organisation"
	ReasonNoPlacement     = "the candidate has no current placement at your organisation"
	ReasonNotSelf         = "candidates may only see their own data"
	ReasonReadOnlyRole    = "this role may only read this data"
	ReasonNotAssigned     = "only the assigned coach may change this candidate's data"
	ReasonReadOnlyGrant   = "read-only access does not allow changes"
	ReasonRestricted      = "processing of this candidate's data is restricted"
	ReasonScreened        = "this data is screened off on the candidate's request"
	ReasonNeedsReason     = "the candidate is not assigned to you: state a reason"
	ReasonTooShort        = "the stated reason is too short"
)

// Decision is the outcome of Decide.
type Decision struct {
	Allowed     bool
	Role        opstap.Role // the role under which it is allowed (for the audit log); on denial the most relevant role held
	Relation    Relation
	BreakGlass  bool   // allowed only because a reason was stated (non-assigned coach)
	NeedsReason bool   // denied, but would be allowed with a stated reason ("break the glass")
	Reason      string // on denial: a short stable English message key explaining why
	View        View   // when allowed: how much of the category may be shown (ViewAll: everything)
}

// Err returns nil if d allows, and otherwise an EFORBIDDEN *opstap.Error
// whose message is d.Reason.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return opstap.Errorf(opstap.EFORBIDDEN, d.Reason)
}

// Decide decides whether a may perform act on category cat of s's data.
// reason is the reason the actor stated for looking at a candidate that is
// not theirs; it only matters for a coach who is not the assigned coach, and
// only for reads.
//
// Only a's grants count, and only those the caller left in (it filters them
// to the active ones); blocked grants, grants of another user and unknown
// roles are ignored as well. A read grant never allows a write. If several
// roles allow, the decision names the one that allows most plainly (without
// breaking the glass); if none does, the one that came nearest.
func Decide(a *opstap.Actor, s Subject, cat opstap.Category, act opstap.Action, reason string) Decision {
	switch {
	case a == nil:
		return denied(ReasonNoActor)
	case !cat.Valid():
		return denied(ReasonUnknownCategory)
	case act != opstap.Read && act != opstap.Write:
		return denied(ReasonUnknownAction)
	}
	roles, writable := grantsOf(a)
	if len(roles) == 0 {
		return denied(ReasonNoRole)
	}
	var best outcome
	for i, r := range roles {
		o := decideRole(a, r, writable[r], s, cat, act, reason)
		if i == 0 || o.rank > best.rank {
			best = o
		}
	}
	return best.Decision
}

func denied(reason string) Decision {
	return Decision{Relation: RelationNone, Reason: reason}
}

// grantsOf returns the actor's distinct usable roles in grant order, and for
// each whether some grant allows writing.
func grantsOf(a *opstap.Actor) ([]opstap.Role, map[opstap.Role]bool) {
	var roles []opstap.Role
	writable := map[opstap.Role]bool{}
	for _, g := range a.Grants {
		if g.BlockedAt != nil || (g.UserID != "" && g.UserID != a.UserID) || !g.Role.Valid() {
			continue
		}
		w, seen := writable[g.Role]
		if !seen {
			roles = append(roles, g.Role)
		}
		writable[g.Role] = w || g.Access == opstap.Write
	}
	return roles, writable
}

// rank orders the outcomes of the roles an actor holds: the highest is
// reported. A denial ranks higher the nearer it came to an allowance.
type rank int

const (
	rankNoCategory  rank = iota // the role never sees this category
	rankNoRelation              // the role sees it, but not of this candidate
	rankWriteDenied             // the role may read this, not write it
	rankRestricted              // allowed but for the restriction of processing
	rankReadOnly                // allowed but for a read-only grant
	rankNeedsReason             // allowed with a stated reason
	rankBreakGlass              // allowed because of a stated reason
	rankAllowed                 // allowed
)

type outcome struct {
	Decision
	rank rank
}

// decideRole decides for one role; writable says whether the actor's grant
// for it allows writing.
func decideRole(a *opstap.Actor, r opstap.Role, writable bool, s Subject, cat opstap.Category, act opstap.Action, reason string) outcome {
	rel := RelationNone
	if roleApplies(a, r) {
		rel = relationOf[r](a, s)
	}
	o := outcome{Decision: Decision{Role: r, Relation: rel}}
	lvl := levels[cell{r, rel, cat}]
	deny := func(k rank, why string) outcome {
		o.rank, o.Reason = k, why
		return o
	}
	switch {
	case ceilings[roleCat{r, cat}] == levelNone:
		return deny(rankNoCategory, categoryReason(r, cat))
	case lvl == levelNone:
		return deny(rankNoRelation, relationReason(a, r))
	case act == opstap.Write && lvl == levelReason:
		return deny(rankWriteDenied, ReasonNotAssigned)
	case act == opstap.Write && lvl < levelWrite:
		return deny(rankWriteDenied, ReasonReadOnlyRole)
	case act == opstap.Write && !writable:
		return deny(rankReadOnly, ReasonReadOnlyGrant)
	case s.Restricted && restrictedLevels[cell{r, rel, cat}] < need(act):
		return deny(rankRestricted, ReasonRestricted)
	case rel != RelationSelf && slices.Contains(s.Screened, cat):
		return deny(rankRestricted, ReasonScreened)
	case lvl == levelReason && !validReason(reason):
		o.NeedsReason = true
		if strings.TrimSpace(reason) == "" {
			return deny(rankNeedsReason, ReasonNeedsReason)
		}
		return deny(rankNeedsReason, ReasonTooShort)
	case lvl == levelReason:
		o.Allowed, o.BreakGlass, o.rank = true, true, rankBreakGlass
		return o
	}
	o.Allowed, o.rank, o.View = true, rankAllowed, views[cell{r, rel, cat}]
	return o
}

// need is the level an action needs.
func need(act opstap.Action) level {
	if act == opstap.Write {
		return levelWrite
	}
	return levelRead
}

// ValidReason reports whether reason is enough to break the glass.
func ValidReason(reason string) bool { return validReason(reason) }

// validReason reports whether reason is enough to break the glass.
func validReason(reason string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(reason)) >= MinReasonLength
}

func categoryReason(r opstap.Role, cat opstap.Category) string {
	switch {
	case cat == opstap.CatMedical:
		return ReasonMedical
	case r == opstap.RoleAdmin:
		return ReasonAdmin
	}
	return ReasonCategory
}

func relationReason(a *opstap.Actor, r opstap.Role) string {
	switch {
	case !roleApplies(a, r):
		return ReasonOrgKind
	case r == opstap.RoleEmployer:
		return ReasonNoPlacement
	case r == opstap.RoleCandidate:
		return ReasonNotSelf
	}
	return ReasonNotOwnCandidate
}

// DecideSharedDocument decides whether a may download the PDF of a report
// version that the user sharedBy sent to the commissioner. Whoever may read
// the candidate's reports may; so may the provider's coach who sent it, also
// after the candidate moved to another coach: it is their own outgoing
// document, which they have to be able to account for [000 art 5]. A
// restriction of processing still stops them [002 art 7.3].
func DecideSharedDocument(a *opstap.Actor, s Subject, sharedBy string) Decision {
	d := Decide(a, s, opstap.CatReports, opstap.Read, "")
	if d.Allowed || a == nil || s.Restricted || !same(a.UserID, sharedBy) || !roleApplies(a, opstap.RoleCoach) {
		return d
	}
	if roles, _ := grantsOf(a); !slices.Contains(roles, opstap.RoleCoach) {
		return d
	}
	return Decision{Allowed: true, Role: opstap.RoleCoach, Relation: RelationSharer, View: ViewAll}
}
