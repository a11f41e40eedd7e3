package store

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestConstraintByCodeNotText (issue 14 item 4): a violated constraint is
// recognised by the driver's code, also when wrapped; a message that only
// reads like one is not.
func TestConstraintByCodeNotText(t *testing.T) {
	lite, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	lite.SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA foreign_keys = ON`, `CREATE TABLE p (id TEXT PRIMARY KEY, name TEXT UNIQUE)`,
		`CREATE TABLE c (id TEXT PRIMARY KEY, p_id TEXT REFERENCES p (id))`, `INSERT INTO p VALUES ('1', 'a')`} {
		if _, err := lite.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, liteUnique := lite.Exec(`INSERT INTO p VALUES ('2', 'a')`)
	_, litePK := lite.Exec(`INSERT INTO p VALUES ('1', 'b')`)
	_, liteFK := lite.Exec(`INSERT INTO c VALUES ('1', 'nobody')`)
	for _, c := range []struct {
		name string
		err  error
		want constraint
	}{
		{"sqlite unique", liteUnique, constraintUnique},
		{"sqlite primary key", litePK, constraintUnique},
		{"sqlite foreign key", liteFK, constraintForeignKey},
		{"postgres unique", &pgconn.PgError{Code: "23505"}, constraintUnique},
		{"postgres foreign key, wrapped", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23503"}), constraintForeignKey},
		{"postgres not null", &pgconn.PgError{Code: "23502"}, constraintNone},
		{"text like sqlite's", errors.New("UNIQUE constraint failed: p.name"), constraintNone},
		{"text like postgres'", errors.New("ERROR: duplicate key value (SQLSTATE 23505)"), constraintNone},
	} {
		if got := constraintOf(c.err); got != c.want {
			t.Errorf("%s (%v): %d, want %d", c.name, c.err, got, c.want)
		}
	}
}
