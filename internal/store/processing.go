package store

import (
	"context"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/privacy"
)

// Records of processing activities (AVG art 30), generated on request from
// what the system holds: the data categories, the purposes it logs, the
// access policy, the organisations it serves, the retention rules and the
// security measures in force. Nothing of it is stored, so it is always in
// step with the configuration.

// ProcessingRecord is the register.
type ProcessingRecord struct {
	GeneratedAt  time.Time              `json:"generated_at"`
	Processor    string                 `json:"processor"`   // the provider running Opstap
	Controllers  []account.Organisation `json:"controllers"` // commissioners, for whom the provider processes [003 bewerkers art 1]
	Categories   []ProcessingCategory   `json:"categories"`
	Purposes     []ProcessingPurpose    `json:"purposes"`
	Recipients   []ProcessingRecipient  `json:"recipients"`
	Retention    []ProcessingRetention  `json:"retention"`
	RetentionSrc string                 `json:"retention_source"` // "configuration" or "defaults"
	Security     []string               `json:"security"`         // English message keys
	Facts        SecurityFacts          `json:"facts"`
	Processors   []string               `json:"processors"` // sub-processors, English message keys
}

// ProcessingCategory is one data category with who may read or write it
// under the access policy.
type ProcessingCategory struct {
	Category opstap.Category `json:"category"`
	Special  bool            `json:"special"` // special category (AVG art 9): health
	Access   []RoleAccess    `json:"access"`
}

// RoleAccess is the most a role may do with a category.
type RoleAccess struct {
	Role   opstap.Role   `json:"role"`
	Action opstap.Action `json:"action"`
}

// ProcessingPurpose is one purpose with its legal basis (AVG art 6).
type ProcessingPurpose struct {
	Code  string `json:"code"`
	Text  string `json:"text"`  // English message key
	Basis string `json:"basis"` // AVG article
}

// ProcessingRecipient is a kind of receiver and what it receives.
type ProcessingRecipient struct {
	Kind          opstap.OrgKind    `json:"kind"`
	Organisations []string          `json:"organisations"`
	Categories    []opstap.Category `json:"categories"` // what the access policy lets its roles read
}

// ProcessingRetention is one retention rule.
type ProcessingRetention struct {
	Commissioner string `json:"commissioner,omitempty"` // "" for the default
	Category     string `json:"category"`
	Event        string `json:"event"`
	Years        int    `json:"years"`
	Note         string `json:"note,omitempty"`
}

// SecurityFacts are measured when the record is generated.
type SecurityFacts struct {
	KeyVersions   []int          `json:"key_versions"`
	AuditEntries  int64          `json:"audit_entries"`
	ActiveGrants  map[string]int `json:"active_grants"` // per role
	OverdueGrants int            `json:"overdue_grants"`
	OpenBreaches  int            `json:"open_breaches"`
}

// processingPurposes are the purposes the store records with every access
// (AVG art 5(1)(b)), with their legal basis.
var processingPurposes = []ProcessingPurpose{
	{PurposeRegistration, "Registration of candidates by the commissioner or the provider", "6(1)(b)/(c)"},
	{PurposeGuidance, "Guidance, re-integration and mediation of the candidate", "6(1)(b)/(c)"},
	{PurposeOverview, "Overviews of candidates for the staff involved", "6(1)(b)"},
	{PurposeReporting, "Reports to the commissioner", "6(1)(a)/(c)"},
	{PurposeSelf, "The candidate's own use of the portal", "6(1)(b)"},
	{PurposeConsent, "Recording consents and their withdrawal", "6(1)(c), 7"},
	{PurposeComplaint, "Handling complaints", "6(1)(c)/(f)"},
	{PurposeBreach, "Keeping the breach register", "6(1)(c), 33"},
	{PurposeHandover, "Handing over data at the end of a contract", "6(1)(c)"},
}

// defaultRetention is DOMAIN.md §4, used until retention rules are
// configured in the database [001 "Termijn bewaren gegevens", 004].
var defaultRetention = []ProcessingRetention{
	{Category: "personal", Event: "trajectory_end", Years: 2, Note: `[001 "Termijn bewaren gegevens", 004]`},
	{Category: "statutory", Event: "fiscal_year_end", Years: 10, Note: privacy.StatutoryNote},
}

// securityMeasures are the measures Opstap itself takes [003 bewerkers art 5].
var securityMeasures = []string{
	"Personal data is encrypted per candidate under a key of its own, wrapped by master keys kept outside the database.",
	"Every read and write of a candidate's data is decided by one access policy that separates read and write rights per role.",
	"Every access is recorded in a hash-chained audit log (who, when, role, purpose) that can be verified.",
	"Access rights are reviewed at least yearly; rights not re-attested in time are blocked.",
	"Staff who can read dossiers sign in with a second factor.",
	"E-mails carry no personal data: only a neutral line and a link.",
}

// subProcessors are the processors Opstap's operation relies on.
var subProcessors = []string{
	"Hosting of the application and its database, as configured by the provider.",
	"The e-mail relay (SMTP) that carries neutral notices only.",
}

// roleOrgKind is an organisation kind each role belongs to, to ask the
// access policy what the role may do.
var roleOrgKind = map[opstap.Role]opstap.OrgKind{
	opstap.RoleCaseManager: opstap.OrgMunicipality,
	opstap.RoleEmployer:    opstap.OrgClientEmployer,
}

// policyAccess asks the access policy what role r may do at most with cat,
// standing in its closest relation to a candidate.
func policyAccess(r opstap.Role, cat opstap.Category) opstap.Action {
	kind := roleOrgKind[r]
	if kind == "" {
		kind = opstap.OrgProvider
	}
	a := &opstap.Actor{UserID: "u", OrgID: "o", OrgKind: kind, Grants: []opstap.Grant{{Role: r, Access: opstap.Write}}}
	s := access.Subject{CandidateID: "c", CommissionerOrgID: "o", CoachUserID: "u", CandidateUserID: "u", EmployerOrgIDs: []string{"o"}}
	switch {
	case access.Decide(a, s, cat, opstap.Write, "").Allowed:
		return opstap.Write
	case access.Decide(a, s, cat, opstap.Read, "").Allowed:
		return opstap.Read
	}
	return ""
}

func processingCategories() []ProcessingCategory {
	out := make([]ProcessingCategory, 0, len(opstap.Categories))
	for _, c := range opstap.Categories {
		pc := ProcessingCategory{Category: c, Special: c == opstap.CatMedical || c == opstap.CatLimitations}
		for _, r := range opstap.Roles {
			if act := policyAccess(r, c); act != "" {
				pc.Access = append(pc.Access, RoleAccess{r, act})
			}
		}
		out = append(out, pc)
	}
	return out
}

// readable lists the categories role r may read.
func readable(r opstap.Role) []opstap.Category {
	var out []opstap.Category
	for _, c := range opstap.Categories {
		if policyAccess(r, c) != "" {
			out = append(out, c)
		}
	}
	return out
}

// RecordsOfProcessing generates the register of processing activities.
// Anyone who reviews rights, keeps the breach register or reads the audit
// log may see it; it holds no personal data.
func (db *DB) RecordsOfProcessing(ctx context.Context, a *opstap.Actor) (*ProcessingRecord, error) {
	if !can(a, access.ReviewGrants) && !can(a, access.ManageBreaches) && !can(a, access.ReadAuditLog) {
		return nil, forbidden()
	}
	rec := &ProcessingRecord{GeneratedAt: db.Now().UTC(), Categories: processingCategories(), Security: securityMeasures, Processors: subProcessors}
	rec.Purposes = append(rec.Purposes, processingPurposes...)
	for _, t := range consent.Topics {
		rec.Purposes = append(rec.Purposes, ProcessingPurpose{Code: "consent:" + string(t), Text: consent.DefaultPurposes[t], Basis: "6(1)(a)"})
	}
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	rec.Recipients = recipients(rec, orgs)
	rec.Retention, rec.RetentionSrc = db.retentionRules(ctx, orgs)
	err = db.WithTx(ctx, func(tx *Tx) error {
		var err error
		rec.Facts, err = tx.securityFacts(ctx)
		return err
	})
	return rec, err
}

// recipients groups the organisations by kind; the provider is the
// processor itself.
func recipients(rec *ProcessingRecord, orgs []account.Organisation) []ProcessingRecipient {
	var out []ProcessingRecipient
	for _, k := range opstap.OrgKinds {
		if k == opstap.OrgProvider {
			continue
		}
		role := opstap.RoleCaseManager
		if k == opstap.OrgClientEmployer {
			role = opstap.RoleEmployer
		}
		r := ProcessingRecipient{Kind: k, Organisations: []string{}, Categories: readable(role)}
		for _, o := range orgs {
			if o.Kind == k {
				r.Organisations = append(r.Organisations, o.Name)
			}
		}
		out = append(out, r)
	}
	for _, o := range orgs {
		switch {
		case o.Kind == opstap.OrgProvider && rec.Processor == "":
			rec.Processor = o.Name
		case o.Kind.Commissioner():
			rec.Controllers = append(rec.Controllers, o)
		}
	}
	return out
}

// retentionRules reads the configured retention rules; until the
// retention table exists (or when it is empty) the defaults of DOMAIN.md
// §4 apply. It reads outside a transaction: on PostgreSQL a failed query
// would abort one.
func (db *DB) retentionRules(ctx context.Context, orgs []account.Organisation) ([]ProcessingRetention, string) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT COALESCE(commissioner_org_id, ''), category, event, years, note FROM retention_rules ORDER BY COALESCE(commissioner_org_id, ''), category`)
	names := map[string]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	out, err := collect(rows, err, func(rows scanner) (ProcessingRetention, error) {
		var r ProcessingRetention
		var org string
		err := rows.Scan(&org, &r.Category, &r.Event, &r.Years, &r.Note)
		r.Commissioner = names[org]
		return r, err
	})
	if err != nil || len(out) == 0 {
		return defaultRetention, "defaults"
	}
	return out, "configuration"
}

func (tx *Tx) securityFacts(ctx context.Context) (SecurityFacts, error) {
	f := SecurityFacts{ActiveGrants: map[string]int{}}
	if tx.db.Keyring != nil {
		f.KeyVersions = tx.db.Keyring.Versions()
	}
	if err := tx.queryRow(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&f.AuditEntries); err != nil {
		return f, err
	}
	gs, err := tx.activeGrants(ctx, true, "")
	if err != nil {
		return f, err
	}
	for _, g := range gs {
		f.ActiveGrants[string(g.Role)]++
		if g.State == access.ReviewOverdue {
			f.OverdueGrants++
		}
	}
	err = tx.queryRow(ctx, `SELECT COUNT(*) FROM breaches WHERE status IN (?, ?)`, string(privacy.BreachSuspected), string(privacy.BreachConfirmed)).Scan(&f.OpenBreaches)
	return f, err
}
