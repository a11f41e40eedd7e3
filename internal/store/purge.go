package store

import (
	"context"
	"database/sql"
	"time"
)

// SessionPolicy bounds a session's life. It is configuration (opstap serve
// --session-max-age, --session-idle); the zero value means the defaults.
type SessionPolicy struct {
	// MaxAge is the absolute life: it bounds a stolen cookie's use.
	MaxAge time.Duration
	// Idle is how long a session may go unused before it ends, whatever
	// its absolute expiry says.
	Idle time.Duration
}

// The default session policy: a working day at most, and half an hour unused
// (docs/security.md).
const (
	defaultSessionMaxAge = 12 * time.Hour
	defaultSessionIdle   = 30 * time.Minute
)

// OrDefaults returns p with each unset bound replaced by its default.
func (p SessionPolicy) OrDefaults() SessionPolicy {
	if p.MaxAge <= 0 {
		p.MaxAge = defaultSessionMaxAge
	}
	if p.Idle <= 0 {
		p.Idle = defaultSessionIdle
	}
	return p
}

// SessionPolicy returns the configured policy, each unset bound replaced
// by its default.
func (db *DB) SessionPolicy() SessionPolicy { return db.Sessions.OrDefaults() }

// purgeLoginFailuresAfter is how long failed logins are kept for throttling.
const purgeLoginFailuresAfter = 24 * time.Hour

// PurgeResult counts what one PurgeExpired run did. It holds counts only,
// never identities, so it is safe to log.
type PurgeResult struct {
	Sessions        int // sessions deleted: expired or idle too long
	Tokens          int // API tokens revoked because they expired
	LoginFailures   int // login failures older than 24 h deleted
	IdempotencyKeys int // API idempotency keys and their answers older than 24 h deleted
	ExpiredGrants   int // grants past their expiry (already inactive; reported only)
}

// PurgeExpired removes what has run out, in one transaction: sessions past
// expires_at or idle for the session policy's Idle, login failures and API
// idempotency keys older than 24 h;
// it revokes API tokens past expires_at and counts expired grants.
// The bounds match the checks at use (SessionActor): a session ends when
// now >= expires_at or now - last_seen_at > Idle; a token
// when now >= expires_at.
func (db *DB) PurgeExpired(ctx context.Context) (PurgeResult, error) {
	var res PurgeResult
	err := db.WithTx(ctx, func(tx *Tx) error {
		now := tx.Now().UTC()

		n, err := purgeRowsAffected(tx.exec(ctx,
			`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?`,
			now, now.Add(-db.SessionPolicy().Idle)))
		if err != nil {
			return err
		}
		res.Sessions = n

		n, err = purgeRowsAffected(tx.exec(ctx,
			`UPDATE api_tokens SET revoked_at = ?
			 WHERE revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?`,
			now, now))
		if err != nil {
			return err
		}
		res.Tokens = n

		n, err = purgeRowsAffected(tx.exec(ctx,
			`DELETE FROM login_failures WHERE at < ?`, now.Add(-purgeLoginFailuresAfter)))
		if err != nil {
			return err
		}
		res.LoginFailures = n

		if res.IdempotencyKeys, err = tx.purgeIdempotencyKeys(ctx); err != nil {
			return err
		}

		if _, err := tx.purgeStaleUploads(ctx); err != nil {
			return err
		}

		return wrapDBErr(tx.queryRow(ctx,
			`SELECT COUNT(*) FROM grants WHERE expires_at IS NOT NULL AND expires_at <= ?`,
			now).Scan(&res.ExpiredGrants))
	})
	if err != nil {
		return PurgeResult{}, err
	}
	return res, nil
}

// affected returns the number of rows an exec touched.
func purgeRowsAffected(r sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	return int(n), err
}
