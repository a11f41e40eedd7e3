package access

import (
	"strings"

	"github.com/opstap/opstap"
)

// ReasonSearchAll is the refusal of a search over every candidate without a
// stated reason.
const ReasonSearchAll = "searching all candidates needs a stated reason"

// CandidateScope is which candidates an actor's candidate list covers; the
// store turns it into a condition. Opening one of them is still decided per
// candidate by Decide.
type CandidateScope int

// The scopes of a candidate list.
const (
	ScopeNobody       CandidateScope = iota // no active grant: nobody
	ScopeAll                                // every candidate: the system and the provider's staff
	ScopeCaseload                           // the candidates the coach guides
	ScopeSelf                               // the candidate themself
	ScopeCommissioner                       // the candidates of the actor's commissioning organisation
)

// coachOnly: a provider coach and nothing else, the one role whose list is
// limited to the candidates it may open.
func coachOnly(a *opstap.Actor) bool {
	return a.OrgKind == opstap.OrgProvider && a.Has(opstap.RoleCoach, opstap.Read) && len(a.Roles()) == 1
}

// CandidateListScope decides the candidates a's list covers. In the first
// place only the assigned adviser sees a client [001 "Wat gebeurt er met
// verwerkte gegevens"], so a coach's list is their caseload; all widens it
// to every candidate of the provider (names only: opening one needs a
// reason, and searching them needs one, DecideSearch). Other provider staff
// list every candidate, a commissioner its own, a candidate themself.
func CandidateListScope(a *opstap.Actor, all bool) CandidateScope {
	switch {
	case a == nil:
		return ScopeNobody
	case a.System:
		return ScopeAll
	case len(a.Grants) == 0:
		return ScopeNobody // a user whose grants are all blocked or expired
	case coachOnly(a) && !all:
		return ScopeCaseload
	case a.OrgKind == opstap.OrgProvider:
		return ScopeAll
	case a.Has(opstap.RoleCandidate, opstap.Read) && len(a.Roles()) == 1:
		return ScopeSelf
	case a.OrgKind.Commissioner():
		return ScopeCommissioner
	}
	return ScopeNobody
}

// ListShows is which of the candidates in a list's scope
// (CandidateListScope) the list shows an actor: those whose basic data the
// actor may read, or may read with a stated reason (a coach's list of every
// candidate of the provider, without names).
type ListShows struct {
	// Anyone is false when the actor reads nobody's basic data (an
	// administrator): the list shows no one.
	Anyone bool
	// Restricted is whether candidates under a restriction of processing
	// show: to the privacy officer and the candidate themself only [002
	// art 7.3].
	Restricted bool
}

// CandidateListShows is ListShows for a. A list counts its rows before it
// decides on each, so the count can only leave out what Decide would refuse
// every candidate in a's scope: it asks for the nearest relation a can have
// to a candidate (their own, their organisation's, one they coach or have
// placed), once as is and once restricted. The rows are still decided one
// by one.
func CandidateListShows(a *opstap.Actor) ListShows {
	if a == nil {
		return ListShows{}
	}
	near := Subject{CommissionerOrgID: a.OrgID, CoachUserID: a.UserID, CandidateUserID: a.UserID, EmployerOrgIDs: []string{a.OrgID}}
	shows := func(s Subject) bool {
		d := Decide(a, s, opstap.CatBasic, opstap.Read, "")
		return d.Allowed || d.NeedsReason
	}
	out := ListShows{Anyone: shows(near)}
	near.Restricted = true
	out.Restricted = shows(near)
	return out
}

// DecideSearch decides a search (by name, e-mail, BSN or client number) of
// a's candidate list, all as in CandidateListScope. A coach who searches
// beyond their caseload searches candidates they may not open, so the
// search needs a stated reason, as opening one would ("break the glass"
// [001 "Wat gebeurt er met verwerkte gegevens"]); it is then allowed with
// BreakGlass set, and the reason counts for each candidate revealed. No
// other search needs one.
func DecideSearch(a *opstap.Actor, all bool, reason string) Decision {
	switch {
	case a == nil:
		return Decision{Reason: ReasonNoActor}
	case a.System:
		return allow("", RelationOwnOrganisation)
	case !all || !coachOnly(a):
		return Decision{Allowed: true, Role: FirstRole(a)}
	case ValidReason(reason):
		return Decision{Allowed: true, Role: opstap.RoleCoach, BreakGlass: true}
	case strings.TrimSpace(reason) != "":
		return Decision{Role: opstap.RoleCoach, NeedsReason: true, Reason: ReasonTooShort}
	}
	return Decision{Role: opstap.RoleCoach, NeedsReason: true, Reason: ReasonSearchAll}
}

// SeesUnsharedLimitations reports whether d, an allowed read of a
// candidate's functional limitations, shows them when the candidate has not
// agreed to share them: only the medical expert who records them [002 art
// 4.3] and the candidate themself [002 art 7.1]. The coach, the case
// manager and the employer see them only with the candidate's consent
// [002 art 5.1; 004 "Toestemming kandidaat"].
func SeesUnsharedLimitations(d Decision) bool {
	return d.Allowed && (d.Role == opstap.RoleMedicalExpert || d.Relation == RelationSelf)
}
