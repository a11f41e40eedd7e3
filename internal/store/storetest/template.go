package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opstap/opstap/internal/store"
)

// Templates: migrating a PostgreSQL database takes seconds, and packages
// whose tests start from the demo would load it for every test; CI then
// spends most of its time on set-up. Each process migrates (and seeds)
// one template per engine and copies it for every test.

var templates struct {
	sqlite, pg         sync.Once
	sqlitePath, pgName string
	sqliteErr, pgErr   error
}

// prepare migrates db and runs Seed.
func prepare(ctx context.Context, db *store.DB) error {
	Keys(db)
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if Seed != nil {
		if err := Seed(ctx, db); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	return nil
}

func openSQLiteCopy(t testing.TB) (*store.DB, error) {
	templates.sqlite.Do(func() {
		dir, err := os.MkdirTemp("", "opstap-template-")
		if err != nil {
			templates.sqliteErr = err
			return
		}
		path := filepath.Join(dir, "template.db")
		ctx := context.Background()
		db, err := store.Open(ctx, "sqlite:"+path)
		if err != nil {
			templates.sqliteErr = err
			return
		}
		if err := prepare(ctx, db); err != nil {
			db.Close()
			templates.sqliteErr = err
			return
		}
		// The copy must hold everything: fold the write-ahead log into the file.
		if _, err := db.SQL.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			templates.sqliteErr = err
		}
		db.Close()
		templates.sqlitePath = path
	})
	if templates.sqliteErr != nil {
		return nil, fmt.Errorf("SQLite template: %w", templates.sqliteErr)
	}
	path := filepath.Join(t.TempDir(), "opstap.db")
	if err := copyFile(templates.sqlitePath, path); err != nil {
		return nil, err
	}
	return store.Open(context.Background(), "sqlite:"+path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Test databases on PostgreSQL are named opstap_<kind>_<unix time>_<random>,
// so that what a killed process left behind can be recognised by its age.
const pgPrefix = "opstap_"

func pgDBName(kind string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s%s_%d_%s", pgPrefix, kind, time.Now().Unix(), hex.EncodeToString(b))
}

// pgURL is the test server's address with another database.
func pgURL(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func pgAdmin(ctx context.Context) (*pgx.Conn, string, error) {
	base := os.Getenv("OPSTAP_TEST_DATABASE_URL")
	if base == "" {
		return nil, "", fmt.Errorf("OPSTAP_TEST_DATABASE_URL is not set")
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, "", fmt.Errorf("PostgreSQL at OPSTAP_TEST_DATABASE_URL unreachable: %w", err)
	}
	return conn, base, nil
}

// dropStale removes test databases older than six hours (no test run lasts
// that long): a test process that was killed cannot drop its own.
func dropStale(ctx context.Context, conn *pgx.Conn) {
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'opstap\_%'`)
	if err != nil {
		return
	}
	names, _ := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, n := range names {
		parts := strings.Split(n, "_")
		if len(parts) != 4 {
			continue
		}
		at, err := strconv.ParseInt(parts[2], 10, 64)
		if err == nil && time.Since(time.Unix(at, 0)) > 6*time.Hour {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{n}.Sanitize()+" WITH (FORCE)")
		}
	}
}

func openPostgresCopy(t testing.TB) (*store.DB, error) {
	ctx := context.Background()
	templates.pg.Do(func() {
		conn, base, err := pgAdmin(ctx)
		if err != nil {
			templates.pgErr = err
			return
		}
		defer conn.Close(ctx)
		dropStale(ctx, conn)
		name := pgDBName("tpl")
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			templates.pgErr = err
			return
		}
		u, err := pgURL(base, name)
		if err != nil {
			templates.pgErr = err
			return
		}
		db, err := store.Open(ctx, u)
		if err != nil {
			templates.pgErr = err
			return
		}
		err = prepare(ctx, db)
		db.Close() // a template may have no connections when it is copied
		templates.pgName, templates.pgErr = name, err
	})
	if templates.pgErr != nil {
		return nil, fmt.Errorf("PostgreSQL template: %w", templates.pgErr)
	}
	conn, base, err := pgAdmin(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	name := pgDBName("t")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+templates.pgName); err != nil {
		return nil, fmt.Errorf("copy the template: %w", err)
	}
	t.Cleanup(func() {
		c, _, err := pgAdmin(context.Background())
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, err := pgURL(base, name)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, u)
}

// Main runs a package's tests and then removes this process's templates;
// call it from TestMain: os.Exit(storetest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if templates.sqlitePath != "" {
		_ = os.RemoveAll(filepath.Dir(templates.sqlitePath))
	}
	if templates.pgName != "" {
		ctx := context.Background()
		if conn, _, err := pgAdmin(ctx); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+templates.pgName+" WITH (FORCE)")
			conn.Close(ctx)
		}
	}
	return code
}
