package jobs

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/store"
)

// testLogger sends warnings and errors (River's and ours) to the test log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// rebind turns '?' placeholders into PostgreSQL's $n.
func rebind(db *store.DB, q string) string {
	if db.Dialect != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func execSQL(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.SQL.ExecContext(context.Background(), rebind(db, q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(context.Background(), rebind(db, q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// seedUser inserts organisation "org-1" and user "user-1".
func seedUser(t *testing.T, db *store.DB, now time.Time) {
	t.Helper()
	execSQL(t, db, `INSERT INTO organisations (id, name, kind, created_at) VALUES (?, ?, ?, ?)`,
		"org-1", "Test provider", "provider", now.UTC())
	execSQL(t, db, `INSERT INTO users (id, org_id, email, name, created_at) VALUES (?, ?, ?, ?, ?)`,
		"user-1", "org-1", "user1@example.org", "User One", now.UTC())
}

func insertSession(t *testing.T, db *store.DB, id string, lastSeen, expires time.Time) {
	t.Helper()
	execSQL(t, db, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		id, "user-1", lastSeen.Add(-time.Hour).UTC(), lastSeen.UTC(), expires.UTC())
}
