package store

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// Figure is one count on a role's home page, with the page it leads to.
// Counts hold no personal data, so they are not audited as reads.
type Figure struct {
	Label string `json:"label"`
	Count int    `json:"count"`
	Href  string `json:"href"`
	// Attention marks a count that asks for action (overdue, waiting).
	Attention bool `json:"attention"`
}

type figureQuery struct {
	role      opstap.Role
	label     string
	href      string
	attention bool
	sql       string
	args      func(a *opstap.Actor, today opstap.Date, cbs string) []any
}

func byUser(a *opstap.Actor, _ opstap.Date, _ string) []any      { return []any{a.UserID} }
func byOrg(a *opstap.Actor, _ opstap.Date, _ string) []any       { return []any{a.OrgID} }
func byCBS(_ *opstap.Actor, _ opstap.Date, cbs string) []any     { return []any{cbs} }
func byToday(_ *opstap.Actor, today opstap.Date, _ string) []any { return []any{today} }
func noArgs(_ *opstap.Actor, _ opstap.Date, _ string) []any      { return nil }

// figureQueries say per role what its home page counts.
var figureQueries = []figureQuery{
	{opstap.RoleCoach, "My candidates", "/candidates", false,
		`SELECT COUNT(*) FROM candidates WHERE coach_user_id = ?`, byUser},
	{opstap.RoleCoach, "Reports awaiting the candidate's approval", "/candidates", false,
		`SELECT COUNT(*) FROM report_versions v JOIN reports r ON r.id = v.report_id JOIN candidates c ON c.id = r.candidate_id
		 WHERE c.coach_user_id = ? AND v.status = 'submitted'`, byUser},
	{opstap.RoleCaseManager, "Candidates of your organisation", "/candidates", false,
		`SELECT COUNT(*) FROM candidates WHERE commissioner_org_id = ?`, byOrg},
	{opstap.RoleCaseManager, "Open assignments", "/assignments", false,
		`SELECT COUNT(*) FROM assignments WHERE municipality_cbs = ? AND status = 'open'`, byCBS},
	{opstap.RoleCaseManager, "Placements waiting for your confirmation", "/placements?status=accepted", true,
		`SELECT COUNT(*) FROM placements p JOIN assignments s ON s.id = p.assignment_id WHERE s.municipality_cbs = ? AND p.status = 'accepted'`, byCBS},
	{opstap.RoleComplaintsDesk, "Open complaints", "/complaints", false,
		`SELECT COUNT(*) FROM complaints WHERE outcome = ''`, noArgs},
	{opstap.RoleComplaintsDesk, "Complaints past a deadline", "/complaints?status=overdue", true,
		`SELECT COUNT(*) FROM complaints WHERE outcome = '' AND (outcome_due_on < ? OR (acknowledged_on IS NULL AND ack_due_on < ?))`,
		func(_ *opstap.Actor, d opstap.Date, _ string) []any { return []any{d, d} }},
	{opstap.RolePrivacyOfficer, "Open privacy requests", "/privacy/requests", false,
		`SELECT COUNT(*) FROM rights_requests WHERE status IN ('received', 'in_progress')`, noArgs},
	{opstap.RolePrivacyOfficer, "Privacy requests past their deadline", "/privacy/requests?status=overdue", true,
		`SELECT COUNT(*) FROM rights_requests WHERE status IN ('received', 'in_progress') AND due_on < ?`, byToday},
	{opstap.RolePrivacyOfficer, "Open breaches", "/privacy/breaches", true,
		`SELECT COUNT(*) FROM breaches WHERE status IN ('suspected', 'confirmed')`, noArgs},
	{opstap.RoleEmployer, "Proposals waiting for your answer", "/employer/placements", true,
		`SELECT COUNT(*) FROM placements p JOIN assignments s ON s.id = p.assignment_id WHERE s.employer_org_id = ? AND p.status IN ('proposed', 'accepted_by_candidate')`, byOrg},
	{opstap.RoleEmployer, "Running placements", "/employer/placements", false,
		`SELECT COUNT(*) FROM placements p JOIN assignments s ON s.id = p.assignment_id WHERE s.employer_org_id = ? AND p.status = 'confirmed'`, byOrg},
	{opstap.RoleCandidate, "Reports waiting for your approval", "/portal/reports", true,
		`SELECT COUNT(*) FROM report_versions v JOIN reports r ON r.id = v.report_id JOIN candidates c ON c.id = r.candidate_id
		 WHERE c.user_id = ? AND v.status = 'submitted'`, byUser},
	{opstap.RoleCandidate, "Unread messages", "/notifications", true,
		`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, byUser},
	{opstap.RoleAdmin, "Rights due for review", "/privacy/reviews", true,
		`SELECT COUNT(*) FROM grants WHERE blocked_at IS NULL AND reviewed_at < ?`,
		func(_ *opstap.Actor, d opstap.Date, _ string) []any {
			return []any{d.AddMonths(-access.ReviewDueMonths).Time().UTC()}
		}},
}

// HomeFigures counts, for each of the actor's roles, the work waiting.
func (db *DB) HomeFigures(ctx context.Context, a *opstap.Actor) ([]Figure, error) {
	today := opstap.DateOf(db.Now())
	var cbs string
	if a.OrgKind == opstap.OrgMunicipality {
		_ = db.SQL.QueryRowContext(ctx, db.rebind(`SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`), a.OrgID).Scan(&cbs)
	}
	var out []Figure
	for _, q := range figureQueries {
		if !a.Has(q.role, opstap.Read) {
			continue
		}
		f := Figure{Label: q.label, Href: q.href}
		if err := db.SQL.QueryRowContext(ctx, db.rebind(q.sql), q.args(a, today, cbs)...).Scan(&f.Count); err != nil {
			return nil, err
		}
		f.Attention = q.attention && f.Count > 0
		out = append(out, f)
	}
	return out, nil
}
