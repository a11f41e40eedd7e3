package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/auth"
)

// Token is an API bearer token's metadata; the secret itself is shown once
// at creation and stored only as a hash.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// MaxTokenLifetime bounds how long a token may live.
const MaxTokenLifetime = 366 * 24 * time.Hour

// CreateToken makes an API token for userID: the actor's own, or anyone's
// for an administrator or the command line.
func (db *DB) CreateToken(ctx context.Context, a *opstap.Actor, userID, name string, expiresAt *time.Time) (plain string, t *Token, err error) {
	if a.UserID != userID && !can(a, access.ManageAccounts) {
		return "", nil, forbidden()
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, opstap.FieldError("name", "name is required")
	}
	now := db.Now().UTC()
	if expiresAt == nil {
		e := now.Add(90 * 24 * time.Hour)
		expiresAt = &e
	}
	if !expiresAt.After(now) || expiresAt.Sub(now) > MaxTokenLifetime {
		return "", nil, opstap.FieldError("expires_at", "expiry must lie between now and one year ahead")
	}
	plain, hash := auth.NewToken(auth.TokenPrefix)
	t = &Token{ID: newID(), UserID: userID, Name: name, CreatedAt: now, ExpiresAt: expiresAt}
	err = db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.mustUser(ctx, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.ID, userID, name, hash, now, expiresAt.UTC()); err != nil {
			return err
		}
		e := entryFor(a, audit.EventTokenChange)
		e.Detail = "created token " + t.ID + " for user " + userID
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// RevokeToken revokes a token of the actor's own (or any, for admins).
func (db *DB) RevokeToken(ctx context.Context, a *opstap.Actor, tokenID string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var owner string
		err := tx.queryRow(ctx, `SELECT user_id FROM api_tokens WHERE id = ? AND revoked_at IS NULL`, tokenID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != a.UserID && !can(a, access.ManageAccounts)) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such active token")
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, tx.Now(), tokenID); err != nil {
			return err
		}
		e := entryFor(a, audit.EventTokenChange)
		e.Detail = "revoked token " + tokenID
		return tx.Audit(ctx, e)
	})
}

// FindTokens lists a user's tokens, newest first.
func (db *DB) FindTokens(ctx context.Context, a *opstap.Actor, userID string) ([]Token, error) {
	if a.UserID != userID && !can(a, access.ManageAccounts) {
		return nil, forbidden()
	}
	rows, err := db.SQL.QueryContext(ctx, db.rebind(`SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at
		FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id`), userID)
	var out []Token
	if err := each(rows, err, func(rows scanner) error {
		var t Token
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, scanTime(&t.CreatedAt), scanNullTime(&t.ExpiresAt), scanNullTime(&t.RevokedAt), scanNullTime(&t.LastUsedAt)); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenActor returns the actor for a bearer token, checking revocation,
// expiry and the account's block on every request.
func (db *DB) TokenActor(ctx context.Context, plain, address string) (*opstap.Actor, error) {
	now := db.Now().UTC()
	var t Token
	err := db.queryRowDB(ctx, `SELECT id, user_id, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = ?`, auth.HashToken(plain)).
		Scan(&t.ID, &t.UserID, scanNullTime(&t.ExpiresAt), scanNullTime(&t.RevokedAt), scanNullTime(&t.LastUsedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opstap.Errorf(opstap.EUNAUTHORIZED, "unknown API token")
	} else if err != nil {
		return nil, err
	}
	switch {
	case t.RevokedAt != nil:
		return nil, opstap.Errorf(opstap.EUNAUTHORIZED, "this API token was revoked")
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return nil, opstap.Errorf(opstap.EUNAUTHORIZED, "this API token has expired")
	}
	u, err := db.FindUserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.BlockedAt != nil {
		return nil, opstap.Errorf(opstap.EUNAUTHORIZED, "this account is blocked")
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if _, err := db.SQL.ExecContext(ctx, db.rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), now, t.ID); err != nil {
			return nil, err
		}
	}
	a := u.Actor(now, address)
	a.TokenID = t.ID
	return a, nil
}
