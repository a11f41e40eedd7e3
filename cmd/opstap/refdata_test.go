package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/refdata"
)

// TestRefdataImportCommand calls the command directly, so it does not
// depend on the command table.
func TestRefdataImportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("OPSTAP_DATA_DIR", dir)
	file := func(name, sample string) string {
		b, err := fs.ReadFile(refdata.Sample, sample)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	esco, nl := file("occupations_nl.csv", refdata.SampleOccupations), file("NL.txt", refdata.SamplePostcodes)
	ctx := context.Background()
	var out bytes.Buffer
	if err := cmdRefdata(ctx, []string{"import", "--esco", esco, "--postcodes", nl}, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "32 occupations (32 added, 0 removed)") || !strings.Contains(s, "62 postcodes (62 added, 0 removed)") {
		t.Errorf("output: %s", s)
	}
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("NL\t1315\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err := cmdRefdata(ctx, []string{"import", "--postcodes", bad}, &out)
	if e := opstap.AsError(err); e == nil || e.Field != "file" || !strings.Contains(out.String(), "refused, nothing changed") {
		t.Errorf("bad file: %v, output %q", err, out.String())
	}
	var ue usageError
	if err := cmdRefdata(ctx, []string{"import"}, &out); !errors.As(err, &ue) {
		t.Errorf("no files: %v, want a usage error", err)
	}
	if err := cmdRefdata(ctx, []string{"export"}, &out); !errors.As(err, &ue) {
		t.Errorf("unknown subcommand: %v, want a usage error", err)
	}
}
