package store

import (
	"context"

	"time"

	"github.com/pquerna/otp"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/auth"
)

func totpAAD(userID string) string { return "totp/" + userID }

// BeginTOTPEnrolment gives a user without a confirmed second factor a new
// TOTP key, stored sealed under the master key until confirmed.
func (db *DB) BeginTOTPEnrolment(ctx context.Context, userID string) (*otp.Key, error) {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.totpConfirmed {
		return nil, opstap.Errorf(opstap.ECONFLICT, "a second factor is already set up")
	}
	key, err := auth.NewTOTP(u.Email)
	if err != nil {
		return nil, err
	}
	sealed := db.Keyring.SealSystem([]byte(key.Secret()), totpAAD(u.ID))
	_, err = db.SQL.ExecContext(ctx, db.rebind(`UPDATE users SET totp_secret = ? WHERE id = ? AND totp_confirmed_at IS NULL`), sealed, u.ID)
	return key, err
}

// SetTOTPSecret installs a confirmed TOTP secret directly; the demo uses it
// so that its accounts have known codes.
func (db *DB) SetTOTPSecret(ctx context.Context, a *opstap.Actor, userID, secret string) error {
	if !a.System {
		return forbidden()
	}
	sealed := db.Keyring.SealSystem([]byte(secret), totpAAD(userID))
	_, err := db.SQL.ExecContext(ctx, db.rebind(`UPDATE users SET totp_secret = ?, totp_confirmed_at = ? WHERE id = ?`), sealed, db.Now().UTC(), userID)
	return err
}

// TOTPSecret returns a user's TOTP secret in plain text; the demo mode shows
// the current code with it.
func (db *DB) TOTPSecret(ctx context.Context, userID string) (string, error) {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	if len(u.totpSecret) == 0 {
		return "", opstap.Errorf(opstap.ENOTFOUND, "no second factor is set up")
	}
	b, err := db.Keyring.OpenSystem(u.totpSecret, totpAAD(u.ID))
	return string(b), err
}

// VerifySecondFactor checks a TOTP code for the session's user and, when it
// matches, marks the session as having passed the second factor. It also
// confirms a pending enrolment. Failures count towards login throttling.
func (db *DB) VerifySecondFactor(ctx context.Context, s *Session, code, address string) error {
	u, err := db.FindUserByID(ctx, s.UserID)
	if err != nil {
		return err
	}
	if err := db.checkThrottle(ctx, u.Email, address); err != nil {
		return err
	}
	if len(u.totpSecret) == 0 {
		return opstap.Errorf(opstap.ECONFLICT, "no second factor is set up")
	}
	secret, err := db.Keyring.OpenSystem(u.totpSecret, totpAAD(u.ID))
	if err != nil {
		return err
	}
	step, ok := auth.CheckTOTP(string(secret), code, db.Now(), u.totpLastStep)
	if !ok {
		err := db.WithTx(ctx, func(tx *Tx) error {
			if err := tx.recordFailure(ctx, u.Email, address); err != nil {
				return err
			}
			e := entryFor(u.Actor(tx.Now(), address), audit.EventMFA)
			e.Outcome = audit.OutcomeDenied
			return tx.Audit(ctx, e)
		})
		if err != nil {
			return err
		}
		return opstap.FieldError("code", "the code is not correct")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		// The step guard makes a code single-use even under concurrent submits.
		r, err := tx.exec(ctx, `UPDATE users SET totp_last_step = ?, totp_confirmed_at = COALESCE(totp_confirmed_at, ?) WHERE id = ? AND totp_last_step < ?`,
			step, tx.Now(), u.ID, step)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return opstap.FieldError("code", "the code is not correct")
		}
		if _, err := tx.exec(ctx, `UPDATE sessions SET mfa_at = ? WHERE id = ?`, tx.Now(), s.ID); err != nil {
			return err
		}
		s.MFADone, s.MFAEnrolled = true, true
		return tx.Audit(ctx, entryFor(u.Actor(tx.Now(), address), audit.EventMFA))
	})
}

// DemoTOTPCode returns a code the user can use now: the current step's,
// or the next step's when the current one was used already (codes are
// single-use, and the check allows one step of drift). Demo mode shows it.
func (db *DB) DemoTOTPCode(ctx context.Context, userID string) (string, error) {
	u, err := db.FindUserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	secret, err := db.TOTPSecret(ctx, userID)
	if err != nil {
		return "", err
	}
	now := db.Now()
	step := auth.TOTPStep(now)
	if step <= u.totpLastStep {
		step = u.totpLastStep + 1
	}
	if step > auth.TOTPStep(now)+1 {
		return "", opstap.Errorf(opstap.ETOOMANY, "wait half a minute for a new code")
	}
	return auth.TOTPCode(secret, time.Unix(step*30, 0)), nil
}
