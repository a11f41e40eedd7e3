package privacy_test

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/privacy"
)

// TestSubProcessor_003bewerkersArt4: the register needs name, purpose,
// location and since; an end lies after the start.
func TestSubProcessor_003bewerkersArt4(t *testing.T) {
	valid := func() privacy.SubProcessor {
		return privacy.SubProcessor{Name: " Hoster BV ", Purpose: "Hosting", Location: "Amsterdam, NL", Since: day("2025-01-01")}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*privacy.SubProcessor)
		field string
	}{
		{"valid", func(*privacy.SubProcessor) {}, ""},
		{"no name", func(s *privacy.SubProcessor) { s.Name = " " }, "name"},
		{"no purpose", func(s *privacy.SubProcessor) { s.Purpose = "" }, "purpose"},
		{"no location", func(s *privacy.SubProcessor) { s.Location = "" }, "location"},
		{"no since", func(s *privacy.SubProcessor) { s.Since = opstap.Date{} }, "since"},
		{"until before since", func(s *privacy.SubProcessor) { s.Until = day("2024-12-31") }, "until"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := valid()
			tc.edit(&s)
			if f := field(s.Validate()); f != tc.field {
				t.Fatalf("field %q, want %q", f, tc.field)
			}
		})
	}
	s := valid()
	s.Until = day("2026-06-30")
	if !s.Engaged(day("2026-06-30")) || s.Engaged(day("2026-07-01")) || s.Engaged(day("2024-12-31")) {
		t.Fatal("engaged on the wrong days")
	}
}

// TestAuditSchedule_003bewerkersArt3: at least every two years, counted
// from the last audit or else from the contract's start.
func TestAuditSchedule_003bewerkersArt3(t *testing.T) {
	if got := privacy.NextAuditDue(day("2025-02-28"), day("2020-01-01")); got != day("2027-02-28") {
		t.Fatalf("after an audit: %s", got)
	}
	if got := privacy.NextAuditDue(opstap.Date{}, day("2024-02-29")); got != day("2026-02-28") {
		t.Fatalf("from the start, leap day: %s", got)
	}
	if !privacy.NextAuditDue(opstap.Date{}, opstap.Date{}).IsZero() {
		t.Fatal("due without any date")
	}
	due := day("2026-06-15")
	if privacy.AuditOverdue(due, due) || !privacy.AuditOverdue(due, day("2026-06-16")) || privacy.AuditOverdue(opstap.Date{}, due) {
		t.Fatal("overdue wrong")
	}
	if f := field(privacy.ValidateAudit(day("2026-06-16"), due, "KPMG")); f != "audited_on" {
		t.Fatalf("future audit: %q", f)
	}
	if f := field(privacy.ValidateAudit(due, due, " ")); f != "auditor" {
		t.Fatalf("no auditor: %q", f)
	}
}

// TestContractEnd_003art7_5: the data goes only after the contract ended
// and the data was handed over.
func TestContractEnd_003art7_5(t *testing.T) {
	c := privacy.Contract{StartedOn: day("2016-07-13"), EndedOn: day("2026-06-30")}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if f := field((privacy.Contract{StartedOn: day("2026-01-01"), EndedOn: day("2025-01-01")}).Validate()); f != "ended_on" {
		t.Fatalf("end before start: %q", f)
	}
	if err := privacy.MayDestroy(c, true, day("2026-06-29")); opstap.ErrorCode(err) != opstap.ECONFLICT {
		t.Fatalf("before the end: %v", err)
	}
	if err := privacy.MayDestroy(c, false, day("2026-07-01")); opstap.ErrorCode(err) != opstap.ECONFLICT {
		t.Fatalf("not returned: %v", err)
	}
	if err := privacy.MayDestroy(c, true, day("2026-06-30")); err != nil {
		t.Fatal(err)
	}
}
