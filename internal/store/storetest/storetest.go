// Package storetest opens migrated test databases on every engine the
// environment offers: SQLite always, PostgreSQL when OPSTAP_TEST_DATABASE_URL
// is set (and then an unreachable server fails the test; it never skips).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/vault"
)

// Engines returns the engines to test on.
func Engines() []store.Dialect {
	e := []store.Dialect{store.SQLite}
	if os.Getenv("OPSTAP_TEST_DATABASE_URL") != "" {
		e = append(e, store.Postgres)
	}
	return e
}

// Each runs fn as a subtest once per engine with a fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Engines() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Seed, when a test package sets it (in TestMain, before any test runs),
// fills every database Open returns — with the demo, say. It runs once
// per engine and process, on the template that Open copies.
var Seed func(ctx context.Context, db *store.DB) error

// Open returns a fresh, migrated (and seeded) database of the given
// engine, removed when the test ends. It is a copy of a template that was
// migrated once per process: a file copy on SQLite, CREATE DATABASE …
// TEMPLATE on PostgreSQL, so that a test does not pay for the migrations
// (and the seed) again.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	var db *store.DB
	var err error
	switch d {
	case store.SQLite:
		db, err = openSQLiteCopy(t)
	case store.Postgres:
		db, err = openPostgresCopy(t)
	}
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	Keys(db)
	return db
}

// Fresh returns an opener of one new, empty database of the given engine:
// each call opens another handle with its own connections (as a separate
// server would), with the test keys installed and nothing migrated.
func Fresh(t testing.TB, d store.Dialect) func(context.Context) (*store.DB, error) {
	t.Helper()
	if d == store.SQLite {
		path := filepath.Join(t.TempDir(), "opstap.db")
		return func(ctx context.Context) (*store.DB, error) {
			db, err := store.Open(ctx, "sqlite:"+path)
			if err == nil {
				Keys(db)
			}
			return db, err
		}
	}
	url := os.Getenv("OPSTAP_TEST_DATABASE_URL")
	if url == "" {
		t.Fatal("OPSTAP_TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("PostgreSQL at OPSTAP_TEST_DATABASE_URL unreachable: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	return func(ctx context.Context) (*store.DB, error) {
		db, err := store.OpenPostgresSchema(ctx, url, schema)
		if err == nil {
			Keys(db)
		}
		return db, err
	}
}

// Keys installs fixed test keys: a keyring and an audit-chain key.
func Keys(db *store.DB) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i + 1)
	}
	kr, err := vault.ParseKeyring("1:" + base64.StdEncoding.EncodeToString(key))
	if err != nil {
		panic(err)
	}
	db.Keyring = kr
	db.AuditKey = []byte("opstap test audit key, 32 bytes!")
}
