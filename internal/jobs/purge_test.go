package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestPurgeExpired(t *testing.T) {
	// A fixed clock with sub-second digits, so that SQLite's textual time
	// comparison is exercised across fractional seconds too.
	now := time.Date(2026, 3, 29, 1, 30, 0, 250_000_000, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	idle := store.SessionPolicy{}.OrDefaults().Idle

	const kept, gone = false, true
	tests := []struct {
		name  string
		table string
		add   func(t *testing.T, db *store.DB, id string)
		gone  bool
		// wantRevokedAt is api_tokens.revoked_at afterwards.
		wantRevokedAt *time.Time
	}{
		{"session expired", "sessions", session(ago(time.Minute), ago(time.Millisecond)), gone, nil},
		{"session expires now", "sessions", session(ago(time.Minute), now), gone, nil},
		{"session idle past timeout", "sessions", session(ago(idle+time.Millisecond), now.Add(time.Hour)), gone, nil},
		{"session idle exactly timeout", "sessions", session(ago(idle), now.Add(time.Hour)), kept, nil},
		{"session fresh", "sessions", session(now, now.Add(500*time.Millisecond)), kept, nil},

		{"token expired", "api_tokens", token(ptr(ago(time.Second)), nil), kept, &now},
		{"token expires now", "api_tokens", token(&now, nil), kept, &now},
		{"token expires later", "api_tokens", token(ptr(now.Add(time.Millisecond)), nil), kept, nil},
		{"token without expiry", "api_tokens", token(nil, nil), kept, nil},
		{"token revoked before expiry", "api_tokens", token(ptr(ago(time.Hour)), ptr(ago(2*time.Hour))), kept, ptr(ago(2 * time.Hour))},

		{"login failure over 24h old", "login_failures", failure(ago(24*time.Hour + time.Millisecond)), gone, nil},
		{"login failure exactly 24h old", "login_failures", failure(ago(24 * time.Hour)), kept, nil},
		{"login failure recent", "login_failures", failure(ago(23 * time.Hour)), kept, nil},

		{"idempotency key over 24h old", "idempotency_keys", idempotencyKey(ago(24*time.Hour + time.Millisecond)), gone, nil},
		{"idempotency key exactly 24h old", "idempotency_keys", idempotencyKey(ago(24 * time.Hour)), gone, nil},
		{"idempotency key recent", "idempotency_keys", idempotencyKey(ago(24*time.Hour - time.Millisecond)), kept, nil},

		{"grant expired", "grants", grant(ptr(ago(time.Second))), kept, nil},
		{"grant expires later", "grants", grant(ptr(now.Add(time.Hour))), kept, nil},
		{"grant without expiry", "grants", grant(nil), kept, nil},
	}
	want := store.PurgeResult{Sessions: 3, Tokens: 2, LoginFailures: 1, IdempotencyKeys: 2, ExpiredGrants: 1}

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return now }
		seedUser(t, db, ago(48*time.Hour))
		for i, tt := range tests {
			tt.add(t, db, "c"+string(rune('a'+i)))
		}

		got, err := db.PurgeExpired(ctx)
		if err != nil {
			t.Fatalf("PurgeExpired: %v", err)
		}
		if got != want {
			t.Errorf("PurgeExpired = %+v, want %+v", got, want)
		}

		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := "c" + string(rune('a'+i))
				key := "id"
				if tt.table == "login_failures" {
					key = "key"
				}
				exists := count(t, db, `SELECT COUNT(*) FROM `+tt.table+` WHERE `+key+` = ?`, id) == 1
				if exists == tt.gone {
					t.Fatalf("row exists = %v, want %v", exists, !tt.gone)
				}
				if tt.table != "api_tokens" {
					return
				}
				var revokedAt *time.Time
				if err := db.SQL.QueryRowContext(ctx, rebind(db, `SELECT revoked_at FROM api_tokens WHERE id = ?`), id).Scan(&revokedAt); err != nil {
					t.Fatal(err)
				}
				if (revokedAt == nil) != (tt.wantRevokedAt == nil) || revokedAt != nil && !revokedAt.Equal(*tt.wantRevokedAt) {
					t.Errorf("revoked_at = %v, want %v", fmtTime(revokedAt), fmtTime(tt.wantRevokedAt))
				}
			})
		}

		// A second run finds nothing new; expired grants are only counted.
		again, err := db.PurgeExpired(ctx)
		if err != nil {
			t.Fatalf("second PurgeExpired: %v", err)
		}
		if w := (store.PurgeResult{ExpiredGrants: 1}); again != w {
			t.Errorf("second PurgeExpired = %+v, want %+v", again, w)
		}

		// The idle timeout is a parameter.
		t.Run("idle timeout configurable", func(t *testing.T) {
			defer func(p store.SessionPolicy) { db.Sessions = p }(db.Sessions)
			db.Sessions.Idle = 2 * time.Hour
			insertSession(t, db, "idle-1h", ago(time.Hour), now.Add(time.Hour))
			if res, err := db.PurgeExpired(ctx); err != nil || res.Sessions != 0 {
				t.Fatalf("PurgeExpired = %+v, %v; want no session purged", res, err)
			}
			db.Sessions.Idle = 30 * time.Minute
			if res, err := db.PurgeExpired(ctx); err != nil || res.Sessions != 1 {
				t.Fatalf("PurgeExpired = %+v, %v; want one session purged", res, err)
			}
		})
	})
}

func ptr(t time.Time) *time.Time { return &t }

func fmtTime(t *time.Time) string {
	if t == nil {
		return "NULL"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func session(lastSeen, expires time.Time) func(*testing.T, *store.DB, string) {
	return func(t *testing.T, db *store.DB, id string) { insertSession(t, db, id, lastSeen, expires) }
}

func token(expires, revokedAt *time.Time) func(*testing.T, *store.DB, string) {
	return func(t *testing.T, db *store.DB, id string) {
		execSQL(t, db, `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, "user-1", "token "+id, "hash-"+id, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), nullTime(expires), nullTime(revokedAt))
	}
}

func failure(at time.Time) func(*testing.T, *store.DB, string) {
	return func(t *testing.T, db *store.DB, key string) {
		execSQL(t, db, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, at.UTC())
	}
}

// idempotencyKey is a completed key of user-1 first used at created.
func idempotencyKey(created time.Time) func(*testing.T, *store.DB, string) {
	return func(t *testing.T, db *store.DB, id string) {
		execSQL(t, db, `INSERT INTO idempotency_keys (id, user_id, key_hash, method, path, status, created_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, "user-1", []byte("hash-"+id), "POST", "/api/v1/candidates", 201, created.UTC(), created.UTC())
	}
}

func grant(expires *time.Time) func(*testing.T, *store.DB, string) {
	return func(t *testing.T, db *store.DB, id string) {
		g := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		execSQL(t, db, `INSERT INTO grants (id, user_id, role, access, granted_at, expires_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, "user-1", "coach", "read", g, nullTime(expires), g)
	}
}
