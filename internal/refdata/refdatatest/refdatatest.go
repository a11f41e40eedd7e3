// Package refdatatest gives tests and benchmarks the real published
// reference files in ../shared/data beside the repository (see its README):
// they are not part of the product and never copied into it.
package refdatatest

import (
	"os"
	"path/filepath"
	"testing"
)

// The real files, relative to the shared data directory.
const (
	ESCO      = "esco/occupations_nl.csv"
	Postcodes = "geonames/NL.txt"
)

// Read returns the content of a real file. Outside CI a missing file skips
// the test; in CI it fails, so the check never silently disappears.
func Read(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Path returns the path of a file of the shared data directory (a
// validator's schema, say), checking as Read does that it exists.
func Path(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "..", "shared", "data", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("reference file missing in CI: %v", err)
		}
		t.Skipf("reference file not available: %v", err)
	}
	return p
}

// repoRoot is the nearest directory above the working directory (the
// test's package directory) that holds go.mod.
func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}
