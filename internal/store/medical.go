package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/vault"
)

// Limitations are a candidate's functional limitations as the medical
// expert recorded them. Others than the medical expert and the candidate
// see the codes only when SharedWithConsent is set: the candidate agreed
// to share them [002 art 5.1, 004 "Toestemming kandidaat"].
type Limitations struct {
	Codes             []string   `json:"codes"`
	SharedWithConsent bool       `json:"shared_with_consent"`
	UpdatedBy         string     `json:"updated_by,omitempty"`
	UpdatedAt         *time.Time `json:"updated_at,omitempty"`
}

// Has reports whether the limitations contain code (for forms).
func (l *Limitations) Has(code string) bool { return l != nil && slices.Contains(l.Codes, code) }

func limitationsAAD(id string) string { return vault.FieldAAD(id, string(opstap.CatLimitations)) }

// Limitations returns a candidate's functional limitations as the policy
// allows. A coach, case manager or employer gets an empty list unless the
// candidate agreed to share them. The read is logged.
func (db *DB) Limitations(ctx context.Context, a *opstap.Actor, id, purpose, reason string) (*Limitations, error) {
	l := &Limitations{Codes: []string{}}
	err := db.WithTx(ctx, func(tx *Tx) error {
		d, dk, err := tx.openCandidateView(ctx, a, id, opstap.CatLimitations, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		var ct []byte
		var at time.Time
		err = tx.queryRow(ctx, `SELECT ciphertext, shared_with_consent, updated_by, updated_at FROM candidate_limitations WHERE candidate_id = ?`, id).
			Scan(&ct, &l.SharedWithConsent, &l.UpdatedBy, scanTime(&at))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case l.SharedWithConsent || access.SeesUnsharedLimitations(d):
			plain, err := dk.Open(ct, limitationsAAD(id))
			if err != nil {
				return err
			}
			if err := json.Unmarshal(plain, &l.Codes); err != nil {
				return err
			}
			l.UpdatedAt = &at
			if d.View == access.ViewPlacement {
				// The employer learns what the work must respect, not which
				// expert recorded it or when [003 art 7.7 lid 2].
				l.UpdatedBy, l.UpdatedAt = "", nil
			}
		default:
			// Not shared: nothing of it, not even that it exists.
			l.SharedWithConsent, l.UpdatedBy = false, ""
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, opstap.CatLimitations, opstap.Read, purpose))
	})
	return l, err
}

// SetLimitations replaces a candidate's functional limitations and the
// sharing flag; the policy lets only the medical expert write them
// [002 art 4.3]. The write is logged.
func (db *DB) SetLimitations(ctx context.Context, a *opstap.Actor, id string, l Limitations) (*Limitations, error) {
	var err error
	if l.Codes, err = dossier.LimitationCodes(l.Codes); err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, func(tx *Tx) error {
		d, dk, err := tx.openCandidate(ctx, a, id, opstap.CatLimitations, opstap.Write, PurposeGuidance, "")
		if err != nil {
			return err
		}
		plain, _ := json.Marshal(l.Codes)
		now := tx.Now()
		l.UpdatedBy, l.UpdatedAt = a.UserID, &now
		if _, err := tx.exec(ctx, `INSERT INTO candidate_limitations (candidate_id, ciphertext, shared_with_consent, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (candidate_id) DO UPDATE SET ciphertext = excluded.ciphertext, shared_with_consent = excluded.shared_with_consent,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			id, dk.Seal(plain, limitationsAAD(id)), l.SharedWithConsent, l.UpdatedBy, now); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, opstap.CatLimitations, opstap.Write, PurposeGuidance))
	})
	if err != nil {
		return nil, err
	}
	db.reindexCandidate(ctx, id) // shared limitations exclude work that demands what they rule out
	return &l, nil
}
