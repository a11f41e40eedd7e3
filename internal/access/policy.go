package access

import (
	"slices"

	"github.com/opstap/opstap"
)

// level is how far a rule lets a role go with a category. The order matters:
// a higher level includes every lower one.
type level uint8

const (
	levelNone   level = iota // no access
	levelReason              // read, but only with a stated reason ("break the glass")
	levelRead                // read
	levelWrite               // read and write
)

// rule lets role, standing in relation rel to the candidate, go up to level
// with each of cats.
type rule struct {
	role  opstap.Role
	rel   Relation
	level level
	cats  []opstap.Category
}

// Short names keep the table below readable.
const (
	basic       = opstap.CatBasic
	bsn         = opstap.CatBSN
	benefit     = opstap.CatBenefit
	education   = opstap.CatEducation
	preferences = opstap.CatPreferences
	limitations = opstap.CatLimitations
	medical     = opstap.CatMedical
	financial   = opstap.CatFinancial
	notes       = opstap.CatNotes
	reports     = opstap.CatReports
	timesheets  = opstap.CatTimesheets
)

// policy is the access matrix: role × relation × category → level. A
// combination that is not listed is denied. For provider staff the relation is
// RelationOwnOrganisation for every candidate, because the provider keeps
// every dossier; only the coach distinguishes the assigned candidates.
var policy = []rule{
	// Coach: "in eerste aanleg alleen de aan de cliënt toegewezen adviseur" reads
	// and edits the dossier; other advisers only where needed for the service,
	// i.e. with a stated reason that is logged [001 "Wat gebeurt er"]. The
	// limitations are shared by the medical expert and only read; medical data
	// never [002 art 4.3, 5.1].
	{opstap.RoleCoach, RelationAssignedCoach, levelWrite, []opstap.Category{basic, bsn, benefit, education, preferences, financial, notes, reports}},
	{opstap.RoleCoach, RelationAssignedCoach, levelRead, []opstap.Category{limitations}},
	{opstap.RoleCoach, RelationOwnOrganisation, levelReason, []opstap.Category{basic, bsn, benefit, education, preferences, limitations, financial, notes, reports}},

	// Medical expert: the medical dossier "alleen toegankelijk voor de daartoe
	// ingeschakelde (en gecertificeerde) deskundigen" [002 art 4.3]; they record
	// the functional limitations others may read, and need the basic data.
	{opstap.RoleMedicalExpert, RelationOwnOrganisation, levelWrite, []opstap.Category{medical, limitations}},
	{opstap.RoleMedicalExpert, RelationOwnOrganisation, levelRead, []opstap.Category{basic}},

	// Finance: money, invoices, settlements, the IBAN for premiums [003 art 5
	// lid 3, 9]; no dossier contents (DOMAIN.md §1).
	{opstap.RoleFinance, RelationOwnOrganisation, levelWrite, []opstap.Category{financial, timesheets}},
	{opstap.RoleFinance, RelationOwnOrganisation, levelRead, []opstap.Category{basic}},

	// Privacy officer and complaints desk identify the candidate; rights
	// requests, breaches and complaints run through their own processes
	// [002 art 7; 000 art 12].
	{opstap.RolePrivacyOfficer, RelationOwnOrganisation, levelRead, []opstap.Category{basic}},
	{opstap.RoleComplaintsDesk, RelationOwnOrganisation, levelRead, []opstap.Category{basic}},

	// Admin: configuration and accounts, no dossier contents [002 art 8.2]:
	// deliberately no rule.

	// Auditor: read-only, only for quality testing, never beyond what the test
	// of the dossier needs [004 "Inzagerecht", 003 bewerkers art 3]. The
	// level is read even when the grant is write.
	{opstap.RoleAuditor, RelationOwnOrganisation, levelRead, []opstap.Category{basic, education, notes, reports}},

	// Case manager of the commissioner: only its own candidates; registers
	// them [003 art 5 lid 5]; reads reports (consent is checked per report
	// [000 art 5]); no notes, medical or financial data [002 art 5.1].
	{opstap.RoleCaseManager, RelationOwnOrganisation, levelWrite, []opstap.Category{basic, bsn, benefit, education, preferences}},
	{opstap.RoleCaseManager, RelationOwnOrganisation, levelRead, []opstap.Category{limitations, reports}},
	// The municipality follows the hours of its placements and is told of
	// hours above the contract; it settles them [003 art 5 lid 10, 6.1].
	{opstap.RoleCaseManager, RelationOwnOrganisation, levelRead, []opstap.Category{timesheets}},

	// Client employer: only what a placement needs [003 art 7.7 lid 2],
	// never medical information [002 art 5.1].
	// Of the work experience and the availability only the proposal card
	// (views.go), and only while the candidate shows the profile to
	// employers (DecideEmployerProfile) [004 "Toestemming kandidaat"].
	{opstap.RoleEmployer, RelationOwnPlacement, levelRead, []opstap.Category{basic, education, preferences, limitations}},
	// It enters and approves the hours worked at it, the basis of its
	// invoice [003 art 5 lid 8].
	{opstap.RoleEmployer, RelationOwnPlacement, levelWrite, []opstap.Category{timesheets}},

	// Candidate: the right of access to their whole dossier [002 art 7.1] and
	// of rectification of what they supply themselves [002 art 7.2].
	{opstap.RoleCandidate, RelationSelf, levelWrite, []opstap.Category{basic, education, preferences, financial, timesheets}},
	{opstap.RoleCandidate, RelationSelf, levelRead, []opstap.Category{bsn, benefit, limitations, medical, notes, reports}},
}

// whileRestricted caps the policy while the candidate's restriction of
// processing is in force [002 art 7.3]: the data is only stored, so only the
// candidate reads it, and the privacy officer reads who it is to handle the
// request. Everything not listed is denied.
var whileRestricted = []rule{
	{opstap.RoleCandidate, RelationSelf, levelRead, opstap.Categories},
	{opstap.RolePrivacyOfficer, RelationOwnOrganisation, levelRead, []opstap.Category{basic}},
}

// cell addresses one entry of the matrix.
type cell struct {
	role opstap.Role
	rel  Relation
	cat  opstap.Category
}

var (
	levels           = index(policy)
	restrictedLevels = index(whileRestricted)
	ceilings         = ceilingsOf(policy) // the best level of a role for a category over all relations
)

// index turns a rule table into a lookup; a cell listed twice is a mistake
// in the table, caught when the package loads.
func index(rules []rule) map[cell]level {
	m := map[cell]level{}
	for _, r := range rules {
		for _, c := range r.cats {
			k := cell{r.role, r.rel, c}
			if _, dup := m[k]; dup {
				panic("access: duplicate policy cell " + string(r.role) + "/" + string(r.rel) + "/" + string(c))
			}
			m[k] = r.level
		}
	}
	return m
}

type roleCat struct {
	role opstap.Role
	cat  opstap.Category
}

func ceilingsOf(rules []rule) map[roleCat]level {
	m := map[roleCat]level{}
	for _, r := range rules {
		for _, c := range r.cats {
			k := roleCat{r.role, c}
			m[k] = max(m[k], r.level)
		}
	}
	return m
}

// providerKinds and commissionerKinds are the organisation kinds a role can
// belong to.
var (
	providerKinds     = []opstap.OrgKind{opstap.OrgProvider}
	commissionerKinds = []opstap.OrgKind{opstap.OrgMunicipality, opstap.OrgUWV, opstap.OrgEmployerClient}
)

// roleOrgKinds lists the organisation kinds for which a role means anything;
// a role held in another kind of organisation grants nothing. Provider staff
// roles belong to the provider; an auditor may also be the commissioner's
// auditor [003 bewerkers art 3]; a candidate's account may sit anywhere.
var roleOrgKinds = map[opstap.Role][]opstap.OrgKind{
	opstap.RoleCoach:          providerKinds,
	opstap.RoleMedicalExpert:  providerKinds,
	opstap.RoleFinance:        providerKinds,
	opstap.RolePrivacyOfficer: providerKinds,
	opstap.RoleComplaintsDesk: providerKinds,
	opstap.RoleAdmin:          providerKinds,
	opstap.RoleAuditor:        {opstap.OrgProvider, opstap.OrgMunicipality, opstap.OrgUWV, opstap.OrgEmployerClient},
	opstap.RoleCaseManager:    commissionerKinds,
	opstap.RoleEmployer:       {opstap.OrgClientEmployer},
	opstap.RoleCandidate:      nil, // any
}

// roleApplies reports whether role r means anything for an actor of a's
// organisation.
func roleApplies(a *opstap.Actor, r opstap.Role) bool {
	kinds, ok := roleOrgKinds[r]
	if !ok {
		return false
	}
	return kinds == nil || slices.Contains(kinds, a.OrgKind)
}

// relationOf decides, per role, how the actor stands to the candidate. It is
// only asked when the role applies to the actor's organisation.
var relationOf = map[opstap.Role]func(a *opstap.Actor, s Subject) Relation{
	opstap.RoleCoach: func(a *opstap.Actor, s Subject) Relation {
		if same(a.UserID, s.CoachUserID) {
			return RelationAssignedCoach
		}
		return RelationOwnOrganisation
	},
	opstap.RoleMedicalExpert:  provider,
	opstap.RoleFinance:        provider,
	opstap.RolePrivacyOfficer: provider,
	opstap.RoleComplaintsDesk: provider,
	opstap.RoleAdmin:          provider,
	opstap.RoleAuditor: func(a *opstap.Actor, s Subject) Relation {
		if a.OrgKind == opstap.OrgProvider {
			return RelationOwnOrganisation
		}
		return commissioner(a, s)
	},
	opstap.RoleCaseManager: commissioner,
	opstap.RoleEmployer: func(a *opstap.Actor, s Subject) Relation {
		if a.OrgID != "" && slices.Contains(s.EmployerOrgIDs, a.OrgID) {
			return RelationOwnPlacement
		}
		return RelationNone
	},
	opstap.RoleCandidate: func(a *opstap.Actor, s Subject) Relation {
		if same(a.UserID, s.CandidateUserID) {
			return RelationSelf
		}
		return RelationNone
	},
}

// provider: the provider keeps every candidate's dossier.
func provider(*opstap.Actor, Subject) Relation { return RelationOwnOrganisation }

func commissioner(a *opstap.Actor, s Subject) Relation {
	if same(a.OrgID, s.CommissionerOrgID) {
		return RelationOwnOrganisation
	}
	return RelationNone
}

// same compares identifiers; an empty one matches nothing, so a missing
// coach or account never makes a stranger the coach or the candidate.
func same(x, y string) bool { return x != "" && x == y }
