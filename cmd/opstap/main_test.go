package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) {
	if kind := os.Getenv(crashChildEnv); kind != "" {
		os.Exit(crashChild(kind)) // crash_test.go
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// cli runs one command in dir and returns exit code, stdout and stderr.
func cli(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	t.Setenv("OPSTAP_DATA_DIR", dir)
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := cli(t, dir, "demo"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	code, out, _ := cli(t, dir, "user", "list", "--json")
	var users []struct {
		Email, Organisation string
		Roles               []string
	}
	if err := json.Unmarshal([]byte(out), &users); code != 0 || err != nil || len(users) < 10 {
		t.Fatalf("user list: %d %v %d users", code, err, len(users))
	}
	code, out, _ = cli(t, dir, "token", "create", "--user", "coach@demo.opstap.nl")
	if code != 0 || !strings.HasPrefix(out, "opstap_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("token create printed %q", out)
	}
	if code, out, _ := cli(t, dir, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify: %d %s", code, out)
	}
	anchor := auditAnchor(t, dir)
	backup := filepath.Join(dir, "backup.db")
	if code, _, errOut := cli(t, dir, "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	for _, p := range []string{backup, backup + ".keys"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v, want 0600", p, st.Mode().Perm())
		}
	}
	if code, out, errOut := cli(t, dir, "restore-keys", "--in", backup+".keys"); code != 0 {
		t.Fatalf("restore-keys: %s %s", out, errOut)
	}
	// Tamper with one audit row: verify exits 1 and names it.
	db, err := sql.Open("sqlite", filepath.Join(dir, "opstap.db"))
	if err != nil {
		t.Fatal(err)
	}
	var purpose string
	if err := db.QueryRow(`SELECT purpose FROM audit_log WHERE seq = 7`).Scan(&purpose); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET purpose = 'tampered' WHERE seq = 7`); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cli(t, dir, "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "broken at entry 7") {
		t.Fatalf("tampered verify: %d %q", code, errOut)
	}
	// Cutting the tail and rewinding the head fools the chain, not the anchor.
	if _, err := db.Exec(`UPDATE audit_log SET purpose = ? WHERE seq = 7`, purpose); err != nil {
		t.Fatal(err)
	}
	var prevSeq int64
	var prevHash string
	db.QueryRow(`SELECT seq, hash FROM audit_log WHERE seq = (SELECT MAX(seq) - 5 FROM audit_log)`).Scan(&prevSeq, &prevHash)
	if _, err := db.Exec(`DELETE FROM audit_log WHERE seq > ?`, prevSeq); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_head SET seq = ?, hash = ?`, prevSeq, prevHash); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, errOut := cli(t, dir, "audit", "verify"); code != 0 {
		t.Fatalf("truncated chain without anchor: %d %s %s", code, out, errOut)
	}
	code, _, errOut = cli(t, dir, "audit", "verify", "--anchor", anchor)
	if code != 1 || !strings.Contains(errOut, "tail was removed") {
		t.Fatalf("truncated chain with anchor: %d %q", code, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"serve", "--bogus"}, 2, "flag provided but not defined"},
		{"bad address", []string{"serve", "--addr", "nope"}, 2, "host:port"},
		{"malformed database URL", []string{"migrate", "--database-url", "postgres://%zz"}, 1, "malformed database URL"},
		{"unreachable database", []string{"migrate", "--database-url", "postgres://x@127.0.0.1:1/x?connect_timeout=2"}, 1, "unreachable"},
		{"unknown scheme", []string{"migrate", "--database-url", "mysql://x"}, 1, "must start with postgres"},
		{"missing subcommand", []string{"user"}, 2, "missing subcommand"},
		{"unknown user", []string{"token", "create", "--user", "nobody@example.nl"}, 1, "no such user"},
		{"zero idle timeout", []string{"serve", "--session-idle", "0s"}, 2, "--session-idle must be a positive duration"},
		{"negative max age", []string{"serve", "--session-max-age", "-1h"}, 2, "--session-max-age must be a positive duration"},
		{"bad purge interval", []string{"serve", "--expire-every", "often"}, 2, "invalid value"},
		{"bad interval in the environment", []string{"serve"}, 2, "OPSTAP_MAIL_EVERY is not a duration"},
		{"zero retention batch", []string{"serve", "--retention-batch", "0"}, 2, "--retention-batch must be a positive whole number"},
		{"zero retention pause", []string{"serve", "--retention-pause", "0s"}, 2, "--retention-pause must be a positive duration"},
		{"negative account failures", []string{"serve", "--login-failures-per-account", "-1"}, 2, "--login-failures-per-account must be a positive whole number"},
		{"zero throttle window", []string{"serve", "--login-throttle-window", "0s"}, 2, "--login-throttle-window must be a positive duration"},
		{"bad count in the environment", []string{"serve"}, 2, "OPSTAP_LOGIN_FAILURES_PER_ADDRESS is not a whole number"},
		{"zero count in the environment", []string{"serve"}, 2, "--retention-batch must be a positive whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			switch tt.name {
			case "bad interval in the environment":
				t.Setenv("OPSTAP_MAIL_EVERY", "hourly")
			case "bad count in the environment":
				t.Setenv("OPSTAP_LOGIN_FAILURES_PER_ADDRESS", "many")
			case "zero count in the environment":
				t.Setenv("OPSTAP_RETENTION_BATCH", "0")
			}
			code, _, errOut := cli(t, t.TempDir(), tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Fatalf("exit %d, stderr %q; want %d containing %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
}

// TestEveryCommandIsReachable guards the command table: each documented
// command answers -h instead of "unknown command".
func TestEveryCommandIsReachable(t *testing.T) {
	for _, c := range [][]string{{"serve"}, {"migrate"}, {"demo"}, {"user", "list"}, {"token", "create"}, {"audit", "verify"},
		{"backup"}, {"restore"}, {"refdata", "import"}, {"restore-keys"}, {"handover", "export"}, {"keys", "rotate"}, {"gen"}, {"load"}} {
		code, _, errOut := cli(t, t.TempDir(), append(c, "-h")...)
		if code != 0 || strings.Contains(errOut, "unknown") {
			t.Errorf("%v -h: exit %d %q", c, code, errOut)
		}
	}
}

// auditAnchor reads the head as the anchor job logs it.
func auditAnchor(t *testing.T, dir string) string {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "opstap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var seq int64
	var hash string
	if err := db.QueryRow(`SELECT seq, hash FROM audit_head`).Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d:%s", seq, hash)
}
