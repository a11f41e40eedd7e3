package access

import "github.com/opstap/opstap"

// Capability is a power that is not about one candidate's data.
type Capability string

// The capabilities.
const (
	// ManageAccounts is creating users and granting, renewing and blocking
	// their roles: configuration and accounts are the application admin's
	// [002 art 8.2], read and write rights kept apart [003 bewerkers art 5a].
	ManageAccounts Capability = "manage_accounts"
	// ReadAuditLog is reading who read or changed what, of whom, when, in
	// which role and why (DOMAIN.md §4) [001; 004 "Inzagerecht"].
	ReadAuditLog Capability = "read_audit_log"
	// VerifyAuditLog is checking the audit log's hash chain, which shows
	// whether it is intact but none of its contents.
	VerifyAuditLog Capability = "verify_audit_log"
	// ManageOrganisations is registering and changing organisations
	// (commissioners, client employers) and their settings [002 art 8.2].
	ManageOrganisations Capability = "manage_organisations"
	// RegisterCandidates is registering a candidate: the municipality does
	// for the flex instrument [003 art 5 lid 5], the provider's coach for the
	// other trajectories.
	RegisterCandidates Capability = "register_candidates"
	// ReviewGrants is the at least yearly review of access rights
	// [003 bewerkers art 5a].
	ReviewGrants Capability = "review_grants"
	// ManageBreaches is keeping the breach register and handling a breach
	// [003 bewerkers art 5c].
	ManageBreaches Capability = "manage_breaches"
	// HandleComplaints is registering, acknowledging and handling complaints
	// [000 art 12; 002 art 9].
	HandleComplaints Capability = "handle_complaints"
	// ManageFinance is timesheets, invoices, premiums and settlements
	// [003 art 5 lid 8, 6].
	ManageFinance Capability = "manage_finance"
	// SetHourlyRate is setting the hourly rate an employer is charged for an
	// assignment: the municipality's alone, also on a national account the
	// provider brought [003 art 5 lid 8]. FlexRole.MaySetRate adds that it
	// is the assignment's own municipality.
	SetHourlyRate Capability = "set_hourly_rate"
	// ManageContractTerms is keeping the contract terms per municipality and
	// the yearly premium cap table [003 art 5, 6; Participatiewet art 31].
	ManageContractTerms Capability = "manage_contract_terms"
	// ManagePremiumCaps is keeping the table of yearly maximum premiums
	// (Participatiewet art 31 lid 2 onder j, indexed every year): the
	// application admin's, as configuration [002 art 8.2].
	ManagePremiumCaps Capability = "manage_premium_caps"
	// ReadOwnInvoices is reading the invoices addressed to one's own
	// organisation: a municipality its monthly invoices [003 art 6.2] and
	// its drawn-up half-year settlements [003 art 6.1 lid 5, 6.2 lid 4], a
	// client employer its hours invoices [003 art 5 lid 8]. The store checks
	// in addition that the invoice's buyer, or the settlement's
	// municipality, is the actor's organisation.
	ReadOwnInvoices Capability = "read_own_invoices"
	// ReopenPeriods is reopening a month finance closed, with a stated
	// reason: the application admin's, so that finance cannot quietly undo
	// its own closing (issue 9 item 7).
	ReopenPeriods Capability = "reopen_periods"
	// ReadFigures is reading the municipality's figures of the flex
	// instrument (issue 10; DOMAIN.md §6): counts without personal data. A
	// municipality's case manager reads its own (the store checks the
	// municipality); the provider's finance, admin and auditor any
	// municipality's [003 art 5 lid 10, 11].
	ReadFigures Capability = "read_figures"
	// ReadProviderFigures is reading the figures of every municipality side
	// by side, with the period before (issue 10 item 8): counts only, for the
	// provider's management — finance, the application admin and the
	// auditor of the provider.
	ReadProviderFigures Capability = "read_provider_figures"
	// ImportFigureHistory is bringing a municipality's past into the facts
	// the figures count (issue 10 item 3): pseudonymous, no personal data.
	// The municipality's case manager for their own (the store checks the
	// municipality), the provider's application admin for any, as the
	// configuration of a new municipality [002 art 8.2].
	ImportFigureHistory Capability = "import_figure_history"
	// ReadManagementReports is reading the monthly management report and
	// the quarterly progress report of a municipality [003 art 5 lid 10,
	// 11], which name candidates and their money: the municipality's case
	// manager its own (the store checks the municipality), finance those
	// of every municipality.
	ReadManagementReports Capability = "read_management_reports"
)

// Capabilities lists every capability in a stable order.
var Capabilities = []Capability{
	ManageAccounts, ReadAuditLog, VerifyAuditLog, ManageOrganisations, RegisterCandidates,
	ReviewGrants, ManageBreaches, HandleComplaints, ManageFinance, SetHourlyRate, ManageContractTerms, ManagePremiumCaps, ReopenPeriods, ReadOwnInvoices, ReadFigures,
	ReadManagementReports, ImportFigureHistory, ReadProviderFigures,
}

// holder is a role that holds a capability with at least access, in an
// organisation of kind org when org is set.
type holder struct {
	role   opstap.Role
	access opstap.Action
	org    opstap.OrgKind
}

// capabilityHolders is the capability table. The role must also apply to
// the actor's organisation (roleOrgKinds); capabilities span every candidate,
// so an auditor holds them only as the provider's auditor: a commissioner's
// auditor sees their own candidates through Decide.
var capabilityHolders = map[Capability][]holder{
	ManageAccounts:      {{opstap.RoleAdmin, opstap.Write, ""}},
	ReadAuditLog:        {{opstap.RolePrivacyOfficer, opstap.Read, ""}, {opstap.RoleAuditor, opstap.Read, ""}},
	VerifyAuditLog:      {{opstap.RolePrivacyOfficer, opstap.Read, ""}, {opstap.RoleAuditor, opstap.Read, ""}, {opstap.RoleAdmin, opstap.Read, ""}},
	ManageOrganisations: {{opstap.RoleAdmin, opstap.Write, ""}},
	RegisterCandidates:  {{opstap.RoleCaseManager, opstap.Write, ""}, {opstap.RoleCoach, opstap.Write, ""}},
	ReviewGrants:        {{opstap.RoleAdmin, opstap.Read, ""}, {opstap.RolePrivacyOfficer, opstap.Read, ""}},
	ManageBreaches:      {{opstap.RolePrivacyOfficer, opstap.Write, ""}},
	HandleComplaints:    {{opstap.RoleComplaintsDesk, opstap.Read, ""}},
	ManageFinance:       {{opstap.RoleFinance, opstap.Write, ""}},
	SetHourlyRate:       {{opstap.RoleCaseManager, opstap.Write, opstap.OrgMunicipality}},
	ManageContractTerms: {{opstap.RoleFinance, opstap.Write, ""}, {opstap.RoleAdmin, opstap.Write, ""}},
	ManagePremiumCaps:   {{opstap.RoleAdmin, opstap.Write, ""}},
	ReadOwnInvoices:     {{opstap.RoleCaseManager, opstap.Read, opstap.OrgMunicipality}, {opstap.RoleEmployer, opstap.Read, opstap.OrgClientEmployer}},
	ReopenPeriods:       {{opstap.RoleAdmin, opstap.Write, ""}},
	ReadFigures: {{opstap.RoleCaseManager, opstap.Read, opstap.OrgMunicipality}, {opstap.RoleFinance, opstap.Read, opstap.OrgProvider},
		{opstap.RoleAdmin, opstap.Read, opstap.OrgProvider}, {opstap.RoleAuditor, opstap.Read, ""}},
	ReadManagementReports: {{opstap.RoleCaseManager, opstap.Read, opstap.OrgMunicipality}, {opstap.RoleFinance, opstap.Read, ""}},
	ImportFigureHistory:   {{opstap.RoleCaseManager, opstap.Write, opstap.OrgMunicipality}, {opstap.RoleAdmin, opstap.Write, opstap.OrgProvider}},
	ReadProviderFigures: {{opstap.RoleFinance, opstap.Read, opstap.OrgProvider}, {opstap.RoleAdmin, opstap.Read, opstap.OrgProvider},
		{opstap.RoleAuditor, opstap.Read, opstap.OrgProvider}},
}

// Can reports whether a holds capability c. Grants count as for Decide; an
// unknown capability is held by nobody.
func Can(a *opstap.Actor, c Capability) bool {
	if a == nil {
		return false
	}
	_, writable := grantsOf(a)
	for _, h := range capabilityHolders[c] {
		w, held := writable[h.role]
		switch {
		case !held || !roleApplies(a, h.role):
		case h.role == opstap.RoleAuditor && a.OrgKind != opstap.OrgProvider:
		case h.access == opstap.Write && !w:
		case h.org != "" && a.OrgKind != h.org:
		default:
			return true
		}
	}
	return false
}
