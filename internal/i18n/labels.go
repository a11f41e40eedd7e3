package i18n

import "fmt"

// labels is the checked table of the message IDs that code and templates
// build at run time from a code: Label(lang, "role", "coach") looks up the
// message "role:coach". Each family lists every code it may be given; the
// catalogue test reads this table, so it knows these IDs are used, and it
// fails when one has no translation or when a family's ID in the catalogue
// is missing here. A new code: add it here and to locales/nl and locales/en.
var labels = map[string][]string{
	"assignment-set":    {"closed", "filled", "open"},
	"assignment-status": {"closed", "draft", "filled", "open"},
	"access":            {"read", "write"},
	"agreement":         {"cooperation_agreement", "privacy_statement"},
	"agreement-method":  {"portal", "signed_upload"},
	"avg-ground":        {"c", "e"},
	"benefit":           {"anw", "ioaw", "none", "participatiewet", "wajong", "wia", "ww", "zw"},
	"breach-status":     {"closed", "confirmed", "not_a_breach", "suspected"},
	"category":          {"basic", "benefit", "bsn", "education", "financial", "limitations", "medical", "notes", "preferences", "reports", "timesheets"},
	"consent-method":    {"paper", "portal", "verbal_recorded_by_staff"},
	"consent-topic":     {"commercial_use", "newsletters", "share_action_plan", "share_cv_with_employers", "share_health_data_with_commissioner", "share_reports"},
	"contract":          {"fixed_term", "on_call", "permanent", "self_employed", "temporary_agency"},
	"field":             {"account_holder", "birth_date", "bsn", "city", "diplomas", "email", "first_name", "gender", "hours_per_week", "house_number", "iban", "kind", "last_name", "level", "max_travel_km", "nationality", "occupations", "phone", "postcode", "start", "street", "wishes", "work_experience"},
	"figure":            {"assignments_open", "minutes", "placed_candidates", "placements_started", "revenue_cents"},
	"hours-status":      {"approved", "rejected", "submitted"},
	"invoice-kind":      {"credit_note", "employer", "municipality"},
	"invoice-status":    {"credit", "credited", "open", "paid"},
	"kind":              {"appointments", "break_glass_reasons", "complaints", "consents", "data_key", "documents", "dossier_entries", "flex_profile", "limitations", "newsletters", "personal_data", "portal_account", "privacy_measures", "refused", "reports", "search_terms", "sharings", "trajectory_notes"},
	"list-status":       {"all", "closed", "open", "overdue"},
	"legal-ground":      {"consent", "contract", "legal_obligation", "legitimate_interest"},
	"measure":           {"erase", "legal_hold", "legal_hold_lift", "objection", "restrict", "restrict_lift"},
	"org":               {"client_employer", "municipality", "provider"},
	"outcome":           {"completed", "ended_early", "outflow_regular_work"},
	"period":            {"closed", "reopened"},
	"placement":         {"accepted", "accepted_by_candidate", "accepted_by_employer", "cancelled", "confirmed", "declined", "ended", "proposed"},
	"report-kind":       {"action_plan", "brief_update", "extensive_report"},
	"report-status":     {"approved", "commented", "draft", "submitted"},
	"retention":         {"consent_withdrawn:commercial_use", "consent_withdrawn:newsletters", "consent_withdrawn:share_cv_with_employers", "on_request", "personal", "personal_no_trajectory", "replayed", "statutory"},
	"retention_event":   {"fiscal_year_end", "registration", "trajectory_end"},
	"role":              {"admin", "auditor", "candidate", "case_manager", "coach", "complaints_desk", "employer", "finance", "medical_expert", "privacy_officer"},
	"run":               {"consent", "done", "interrupted", "manual", "on_request", "running", "scheduled"},
	"scheme":            {"0106", "0190"},
	"sort":              {"newest", "oldest", "queue", "start", "title"},
	"settlement-status": {"drawn_up", "provisional"},
	"tier-rate":         {"1", "2", "3", "4", "5"},
	"tier-upto":         {"1", "2", "3", "4", "5"},
	"timesheet-field":   {"hours", "reason", "transit", "travel_km"},
	"trend":             {"down", "same", "up"},
	"weight":            {"distance", "experience", "occupation", "preference", "skills", "time_on_benefit"},
}

// labelSet is labels as a set of message IDs.
var labelSet = func() map[string]bool {
	m := map[string]bool{}
	for f, codes := range labels {
		for _, c := range codes {
			m[f+":"+c] = true
		}
	}
	return m
}()

// Label translates the code of a family ("role", "category", "placement",
// …) into lang. A code missing from the labels table is shown as it is.
func Label(lang, family string, code any) string {
	c := fmt.Sprint(code)
	id := family + ":" + c
	if !labelSet[id] {
		return c
	}
	return T(lang, id)
}

// HasLabel reports whether the labels table knows the code of family.
func HasLabel(family string, code any) bool { return labelSet[family+":"+fmt.Sprint(code)] }
