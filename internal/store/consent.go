package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/vault"
)

// Consents (DOMAIN.md §3): the topics, methods and rules are
// internal/consent's; the store keeps the records.

// RecordConsent gives or withdraws a consent as a new row; a withdrawal
// takes effect at once, because every check reads the latest row
// [001, 004]. It returns the new row.
func (db *DB) RecordConsent(ctx context.Context, a *opstap.Actor, candidateID string, c consent.Change) (*consent.Record, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var out *consent.Record
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatBasic, opstap.Write, PurposeConsent, "")
		if err != nil {
			return err
		}
		if err := consent.CheckMethod(d.Role, &c); err != nil {
			return err
		}
		if err := consent.CheckWritten(c); err != nil {
			return err
		}
		if err := tx.checkConsentForm(ctx, candidateID, c.DocumentID); err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		if out, err = tx.insertConsent(ctx, dk, candidateID, a.UserID, c); err != nil {
			return err
		}
		e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Write, PurposeConsent)
		e.Detail = "consent " + string(c.Topic)
		return tx.Audit(ctx, e)
	})
	if err == nil && c.Topic == consent.ShareCV {
		db.reindexCandidate(ctx, candidateID) // the flex profile's visibility follows this consent
	}
	return out, err
}

// checkConsentForm checks that a paper consent's form is a signed
// agreement in this candidate's dossier.
func (tx *Tx) checkConsentForm(ctx context.Context, candidateID, docID string) error {
	if docID == "" {
		return nil
	}
	var kind dossier.DocumentKind
	err := tx.queryRow(ctx, `SELECT kind FROM dossier_documents WHERE id = ? AND candidate_id = ?`, docID, candidateID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != dossier.DocSignedAgreement) {
		return opstap.FieldError("document_id", "choose a signed agreement uploaded to this candidate's dossier")
	}
	return err
}

// PurposeConsent is the audit purpose of consent records.
const PurposeConsent = "consent"

func (tx *Tx) insertConsent(ctx context.Context, dk vault.DataKey, candidateID, by string, c consent.Change) (*consent.Record, error) {
	var last int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM consents WHERE candidate_id = ? AND topic = ?`, candidateID, string(c.Topic)).Scan(&last); err != nil {
		return nil, err
	}
	out := &consent.Record{ID: newID(), Topic: c.Topic, Version: last + 1, Given: c.Given, Purpose: c.Purpose, Method: c.Method, DocumentID: c.DocumentID, RecordedBy: by, RecordedAt: tx.Now()}
	ct := dk.Seal([]byte(c.Purpose), vault.FieldAAD(candidateID, "consent:"+out.ID))
	_, err := tx.exec(ctx, `INSERT INTO consents (id, candidate_id, topic, version, given, purpose_ct, method, form_document_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		out.ID, candidateID, string(out.Topic), out.Version, out.Given, ct, string(out.Method), nullIfEmpty(out.DocumentID), by, out.RecordedAt)
	return out, err
}

// Consents returns the candidate's consent history, newest first, as the
// access policy allows the read.
func (db *DB) Consents(ctx context.Context, a *opstap.Actor, candidateID string) ([]consent.Record, error) {
	var out []consent.Record
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatBasic, opstap.Read, PurposeConsent, "")
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		if out, err = tx.consents(ctx, dk, candidateID); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Read, PurposeConsent))
	})
	return out, err
}

func (tx *Tx) consents(ctx context.Context, dk vault.DataKey, candidateID string) ([]consent.Record, error) {
	rows, err := tx.query(ctx, (`SELECT id, topic, version, given, purpose_ct, method, COALESCE(form_document_id, ''), recorded_by, recorded_at
		FROM consents WHERE candidate_id = ? ORDER BY recorded_at DESC, topic, version DESC`), candidateID)
	var out []consent.Record
	if err := each(rows, err, func(rows scanner) error {
		var c consent.Record
		var ct []byte
		if err := rows.Scan(&c.ID, &c.Topic, &c.Version, &c.Given, &ct, &c.Method, &c.DocumentID, &c.RecordedBy, scanTime(&c.RecordedAt)); err != nil {
			return err
		}
		plain, err := dk.Open(ct, vault.FieldAAD(candidateID, "consent:"+c.ID))
		if err != nil {
			return err
		}
		c.Purpose = string(plain)
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// latestConsent returns the current row of a topic, or nil when none was
// ever recorded.
func (tx *Tx) latestConsent(ctx context.Context, candidateID string, t consent.Topic) (*consent.Record, error) {
	var c consent.Record
	err := tx.queryRow(ctx, `SELECT id, topic, version, given, method, COALESCE(form_document_id, ''), recorded_by, recorded_at FROM consents
		WHERE candidate_id = ? AND topic = ? ORDER BY version DESC LIMIT 1`, candidateID, string(t)).
		Scan(&c.ID, &c.Topic, &c.Version, &c.Given, &c.Method, &c.DocumentID, &c.RecordedBy, scanTime(&c.RecordedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// ConsentGiven reports whether the candidate's latest record for the
// topic gives consent, in writing where the topic needs it; other features
// (mailings, commercial use) ask it right before acting, so an objection
// stops them at once [001, 004]. It is a system check and reads no
// personal data.
func (db *DB) ConsentGiven(ctx context.Context, candidateID string, t consent.Topic) (bool, error) {
	var given bool
	err := db.WithTx(ctx, func(tx *Tx) error {
		c, err := tx.latestConsent(ctx, candidateID, t)
		given = consent.Counts(c)
		return err
	})
	return given, err
}

// OwnCandidateID returns the candidate record of the actor's own portal
// account; the portal pages use it to find "my" consents and reports.
func (db *DB) OwnCandidateID(ctx context.Context, a *opstap.Actor) (string, error) {
	if a == nil || !a.Has(opstap.RoleCandidate, opstap.Read) {
		return "", errNoCandidate
	}
	var id string
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT id FROM candidates WHERE user_id = ?`), a.UserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNoCandidate
	}
	return id, err
}
