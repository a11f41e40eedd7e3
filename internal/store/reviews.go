package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
)

// Access reviews [003 bewerkers art 5]: the schedule (due, overdue,
// blocked) and who reviews which grants are internal/access's (review.go);
// the store keeps the grants and their history.

// NoticeGrantsDue tells an organisation's admin that rights are due for
// review; the text names nobody.
const NoticeGrantsDue = "grants_due_for_review"

func init() {
	noticeTexts[NoticeGrantsDue] = struct{ Text string }{Text: "Access rights are due for review in Opstap."}
}

// Outcomes recorded in a grant's review history.
const (
	ReviewReattested     = "reattested"
	ReviewBlocked        = "blocked"
	ReviewBlockedOverdue = "blocked_overdue"
)

// ReviewGrant is one grant on the review page.
type ReviewGrant struct {
	opstap.Grant
	access.ReviewSchedule
	State     string         `json:"state"`
	UserName  string         `json:"user_name"`
	UserEmail string         `json:"user_email"`
	OrgID     string         `json:"org_id"`
	OrgName   string         `json:"org_name"`
	OrgKind   opstap.OrgKind `json:"org_kind"`
	Own       bool           `json:"own"` // the reviewer's own grant: someone else must attest it
}

// GrantReview is one entry of a grant's review history.
type GrantReview struct {
	GrantID  string    `json:"grant_id"`
	Outcome  string    `json:"outcome"`
	ByUserID string    `json:"by_user_id"`
	At       time.Time `json:"at"`
}

const reviewGrantColumns = `g.id, g.user_id, g.role, g.access, COALESCE(g.granted_by, ''), g.granted_at, g.expires_at, g.blocked_at, g.reviewed_at,
	u.name, u.email, o.id, o.name, o.kind`

func scanReviewGrant(row scanner) (ReviewGrant, error) {
	var g ReviewGrant
	err := row.Scan(&g.ID, &g.UserID, &g.Role, &g.Access, &g.GrantedBy, scanTime(&g.GrantedAt), scanNullTime(&g.ExpiresAt),
		scanNullTime(&g.BlockedAt), scanTime(&g.ReviewedAt), &g.UserName, &g.UserEmail, &g.OrgID, &g.OrgName, &g.OrgKind)
	return g, err
}

// activeGrants returns every usable grant (not blocked, not expired, of an
// account that is not blocked) in the scope, with its review state at now.
func (tx *Tx) activeGrants(ctx context.Context, all bool, orgID string) ([]ReviewGrant, error) {
	q := `SELECT ` + reviewGrantColumns + ` FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = u.org_id
		WHERE g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?) AND u.blocked_at IS NULL`
	args := []any{tx.Now()}
	if !all {
		q += ` AND u.org_id = ?`
		args = append(args, orgID)
	}
	rows, err := tx.query(ctx, (q + ` ORDER BY g.reviewed_at, g.id`), args...)
	var out []ReviewGrant
	if err := each(rows, err, func(rows scanner) error {
		g, err := scanReviewGrant(rows)
		if err != nil {
			return err
		}
		g.ReviewSchedule = access.ScheduleFor(g.ReviewedAt)
		g.State = g.ReviewSchedule.State(tx.Now())
		out = append(out, g)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// GrantsForReview lists the grants in the actor's scope that are due or
// overdue for review, overdue first [003 bewerkers art 5]. With all set it
// lists every active grant in scope.
func (db *DB) GrantsForReview(ctx context.Context, a *opstap.Actor, all bool) ([]ReviewGrant, error) {
	every, orgID, ok := access.ReviewScope(a)
	if !ok {
		return nil, forbidden()
	}
	var out []ReviewGrant
	err := db.WithTx(ctx, func(tx *Tx) error {
		gs, err := tx.activeGrants(ctx, every, orgID)
		for _, g := range gs {
			if all || g.State != access.ReviewOK {
				g.Own = g.UserID == a.UserID
				out = append(out, g)
			}
		}
		return err
	})
	rank := map[string]int{access.ReviewOverdue: 0, access.ReviewDue: 1, access.ReviewOK: 2}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].State] < rank[out[j].State] })
	return out, err
}

// reviewableGrant loads a grant the actor may review: in scope, active,
// and not the actor's own (nobody attests their own access).
func (tx *Tx) reviewableGrant(ctx context.Context, a *opstap.Actor, grantID string) (ReviewGrant, error) {
	all, orgID, ok := access.ReviewScope(a)
	if !ok {
		return ReviewGrant{}, forbidden()
	}
	g, err := scanReviewGrant(tx.queryRow(ctx, `SELECT `+reviewGrantColumns+` FROM grants g JOIN users u ON u.id = g.user_id
		JOIN organisations o ON o.id = u.org_id WHERE g.id = ?`, grantID))
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && !all && g.OrgID != orgID:
		return g, opstap.Errorf(opstap.ENOTFOUND, "no such active grant")
	case err != nil:
		return g, err
	case !g.Active(tx.Now()):
		return g, opstap.Errorf(opstap.ENOTFOUND, "no such active grant")
	case g.UserID == a.UserID:
		return g, opstap.Errorf(opstap.ECONFLICT, "you cannot review your own rights")
	}
	return g, nil
}

// recordReview writes one line of a grant's review history.
func (tx *Tx) recordReview(ctx context.Context, grantID, outcome, by string) error {
	_, err := tx.exec(ctx, `INSERT INTO grant_reviews (id, grant_id, outcome, by_user_id, at) VALUES (?, ?, ?, ?, ?)`,
		newID(), grantID, outcome, by, tx.Now())
	return err
}

// ReattestGrant confirms that a grant is still needed: its review date
// becomes now, and the re-attestation is recorded and audited.
func (db *DB) ReattestGrant(ctx context.Context, a *opstap.Actor, grantID string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.reviewableGrant(ctx, a, grantID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE grants SET reviewed_at = ? WHERE id = ?`, tx.Now(), grantID); err != nil {
			return err
		}
		if err := tx.recordReview(ctx, grantID, ReviewReattested, a.UserID); err != nil {
			return err
		}
		e := entryFor(a, audit.EventGrantChange)
		e.Detail = "re-attested grant " + grantID
		return tx.Audit(ctx, e)
	})
}

// ReviewBlockGrant blocks a grant found no longer needed in a review. It
// takes effect on the next request of every open session and API token:
// each request rebuilds the actor from the grants in the database.
func (db *DB) ReviewBlockGrant(ctx context.Context, a *opstap.Actor, grantID string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.reviewableGrant(ctx, a, grantID); err != nil {
			return err
		}
		if err := tx.blockForReview(ctx, grantID, ReviewBlocked, a.UserID); err != nil {
			return err
		}
		e := entryFor(a, audit.EventGrantChange)
		e.Detail = "blocked grant " + grantID + " in access review"
		return tx.Audit(ctx, e)
	})
}

func (tx *Tx) blockForReview(ctx context.Context, grantID, outcome, by string) error {
	if _, err := tx.exec(ctx, `UPDATE grants SET blocked_at = ? WHERE id = ? AND blocked_at IS NULL`, tx.Now(), grantID); err != nil {
		return err
	}
	return tx.recordReview(ctx, grantID, outcome, by)
}

// GrantReviewHistory returns the review history of the given grants.
func (tx *Tx) grantReviewHistory(ctx context.Context, grantIDs []string) ([]GrantReview, error) {
	var out []GrantReview
	for len(grantIDs) > 0 {
		n := min(len(grantIDs), 500)
		args := make([]any, n)
		for i, id := range grantIDs[:n] {
			args[i] = id
		}
		grantIDs = grantIDs[n:]
		rows, err := tx.query(ctx, (`SELECT grant_id, outcome, by_user_id, at FROM grant_reviews WHERE grant_id IN (` + placeholders(n) + `) ORDER BY at, id`), args...)
		if err := each(rows, err, func(rows scanner) error {
			var r GrantReview
			if err := rows.Scan(&r.GrantID, &r.Outcome, &r.ByUserID, scanTime(&r.At)); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// placeholders returns "?, ?, …" for n arguments.
func placeholders(n int) string {
	b := make([]byte, 0, 3*n)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}

// ReviewRun is what one run of the daily review job did.
type ReviewRun struct {
	Due      int // grants due or overdue and still active
	Notified int // admins notified
	Blocked  int // grants blocked for want of re-attestation
}

// RunAccessReview is the daily review job [003 bewerkers art 5]: it blocks
// grants not re-attested within twelve months and the grace period, and
// tells the admins of each organisation, once per review cycle, that
// grants of theirs are due. Blocks are audited as grant changes.
func (db *DB) RunAccessReview(ctx context.Context) (ReviewRun, error) {
	sys := &opstap.Actor{System: true}
	var run ReviewRun
	err := db.WithTx(ctx, func(tx *Tx) error {
		run = ReviewRun{}
		gs, err := tx.activeGrants(ctx, true, "")
		if err != nil {
			return err
		}
		var entries []audit.Entry
		var due []ReviewGrant
		for _, g := range gs {
			switch {
			case g.Blocks(tx.Now()):
				if err := tx.blockForReview(ctx, g.ID, ReviewBlockedOverdue, ""); err != nil {
					return err
				}
				e := entryFor(sys, audit.EventGrantChange)
				e.Detail = "blocked grant " + g.ID + ": not re-attested within 12 months and 14 days"
				entries = append(entries, e)
				run.Blocked++
			case g.State != access.ReviewOK:
				due = append(due, g)
			}
		}
		run.Due = len(due)
		if run.Notified, err = tx.notifyReviewers(ctx, due); err != nil {
			return err
		}
		return tx.Audit(ctx, entries...)
	})
	return run, err
}

// notifyReviewers notifies, once per review cycle of a grant, the admins
// of the grant's organisation, or the provider's admins where the
// organisation has none. It returns the number of admins notified.
func (tx *Tx) notifyReviewers(ctx context.Context, due []ReviewGrant) (int, error) {
	admins, err := tx.adminsByOrg(ctx)
	if err != nil {
		return 0, err
	}
	provider := admins[""]
	var notify []string
	for _, g := range due {
		var last *time.Time
		err := tx.queryRow(ctx, `SELECT notified_at FROM grant_review_notices WHERE grant_id = ?`, g.ID).Scan(scanNullTime(&last))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		if last != nil && !last.Before(g.ReviewedAt) {
			continue // already told in this cycle
		}
		if _, err := tx.exec(ctx, `INSERT INTO grant_review_notices (grant_id, notified_at) VALUES (?, ?)
			ON CONFLICT (grant_id) DO UPDATE SET notified_at = excluded.notified_at`, g.ID, tx.Now()); err != nil {
			return 0, err
		}
		to := admins[g.OrgID]
		if g.OrgKind == opstap.OrgProvider || len(to) == 0 {
			to = provider
		}
		for _, id := range to {
			if id != g.UserID && !slices.Contains(notify, id) {
				notify = append(notify, id)
			}
		}
	}
	for _, id := range notify {
		if err := tx.Notify(ctx, id, NoticeGrantsDue, "/privacy/reviews"); err != nil {
			return 0, err
		}
	}
	return len(notify), nil
}

// adminsByOrg maps each organisation to its users with an active admin
// grant; the provider's admins are under "".
func (tx *Tx) adminsByOrg(ctx context.Context) (map[string][]string, error) {
	rows, err := tx.query(ctx, (`SELECT DISTINCT u.id, u.org_id, o.kind FROM grants g JOIN users u ON u.id = g.user_id
		JOIN organisations o ON o.id = u.org_id
		WHERE g.role = ? AND g.access = 'write' AND g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?) AND u.blocked_at IS NULL
		ORDER BY u.id`), string(opstap.RoleAdmin), tx.Now())
	out := map[string][]string{}
	if err := each(rows, err, func(rows scanner) error {
		var id, org string
		var kind opstap.OrgKind
		if err := rows.Scan(&id, &org, &kind); err != nil {
			return err
		}
		if kind == opstap.OrgProvider {
			org = ""
		}
		out[org] = append(out[org], id)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
