package access

import "github.com/opstap/opstap"

// The rules below decide access for procedures that the category matrix of
// policy.go does not cover: complaints, rights requests, the export of an
// access request, the candidate's own acts on a trajectory, the flex flags
// and the consent-gated CV for an employer. They live here, beside the
// matrix, so that one table test (procedures_test.go) covers every access
// decision of the product; the store only gathers the facts they need.

// Reasons for refusals of the procedures (stable English message keys).
const (
	ReasonComplaintRead   = "only the complaints desk and the privacy officer may read complaints"
	ReasonComplaintWrite  = "only the complaints desk may handle complaints"
	ReasonRightsHandle    = "only the privacy officer handles rights requests"
	ReasonRightsFile      = "only the candidate, their coach or the privacy officer can file a request"
	ReasonRightsRead      = "only the candidate and the privacy officer see rights requests"
	ReasonRightsFollow    = "only the coach who filed a request follows its deadline"
	ReasonExportCandidate = "only the candidate downloads the export of their access request; the privacy officer sees what it holds"
	ReasonFlag            = "you may not set this on the flex profile"
	ReasonCVNotPlaced     = "no live placement of this candidate with your organisation"
	ReasonCVNotShared     = "the candidate has not agreed to share a CV with employers"
	ReasonNotEmployer     = "only a client employer reads CVs of its placed candidates"
	ReasonProfileNotShown = "the candidate has not agreed to show a profile to employers"
)

// FirstRole is the role a refusal is logged under when no rule matched one.
func FirstRole(a *opstap.Actor) opstap.Role {
	if a == nil {
		return ""
	}
	if rs := a.Roles(); len(rs) > 0 {
		return rs[0]
	}
	return ""
}

func allow(r opstap.Role, rel Relation) Decision {
	return Decision{Allowed: true, Role: r, Relation: rel}
}

// isSelf: the actor is the candidate the subject is about.
func isSelf(a *opstap.Actor, s Subject, act opstap.Action) bool {
	return a != nil && a.Has(opstap.RoleCandidate, act) && a.UserID != "" && a.UserID == s.CandidateUserID
}

// IsPrivacyOfficer reports whether a is the provider's privacy officer,
// with a write grant when write is set.
func IsPrivacyOfficer(a *opstap.Actor, write bool) bool {
	act := opstap.Read
	if write {
		act = opstap.Write
	}
	return a != nil && a.OrgKind == opstap.OrgProvider && a.Has(opstap.RolePrivacyOfficer, act)
}

// restrictedProcedure applies a restriction of processing to a decision of
// a procedure with its own rule: it stands only where the table of what
// restriction still allows lists the role [AVG art 18(2)].
func restrictedProcedure(a *opstap.Actor, s Subject, p Procedure, act opstap.Action, d Decision) Decision {
	if d.Allowed && s.Restricted && !a.System && !RestrictionAllows(d.Role, p, act) {
		return Decision{Role: d.Role, Relation: d.Relation, Reason: ReasonRestricted}
	}
	return d
}

// DecideComplaint is the rule for complaints. The category matrix lets the
// complaints desk read only basic data, so complaints have their own rule
// [000 art 12: the Kwaliteitslijn registers complaints and guides their
// handling]: the complaints desk reads and handles them (capability
// HandleComplaints), the privacy officer reads them (complaints about
// privacy are theirs to see [004 "Vragen, opmerkingen en klachten"]), the
// candidate reads their own and may file one. Nobody else — not the coach,
// not the commissioner — reads a complaint's text.
func DecideComplaint(a *opstap.Actor, s Subject, act opstap.Action, filing bool) Decision {
	return restrictedProcedure(a, s, ProcComplaint, act, complaintRule(a, s, act, filing))
}

func complaintRule(a *opstap.Actor, s Subject, act opstap.Action, filing bool) Decision {
	switch {
	case a == nil:
		return Decision{Reason: ReasonNoActor}
	case a.System:
		return allow("", RelationOwnOrganisation)
	case Can(a, HandleComplaints):
		return allow(opstap.RoleComplaintsDesk, RelationOwnOrganisation)
	case act == opstap.Read && IsPrivacyOfficer(a, false):
		return allow(opstap.RolePrivacyOfficer, RelationOwnOrganisation)
	case isSelf(a, s, opstap.Read) && (act == opstap.Read || filing):
		return allow(opstap.RoleCandidate, RelationSelf)
	case act == opstap.Write:
		return Decision{Role: FirstRole(a), Reason: ReasonComplaintWrite}
	}
	return Decision{Role: FirstRole(a), Reason: ReasonComplaintRead}
}

// RightsAct is what an actor wants to do with a candidate's rights requests.
type RightsAct int

// The acts of the rights procedure.
const (
	RightsRead     RightsAct = iota // see the requests
	RightsFile                      // file a new one
	RightsWithdraw                  // withdraw one's own
	RightsHandle                    // assign, extend, answer
)

// Action is the category action an act is logged as.
func (r RightsAct) Action() opstap.Action {
	if r == RightsRead {
		return opstap.Read
	}
	return opstap.Write
}

// DecideRights is the rule for rights requests. The category matrix lets
// the privacy officer read only basic data, so the procedure has its own
// rule [001: requests "moeten worden gericht aan de contactpersoon"; 002
// art 7]: the privacy officer (the contact person) sees and handles every
// request; the candidate files, follows and withdraws their own; the
// assigned coach, to whom a candidate may turn first [001], files one on
// their behalf. Nobody else sees them.
func DecideRights(a *opstap.Actor, s Subject, act RightsAct) Decision {
	return restrictedProcedure(a, s, ProcRights, act.Action(), rightsRule(a, s, act))
}

func rightsRule(a *opstap.Actor, s Subject, act RightsAct) Decision {
	switch {
	case a == nil:
		return Decision{Reason: ReasonNoActor}
	case a.System:
		return allow("", RelationOwnOrganisation)
	case IsPrivacyOfficer(a, act != RightsRead):
		return allow(opstap.RolePrivacyOfficer, RelationOwnOrganisation)
	case isSelf(a, s, opstap.Read) && act != RightsHandle:
		return allow(opstap.RoleCandidate, RelationSelf)
	case act == RightsFile && a.Has(opstap.RoleCoach, opstap.Write) && a.OrgKind == opstap.OrgProvider && a.UserID == s.CoachUserID:
		return allow(opstap.RoleCoach, RelationAssignedCoach)
	case act == RightsFile:
		return Decision{Role: FirstRole(a), Reason: ReasonRightsFile}
	case act == RightsHandle:
		return Decision{Role: FirstRole(a), Reason: ReasonRightsHandle}
	}
	return Decision{Role: FirstRole(a), Reason: ReasonRightsRead}
}

// DecideAccessExport decides who downloads the export of an access request,
// given the decision d that let the actor read the request: only the
// candidate [AVG art 15(3): the copy is for the data subject]. The privacy
// officer who handles it sees only the manifest: the export holds the
// medical segment, which nobody but the candidate and medical experts may
// read [002 art 4.3, 5.1].
func DecideAccessExport(a *opstap.Actor, d Decision) Decision {
	switch {
	case a != nil && a.System:
		return allow("", RelationOwnOrganisation)
	case a != nil && d.Allowed && d.Relation == RelationSelf:
		return d
	}
	return Decision{Role: d.Role, Relation: d.Relation, Reason: ReasonExportCandidate}
}

// DecideSelfService is the rule for the two acts a candidate does on their
// own trajectory: reporting an absence [000 art 8] and ending participation
// [000 art 7]. The matrix gives candidates no write on notes (they rectify
// only what they supplied [002 art 7.2]), but these are the candidate's own
// acts under the cooperation agreement: allowed to the candidate themself
// only, never while processing is restricted.
func DecideSelfService(a *opstap.Actor, s Subject) Decision {
	switch {
	case a == nil || a.System || !isSelf(a, s, opstap.Write):
		return Decision{Role: opstap.RoleCandidate, Relation: RelationNone, Reason: ReasonNotSelf}
	case s.Restricted:
		return Decision{Role: opstap.RoleCandidate, Relation: RelationSelf, Reason: ReasonRestricted}
	}
	return allow(opstap.RoleCandidate, RelationSelf)
}

// Flag is one of the recorded decisions on a flex profile (issue 5 point 4).
type Flag string

// The flags: the municipality's matchable status, the candidate's consent
// to be visible to employers and the coach's approval of it. The consent
// is the candidate's own and goes through the consent register
// (consent.ShareCV), so DecideFlag allows no one to set it as a flag.
const (
	FlagMatchable     Flag = "matchable" // [003 art 5 lid 5]
	FlagConsent       Flag = "consent"
	FlagCoachApproval Flag = "coach_approval"
)

// DecideFlag refines d, the decision to write the candidate's preferences,
// for setting a flag: the matchable status only the case manager of the
// candidate's commissioner, the approval only the assigned coach.
func DecideFlag(flag Flag, d Decision) Decision {
	ok := false
	switch flag {
	case FlagMatchable:
		ok = d.Role == opstap.RoleCaseManager
	case FlagCoachApproval:
		ok = d.Relation == RelationAssignedCoach
	}
	if d.Allowed && ok {
		return d
	}
	return Decision{Role: d.Role, Relation: d.Relation, Reason: ReasonFlag}
}

// CVFacts are what the store found for an employer's CV read.
type CVFacts struct {
	PlacedWithActor bool // a live placement of the candidate with the actor's organisation
	ConsentGiven    bool // the current share_cv_with_employers consent is given
}

// DecideEmployerCV is the one consent-gated exception to the placement view:
// a client employer reads the CVs of a candidate with a live placement at
// its organisation, only while the candidate's consent to share them stands
// [004 "Toestemming kandidaat"]. Withdrawing the consent stops it at once.
func DecideEmployerCV(a *opstap.Actor, f CVFacts) Decision {
	switch {
	case a == nil || a.OrgKind != opstap.OrgClientEmployer || !a.Has(opstap.RoleEmployer, opstap.Read):
		return Decision{Role: FirstRole(a), Reason: ReasonNotEmployer}
	case !f.PlacedWithActor:
		return Decision{Role: opstap.RoleEmployer, Relation: RelationNone, Reason: ReasonCVNotPlaced}
	case !f.ConsentGiven:
		return Decision{Role: opstap.RoleEmployer, Relation: RelationOwnPlacement, Reason: ReasonCVNotShared}
	}
	return allow(opstap.RoleEmployer, RelationOwnPlacement)
}

// DecideEmployerProfile decides whether the employer of a proposed placement
// sees the candidate's proposal card (experience and availability), given
// its decision d on the category and whether the profile is visible to
// employers — the candidate's consent and the coach's approval, both
// (flex.Profile.Visible) [004 "Toestemming kandidaat": a profile goes to
// employers only after the candidate's consent; 003 art 7.7 lid 2]. The
// decision keeps d's role and relation so that the audit entry of a refusal
// says who was refused.
func DecideEmployerProfile(d Decision, visible bool) Decision {
	if !d.Allowed || d.View == ViewAll {
		// Refused, or the whole category: staff who read the profile need
		// no employer consent.
		return d
	}
	switch {
	case d.View != ViewPlacement:
		return Decision{Role: d.Role, Relation: d.Relation, Reason: ReasonLimitedView}
	case !visible:
		return Decision{Role: d.Role, Relation: d.Relation, View: d.View, Reason: ReasonProfileNotShown}
	}
	return d
}

// SharingSide is how an actor takes part in the shared-documents page.
type SharingSide int

// The sides of sharing a report.
const (
	SharingNone     SharingSide = iota // no part: the page is refused
	SharingReceiver                    // the commissioner's case manager: what was shared with their organisation
	SharingSender                      // the provider's coach: what they sent, and what was sent about their candidates
)

// SharingSideOf decides the side a takes: the provider informs the
// commissioner (Opdrachtgever) of plans and progress [000 art 5], so a
// case manager of a commissioning organisation receives the reports, and
// the provider's coach, who sends them, accounts for what went out. A
// case manager counts as receiver first.
func SharingSideOf(a *opstap.Actor) SharingSide {
	switch {
	case a == nil:
		return SharingNone
	case a.Has(opstap.RoleCaseManager, opstap.Read) && a.OrgKind.Commissioner():
		return SharingReceiver
	case a.Has(opstap.RoleCoach, opstap.Read) && a.OrgKind == opstap.OrgProvider:
		return SharingSender
	}
	return SharingNone
}

// DecideRightsFollow decides whether a coach follows the deadline of a rights
// request they filed on a candidate's behalf (issue 12 item 11): its kind,
// status and due date, never its description or answer, which stay with the
// candidate and the privacy officer [002 art 7]. Only while they are still
// the candidate's coach; a restriction of processing stops it as it stops
// the coach's filing.
func DecideRightsFollow(a *opstap.Actor, s Subject, filedBy string) Decision {
	d := Decision{Role: FirstRole(a), Reason: ReasonRightsFollow}
	if a != nil && a.OrgKind == opstap.OrgProvider && a.Has(opstap.RoleCoach, opstap.Read) && a.UserID != "" &&
		a.UserID == filedBy && a.UserID == s.CoachUserID {
		d = allow(opstap.RoleCoach, RelationAssignedCoach)
	}
	return restrictedProcedure(a, s, ProcRights, opstap.Read, d)
}
