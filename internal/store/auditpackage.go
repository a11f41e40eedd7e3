package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
)

// AuditPackage is what a commissioner, as the controller, gets to audit the
// provider [003 bewerkers art 3]: the access log of its candidates, the
// rights of everyone who can reach them with their review history
// [003 bewerkers art 5], and the breaches that touched its candidates.
// Candidates appear by their random id only; the breaches without their
// sealed texts, which may name people of other controllers.
type AuditPackage struct {
	GeneratedAt  time.Time            `json:"generated_at"`
	Commissioner account.Organisation `json:"commissioner"`
	CandidateIDs []string             `json:"candidate_ids"`
	AccessLog    []audit.Entry        `json:"access_log"`
	Grants       []ReviewGrant        `json:"grants"`
	Reviews      []GrantReview        `json:"reviews"`
	Breaches     []BreachDigest       `json:"breaches"`
}

// BreachDigest is a breach as a controller sees it in its audit package.
type BreachDigest struct {
	ID           string               `json:"id"`
	DiscoveredAt time.Time            `json:"discovered_at"`
	Deadline     time.Time            `json:"deadline"`
	Status       privacy.BreachStatus `json:"status"`
	Categories   []opstap.Category    `json:"categories"`
	APNotifiedAt *time.Time           `json:"ap_notified_at,omitempty"`
	Candidates   int                  `json:"candidates"` // of this commissioner
	InformedAt   *time.Time           `json:"informed_at,omitempty"`
}

// canAuditCommissioner: the provider's privacy officer and auditor, and
// the commissioner's own auditor [003 bewerkers art 3].
func canAuditCommissioner(a *opstap.Actor, orgID string) bool {
	return can(a, access.ReadAuditLog) ||
		(a != nil && a.OrgID == orgID && a.OrgKind.Commissioner() && a.Has(opstap.RoleAuditor, opstap.Read))
}

// CommissionerAuditPackage assembles the audit package of one commissioner.
// Handing it out is logged as an export.
func (db *DB) CommissionerAuditPackage(ctx context.Context, a *opstap.Actor, orgID string) (*AuditPackage, error) {
	if !canAuditCommissioner(a, orgID) {
		return nil, forbidden()
	}
	p := &AuditPackage{GeneratedAt: db.Now().UTC()}
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if p.Commissioner, err = tx.commissioner(ctx, orgID); err != nil {
			return err
		}
		if p.CandidateIDs, err = tx.strings(ctx, `SELECT id FROM candidates WHERE commissioner_org_id = ? ORDER BY id`, orgID); err != nil {
			return err
		}
		if p.Grants, err = tx.reachingGrants(ctx, orgID); err != nil {
			return err
		}
		ids := make([]string, len(p.Grants))
		for i, g := range p.Grants {
			ids[i] = g.ID
		}
		if p.Reviews, err = tx.grantReviewHistory(ctx, ids); err != nil {
			return err
		}
		p.Breaches, err = tx.breachDigests(ctx, orgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.AccessLog, err = db.commissionerLog(ctx, orgID); err != nil {
		return nil, err
	}
	e := entryFor(a, audit.EventExport)
	e.Purpose = "audit"
	e.Detail = "audit package for organisation " + orgID + ": " + strconv.Itoa(len(p.AccessLog)) + " entries"
	return p, db.AppendAudit(ctx, e)
}

func (tx *Tx) commissioner(ctx context.Context, orgID string) (account.Organisation, error) {
	var o account.Organisation
	err := tx.queryRow(ctx, `SELECT id, name, kind, COALESCE(cbs_code, ''), created_at FROM organisations WHERE id = ?`, orgID).
		Scan(&o.ID, &o.Name, &o.Kind, &o.CBSCode, scanTime(&o.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !o.Kind.Commissioner()) {
		return o, opstap.Errorf(opstap.ENOTFOUND, "unknown commissioner")
	}
	return o, err
}

// reachingGrants lists every grant, active or not, of the users who can
// reach the commissioner's candidates: the provider's staff in roles the
// access policy lets read some candidate data, and the commissioner's own
// users.
func (tx *Tx) reachingGrants(ctx context.Context, orgID string) ([]ReviewGrant, error) {
	rows, err := tx.query(ctx, (`SELECT ` + reviewGrantColumns + ` FROM grants g JOIN users u ON u.id = g.user_id
		JOIN organisations o ON o.id = u.org_id WHERE o.kind = ? OR o.id = ? ORDER BY o.name, u.name, g.granted_at, g.id`), string(opstap.OrgProvider), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReviewGrant
	for rows.Next() {
		g, err := scanReviewGrant(rows)
		if err != nil {
			return nil, err
		}
		if g.OrgID != orgID && len(readable(g.Role)) == 0 {
			continue
		}
		g.ReviewSchedule = access.ScheduleFor(g.ReviewedAt)
		g.State = g.ReviewSchedule.State(tx.Now())
		out = append(out, g)
	}
	return out, rows.Err()
}

func (tx *Tx) breachDigests(ctx context.Context, orgID string) ([]BreachDigest, error) {
	rows, err := tx.query(ctx, (`SELECT b.id, b.discovered_at, b.status, b.categories, b.ap_notified_at, COUNT(*), MAX(bc.informed_at)
		FROM breaches b JOIN breach_candidates x ON x.breach_id = b.id JOIN candidates c ON c.id = x.candidate_id
		LEFT JOIN breach_controllers bc ON bc.breach_id = b.id AND bc.org_id = c.commissioner_org_id
		WHERE c.commissioner_org_id = ? GROUP BY b.id, b.discovered_at, b.status, b.categories, b.ap_notified_at ORDER BY b.discovered_at`), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []BreachDigest{}
	for rows.Next() {
		var d BreachDigest
		var cats string
		if err := rows.Scan(&d.ID, scanTime(&d.DiscoveredAt), &d.Status, &cats, scanNullTime(&d.APNotifiedAt), &d.Candidates, scanNullTime(&d.InformedAt)); err != nil {
			return nil, err
		}
		d.Categories, d.Deadline = splitCategories(cats), privacy.BreachDeadline(d.DiscoveredAt)
		out = append(out, d)
	}
	return out, rows.Err()
}

// commissionerLog reads the audit entries about the commissioner's
// candidates, a page at a time outside a transaction, like VerifyAudit.
func (db *DB) commissionerLog(ctx context.Context, orgID string) ([]audit.Entry, error) {
	out := []audit.Entry{}
	var after int64
	for {
		page, err := db.queryAudit(ctx, "SELECT "+auditColumns+` FROM audit_log WHERE candidate_id IN (SELECT id FROM candidates WHERE commissioner_org_id = ?)
			AND seq > ? ORDER BY seq LIMIT ?`, orgID, after, auditPage)
		if err != nil {
			return nil, err
		}
		out = slices.Concat(out, page)
		if len(page) < auditPage {
			return out, nil
		}
		after = page[len(page)-1].Seq
	}
}
