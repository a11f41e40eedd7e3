package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/privacy"
)

// The privacy statement and the cooperation agreement at the start of a
// trajectory [000 art 4; 004]. The coach records which version was handed
// over; the candidate accepts it in the portal, or the coach records the
// signed form uploaded to the dossier. Both are visible to the coach on the
// candidate's file and to the candidate in the portal. Access: the
// candidate's notes (the coach writes, readers of the notes read) or the
// candidate themself. The rules are privacy.Agreement's.

// NoticeAgreement tells the candidate a document waits for acceptance.
const NoticeAgreement = "agreement_offered"

// agreementsLink is the portal page with the candidate's agreements.
const agreementsLink = "/portal/agreements"

func init() {
	noticeTexts[NoticeAgreement] = struct{ Text string }{"A document about your trajectory waits for you in Opstap."}
	registerErasureStep("agreement_documents", "trajectory_agreements", `UPDATE trajectory_agreements SET document_id = NULL WHERE candidate_id = ?`)
}

// Agreement is one document handed over in one trajectory.
type Agreement struct {
	ID           string `json:"id"`
	TrajectoryID string `json:"trajectory_id"`
	CandidateID  string `json:"candidate_id"`
	privacy.Agreement
	OfferedAt   time.Time  `json:"offered_at"`
	DocumentID  string     `json:"document_id,omitempty"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

var (
	errNoAgreement      = opstap.Errorf(opstap.ENOTFOUND, "no such agreement")
	errNoOpenTraj       = opstap.Errorf(opstap.ECONFLICT, "the candidate has no running trajectory")
	errSignedForm       = opstap.FieldError("document_id", "choose a signed agreement uploaded to this candidate's dossier")
	errAgreementOffered = opstap.FieldError("version", "this version was already handed over in this trajectory")
)

// OfferAgreement records that a version of the privacy statement or the
// cooperation agreement was handed over in the candidate's running
// trajectory; the candidate is told in the portal.
func (db *DB) OfferAgreement(ctx context.Context, a *opstap.Actor, candidateID string, g privacy.Agreement) (*Agreement, error) {
	g.Method = ""
	if err := g.ValidateOffer(); err != nil {
		return nil, err
	}
	out := &Agreement{ID: newID(), CandidateID: candidateID, Agreement: g}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatNotes, opstap.Write, PurposeGuidance, "")
		if err != nil {
			return err
		}
		err = tx.queryRow(ctx, `SELECT id FROM trajectories WHERE candidate_id = ? AND status <> 'ended'`, candidateID).Scan(&out.TrajectoryID)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoOpenTraj
		} else if err != nil {
			return err
		}
		out.OfferedAt = tx.Now()
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_agreements (id, trajectory_id, candidate_id, kind, version, offered_by, offered_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			out.ID, out.TrajectoryID, candidateID, string(g.Kind), g.Version, actorID(a), out.OfferedAt); err != nil {
			return conflictField(err, "version", errAgreementOffered.Message)
		}
		if s.CandidateUserID != "" {
			if err := tx.Notify(ctx, s.CandidateUserID, NoticeAgreement, agreementsLink); err != nil {
				return err
			}
		}
		e := candidateEntry(a, d, candidateID, opstap.CatNotes, opstap.Write, PurposeGuidance)
		e.Detail = "agreement " + out.ID + " handed over: " + string(g.Kind) + " " + g.Version
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AcceptAgreement is the candidate's acceptance in the portal.
func (db *DB) AcceptAgreement(ctx context.Context, a *opstap.Actor, id string) (*Agreement, error) {
	return db.confirmAgreement(ctx, a, id, privacy.AgreementPortal, "")
}

// RecordSignedAgreement records the signed form, a document of kind
// signed_agreement in the candidate's dossier, as the confirmation.
func (db *DB) RecordSignedAgreement(ctx context.Context, a *opstap.Actor, id, documentID string) (*Agreement, error) {
	return db.confirmAgreement(ctx, a, id, privacy.AgreementSignedUpload, documentID)
}

func (db *DB) confirmAgreement(ctx context.Context, a *opstap.Actor, id string, m privacy.AgreementMethod, documentID string) (*Agreement, error) {
	var g *Agreement
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if g, err = tx.agreement(ctx, id); err != nil {
			return err
		}
		_, s, err := tx.candidateSubject(ctx, g.CandidateID)
		if err != nil {
			return err
		}
		act := opstap.Write
		if m == privacy.AgreementPortal {
			act = opstap.Read // the candidate's own act on what they may read
		}
		d, err := db.decide(ctx, a, s, opstap.CatNotes, act, PurposeGuidance, "")
		if err != nil {
			return err
		}
		if err := g.Confirm(m, d.Relation == access.RelationSelf); err != nil {
			return err
		}
		if m == privacy.AgreementSignedUpload {
			var kind string
			err := tx.queryRow(ctx, `SELECT kind FROM dossier_documents WHERE id = ? AND candidate_id = ?`, documentID, g.CandidateID).Scan(&kind)
			if errors.Is(err, sql.ErrNoRows) || kind != string(dossier.DocSignedAgreement) {
				return errSignedForm
			} else if err != nil {
				return err
			}
			g.DocumentID = documentID
		}
		now := tx.Now()
		g.ConfirmedAt = &now
		if _, err := tx.exec(ctx, `UPDATE trajectory_agreements SET method = ?, document_id = ?, confirmed_by = ?, confirmed_at = ? WHERE id = ? AND method = ''`,
			string(m), nullString(g.DocumentID), actorID(a), now, id); err != nil {
			return err
		}
		e := candidateEntry(a, d, g.CandidateID, opstap.CatNotes, opstap.Write, PurposeGuidance)
		e.Detail = "agreement " + id + " confirmed: " + string(m)
		return tx.Audit(ctx, e)
	})
	return g, err
}

const agreementColumns = `id, trajectory_id, candidate_id, kind, version, offered_at, method, COALESCE(document_id, ''), confirmed_at`

func scanAgreement(row scanner) (*Agreement, error) {
	g := &Agreement{}
	err := row.Scan(&g.ID, &g.TrajectoryID, &g.CandidateID, &g.Kind, &g.Version, scanTime(&g.OfferedAt), &g.Method, &g.DocumentID, scanNullTime(&g.ConfirmedAt))
	return g, err
}

func (tx *Tx) agreement(ctx context.Context, id string) (*Agreement, error) {
	g, err := scanAgreement(tx.queryRow(ctx, `SELECT `+agreementColumns+` FROM trajectory_agreements WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAgreement
	}
	return g, err
}

// Agreements lists a candidate's agreements, newest first, to whoever may
// read their notes (the coach) and to the candidate; the read is logged.
func (db *DB) Agreements(ctx context.Context, a *opstap.Actor, candidateID string) ([]Agreement, error) {
	out := []Agreement{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		purpose := PurposeGuidance
		if a.Has(opstap.RoleCandidate, opstap.Read) {
			purpose = PurposeSelf
		}
		d, err := db.decide(ctx, a, s, opstap.CatNotes, opstap.Read, purpose, "")
		if err != nil {
			return err
		}
		err = tx.eachRow(ctx, `SELECT `+agreementColumns+` FROM trajectory_agreements WHERE candidate_id = ? ORDER BY offered_at DESC, id`, []any{candidateID}, func(rows scanner) error {
			g, err := scanAgreement(rows)
			if err == nil {
				out = append(out, *g)
			}
			return err
		})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, candidateID, opstap.CatNotes, opstap.Read, purpose))
	})
	return out, err
}
