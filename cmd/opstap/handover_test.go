package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// handover runs the handover command (not yet in the command table) in dir.
func handover(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("OPSTAP_DATA_DIR", dir)
	var out bytes.Buffer
	err := cmdHandover(context.Background(), args, &out)
	return out.String(), err
}

// TestHandoverCommands_003art7_5: export a demo municipality and import it
// into another installation, twice: the second import adds nothing.
func TestHandoverCommands_003art7_5(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if code, _, errOut := cli(t, src, "demo"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	file := filepath.Join(t.TempDir(), "almere.zip")
	out, err := handover(t, src, "export", "--commissioner", "0034", "--out", file)
	if err != nil || !strings.Contains(out, "written to") {
		t.Fatalf("export: %q %v", out, err)
	}
	if _, err := handover(t, src, "export", "--commissioner", "0034", "--out", file); err == nil {
		t.Fatal("export overwrote an existing file")
	}
	if code, _, errOut := cli(t, dst, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	out, err = handover(t, dst, "import", "--in", file)
	if err != nil || !strings.HasPrefix(out, "imported ") || strings.HasPrefix(out, "imported 0 ") || strings.Contains(out, " 0 trajectories") {
		t.Fatalf("import: %q %v", out, err)
	}
	t.Log(out)
	out, err = handover(t, dst, "import", "--in", file)
	if err != nil || !strings.HasPrefix(out, "imported 0 candidates") {
		t.Fatalf("second import: %q %v", out, err)
	}
	// At the end of the contract: after the export (above), the data goes.
	if _, err := handover(t, src, "destroy", "--commissioner", "0034"); err == nil {
		t.Fatal("destroy without --confirm")
	}
	if _, err := handover(t, src, "destroy", "--commissioner", "0034", "--confirm"); err == nil || !strings.Contains(err.Error(), "contract") {
		t.Fatalf("destroy without a recorded contract end: %v", err)
	}
	if _, err := handover(t, dst, "frobnicate"); err == nil {
		t.Fatal("unknown subcommand accepted")
	}
}
