package store

import (
	"context"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/vault"
)

// recordBreakGlass keeps the reason a coach stated to open a dossier that
// is not theirs [001 "Wat gebeurt er"], sealed under the candidate's key
// (a typed reason may name people), for the privacy officer to review.
func (tx *Tx) recordBreakGlass(ctx context.Context, dk vault.DataKey, a *opstap.Actor, d access.Decision, candidateID, reason string) error {
	if !d.BreakGlass {
		return nil
	}
	// One page shows several categories; an opening is recorded once per
	// quarter of an hour, with the reason first given.
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM break_glass WHERE candidate_id = ? AND user_id = ? AND at > ? AND kind = ?`,
		candidateID, a.UserID, tx.Now().Add(-openingWindow), GlassOpen).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return tx.insertGlass(ctx, dk, a, candidateID, reason, GlassOpen)
}

// The kinds of a stated reason: opening a file, or a search that revealed
// the candidate (names only; the file stays closed).
const (
	GlassOpen   = "open"
	GlassSearch = "search"
)

// insertGlass stores a stated reason sealed under the candidate's key.
func (tx *Tx) insertGlass(ctx context.Context, dk vault.DataKey, a *opstap.Actor, candidateID, reason, kind string) error {
	id := newID()
	ct := dk.Seal([]byte(strings.TrimSpace(reason)), vault.FieldAAD(candidateID, "break_glass/"+id))
	_, err := tx.exec(ctx, `INSERT INTO break_glass (id, candidate_id, user_id, at, reason, kind) VALUES (?, ?, ?, ?, ?, ?)`, id, candidateID, a.UserID, tx.Now(), ct, kind)
	return err
}

// openingWindow is how long one stated reason keeps a file open.
const openingWindow = 15 * time.Minute

// reasonOnRecord stands in for a reason already stated and stored.
const reasonOnRecord = "reason stated earlier, on record"

// recentlyOpened reports whether the actor opened the candidate's file
// with a stated reason within the opening window. It reads outside the
// caller's transaction, which WAL and PostgreSQL both allow.
func (db *DB) recentlyOpened(ctx context.Context, a *opstap.Actor, candidateID string) bool {
	if a == nil || a.UserID == "" {
		return false
	}
	var n int
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM break_glass WHERE candidate_id = ? AND user_id = ? AND at > ? AND kind = ?`),
		candidateID, a.UserID, db.Now().UTC().Add(-openingWindow), GlassOpen).Scan(&n)
	return err == nil && n > 0
}

// BreakGlass is one opening of a dossier with a stated reason.
type BreakGlass struct {
	ID          string    `json:"id"`
	CandidateID string    `json:"candidate_id"`
	UserID      string    `json:"user_id"`
	UserName    string    `json:"user_name"`
	At          time.Time `json:"at"`
	Reason      string    `json:"reason"`
	Kind        string    `json:"kind"` // GlassOpen or GlassSearch
}

// FindBreakGlass lists the latest break-the-glass openings with their
// reasons, for the privacy officer (capability ReadAuditLog).
func (db *DB) FindBreakGlass(ctx context.Context, a *opstap.Actor, limit int) ([]BreakGlass, error) {
	if !can(a, access.ReadAuditLog) {
		return nil, forbidden()
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []BreakGlass
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, db.rebind(`SELECT b.id, b.candidate_id, b.user_id, u.name, b.at, b.reason, b.kind FROM break_glass b
			JOIN users u ON u.id = b.user_id ORDER BY b.at DESC, b.id LIMIT ?`), limit)
		type sealed struct {
			BreakGlass
			ct []byte
		}
		ss, err := collect(rows, err, func(rows scanner) (sealed, error) {
			var s sealed
			err := rows.Scan(&s.ID, &s.CandidateID, &s.UserID, &s.UserName, scanTime(&s.At), &s.ct, &s.Kind)
			return s, err
		})
		if err != nil {
			return err
		}
		for _, s := range ss {
			dk, err := tx.dataKey(ctx, s.CandidateID)
			if err != nil {
				s.Reason = "—" // the candidate was erased
			} else if plain, err := dk.Open(s.ct, vault.FieldAAD(s.CandidateID, "break_glass/"+s.ID)); err == nil {
				s.Reason = string(plain)
			}
			out = append(out, s.BreakGlass)
		}
		e := entryFor(a, "read")
		e.Purpose = "audit"
		e.Detail = "read break-the-glass reasons"
		return tx.Audit(ctx, e)
	})
	return out, err
}
