package store

import (
	"slices"
	"strings"
	"testing"
)

// TestErasureKeepsStatutoryRows: no erasure step deletes rows of a table
// kept for a statutory duty (AWR art 52); a step may only clear free text
// in one (the reason of an hours line), so the amounts stay.
func TestErasureKeepsStatutoryRows(t *testing.T) {
	erasureMu.Lock()
	steps := slices.Clone(erasureSteps)
	erasureMu.Unlock()
	touched := 0
	for _, s := range steps {
		f := strings.Fields(s.sql)
		if len(f) < 3 {
			t.Fatalf("step %s: %q", s.kind, s.sql)
		}
		verb, target := strings.ToUpper(f[0]), f[1]
		if verb == "DELETE" {
			target = f[2]
		}
		if !slices.Contains(statutoryTables, target) {
			continue
		}
		touched++
		if verb != "UPDATE" {
			t.Errorf("step %s deletes rows of the statutory table %s: %s", s.kind, target, s.sql)
		}
	}
	// timesheet_lines' reasons are cleared; were none found, the parse
	// above would be wrong rather than the steps right.
	if touched == 0 {
		t.Fatal("no step names a statutory table: the statements were not read")
	}
}
