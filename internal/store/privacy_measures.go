package store

import (
	"context"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/vault"
)

// Legal hold, restriction (AVG art 18) and objection (AVG art 21): the
// privacy officer's measures on one candidate, each with a reason sealed
// under the candidate's key (the reason may name the person's situation).

const measureReasonMax = 2000

func measureReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", opstap.FieldError("reason", "state a reason")
	case len(reason) > measureReasonMax:
		return "", opstap.FieldError("reason", "the text is too long")
	}
	return reason, nil
}

// measure runs fn for a live (not erased) candidate in one transaction
// with the candidate's key, and logs it as a write under purpose
// "privacy" with detail.
func (db *DB) measure(ctx context.Context, a *opstap.Actor, id, reason, detail string, fn func(tx *Tx, dk vault.DataKey, reason string) error) error {
	if !manageRetention(a) {
		return forbidden()
	}
	reason, err := measureReason(reason)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, _, err := tx.candidateSubject(ctx, id); err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return errErasedOr(err)
		}
		if err := fn(tx, dk, reason); err != nil {
			return err
		}
		e := entryFor(a, audit.EventWrite)
		e.CandidateID, e.Action, e.Purpose, e.Detail = id, "privacy_measure", PurposePrivacy, detail
		return tx.Audit(ctx, e)
	})
}

// PurposePrivacy is the audit purpose of the privacy officer's measures.
const PurposePrivacy = "privacy"

// errErasedOr turns "no such candidate" from dataKey (the key is
// destroyed) into "already erased".
func errErasedOr(err error) error {
	if err == errNoCandidate {
		return errErased
	}
	return err
}

// SetLegalHold blocks erasure of a candidate until the hold is lifted.
func (db *DB) SetLegalHold(ctx context.Context, a *opstap.Actor, id, reason string) error {
	return db.measure(ctx, a, id, reason, "legal hold set", func(tx *Tx, dk vault.DataKey, reason string) error {
		held, err := tx.onLegalHold(ctx, id)
		if err != nil {
			return err
		}
		if held {
			return opstap.Errorf(opstap.ECONFLICT, "this candidate is already under a legal hold")
		}
		hid := newID()
		_, err = tx.exec(ctx, `INSERT INTO legal_holds (id, candidate_id, reason, set_by, set_at) VALUES (?, ?, ?, ?, ?)`,
			hid, id, dk.Seal([]byte(reason), vault.FieldAAD(id, "legal_hold:"+hid)), a.UserID, tx.Now())
		return err
	})
}

// LiftLegalHold lifts the candidate's hold, with a reason.
func (db *DB) LiftLegalHold(ctx context.Context, a *opstap.Actor, id, reason string) error {
	return db.measure(ctx, a, id, reason, "legal hold lifted", func(tx *Tx, dk vault.DataKey, reason string) error {
		var hid string
		err := tx.queryRow(ctx, `SELECT id FROM legal_holds WHERE candidate_id = ? AND lifted_at IS NULL`, id).Scan(&hid)
		if err != nil {
			return opstap.Errorf(opstap.ENOTFOUND, "this candidate is not under a legal hold")
		}
		_, err = tx.exec(ctx, `UPDATE legal_holds SET lift_reason = ?, lifted_by = ?, lifted_at = ? WHERE id = ?`,
			dk.Seal([]byte(reason), vault.FieldAAD(id, "legal_hold_lift:"+hid)), a.UserID, tx.Now(), hid)
		return err
	})
}

// LegalHold is a hold in force; the reason stays sealed.
type LegalHold struct {
	CandidateID  string    `json:"candidate_id"`
	ClientNumber int64     `json:"client_number,omitempty"`
	SetBy        string    `json:"set_by"`
	SetAt        time.Time `json:"set_at"`
}

// LegalHolds lists the holds in force.
func (db *DB) LegalHolds(ctx context.Context, a *opstap.Actor) ([]LegalHold, error) {
	if !viewRetention(a) && !manageRetention(a) {
		return nil, forbidden()
	}
	out := []LegalHold{}
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, (`SELECT h.candidate_id, COALESCE(c.client_number, 0), h.set_by, h.set_at FROM legal_holds h JOIN candidates c ON c.id = h.candidate_id
			WHERE h.lifted_at IS NULL ORDER BY h.set_at DESC`))
		if err := each(rows, err, func(rows scanner) error {
			var h LegalHold
			if err := rows.Scan(&h.CandidateID, &h.ClientNumber, &h.SetBy, scanTime(&h.SetAt)); err != nil {
				return err
			}
			out = append(out, h)
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	return out, err
}

func (tx *Tx) recordMeasure(ctx context.Context, dk vault.DataKey, by, id, kind, reason string) error {
	mid := newID()
	_, err := tx.exec(ctx, `INSERT INTO privacy_measures (id, candidate_id, kind, reason, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
		mid, id, kind, dk.Seal([]byte(reason), vault.FieldAAD(id, "privacy_measure:"+mid)), by, tx.Now())
	return err
}

// SetRestriction sets or lifts the restriction of processing (AVG art 18)
// on a rights request or directly: while set, the access policy refuses
// every use of the candidate's data (Subject.Restricted, built from
// candidates.restricted_at by candidateSubject); the data stays stored.
func (db *DB) SetRestriction(ctx context.Context, a *opstap.Actor, id string, restricted bool, reason string) error {
	kind, detail := "restriction_set", "restriction set"
	if !restricted {
		kind, detail = "restriction_lifted", "restriction lifted"
	}
	err := db.measure(ctx, a, id, reason, detail, func(tx *Tx, dk vault.DataKey, reason string) error {
		var at any
		if restricted {
			at = tx.Now()
		}
		if _, err := tx.exec(ctx, `UPDATE candidates SET restricted_at = ? WHERE id = ?`, at, id); err != nil {
			return err
		}
		return tx.recordMeasure(ctx, dk, a.UserID, id, kind, reason)
	})
	if err == nil {
		db.reindexCandidate(ctx, id) // matching excludes a restricted candidate
	}
	return err
}

// RecordObjection records an objection to commercial use [001]: in the
// same transaction the commercial_use consent is withdrawn, which stops
// that use at once (every use asks ConsentGiven right before acting), and
// the data kept only on that ground is erased.
func (db *DB) RecordObjection(ctx context.Context, a *opstap.Actor, id, reason string) error {
	return db.measure(ctx, a, id, reason, "objection to commercial use; consent withdrawn", func(tx *Tx, dk vault.DataKey, reason string) error {
		if err := tx.recordMeasure(ctx, dk, a.UserID, id, "objection_commercial", reason); err != nil {
			return err
		}
		c := consent.Change{Topic: consent.CommercialUse, Given: false, Purpose: "Objection to commercial use.", Method: consent.Objection}
		if _, err := tx.insertConsent(ctx, dk, id, a.UserID, c); err != nil {
			return err
		}
		_, err := tx.eraseConsentGrounded(ctx, a, id, consent.CommercialUse)
		return err
	})
}

// consentGrounded maps a consent topic to the data whose only ground is
// that consent (DOMAIN.md §3): when it is withdrawn the engine erases it.
//   - share_cv_with_employers: the flex profile offered to employers
//     [004] (table flex_profiles and its children, once they exist); the
//     CV document itself stays in the dossier, which the contract needs.
//   - newsletters: queued mailings of kind "newsletter" to the portal
//     account [004].
//   - commercial_use: no data is stored on that ground yet [001]; a
//     feature that does adds its statement here.
//
// The other topics (sharing reports, action plan, health data) ground a
// disclosure, not stored data: the record of a disclosure is kept.
var consentGrounded = map[consent.Topic][]erasureStep{
	consent.ShareCV: {
		{"flex_profile", "flex_profile_skills", `DELETE FROM flex_profile_skills WHERE candidate_id = ?`},
		{"flex_profile", "flex_profile_occupations", `DELETE FROM flex_profile_occupations WHERE candidate_id = ?`},
		{"flex_profile", "flex_profiles", `DELETE FROM flex_profiles WHERE candidate_id = ?`},
	},
	consent.Newsletters: {
		{"newsletters", "", `DELETE FROM email_outbox WHERE kind = 'newsletter' AND sent_at IS NULL AND to_address =
			(SELECT u.email FROM users u JOIN candidates c ON c.user_id = u.id WHERE c.id = ?)`},
	},
}

// eraseConsentGrounded erases what only the withdrawn consent grounded,
// leaving a destruction record (run kind "consent") when anything went.
func (tx *Tx) eraseConsentGrounded(ctx context.Context, a *opstap.Actor, id string, t consent.Topic) (int, error) {
	counts := map[string]int{}
	total := 0
	for _, s := range consentGrounded[t] {
		if s.table != "" {
			if ok, err := tx.tableExists(ctx, s.table); err != nil || !ok {
				if err != nil {
					return 0, err
				}
				continue
			}
		}
		n, err := purgeRowsAffected(tx.exec(ctx, s.sql, id))
		if err != nil {
			return 0, err
		}
		counts[s.kind] += n
		total += n
	}
	if total == 0 {
		return 0, nil
	}
	run, err := tx.startRun(ctx, a, RunConsent)
	if err != nil {
		return 0, err
	}
	for kind, n := range counts {
		if _, err := tx.exec(ctx, `INSERT INTO retention_run_counts (run_id, rule, kind, count) VALUES (?, ?, ?, ?)`, run.ID, "consent_withdrawn:"+string(t), kind, n); err != nil {
			return 0, err
		}
	}
	return total, tx.finishRun(ctx, run)
}

// ConsentDue is data of one candidate whose only ground, a consent, was
// withdrawn: due for erasure at once [001; 004].
type ConsentDue struct {
	CandidateID string        `json:"candidate_id"`
	Topic       consent.Topic `json:"topic"`
	Rule        string        `json:"rule"` // consent_withdrawn:<topic>, as the destruction record names it
	Rows        int           `json:"rows"`
}

// consentDue counts, per candidate whose latest consent on a mapped topic
// is a withdrawal, the rows that consent alone grounded; candidates with
// nothing left are not listed.
func (tx *Tx) consentDue(ctx context.Context) ([]ConsentDue, error) {
	var out []ConsentDue
	for _, t := range consent.Topics {
		steps, ok := consentGrounded[t]
		if !ok {
			continue
		}
		ids, err := tx.withdrawnFor(ctx, t)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			n, err := tx.countSteps(ctx, steps, id)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				out = append(out, ConsentDue{CandidateID: id, Topic: t, Rule: "consent_withdrawn:" + string(t), Rows: n})
			}
		}
	}
	return out, nil
}

// countSteps counts the rows the erasure steps would delete for one
// candidate: each step is a DELETE, counted as a SELECT over the same rows.
func (tx *Tx) countSteps(ctx context.Context, steps []erasureStep, id string) (int, error) {
	total := 0
	for _, s := range steps {
		if s.table != "" {
			if ok, err := tx.tableExists(ctx, s.table); err != nil || !ok {
				if err != nil {
					return 0, err
				}
				continue
			}
		}
		var n int
		if err := tx.queryRow(ctx, strings.Replace(s.sql, "DELETE FROM", "SELECT COUNT(*) FROM", 1), id).Scan(&n); err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// ApplyConsentWithdrawals erases, for every candidate whose latest consent
// on a mapped topic is a withdrawal, the data that consent alone grounded.
// The daily retention job runs it, so a withdrawal made anywhere reaches
// the data within a day; an objection erases at once.
func (db *DB) ApplyConsentWithdrawals(ctx context.Context, a *opstap.Actor) (int, error) {
	if !(a != nil && a.System) && !manageRetention(a) {
		return 0, forbidden()
	}
	total := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		for t := range consentGrounded {
			ids, err := tx.withdrawnFor(ctx, t)
			if err != nil {
				return err
			}
			for _, id := range ids {
				n, err := tx.eraseConsentGrounded(ctx, a, id, t)
				if err != nil {
					return err
				}
				total += n
			}
		}
		return nil
	})
	return total, err
}

func (tx *Tx) withdrawnFor(ctx context.Context, t consent.Topic) ([]string, error) {
	rows, err := tx.query(ctx, (`SELECT c.candidate_id FROM consents c
		WHERE c.topic = ? AND c.given = ? AND c.version = (SELECT MAX(version) FROM consents x WHERE x.candidate_id = c.candidate_id AND x.topic = c.topic)`), string(t), false)
	var ids []string
	if err := each(rows, err, func(rows scanner) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}); err != nil {
		return nil, err
	}
	return ids, nil
}
