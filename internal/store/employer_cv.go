package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
)

// A CV goes to an employer only after the candidate's consent: the rule is
// access.DecideEmployerCV; this file gathers its facts for each read (a live
// placement with the actor's organisation, the current
// share_cv_with_employers consent).

var errCVNotShared = opstap.Errorf(opstap.EFORBIDDEN, access.ReasonCVNotShared)

// employerCVDecision gathers the facts, applies the rule and returns the
// decision to log. A candidate not placed with the employer is not found,
// so that an employer cannot probe who is registered.
func (tx *Tx) employerCVDecision(ctx context.Context, a *opstap.Actor, candidateID string) (access.Decision, error) {
	// The role first, before any lookup tells whether the candidate exists.
	if d := access.DecideEmployerCV(a, access.CVFacts{PlacedWithActor: true, ConsentGiven: true}); !d.Allowed {
		return d, forbidden()
	}
	if _, _, err := tx.candidateSubject(ctx, candidateID); err != nil {
		return access.Decision{}, err
	}
	employers, err := tx.placementEmployers(ctx, candidateID)
	if err != nil {
		return access.Decision{}, err
	}
	c, err := tx.latestConsent(ctx, candidateID, consent.ShareCV)
	if err != nil {
		return access.Decision{}, err
	}
	d := access.DecideEmployerCV(a, access.CVFacts{PlacedWithActor: slices.Contains(employers, a.OrgID), ConsentGiven: c != nil && c.Given})
	switch d.Reason {
	case access.ReasonCVNotPlaced:
		return d, errNoCandidate
	case access.ReasonCVNotShared:
		return d, errCVNotShared
	}
	return d, nil
}

// EmployerCVs lists the CVs of a placed candidate for the employer, when the
// candidate agreed to share them; the read is logged.
func (db *DB) EmployerCVs(ctx context.Context, a *opstap.Actor, candidateID string) ([]Document, error) {
	var docs []Document
	err := db.WithTx(ctx, func(tx *Tx) error {
		d, err := tx.employerCVDecision(ctx, a, candidateID)
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		all, err := tx.listDocuments(ctx, dk, candidateID, map[opstap.Category]access.Decision{opstap.CatEducation: d})
		if err != nil {
			return err
		}
		for _, doc := range all {
			if doc.Kind == dossier.DocCV {
				// Who on the staff uploaded it is none of the employer's
				// business [003 art 7.7 lid 2].
				doc.UploadedBy, doc.UploaderName = "", ""
				docs = append(docs, doc)
			}
		}
		return tx.Audit(ctx, candidateEntry(a, d, candidateID, opstap.CatEducation, opstap.Read, PurposeMatching))
	})
	return docs, err
}

// EmployerCV returns one CV for the employer under the same rule; the
// download is logged as data leaving the system.
func (db *DB) EmployerCV(ctx context.Context, a *opstap.Actor, candidateID, docID string) (*Document, []byte, error) {
	doc := &Document{ID: docID, CandidateID: candidateID}
	var content []byte
	err := db.WithTx(ctx, func(tx *Tx) error {
		d, err := tx.employerCVDecision(ctx, a, candidateID)
		if err != nil {
			return err
		}
		var name, ct []byte
		err = tx.queryRow(ctx, `SELECT kind, filename, content_type, size, content FROM dossier_documents WHERE id = ? AND candidate_id = ? AND kind = ?`,
			docID, candidateID, string(dossier.DocCV)).Scan(&doc.Kind, &name, &doc.ContentType, &doc.Size, &ct)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoDocument
		} else if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		plainName, err := dk.Open(name, documentAAD(candidateID, docID, "/name"))
		if err != nil {
			return err
		}
		doc.Filename = string(plainName)
		if content, err = dk.Open(ct, documentAAD(candidateID, docID, "")); err != nil {
			return err
		}
		e := candidateEntry(a, d, candidateID, opstap.CatEducation, opstap.Read, PurposeMatching)
		e.Event = audit.EventExport
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return nil, nil, err
	}
	return doc, content, nil
}
