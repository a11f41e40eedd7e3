package privacy_test

import (
	"testing"

	"github.com/opstap/opstap/internal/privacy"
)

// TestPersonalRetention_001_004: personal data goes two years after the
// assignment ends [001 "Termijn bewaren gegevens", 004]; without a
// trajectory two years after registration; no period runs while a
// trajectory is open. Due on the due date itself; 29 February goes to
// 28 February.
func TestPersonalRetention_001_004(t *testing.T) {
	tests := []struct {
		name     string
		f        privacy.RetentionFacts
		years    int
		today    string
		rule     string
		due      string
		wantDue  bool
		wantRuns bool
	}{
		{"ended two years ago today", privacy.RetentionFacts{Registered: date(t, "2023-05-01"), LastEnd: date(t, "2024-06-30"), Trajectories: 1},
			2, "2026-06-30", privacy.RulePersonal, "2026-06-30", true, true},
		{"ended a day short of two years", privacy.RetentionFacts{Registered: date(t, "2023-05-01"), LastEnd: date(t, "2024-07-01"), Trajectories: 2},
			2, "2026-06-30", privacy.RulePersonal, "2026-07-01", false, true},
		{"ended on a leap day", privacy.RetentionFacts{Registered: date(t, "2023-05-01"), LastEnd: date(t, "2024-02-29"), Trajectories: 1},
			2, "2026-02-28", privacy.RulePersonal, "2026-02-28", true, true},
		{"never a trajectory", privacy.RetentionFacts{Registered: date(t, "2024-03-15")},
			2, "2026-03-16", privacy.RulePersonalNoTrajectory, "2026-03-15", true, true},
		{"a commissioner's one year", privacy.RetentionFacts{Registered: date(t, "2024-03-15")},
			1, "2025-03-14", privacy.RulePersonalNoTrajectory, "2025-03-15", false, true},
		{"a trajectory still open", privacy.RetentionFacts{Registered: date(t, "2015-01-01"), LastEnd: date(t, "2016-01-01"), Trajectories: 2, Open: 1},
			2, "2026-06-30", "", "", false, false},
		{"no period (0 years)", privacy.RetentionFacts{Registered: date(t, "2015-01-01")},
			0, "2026-06-30", privacy.RulePersonalNoTrajectory, "2015-01-01", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule, from, runs := privacy.PersonalRule(tt.f)
			if runs != tt.wantRuns || rule != tt.rule {
				t.Fatalf("rule %q runs %v, want %q %v", rule, runs, tt.rule, tt.wantRuns)
			}
			if !runs {
				return
			}
			due, isDue := privacy.RetentionDue(from, tt.years, date(t, tt.today))
			if due != date(t, tt.due) || isDue != tt.wantDue {
				t.Fatalf("due %s (%v), want %s (%v)", due, isDue, tt.due, tt.wantDue)
			}
		})
	}
}

// TestRetentionRuleChange_AWR52: 1 to 30 years; the statutory period
// never below seven (AWR art 52).
func TestRetentionRuleChange_AWR52(t *testing.T) {
	tests := []struct {
		c     privacy.RetentionRuleChange
		field string
	}{
		{privacy.RetentionRuleChange{Category: privacy.RulePersonal, Years: 1}, ""},
		{privacy.RetentionRuleChange{Category: privacy.RulePersonalNoTrajectory, Years: 30}, ""},
		{privacy.RetentionRuleChange{Category: privacy.RuleStatutory, Years: 7}, ""},
		{privacy.RetentionRuleChange{Category: privacy.RuleStatutory, Years: 6}, "years"},
		{privacy.RetentionRuleChange{Category: privacy.RulePersonal, Years: 0}, "years"},
		{privacy.RetentionRuleChange{Category: privacy.RulePersonal, Years: 31}, "years"},
		{privacy.RetentionRuleChange{Category: privacy.RuleOnRequest, Years: 2}, "category"},
		{privacy.RetentionRuleChange{Category: privacy.RulePersonal, Years: 2, Note: string(make([]byte, 501))}, "note"},
	}
	for _, tt := range tests {
		if f := field(tt.c.Validate()); f != tt.field {
			t.Errorf("%+v: field %q, want %q", tt.c, f, tt.field)
		}
	}
	for cat, want := range map[string]string{privacy.RulePersonal: "trajectory_end", privacy.RulePersonalNoTrajectory: "registration", privacy.RuleStatutory: "fiscal_year_end"} {
		if e, ok := privacy.RetentionEvent(cat); !ok || e != want {
			t.Errorf("%s: event %q, want %q", cat, e, want)
		}
	}
}
