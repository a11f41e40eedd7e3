// Package opstap holds the domain vocabulary shared by every part of Opstap,
// the information system of a Dutch re-integration provider: roles, data
// categories, the acting user, errors and money. It imports only the standard
// library; everything that adapts it (store, web, api, jobs) lives below
// internal/.
package opstap

import (
	_ "time/tzdata" // the zone database must not depend on the host

	"context"
	"time"
)

// Role is what a user does for an organisation (DOMAIN.md §1).
type Role string

// The roles of DOMAIN.md §1.
const (
	RoleCoach          Role = "coach"
	RoleMedicalExpert  Role = "medical_expert"
	RoleFinance        Role = "finance"
	RolePrivacyOfficer Role = "privacy_officer"
	RoleComplaintsDesk Role = "complaints_desk"
	RoleAdmin          Role = "admin"
	RoleAuditor        Role = "auditor"
	RoleCaseManager    Role = "case_manager" // commissioner's case manager (klantmanager)
	RoleEmployer       Role = "employer"     // client employer (klant)
	RoleCandidate      Role = "candidate"
)

// Roles lists every role in a stable order.
var Roles = []Role{
	RoleCoach, RoleMedicalExpert, RoleFinance, RolePrivacyOfficer, RoleComplaintsDesk,
	RoleAdmin, RoleAuditor, RoleCaseManager, RoleEmployer, RoleCandidate,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// ReadsDossiers reports whether the role can read any candidate dossier
// content; such roles must use a second factor (issue 2, point 4).
func (r Role) ReadsDossiers() bool {
	switch r {
	case RoleCandidate, RoleEmployer, RoleFinance, RoleAdmin:
		return false
	}
	return true
}

// OrgKind is the kind of an organisation.
type OrgKind string

// Organisation kinds: the provider runs Opstap; commissioners (municipality,
// UWV, employer) buy its services; client employers offer flex assignments.
const (
	OrgProvider       OrgKind = "provider"
	OrgMunicipality   OrgKind = "municipality"
	OrgUWV            OrgKind = "uwv"
	OrgEmployerClient OrgKind = "employer_commissioner"
	OrgClientEmployer OrgKind = "client_employer"
)

// OrgKinds lists every organisation kind.
var OrgKinds = []OrgKind{OrgProvider, OrgMunicipality, OrgUWV, OrgEmployerClient, OrgClientEmployer}

// Valid reports whether k is a known organisation kind.
func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Commissioner reports whether organisations of this kind commission trajectories.
func (k OrgKind) Commissioner() bool {
	return k == OrgMunicipality || k == OrgUWV || k == OrgEmployerClient
}

// Category is a category of a candidate's personal data (DOMAIN.md §3).
type Category string

// The data categories of DOMAIN.md §3 [001, 002 art 4].
const (
	CatBasic       Category = "basic"       // name, address, contact, birth date, gender, nationality
	CatBSN         Category = "bsn"         // citizen service number [002 art 4.4]
	CatBenefit     Category = "benefit"     // benefit kind and start
	CatEducation   Category = "education"   // education, diplomas, work experience
	CatPreferences Category = "preferences" // wishes, hours, travel
	CatLimitations Category = "limitations" // functional limitations the candidate agreed to share; never a diagnosis
	CatMedical     Category = "medical"     // special category: medical expert only [002 art 4.3, 5.1]
	CatFinancial   Category = "financial"   // IBAN for premium payments
	CatNotes       Category = "notes"       // conversation notes, correspondence, action plans
	CatReports     Category = "reports"     // progress reports and extensive reports
	CatTimesheets  Category = "timesheets"  // hours worked and travel costs per day of a placement [003 art 5 lid 3, 8, 9]
)

// Categories lists every data category in a stable order.
var Categories = []Category{
	CatBasic, CatBSN, CatBenefit, CatEducation, CatPreferences,
	CatLimitations, CatMedical, CatFinancial, CatNotes, CatReports, CatTimesheets,
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// Action is read or write; a write grant includes read.
type Action string

// Actions.
const (
	Read  Action = "read"
	Write Action = "write"
)

// Grant is one role held by a user, read-only or read-write, optionally
// until a moment (auditors are time-boxed), and blockable at once.
type Grant struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Role       Role       `json:"role"`
	Access     Action     `json:"access"`
	GrantedBy  string     `json:"granted_by,omitempty"`
	GrantedAt  time.Time  `json:"granted_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	BlockedAt  *time.Time `json:"blocked_at,omitempty"`
	ReviewedAt time.Time  `json:"reviewed_at"`
}

// Active reports whether the grant may be used at now.
func (g Grant) Active(now time.Time) bool {
	if g.BlockedAt != nil {
		return false
	}
	return g.ExpiresAt == nil || now.Before(*g.ExpiresAt)
}

// Actor is the authenticated user on whose behalf a request runs, with the
// grants active at the time of the request. Every service method that
// touches personal data takes one.
type Actor struct {
	UserID    string
	Email     string
	Name      string
	OrgID     string
	OrgKind   OrgKind
	Grants    []Grant
	SessionID string // empty for API tokens and jobs
	TokenID   string // set when authenticated by an API token
	Address   string // client IP address
	System    bool   // a background job acting on the system's behalf
}

// Has reports whether the actor holds role r with at least access a.
func (a *Actor) Has(r Role, act Action) bool {
	for _, g := range a.Grants {
		if g.Role == r && (act == Read || g.Access == Write) {
			return true
		}
	}
	return false
}

// Roles returns the actor's distinct roles in grant order.
func (a *Actor) Roles() []Role {
	var rs []Role
	seen := map[Role]bool{}
	for _, g := range a.Grants {
		if !seen[g.Role] {
			seen[g.Role] = true
			rs = append(rs, g.Role)
		}
	}
	return rs
}

type actorKey struct{}

// NewContextWithActor returns ctx carrying the actor.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx, or nil.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Amsterdam is the zone in which times are shown and deadlines reasoned
// about; storage is always UTC.
var Amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
