package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/auth"
)

// Session is a server-side login session. The cookie holds a random token;
// the database holds only its hash.
type Session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	MFADone    bool
	// MFARequired: the user must pass TOTP before the session is usable.
	MFARequired bool
	// MFAEnrolled: the user has a confirmed TOTP key; otherwise the second
	// step is enrolment.
	MFAEnrolled bool
}

func throttleKeys(email, address string) (acct, addr string) {
	h := sha256.Sum256([]byte(account.NormEmail(email)))
	return "acct:" + hex.EncodeToString(h[:12]), "addr:" + address
}

// LoginThrottle returns the configured sign-in throttle, each unset bound
// replaced by its default.
func (db *DB) LoginThrottle() auth.Throttle { return db.Throttle.OrDefaults() }

// checkThrottle counts the recent failures of the account and the address;
// the throttle decides whether they refuse the attempt.
func (db *DB) checkThrottle(ctx context.Context, email, address string) error {
	acct, addr := throttleKeys(email, address)
	th := db.LoginThrottle()
	since := db.Now().UTC().Add(-th.Window)
	var na, nd int
	q := db.rebind(`SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?`)
	if err := db.SQL.QueryRowContext(ctx, q, acct, since).Scan(&na); err != nil {
		return err
	}
	if err := db.SQL.QueryRowContext(ctx, q, addr, since).Scan(&nd); err != nil {
		return err
	}
	if th.Refuses(na, nd) {
		return opstap.Errorf(opstap.ETOOMANY, "too many failed attempts; try again in %d minutes", int(th.Window.Minutes()))
	}
	return nil
}

func (tx *Tx) recordFailure(ctx context.Context, email, address string) error {
	acct, addr := throttleKeys(email, address)
	_, err := tx.exec(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?), (?, ?)`, acct, tx.Now(), addr, tx.Now())
	return err
}

// Login checks an e-mail address and password and opens a session. The
// session still needs the second factor when Session.MFARequired. Wrong
// address and wrong password get the same answer and take the same time.
func (db *DB) Login(ctx context.Context, email, password, address string) (token string, s *Session, err error) {
	if err := db.checkThrottle(ctx, email, address); err != nil {
		_ = db.AppendAudit(ctx, audit.Entry{Event: audit.EventLoginFailed, Outcome: audit.OutcomeDenied, Address: address, Detail: "throttled"})
		return "", nil, err
	}
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil && opstap.ErrorCode(err) != opstap.ENOTFOUND {
		return "", nil, err
	}
	ok := false
	if u == nil {
		auth.CheckNoPassword(password)
	} else if ok, err = auth.CheckPassword(u.passwordHash, password); err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, db.loginFailed(ctx, u, email, address, "wrong e-mail address or password")
	}
	if u.BlockedAt != nil {
		return "", nil, db.loginFailed(ctx, u, email, address, "this account is blocked")
	}
	token, s, err = db.createSession(ctx, u, address)
	return token, s, err
}

func (db *DB) loginFailed(ctx context.Context, u *User, email, address, msg string) error {
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.recordFailure(ctx, email, address); err != nil {
			return err
		}
		e := audit.Entry{Event: audit.EventLoginFailed, Outcome: audit.OutcomeDenied, Address: address, Detail: msg}
		if u != nil {
			e.ActorUserID, e.ActorOrgID = u.ID, u.Organisation.ID
		}
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return err
	}
	return opstap.Errorf(opstap.EUNAUTHORIZED, msg)
}

func (db *DB) createSession(ctx context.Context, u *User, address string) (string, *Session, error) {
	token, hash := auth.NewToken("")
	now := db.Now().UTC()
	s := &Session{ID: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(db.SessionPolicy().MaxAge),
		MFARequired: auth.NeedsSecondFactor(u.Grants, u.totpConfirmed, now), MFAEnrolled: u.totpConfirmed}
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?)`,
			s.ID, u.ID, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, address); err != nil {
			return err
		}
		acct, _ := throttleKeys(u.Email, address)
		if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, acct); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, now, u.ID); err != nil {
			return err
		}
		e := entryFor(u.Actor(now, address), audit.EventLogin)
		if s.MFARequired {
			e.Detail = "password accepted; second factor pending"
		}
		return tx.Audit(ctx, e)
	})
	return token, s, err
}

// SessionActor returns the session for a cookie token and the actor it
// stands for. It checks expiry, idleness and the account's block on every
// call, so a block takes effect at once.
func (db *DB) SessionActor(ctx context.Context, token, address string) (*Session, *opstap.Actor, error) {
	now := db.Now().UTC()
	var s Session
	var mfaAt *time.Time
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT id, user_id, created_at, last_seen_at, expires_at, mfa_at FROM sessions WHERE id = ?`), auth.HashToken(token)).
		Scan(&s.ID, &s.UserID, scanTime(&s.CreatedAt), scanTime(&s.LastSeenAt), scanTime(&s.ExpiresAt), scanNullTime(&mfaAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, opstap.Errorf(opstap.EUNAUTHORIZED, "your session has ended; please sign in")
	} else if err != nil {
		return nil, nil, err
	}
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) > db.SessionPolicy().Idle {
		_, _ = db.SQL.ExecContext(ctx, db.rebind(`DELETE FROM sessions WHERE id = ?`), s.ID)
		return nil, nil, opstap.Errorf(opstap.EUNAUTHORIZED, "your session has ended; please sign in")
	}
	u, err := db.FindUserByID(ctx, s.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.BlockedAt != nil {
		return nil, nil, opstap.Errorf(opstap.EUNAUTHORIZED, "this account is blocked")
	}
	s.MFADone, s.MFARequired, s.MFAEnrolled = mfaAt != nil, auth.NeedsSecondFactor(u.Grants, u.totpConfirmed, now), u.totpConfirmed
	// Touching on every request would make every page view a write; a
	// minute's resolution is plenty for a 30-minute idle timeout.
	if now.Sub(s.LastSeenAt) > time.Minute {
		if _, err := db.SQL.ExecContext(ctx, db.rebind(`UPDATE sessions SET last_seen_at = ? WHERE id = ?`), now, s.ID); err != nil {
			return nil, nil, err
		}
	}
	a := u.Actor(now, address)
	a.SessionID = s.ID
	return &s, a, nil
}

// Logout ends the session.
func (db *DB) Logout(ctx context.Context, a *opstap.Actor) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, a.SessionID); err != nil {
			return err
		}
		return tx.Audit(ctx, entryFor(a, audit.EventLogout))
	})
}

// LoginOIDC opens a session for a staff member the identity provider
// vouched for. The account must exist and belong to the provider; the
// subject is bound on first use so a later change of e-mail address at the
// provider cannot take over another account. It is bound only once the
// account passed every check, so a refused sign-in binds nothing. When the
// provider attests a second factor (amr), the session needs no TOTP.
func (db *DB) LoginOIDC(ctx context.Context, subject, email string, mfa bool, address string) (string, *Session, error) {
	u, err := db.findUser(ctx, `WHERE u.oidc_subject = ?`, subject)
	bind := opstap.ErrorCode(err) == opstap.ENOTFOUND
	if bind {
		u, err = db.findUser(ctx, `WHERE u.email = ? AND u.oidc_subject IS NULL`, account.NormEmail(email))
	}
	if err != nil && opstap.ErrorCode(err) != opstap.ENOTFOUND {
		return "", nil, err
	}
	if u == nil || u.Organisation.Kind != opstap.OrgProvider {
		return "", nil, db.loginFailed(ctx, u, email, address, "no staff account matches this sign-in")
	}
	if u.BlockedAt != nil {
		return "", nil, db.loginFailed(ctx, u, email, address, "this account is blocked")
	}
	if bind {
		// The condition makes a concurrent first sign-in with another
		// subject lose rather than overwrite.
		r, err := db.SQL.ExecContext(ctx, db.rebind(`UPDATE users SET oidc_subject = ? WHERE id = ? AND oidc_subject IS NULL`), subject, u.ID)
		if err != nil {
			return "", nil, err
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return "", nil, db.loginFailed(ctx, u, email, address, "no staff account matches this sign-in")
		}
	}
	token, s, err := db.createSession(ctx, u, address)
	if err == nil && mfa {
		err = db.WithTx(ctx, func(tx *Tx) error {
			if _, err := tx.exec(ctx, `UPDATE sessions SET mfa_at = ? WHERE id = ?`, tx.Now(), s.ID); err != nil {
				return err
			}
			e := entryFor(u.Actor(tx.Now(), address), audit.EventMFA)
			e.Detail = "second factor attested by the identity provider"
			return tx.Audit(ctx, e)
		})
		s.MFADone = err == nil
	}
	return token, s, err
}
