package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoFreshKeysForExistingData: a database copied into a data directory
// without its secrets.env is refused, naming what is missing, and no keys
// are generated (issue 13 defect 4).
func TestNoFreshKeysForExistingData(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if code, _, errOut := cli(t, src, "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	backup := filepath.Join(t.TempDir(), "opstap.backup")
	if code, _, errOut := cli(t, src, "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "opstap.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"migrate"}, {"user", "list"}, {"restore-keys", "--in", backup + ".keys"}} {
		code, _, errOut := cli(t, dst, cmd...)
		if code != 1 || !strings.Contains(errOut, "secrets.env is missing") {
			t.Errorf("%v: exit %d %q", cmd, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "secrets.env")); err == nil {
		t.Fatal("new keys were generated for a database that has data")
	}
}

// TestOtherAuditKeyRefused: a server whose audit key is not the one the
// database's chain is written with does not start (issue 13 defect 3).
func TestOtherAuditKeyRefused(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := cli(t, dir, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	t.Setenv("OPSTAP_AUDIT_KEY", "ySsVzOVfkF1nJCWH/wOSLcajbgDO7Ey7GKtqavvh1CA=")
	code, _, errOut := cli(t, dir, "user", "list")
	if code != 1 || !strings.Contains(errOut, "audit key is not the one") {
		t.Fatalf("other audit key: exit %d %q", code, errOut)
	}
}
