package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// Purposes recorded in the audit log with every read and write of a
// candidate's data (AVG art 5(1)(b): purpose limitation).
const (
	PurposeGuidance     = "guidance"     // coaching and re-integration work on the dossier
	PurposeRegistration = "registration" // aanmelding by the commissioner or the provider
	PurposeOverview     = "overview"     // lists of candidates
	PurposeReporting    = "reporting"    // reports to the commissioner
	PurposeSelf         = "self"         // the candidate's own use of the portal
)

var errNoCandidate = opstap.Errorf(opstap.ENOTFOUND, "no such candidate")

const candidateColumns = `c.id, c.commissioner_org_id, COALESCE(c.coach_user_id, ''), COALESCE(c.user_id, ''), c.external_ref, c.postcode4, c.registered_on, c.created_at, c.restricted_at IS NOT NULL, c.screened, COALESCE(c.client_number, 0)`

// scanCandidate scans candidateColumns, then into extra any columns that
// follow them.
func scanCandidate(row scanner, extra ...any) (*candidate.Candidate, error) {
	var c candidate.Candidate
	var screened string
	err := row.Scan(append([]any{&c.ID, &c.CommissionerOrgID, &c.CoachUserID, &c.UserID, &c.ExternalRef, &c.Postcode4, &c.RegisteredOn, scanTime(&c.CreatedAt), &c.Restricted, &screened, &c.Number}, extra...)...)
	c.Screened = splitCategories(screened)
	return &c, err
}

// candidateSubject loads the clear part of a candidate and the facts the
// access policy needs.
func (tx *Tx) candidateSubject(ctx context.Context, id string) (*candidate.Candidate, access.Subject, error) {
	c, err := scanCandidate(tx.queryRow(ctx, `SELECT `+candidateColumns+` FROM candidates c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, access.Subject{}, errNoCandidate
	} else if err != nil {
		return nil, access.Subject{}, err
	}
	s := subjectOf(c)
	// Client employers see a candidate only while a placement with them is live.
	if s.EmployerOrgIDs, err = tx.placementEmployers(ctx, c.ID); err != nil {
		return nil, access.Subject{}, err
	}
	return c, s, nil
}

func subjectOf(c *candidate.Candidate) access.Subject {
	return access.Subject{CandidateID: c.ID, CommissionerOrgID: c.CommissionerOrgID, CoachUserID: c.CoachUserID,
		CandidateUserID: c.UserID, Restricted: c.Restricted, Screened: c.Screened}
}

// dataKey unwraps the candidate's data key. A destroyed key means the
// candidate was erased.
func (tx *Tx) dataKey(ctx context.Context, id string) (vault.DataKey, error) {
	var wrapped []byte
	var version int
	err := tx.queryRow(ctx, `SELECT wrapped_key, key_version FROM candidate_keys WHERE candidate_id = ? AND destroyed_at IS NULL`, id).Scan(&wrapped, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return vault.DataKey{}, errNoCandidate
	case err != nil:
		return vault.DataKey{}, err
	case wrapped == nil:
		// A database restored from a backup holds no data keys until the
		// key file is loaded (keystore.go).
		return vault.DataKey{}, errKeyNotLoaded
	}
	return tx.db.Keyring.Unwrap(wrapped, version, id)
}

var errKeyNotLoaded = opstap.Errorf(opstap.EUNAVAILABLE, "this candidate's data key is not loaded: the database was restored without its key file (opstap restore-keys)")

// putCategory seals v under the candidate's key and stores it.
func (tx *Tx) putCategory(ctx context.Context, dk vault.DataKey, id string, cat opstap.Category, v any, by string) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ct := dk.Seal(plain, vault.FieldAAD(id, string(cat)))
	_, err = tx.exec(ctx, `INSERT INTO candidate_data (candidate_id, category, ciphertext, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (candidate_id, category) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		id, string(cat), ct, tx.Now(), by)
	return err
}

// getCategory opens a category into dst; it reports false when none is stored.
func (tx *Tx) getCategory(ctx context.Context, dk vault.DataKey, id string, cat opstap.Category, dst any) (bool, error) {
	var ct []byte
	err := tx.queryRow(ctx, `SELECT ciphertext FROM candidate_data WHERE candidate_id = ? AND category = ?`, id, string(cat)).Scan(&ct)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	plain, err := dk.Open(ct, vault.FieldAAD(id, string(cat)))
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(plain, dst)
}

// searchTerms are the blind-index terms for a candidate: name, e-mail, BSN.
func (db *DB) searchTerms(b candidate.Basic, bsn string) []string {
	terms := db.Keyring.SearchTerms("name", b.FirstName+" "+b.LastName)
	if b.Email != "" {
		terms = append(terms, db.Keyring.ExactTerm("email", b.Email))
	}
	if bsn != "" {
		terms = append(terms, db.Keyring.ExactTerm("bsn", bsn))
	}
	return terms
}

// putSearchTerms replaces the candidate's blind-index terms in one
// multi-row insert.
func (tx *Tx) putSearchTerms(ctx context.Context, id string, terms []string, fresh bool) error {
	if !fresh {
		if _, err := tx.exec(ctx, `DELETE FROM candidate_search WHERE candidate_id = ?`, id); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	var args []any
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			args = append(args, t, id)
		}
	}
	if len(args) == 0 {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO candidate_search (term, candidate_id) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?), ", len(args)/2), ", "), args...)
	return err
}

// decide asks the access policy. A refusal comes back as a *deniedError
// carrying its audit entry; WithTx logs it after rolling back, so the
// denial is recorded even though the transaction is not. A decision that
// allows only part of the category (the employer's view) is refused here:
// only the paths that cut the data down to that part ask decideView.
func (db *DB) decide(ctx context.Context, a *opstap.Actor, s access.Subject, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, error) {
	d, err := db.decideView(ctx, a, s, cat, act, purpose, reason)
	if err != nil || d.View == access.ViewAll {
		return d, err
	}
	d.Allowed, d.Reason = false, d.View.Reason()
	return d, denial(a, d, s.CandidateID, cat, act, purpose)
}

// decideView is decide for a caller that honours d.View: it shows no more
// of the category than the view allows.
func (db *DB) decideView(ctx context.Context, a *opstap.Actor, s access.Subject, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, error) {
	d := db.decision(ctx, a, s, cat, act, reason)
	if d.Allowed {
		return d, nil
	}
	return d, denial(a, d, s.CandidateID, cat, act, purpose)
}

// denial is the refusal of d with the audit entry that records it.
func denial(a *opstap.Actor, d access.Decision, id string, cat opstap.Category, act opstap.Action, purpose string) error {
	e := candidateEntry(a, d, id, cat, act, purpose)
	e.Outcome = audit.OutcomeDenied
	err := d.Err()
	if d.NeedsReason {
		err = &opstap.Error{Code: opstap.EFORBIDDEN, Message: d.Reason, Field: "reason"}
	}
	return &deniedError{err: err, entry: e}
}

// deniedError is an access refusal with the audit entry that records it.
type deniedError struct {
	err   error
	entry audit.Entry
}

func (e *deniedError) Error() string { return e.err.Error() }
func (e *deniedError) Unwrap() error { return e.err }

// candidateEntry is the audit entry for one access to a candidate's data.
func candidateEntry(a *opstap.Actor, d access.Decision, id string, cat opstap.Category, act opstap.Action, purpose string) audit.Entry {
	e := entryFor(a, audit.EventRead)
	if act == opstap.Write {
		e.Event = audit.EventWrite
	}
	if d.Role != "" {
		e.ActorRole = string(d.Role)
	}
	e.CandidateID, e.Category, e.Action, e.Purpose, e.Outcome = id, string(cat), string(act), purpose, audit.OutcomeAllowed
	if d.BreakGlass {
		e.Event = audit.EventBreakGlass
		e.Detail = "break the glass: reason stated"
	}
	return e
}

// registerRole checks that the actor may register for this commissioner:
// its own organisation for a case manager, any commissioner for the provider.
func (tx *Tx) checkCommissioner(ctx context.Context, a *opstap.Actor, orgID string) error {
	var kind opstap.OrgKind
	err := tx.queryRow(ctx, `SELECT kind FROM organisations WHERE id = ?`, orgID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !kind.Commissioner()) {
		return opstap.FieldError("commissioner_org_id", "unknown commissioner")
	} else if err != nil {
		return err
	}
	if !a.System && a.OrgKind != opstap.OrgProvider && a.OrgID != orgID {
		return opstap.FieldError("commissioner_org_id", "you can only register candidates for your own organisation")
	}
	return nil
}

func (tx *Tx) checkCoach(ctx context.Context, coachID string) error {
	if coachID == "" {
		return nil
	}
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = u.org_id
		WHERE g.user_id = ? AND g.role = ? AND g.access = 'write' AND g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
		AND u.blocked_at IS NULL AND o.kind = ?`, coachID, string(opstap.RoleCoach), tx.Now(), string(opstap.OrgProvider)).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return opstap.FieldError("coach_user_id", "unknown coach")
	}
	return nil
}

// FindCandidate returns a candidate with basic data, after the access
// policy allowed the read; the read is logged. reason is the stated
// reason of a coach who is not assigned ("break the glass").
func (db *DB) FindCandidate(ctx context.Context, a *opstap.Actor, id, purpose, reason string) (*candidate.Candidate, error) {
	var c *candidate.Candidate
	err := db.auditedRead(ctx, func(tx *Tx) error {
		var s access.Subject
		var err error
		if c, s, err = tx.candidateSubject(ctx, id); err != nil {
			return err
		}
		d, err := db.decideView(ctx, a, s, opstap.CatBasic, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.recordBreakGlass(ctx, dk, a, d, id, reason); err != nil {
			return err
		}
		c.Basic = &candidate.Basic{}
		if _, err := tx.getCategory(ctx, dk, id, opstap.CatBasic, c.Basic); err != nil {
			return err
		}
		if d.View == access.ViewPlacement {
			c = c.PlacementView()
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, opstap.CatBasic, opstap.Read, purpose))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// LinkCandidateUser gives a candidate their portal account.
func (db *DB) LinkCandidateUser(ctx context.Context, a *opstap.Actor, candidateID, userID string) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `UPDATE candidates SET user_id = ? WHERE id = ?`, userID, candidateID)
		if err != nil {
			return conflictField(err, "user_id", "this account already belongs to a candidate")
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errNoCandidate
		}
		e := entryFor(a, audit.EventUserChange)
		e.CandidateID = candidateID
		e.Detail = "linked portal account " + userID
		return tx.Audit(ctx, e)
	})
}
