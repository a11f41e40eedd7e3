package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/auth"
)

// User is an account with its organisation and grants.
type User struct {
	ID            string               `json:"id"`
	Email         string               `json:"email"`
	Name          string               `json:"name"`
	Language      string               `json:"language"`
	Organisation  account.Organisation `json:"organisation"`
	Grants        []opstap.Grant       `json:"grants"`
	TOTPEnabled   bool                 `json:"totp_enabled"`
	CreatedAt     time.Time            `json:"created_at"`
	BlockedAt     *time.Time           `json:"blocked_at,omitempty"`
	LastLoginAt   *time.Time           `json:"last_login_at,omitempty"`
	passwordHash  string
	totpSecret    []byte
	totpLastStep  int64
	totpConfirmed bool
}

func newID() string { return uuid.NewString() }

// can reports whether the actor holds the capability; background jobs and
// the command line act as the system.
func can(a *opstap.Actor, c access.Capability) bool {
	return a != nil && (a.System || access.Can(a, c))
}

func forbidden() error {
	return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
}

// entryFor starts an audit entry for something the actor did.
func entryFor(a *opstap.Actor, event string) audit.Entry {
	e := audit.Entry{Event: event, Outcome: audit.OutcomeOK}
	if a == nil {
		return e
	}
	e.ActorUserID, e.ActorOrgID, e.Address = a.UserID, a.OrgID, a.Address
	if a.System {
		e.ActorRole = "system"
	} else if rs := a.Roles(); len(rs) > 0 {
		e.ActorRole = string(rs[0])
	}
	return e
}

// CreateOrganisation stores a new organisation.
func (db *DB) CreateOrganisation(ctx context.Context, a *opstap.Actor, o *account.Organisation) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		o.ID, o.CreatedAt = newID(), tx.Now()
		var cbs any
		if o.CBSCode != "" {
			cbs = o.CBSCode
		}
		if _, err := tx.exec(ctx, `INSERT INTO organisations (id, name, kind, cbs_code, created_at) VALUES (?, ?, ?, ?, ?)`,
			o.ID, o.Name, string(o.Kind), cbs, o.CreatedAt); err != nil {
			return conflictField(err, "cbs_code", "an organisation with this CBS code exists")
		}
		e := entryFor(a, audit.EventOrgChange)
		e.Detail = "created organisation " + o.ID
		return tx.Audit(ctx, e)
	})
}

// conflictField names the field of a uniqueness conflict.
func conflictField(err error, field, msg string) error {
	if opstap.ErrorCode(err) == opstap.ECONFLICT {
		return &opstap.Error{Code: opstap.ECONFLICT, Field: field, Message: msg}
	}
	return err
}

// FindOrganisations lists organisations by name.
func (db *DB) FindOrganisations(ctx context.Context) ([]account.Organisation, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT id, name, kind, COALESCE(cbs_code, ''), created_at FROM organisations ORDER BY name, id`)
	var out []account.Organisation
	if err := each(rows, err, func(rows scanner) error {
		var o account.Organisation
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &o.CBSCode, scanTime(&o.CreatedAt)); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateUser stores a new account with its grants.
func (db *DB) CreateUser(ctx context.Context, a *opstap.Actor, n account.NewUser) (*User, error) {
	if !can(a, access.ManageAccounts) {
		return nil, forbidden()
	}
	if err := n.Validate(db.Now()); err != nil {
		return nil, err
	}
	hash := ""
	if n.Password != "" {
		var err error
		if hash, err = auth.HashPassword(n.Password); err != nil {
			return nil, err
		}
	}
	var id string
	err := db.WithTx(ctx, func(tx *Tx) error {
		id = newID()
		if _, err := tx.exec(ctx, `INSERT INTO users (id, org_id, email, name, password_hash, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, n.OrgID, n.Email, n.Name, hash, n.Language, tx.Now()); err != nil {
			if opstap.ErrorCode(err) == opstap.EINVALID {
				return opstap.FieldError("org_id", "unknown organisation")
			}
			return conflictField(err, "email", "an account with this e-mail address exists")
		}
		e := entryFor(a, audit.EventUserChange)
		e.Detail = "created user " + id
		entries := []audit.Entry{e}
		for _, g := range n.Grants {
			ge, err := tx.addGrant(ctx, a, id, g)
			if err != nil {
				return err
			}
			entries = append(entries, ge)
		}
		return tx.Audit(ctx, entries...)
	})
	if err != nil {
		return nil, err
	}
	return db.FindUserByID(ctx, id)
}

func (tx *Tx) addGrant(ctx context.Context, a *opstap.Actor, userID string, g access.GrantSpec) (audit.Entry, error) {
	id := newID()
	var by any
	if a != nil && a.UserID != "" {
		by = a.UserID
	}
	if _, err := tx.exec(ctx, `INSERT INTO grants (id, user_id, role, access, granted_by, granted_at, expires_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, string(g.Role), string(g.Access), by, tx.Now(), nullTime(g.ExpiresAt), tx.Now()); err != nil {
		return audit.Entry{}, err
	}
	e := entryFor(a, audit.EventGrantChange)
	e.Action = string(g.Access)
	e.Detail = "granted " + string(g.Role) + " (" + string(g.Access) + ") to user " + userID
	return e, nil
}

// AddGrant gives an existing user a role.
func (db *DB) AddGrant(ctx context.Context, a *opstap.Actor, userID string, g access.GrantSpec) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	if err := g.Validate(db.Now()); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.mustUser(ctx, userID); err != nil {
			return err
		}
		e, err := tx.addGrant(ctx, a, userID, g)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, e)
	})
}

// BlockGrant withdraws one grant at once; it cannot be used from the next
// request on, in every open session and API token.
func (db *DB) BlockGrant(ctx context.Context, a *opstap.Actor, grantID string) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `UPDATE grants SET blocked_at = ? WHERE id = ? AND blocked_at IS NULL`, tx.Now(), grantID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return opstap.Errorf(opstap.ENOTFOUND, "no such active grant")
		}
		e := entryFor(a, audit.EventGrantChange)
		e.Detail = "blocked grant " + grantID
		return tx.Audit(ctx, e)
	})
}

func (tx *Tx) mustUser(ctx context.Context, userID string) error {
	var one int
	if err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, userID).Scan(&one); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return opstap.Errorf(opstap.ENOTFOUND, "no such user")
		}
		return err
	}
	return nil
}

// BlockUser blocks an account at once: its sessions end and its API tokens
// are revoked in the same transaction [003 bewerkers art 5].
func (db *DB) BlockUser(ctx context.Context, a *opstap.Actor, userID string) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	if a.UserID == userID {
		return opstap.Errorf(opstap.ECONFLICT, "you cannot block your own account")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `UPDATE users SET blocked_at = ? WHERE id = ? AND blocked_at IS NULL`, tx.Now(), userID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			if err := tx.mustUser(ctx, userID); err != nil {
				return err
			}
			return opstap.Errorf(opstap.ECONFLICT, "the account is already blocked")
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, tx.Now(), userID); err != nil {
			return err
		}
		e := entryFor(a, audit.EventUserChange)
		e.Detail = "blocked user " + userID
		return tx.Audit(ctx, e)
	})
}

// UnblockUser lets a blocked account sign in again.
func (db *DB) UnblockUser(ctx context.Context, a *opstap.Actor, userID string) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `UPDATE users SET blocked_at = NULL WHERE id = ? AND blocked_at IS NOT NULL`, userID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return opstap.Errorf(opstap.ENOTFOUND, "no such blocked account")
		}
		e := entryFor(a, audit.EventUserChange)
		e.Detail = "unblocked user " + userID
		return tx.Audit(ctx, e)
	})
}

const userColumns = `u.id, u.email, u.name, u.language, u.password_hash, u.totp_secret, u.totp_confirmed_at, u.totp_last_step,
	u.created_at, u.blocked_at, u.last_login_at, o.id, o.name, o.kind, COALESCE(o.cbs_code, ''), o.created_at`

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (db *DB) findUsers(ctx context.Context, q querier, where string, args ...any) ([]*User, error) {
	rows, err := db.queryOn(ctx, q, `SELECT `+userColumns+` FROM users u JOIN organisations o ON o.id = u.org_id `+where, args...)
	var out []*User
	byID := map[string]*User{}
	if err := each(rows, err, func(rows scanner) error {
		u := &User{}
		var confirmed *time.Time
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Language, &u.passwordHash, &u.totpSecret, scanNullTime(&confirmed), &u.totpLastStep,
			scanTime(&u.CreatedAt), scanNullTime(&u.BlockedAt), scanNullTime(&u.LastLoginAt),
			&u.Organisation.ID, &u.Organisation.Name, &u.Organisation.Kind, &u.Organisation.CBSCode, scanTime(&u.Organisation.CreatedAt)); err != nil {
			return err
		}
		u.totpConfirmed = confirmed != nil
		u.TOTPEnabled = u.totpConfirmed
		out = append(out, u)
		byID[u.ID] = u
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, db.loadGrants(ctx, q, byID)
}

func (db *DB) loadGrants(ctx context.Context, q querier, byID map[string]*User) error {
	ids := make([]any, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	// Chunk so that the IN list stays below SQLite's variable limit.
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		rows, err := db.queryOn(ctx, q, `SELECT id, user_id, role, access, COALESCE(granted_by, ''), granted_at, expires_at, blocked_at, reviewed_at
			FROM grants WHERE user_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY granted_at, id`, chunk...)
		if err := each(rows, err, func(rows scanner) error {
			var g opstap.Grant
			if err := rows.Scan(&g.ID, &g.UserID, &g.Role, &g.Access, &g.GrantedBy, scanTime(&g.GrantedAt),
				scanNullTime(&g.ExpiresAt), scanNullTime(&g.BlockedAt), scanTime(&g.ReviewedAt)); err != nil {
				return err
			}
			u := byID[g.UserID]
			u.Grants = append(u.Grants, g)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) findUser(ctx context.Context, where string, args ...any) (*User, error) {
	us, err := db.findUsers(ctx, db.SQL, where, args...)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, opstap.Errorf(opstap.ENOTFOUND, "no such user")
	}
	return us[0], nil
}

// FindUserByID returns one account.
func (db *DB) FindUserByID(ctx context.Context, id string) (*User, error) {
	return db.findUser(ctx, `WHERE u.id = ?`, id)
}

// FindUserByEmail returns the account with this address.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	return db.findUser(ctx, `WHERE u.email = ?`, account.NormEmail(email))
}

// FindUsers lists accounts for administrators.
func (db *DB) FindUsers(ctx context.Context, a *opstap.Actor) ([]*User, error) {
	if !can(a, access.ManageAccounts) && !can(a, access.ReviewGrants) {
		return nil, forbidden()
	}
	return db.findUsers(ctx, db.SQL, `ORDER BY o.name, u.email`)
}

// Actor builds the acting identity for a user: only grants active now count.
func (u *User) Actor(now time.Time, address string) *opstap.Actor {
	a := &opstap.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, OrgID: u.Organisation.ID, OrgKind: u.Organisation.Kind, Address: address}
	for _, g := range u.Grants {
		if g.Active(now) {
			a.Grants = append(a.Grants, g)
		}
	}
	return a
}

// SetLanguage stores the user's language choice.
func (db *DB) SetLanguage(ctx context.Context, a *opstap.Actor, lang string) error {
	if lang != "nl" && lang != "en" {
		return opstap.FieldError("language", "language must be nl or en")
	}
	_, err := db.SQL.ExecContext(ctx, db.rebind(`UPDATE users SET language = ? WHERE id = ?`), lang, a.UserID)
	return err
}

// SetPassword replaces a user's password (the command line resets it).
func (db *DB) SetPassword(ctx context.Context, a *opstap.Actor, userID, pw string) error {
	if a.UserID != userID && !can(a, access.ManageAccounts) {
		return forbidden()
	}
	if err := auth.ValidatePassword(pw); err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.mustUser(ctx, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		e := entryFor(a, audit.EventUserChange)
		e.Detail = "password set for user " + userID
		return tx.Audit(ctx, e)
	})
}
