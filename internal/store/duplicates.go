package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
)

// One person is one candidate per commissioner: a registration or a BSN
// change naming a BSN the commissioner registered before is refused, never
// stored as a second person (issue 12 item 10). The check goes through the
// blind index, so no BSN is decrypted or compared in clear.

// bsnOwner returns the candidate of org holding this BSN search term: one
// registered before, or one registered earlier in the same batch (then
// inBatch is true). except is left out (the candidate whose BSN changes).
func (tx *Tx) bsnOwner(ctx context.Context, org, term, except string) (string, error) {
	var id string
	err := tx.queryRow(ctx, `SELECT s.candidate_id FROM candidate_search s JOIN candidates c ON c.id = s.candidate_id
		WHERE s.term = ? AND c.commissioner_org_id = ? AND c.id <> ? ORDER BY c.created_at LIMIT 1`, term, org, except).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// duplicateBSN builds the refusal for a BSN that existing holds. The
// existing candidate is named only when a may open that file; either way
// the refusal revealed that the person is registered, which is logged as a
// search that revealed the candidate.
func (tx *Tx) duplicateBSN(ctx context.Context, a *opstap.Actor, existing string) (error, audit.Entry, error) {
	_, s, err := tx.candidateSubject(ctx, existing)
	if err != nil {
		return nil, audit.Entry{}, err
	}
	d := access.Decide(a, s, opstap.CatBasic, opstap.Read, "")
	e := searchEntry(a, d, existing)
	e.Detail = "a registration with a BSN already registered revealed the candidate"
	if !d.Allowed {
		existing = ""
	}
	return candidate.DuplicateError(existing), e, nil
}

// checkBSN refuses a registration whose BSN the commissioner registered
// before or earlier in this batch; the reveal is kept for the audit log.
func (rg *registrar) checkBSN(ctx context.Context, r candidate.Registration) error {
	if r.BSN == "" {
		return nil
	}
	term := rg.tx.db.Keyring.ExactTerm("bsn", r.BSN)
	key := r.CommissionerOrgID + "\x00" + term
	if rg.bsns[key] {
		return candidate.DuplicateError("")
	}
	owner, err := rg.tx.bsnOwner(ctx, r.CommissionerOrgID, term, "")
	if err != nil || owner == "" {
		rg.bsns[key] = err == nil
		return err
	}
	refusal, e, err := rg.tx.duplicateBSN(ctx, rg.a, owner)
	if err != nil {
		return err
	}
	rg.revealed = append(rg.revealed, e)
	return refusal
}

// checkBSNChange refuses changing candidate c's BSN to one another
// candidate of the same commissioner holds.
func (tx *Tx) checkBSNChange(ctx context.Context, a *opstap.Actor, c *candidate.Candidate, b *candidate.BSN) error {
	if b.Number == "" {
		return nil
	}
	owner, err := tx.bsnOwner(ctx, c.CommissionerOrgID, tx.db.Keyring.ExactTerm("bsn", b.Number), c.ID)
	if err != nil || owner == "" {
		return err
	}
	refusal, e, err := tx.duplicateBSN(ctx, a, owner)
	if err != nil {
		return err
	}
	return &deniedError{err: refusal, entry: e}
}

// logRevealed appends, after a refused registration rolled back, what the
// duplicate checks revealed.
func (db *DB) logRevealed(ctx context.Context, rg *registrar) error {
	if rg == nil || len(rg.revealed) == 0 {
		return nil
	}
	return db.AppendAudit(ctx, rg.revealed...)
}
