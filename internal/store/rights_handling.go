package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/vault"
)

// Handling a rights request: assigned to a privacy officer, extended once,
// answered in writing, withdrawn; a granted request carried out.

// AssignRightsRequest makes a privacy officer the handler (the actor when
// handlerID is empty) and puts the request in progress.
func (db *DB) AssignRightsRequest(ctx context.Context, a *opstap.Actor, id, handlerID string) (*RightsRequest, error) {
	if handlerID == "" {
		handlerID = a.UserID
	}
	return db.withRights(ctx, a, id, access.RightsHandle, func(tx *Tx, _ vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		if err := privacy.CheckOpen(r.Status); err != nil {
			return "", err
		}
		var name string
		err := tx.queryRow(ctx, `SELECT u.name FROM users u JOIN grants g ON g.user_id = u.id
			WHERE u.id = ? AND u.blocked_at IS NULL AND g.role = ? AND g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)`,
			handlerID, string(opstap.RolePrivacyOfficer), tx.Now()).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return "", opstap.FieldError("handler_user_id", "the handler must be a privacy officer")
		} else if err != nil {
			return "", err
		}
		r.HandlerUserID, r.HandlerName, r.Status, r.UpdatedAt = handlerID, name, privacy.RightsInProgress, tx.Now()
		_, err = tx.exec(ctx, `UPDATE rights_requests SET handler_user_id = ?, status = ?, updated_at = ? WHERE id = ?`, handlerID, string(r.Status), r.UpdatedAt, r.ID)
		return "rights request " + r.ID + " assigned", err
	})
}

// ExtendRightsRequest extends the deadline once by two months, with the
// reason recorded (sealed) and the candidate told [AVG art 12(3)]. A
// second extension, or one without a reason, is refused.
func (db *DB) ExtendRightsRequest(ctx context.Context, a *opstap.Actor, id, reason string) (*RightsRequest, error) {
	reason, err := privacy.CheckExtensionReason(reason)
	if err != nil {
		return nil, err
	}
	return db.withRights(ctx, a, id, access.RightsHandle, func(tx *Tx, dk vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		if err := privacy.CheckExtendable(r.Status, r.Extended()); err != nil {
			return "", err
		}
		now := tx.Now()
		r.DueOn, r.ExtendedAt, r.ExtensionReason, r.UpdatedAt = privacy.RightsExtendedDue(r.ReceivedOn), &now, reason, now
		if _, err := tx.exec(ctx, `UPDATE rights_requests SET due_on = ?, extended_at = ?, extended_by = ?, extension_reason = ?, updated_at = ? WHERE id = ?`,
			r.DueOn, now, actorID(a), dk.Seal([]byte(reason), rightsAAD(r.CandidateID, r.ID, "extension")), now, r.ID); err != nil {
			return "", err
		}
		return "rights request " + r.ID + " extended", tx.notifyRights(ctx, r.CandidateID, HappenedRightsExtended)
	})
}

// notifyRights tells the candidate, if they have a portal account, that
// their request moved.
func (tx *Tx) notifyRights(ctx context.Context, candidateID, event string) error {
	_, s, err := tx.candidateSubject(ctx, candidateID)
	if err != nil || s.CandidateUserID == "" {
		return err
	}
	return tx.NotifyEvent(ctx, s.CandidateUserID, NoticeRightsUpdate, event, rightsLink)
}

// AnswerRightsRequest records the privacy officer's written answer and
// closes the request; the candidate is told. A (partial) refusal needs its
// reasons, which the candidate downloads as a letter [001]. A granted
// erasure or restriction is then carried out by the retention engine
// (rightsExecutor) in its own transaction; if that fails the answer is
// taken back, so the record never claims what did not happen.
func (db *DB) AnswerRightsRequest(ctx context.Context, a *opstap.Actor, id string, an privacy.RightsAnswer) (*RightsRequest, error) {
	if err := an.Validate(); err != nil {
		return nil, err
	}
	r, err := db.withRights(ctx, a, id, access.RightsHandle, func(tx *Tx, dk vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		if err := privacy.CheckOpen(r.Status); err != nil {
			return "", err
		}
		r.Status, r.Answer, r.AnsweredOn, r.UpdatedAt = an.Status, an.Text, opstap.DateOf(tx.Now()), tx.Now()
		if r.HandlerUserID == "" {
			r.HandlerUserID, r.HandlerName = a.UserID, a.Name
		}
		if _, err := tx.exec(ctx, `UPDATE rights_requests SET status = ?, answer = ?, answered_on = ?, answered_by = ?, handler_user_id = ?, updated_at = ? WHERE id = ?`,
			string(r.Status), sealText(dk, r.Answer, rightsAAD(r.CandidateID, r.ID, "answer")), r.AnsweredOn, actorID(a), nullString(r.HandlerUserID), r.UpdatedAt, r.ID); err != nil {
			return "", err
		}
		return "rights request " + r.ID + " answered: " + string(r.Status), tx.notifyRights(ctx, r.CandidateID, HappenedRightsAnswered)
	})
	if err != nil {
		return nil, err
	}
	if err := db.carryOut(ctx, a, r); err != nil {
		return nil, db.reopenRights(ctx, a, r, err)
	}
	return r, nil
}

// reopenRights takes an answer back after its carrying out failed.
func (db *DB) reopenRights(ctx context.Context, a *opstap.Actor, r *RightsRequest, cause error) error {
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE rights_requests SET status = ?, answer = NULL, answered_on = NULL, answered_by = '', updated_at = ? WHERE id = ?`,
			string(privacy.RightsInProgress), tx.Now(), r.ID); err != nil {
			return err
		}
		e := rightsEntry(a, access.Decision{Role: opstap.RolePrivacyOfficer}, r.CandidateID, true)
		e.Outcome, e.Detail = audit.OutcomeFailed, "rights request "+r.ID+" reopened: "+opstap.ErrorCode(cause)
		return tx.Audit(ctx, e)
	})
	return errors.Join(cause, err)
}

// WithdrawRightsRequest lets the candidate withdraw an open request of
// their own; the privacy officer may record a withdrawal that came in by
// letter.
func (db *DB) WithdrawRightsRequest(ctx context.Context, a *opstap.Actor, id string) (*RightsRequest, error) {
	return db.withRights(ctx, a, id, access.RightsWithdraw, func(tx *Tx, _ vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		if err := privacy.CheckOpen(r.Status); err != nil {
			return "", err
		}
		r.Status, r.UpdatedAt = privacy.RightsWithdrawn, tx.Now()
		_, err := tx.exec(ctx, `UPDATE rights_requests SET status = ?, updated_at = ? WHERE id = ?`, string(r.Status), r.UpdatedAt, r.ID)
		return "rights request " + r.ID + " withdrawn", err
	})
}

// rightsExecutor carries out what a granted erasure or restriction asks,
// each step in its own transaction, refusing with a reason where the law
// forbids (a legal hold, running financial obligations, a second erasure).
type rightsExecutor interface {
	// Restrict puts the candidate's restriction of processing in force
	// [002 art 7.3].
	Restrict(ctx context.Context, a *opstap.Actor, candidateID, requestID string) error
	// Erase erases the candidate's personal data on request [002 art 7.4;
	// 001 "Termijn bewaren gegevens": earlier deletion unless the law forbids].
	Erase(ctx context.Context, a *opstap.Actor, candidateID, requestID string) error
}

// retentionExecutor is the retention engine (erasure.go,
// privacy_measures.go) as the rights procedure uses it.
type retentionExecutor struct{ db *DB }

func (x retentionExecutor) Restrict(ctx context.Context, a *opstap.Actor, candidateID, requestID string) error {
	return x.db.SetRestriction(ctx, a, candidateID, true, "Restriction on the candidate's request "+requestID)
}

func (x retentionExecutor) Erase(ctx context.Context, a *opstap.Actor, candidateID, _ string) error {
	_, err := x.db.EraseCandidate(ctx, a, candidateID)
	return err
}

// executor returns the executor of granted requests.
func (db *DB) executor() rightsExecutor { return retentionExecutor{db} }

// carryOut runs the executor for a granted erasure or restriction, screens
// off what a granted screening names, and hands a granted rectification to
// the coach who confirms it.
func (db *DB) carryOut(ctx context.Context, a *opstap.Actor, r *RightsRequest) error {
	if !privacy.Carried(r.Kind, r.Status) {
		return nil
	}
	switch r.Kind {
	case privacy.RightErasure:
		return db.executor().Erase(ctx, a, r.CandidateID, r.ID)
	case privacy.RightScreening:
		return db.screen(ctx, a, r)
	case privacy.RightRectification:
		return db.awaitRectification(ctx, r)
	}
	return db.executor().Restrict(ctx, a, r.CandidateID, r.ID)
}

// stopCommercialUse records, with an objection, the withdrawal of consent
// to commercial or charitable use when it was given: an objection stops it
// at once [001 "kan zich te allen tijde verzetten … direct beëindigen"],
// before the privacy officer weighs the rest of the objection.
func (tx *Tx) stopCommercialUse(ctx context.Context, dk vault.DataKey, candidateID string, d access.Decision, by string) error {
	c, err := tx.latestConsent(ctx, candidateID, consent.CommercialUse)
	if err != nil || c == nil || !c.Given {
		return err
	}
	_, err = tx.insertConsent(ctx, dk, candidateID, by, consent.Withdrawal(consent.CommercialUse, d.Relation == access.RelationSelf))
	return err
}

// RightsLetter is a (partial) refusal as the candidate receives it in
// writing, with the sender.
type RightsLetter struct {
	Request  *RightsRequest
	Provider string
}

var errNoLetter = opstap.Errorf(opstap.ENOTFOUND, "this request has no letter")

// FindRightsLetter returns what the letter of a (partly) refused request
// says [001: "schriftelijk bericht waarin staat uitgelegd waarom"], for the
// candidate or the privacy officer; the read is logged.
func (db *DB) FindRightsLetter(ctx context.Context, a *opstap.Actor, id string) (*RightsLetter, error) {
	l := &RightsLetter{}
	r, err := db.withRights(ctx, a, id, access.RightsRead, func(tx *Tx, _ vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		if !r.Status.NeedsLetter() {
			return "", errNoLetter
		}
		var err error
		if l.Provider, err = tx.providerName(ctx); err != nil {
			return "", err
		}
		return "rights letter " + r.ID + " read", tx.rightsCandidateName(ctx, a, r)
	})
	l.Request = r
	return l, err
}
