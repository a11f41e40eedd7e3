package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// testKeys are fixed keys for commands against PostgreSQL, which never
// generates keys.
const (
	testMasterKeys = "1:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
	testAuditKey   = "b3BzdGFwIHRlc3QgYXVkaXQga2V5LCAzMiBieXRlcyE="
)

// pgSchemaURL creates a schema of its own on the test server and returns
// a database URL whose search_path leads to it; the schema and any
// siblings named schema_* are dropped at the end.
func pgSchemaURL(t *testing.T) (string, string) {
	t.Helper()
	base := os.Getenv("OPSTAP_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("OPSTAP_TEST_DATABASE_URL not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "c_" + hex.EncodeToString(b)
	conn := pgConn(t, base)
	if _, err := conn.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		for _, s := range []string{schema, schema + "_orig"} {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+s+" CASCADE")
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

func pgConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatalf("PostgreSQL at OPSTAP_TEST_DATABASE_URL unreachable: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func usePostgres(t *testing.T, url string) {
	t.Setenv("OPSTAP_DATABASE_URL", url)
	t.Setenv("OPSTAP_MASTER_KEYS", testMasterKeys)
	t.Setenv("OPSTAP_AUDIT_KEY", testAuditKey)
}

func checkPrivate(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

// TestBackupRestoreRoundTripSQLite: a backup of a demo installation,
// restored elsewhere with its secrets and key file, holds every table
// exactly as the original.
func TestBackupRestoreRoundTripSQLite(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if code, _, errOut := cli(t, src, "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	backup := filepath.Join(t.TempDir(), "opstap.backup")
	if code, _, errOut := cli(t, src, "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	checkPrivate(t, backup, backup+".keys")

	// Without the keys the backup was written under, nothing is restored.
	code, _, errOut := cli(t, dst, "restore", "--in", backup)
	if code != 1 || !strings.Contains(errOut, "secrets.env is missing") {
		t.Fatalf("restore without secrets: %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dst, "opstap.db")); err == nil {
		t.Fatal("a refused restore left a database")
	}
	secrets, err := os.ReadFile(filepath.Join(src, "secrets.env"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "secrets.env"), secrets, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, dst, "restore", "--in", backup); code != 0 || !strings.Contains(out, "keys restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	checkPrivate(t, filepath.Join(dst, "opstap.db"))
	db, err := sql.Open("sqlite", filepath.Join(dst, "opstap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`ATTACH DATABASE ? AS orig`, filepath.Join(src, "opstap.db")); err != nil {
		t.Fatal(err)
	}
	compareTables(t, db, `SELECT name FROM %s.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%%' ORDER BY name`, "main", "orig", "EXCEPT")
	if code, out, errOut := cli(t, dst, "audit", "verify"); code != 0 {
		t.Fatalf("verify after restore: %s %s", out, errOut)
	}

	// A second restore onto the restored database is refused.
	code, _, errOut = cli(t, dst, "restore", "--in", backup)
	if code != 1 || !strings.Contains(errOut, "holds a database already") {
		t.Fatalf("restore over data: %d %q", code, errOut)
	}
}

// TestBackupRestoreRoundTripPostgres: pg_dump is reached with the URL
// (issue 13 defect 1), the copy holds no data keys, and restoring it with
// the key file gives back every table as it was.
func TestBackupRestoreRoundTripPostgres(t *testing.T) {
	pgURL, schema := pgSchemaURL(t)
	usePostgres(t, pgURL)
	dir := t.TempDir()
	if code, _, errOut := cli(t, dir, "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	backup := filepath.Join(t.TempDir(), "opstap.backup")
	if code, out, errOut := cli(t, dir, "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	checkPrivate(t, backup, backup+".keys")
	conn := pgConn(t, os.Getenv("OPSTAP_TEST_DATABASE_URL"))
	ctx := context.Background()
	var keys int
	if err := conn.QueryRow(ctx, "SELECT COUNT(*) FROM "+schema+".candidate_keys WHERE wrapped_key IS NOT NULL").Scan(&keys); err != nil || keys == 0 {
		t.Fatalf("demo data keys: %d %v", keys, err)
	}
	if _, err := conn.Exec(ctx, "ALTER SCHEMA "+schema+" RENAME TO "+schema+"_orig"); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, dir, "restore", "--in", backup); code != 0 || !strings.Contains(out, "keys restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	db := stdlib.OpenDB(*conn.Config())
	defer db.Close()
	compareTables(t, db, `SELECT table_name FROM information_schema.tables WHERE table_schema = '%s' AND table_type = 'BASE TABLE' ORDER BY 1`, schema, schema+"_orig", "EXCEPT ALL")
	if code, out, errOut := cli(t, dir, "audit", "verify"); code != 0 {
		t.Fatalf("verify after restore: %s %s", out, errOut)
	}
	code, _, errOut := cli(t, dir, "restore", "--in", backup)
	if code != 1 || !strings.Contains(errOut, "restore into an empty database") {
		t.Fatalf("restore over data: %d %q", code, errOut)
	}
}

// compareTables fails unless schemas a and b hold the same tables with the
// same rows. list lists a schema's tables (with %s for the schema).
func compareTables(t *testing.T, db *sql.DB, list, a, b, except string) {
	t.Helper()
	names := func(schema string) []string {
		rows, err := db.Query(strings.ReplaceAll(list, "%s", schema))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ns []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			ns = append(ns, n)
		}
		return ns
	}
	ta, tb := names(a), names(b)
	if strings.Join(ta, ",") != strings.Join(tb, ",") || len(ta) < 20 {
		t.Fatalf("tables differ:\n%v\n%v", ta, tb)
	}
	rowsIn := 0
	for _, tbl := range ta {
		var na, nb, diff int
		q := "SELECT (SELECT COUNT(*) FROM " + a + "." + tbl + "), (SELECT COUNT(*) FROM " + b + "." + tbl + "), " +
			"(SELECT COUNT(*) FROM (SELECT * FROM " + a + "." + tbl + " " + except + " SELECT * FROM " + b + "." + tbl + ") x) + " +
			"(SELECT COUNT(*) FROM (SELECT * FROM " + b + "." + tbl + " " + except + " SELECT * FROM " + a + "." + tbl + ") y)"
		if err := db.QueryRow(q).Scan(&na, &nb, &diff); err != nil {
			t.Fatalf("%s: %v", tbl, err)
		}
		if na != nb || diff != 0 {
			t.Errorf("table %s: %d rows restored, %d original, %d differ", tbl, na, nb, diff)
		}
		rowsIn += na
	}
	t.Logf("%d tables, %d rows compared", len(ta), rowsIn)
}

// TestFailedBackupLeavesNothing: a pg_dump that fails half-way leaves no
// file that would block the retry (issue 13 defect 1).
func TestFailedBackupLeavesNothing(t *testing.T) {
	pgURL, _ := pgSchemaURL(t)
	usePostgres(t, pgURL)
	dir := t.TempDir()
	if code, _, errOut := cli(t, dir, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	bin := t.TempDir()
	fake := "#!/bin/sh\necho 'partial output'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(fake), 0o700); err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("PATH")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+path)
	outDir := t.TempDir()
	backup := filepath.Join(outDir, "opstap.backup")
	if code, _, _ := cli(t, dir, "backup", "--out", backup); code != 1 {
		t.Fatalf("backup with a failing pg_dump: exit %d", code)
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
		t.Fatalf("a failed backup left %v", entries)
	}
	t.Setenv("PATH", path)
	if code, _, errOut := cli(t, dir, "backup", "--out", backup); code != 0 {
		t.Fatalf("retry: %s", errOut)
	}
}

func TestStripKeys(t *testing.T) {
	in := "SET x = 1;\n" +
		"COPY s.candidate_keys (candidate_id, key_version, wrapped_key, created_at, destroyed_at) FROM stdin;\n" +
		"a\t1\t\\\\x0102\t2026-01-01 00:00:00+00\t\\N\n" +
		"b\\tc\t2\t\\N\t2026-01-01 00:00:00+00\t2026-02-01 00:00:00+00\n" +
		"\\.\n" +
		"COPY s.notes (id, body) FROM stdin;\n" +
		"n\t\\\\x0102\n" +
		"\\.\n"
	want := "SET x = 1;\n" +
		"COPY s.candidate_keys (candidate_id, key_version, wrapped_key, created_at, destroyed_at) FROM stdin;\n" +
		"a\t1\t\\N\t2026-01-01 00:00:00+00\t\\N\n" +
		"b\\tc\t2\t\\N\t2026-01-01 00:00:00+00\t2026-02-01 00:00:00+00\n" +
		"\\.\n" +
		"COPY s.notes (id, body) FROM stdin;\n" +
		"n\t\\\\x0102\n" +
		"\\.\n"
	var out strings.Builder
	if err := stripKeys(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
	for _, bad := range []string{"SET x = 1;\n", "COPY candidate_keys (candidate_id) FROM stdin;\n\\.\n", "COPY candidate_keys (wrapped_key) FROM stdin;\nx\n"} {
		if err := stripKeys(strings.NewReader(bad), &strings.Builder{}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// FuzzStripKeys: whatever pg_dump writes, no wrapped key value passes
// through, and every other line is copied unchanged.
func FuzzStripKeys(f *testing.F) {
	f.Add("COPY s.candidate_keys (candidate_id, wrapped_key) FROM stdin;\na\tSECRET\n\\.\nCOPY t (a) FROM stdin;\nSECRET\n\\.\n")
	f.Add("COPY candidate_keys (wrapped_key, x) FROM stdin;\nSECRET\n")
	f.Fuzz(func(t *testing.T, in string) {
		var out strings.Builder
		if err := stripKeys(strings.NewReader(in), &out); err != nil {
			return
		}
		inLines, outLines := strings.SplitAfter(in, "\n"), strings.SplitAfter(out.String(), "\n")
		if len(inLines) != len(outLines) {
			t.Fatalf("%d lines in, %d out", len(inLines), len(outLines))
		}
		col := -1
		for i, l := range inLines {
			if col >= 0 && l == "\\.\n" {
				col = -1
			} else if col >= 0 {
				f := strings.Split(strings.TrimSuffix(outLines[i], "\n"), "\t")
				if col < len(f) && f[col] != `\N` {
					t.Fatalf("line %d: key field %q passed through", i, f[col])
				}
				continue
			} else if c, ok := keysCopy([]byte(l)); ok {
				col = c
			}
			if outLines[i] != l {
				t.Fatalf("line %d changed: %q → %q", i, l, outLines[i])
			}
		}
	})
}
