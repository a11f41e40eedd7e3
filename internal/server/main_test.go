package server_test

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"os"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Every test starts from the demo: load it once, into the template
	// each test's database is copied from.
	storetest.Seed = func(ctx context.Context, db *store.DB) error {
		_, err := demo.Load(ctx, db)
		return err
	}
	os.Exit(storetest.Main(m))
}

func demoSystem() *opstap.Actor { return &opstap.Actor{System: true} }

// demoCandidateActor is the portal actor of a candidate record.
func demoCandidateActor(t *testing.T, db *store.DB, candidateID string) *opstap.Actor {
	t.Helper()
	var userID string
	if err := db.SQL.QueryRow(rebindOne(db, `SELECT user_id FROM candidates WHERE id = ?`), candidateID).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	u, err := db.FindUserByID(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor(db.Now(), "127.0.0.1")
}

// rebindOne adapts a query with one '?' to the engine.
func rebindOne(db *store.DB, q string) string {
	if db.Dialect == store.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}
