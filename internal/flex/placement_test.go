package flex

import (
	"testing"

	"github.com/opstap/opstap"
)

func day(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func errKey(err error) string {
	if err == nil {
		return ""
	}
	if e := opstap.AsError(err); e != nil && e.Field != "" {
		return e.Field
	} else if e != nil {
		return e.Code
	}
	return err.Error()
}

// TestMaxLastDay_003art5lid6: L ≤ (F + 3 or 6 months) − 1 day, with the
// month arithmetic of DOMAIN.md §6.
func TestMaxLastDay_003art5lid6(t *testing.T) {
	tests := []struct {
		name  string
		first string
		hours int
		want  string
	}{
		{"28 hours: 3 months", "2026-01-15", 28, "2026-04-14"},
		{"27 hours: 6 months", "2026-01-15", 27, "2026-07-14"},
		{"40 hours from 30 November: February has no 30th", "2025-11-30", 40, "2026-02-27"},
		{"first of the month", "2026-03-01", 32, "2026-05-31"},
		{"31 August below 28: 28 February minus a day", "2025-08-31", 8, "2026-02-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaxLastDay(day(tt.first), tt.hours); got != day(tt.want) {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestCheckDuration_003art4 holds each day against the hours in force on it
// [003 art 5 lid 6] and lets a recorded extension go further [003 art 4 lid 2].
func TestCheckDuration_003art4(t *testing.T) {
	f := day("2026-01-15")
	h := func(from string, hours int) HoursPeriod { return HoursPeriod{From: day(from), HoursPerWeek: hours} }
	tests := []struct {
		name     string
		last     string
		periods  []HoursPeriod
		extended string
		want     string
	}{
		{"32 hours, exactly 3 months minus a day [003 art 5 lid 6]", "2026-04-14", []HoursPeriod{h("2026-01-15", 32)}, "", ""},
		{"32 hours, 3 months: refused [003 art 5 lid 6]", "2026-04-15", []HoursPeriod{h("2026-01-15", 32)}, "", "last_day"},
		{"24 hours, 6 months minus a day [003 art 5 lid 6]", "2026-07-14", []HoursPeriod{h("2026-01-15", 24)}, "", ""},
		{"24 hours, 6 months: refused [003 art 5 lid 6]", "2026-07-15", []HoursPeriod{h("2026-01-15", 24)}, "", "last_day"},
		{"extension recorded [003 art 4 lid 2]", "2026-09-30", []HoursPeriod{h("2026-01-15", 32)}, "2026-09-30", ""},
		{"beyond the extension [003 art 4 lid 2]", "2026-10-01", []HoursPeriod{h("2026-01-15", 32)}, "2026-09-30", "last_day"},
		{"24 to 32 hours after 4 months: refused [003 art 5 lid 6]", "2026-07-14", []HoursPeriod{h("2026-01-15", 24), h("2026-05-20", 32)}, "", "last_day"},
		{"24 to 32 hours after 4 months with an extension [003 art 4 lid 2]", "2026-07-14", []HoursPeriod{h("2026-01-15", 24), h("2026-05-20", 32)}, "2026-07-14", ""},
		{"32 to 24 hours after 2 months runs on to 6 [003 art 5 lid 6]", "2026-07-14", []HoursPeriod{h("2026-01-15", 32), h("2026-03-15", 24)}, "", ""},
		{"end before start", "2026-01-14", []HoursPeriod{h("2026-01-15", 8)}, "", "last_day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ext opstap.Date
			if tt.extended != "" {
				ext = day(tt.extended)
			}
			if got := errKey(CheckDuration("last_day", f, day(tt.last), tt.periods, ext)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckHoursChange_003art5lid6: a change of hours that crosses 28
// re-checks the maximum.
func TestCheckHoursChange_003art5lid6(t *testing.T) {
	first, last := day("2026-01-15"), day("2026-07-14")
	periods := []HoursPeriod{{From: first, HoursPerWeek: 24}}
	tests := []struct {
		name, from string
		hours      int
		extended   string
		want       string
	}{
		{"24 to 32 after 4 months without approval", "2026-05-20", 32, "", "hours_per_week"},
		{"24 to 32 after 4 months with approval", "2026-05-20", 32, "2026-07-14", ""},
		{"24 to 26 stays below 28", "2026-05-20", 26, "", ""},
		{"outside the placement", "2026-08-01", 20, "", "from"},
		{"61 hours", "2026-02-01", 61, "", "hours_per_week"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ext opstap.Date
			if tt.extended != "" {
				ext = day(tt.extended)
			}
			_, err := CheckHoursChange(first, last, periods, HoursPeriod{From: day(tt.from), HoursPerWeek: tt.hours}, ext)
			if got := errKey(err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func openAssignment() *Assignment {
	return &Assignment{ID: "a", Municipality: "0034", HoursPerWeek: 24, Days: []string{"mon", "tue", "wed"}, Start: day("2026-03-02"),
		PlannedEnd: day("2026-12-31"), Places: 1, Status: StatusOpen, Check: &DisplacementCheck{Positive: true}}
}

// TestCheckProposal names the rule of each refusal.
func TestCheckProposal(t *testing.T) {
	ready := func() ProposalFacts {
		return ProposalFacts{Assignment: openAssignment(), CandidateMunicipality: "0034", Matchable: true, Visible: true}
	}
	tests := []struct {
		name string
		edit func(*Proposal, *ProposalFacts)
		want string
	}{
		{"defaults pass", func(*Proposal, *ProposalFacts) {}, ""},
		{"no displacement check (DOMAIN.md §5)", func(_ *Proposal, f *ProposalFacts) { f.Assignment.Check = nil }, opstap.ECONFLICT},
		{"negative displacement check (DOMAIN.md §5)", func(_ *Proposal, f *ProposalFacts) { f.Assignment.Check.Positive = false }, opstap.ECONFLICT},
		{"assignment not open", func(_ *Proposal, f *ProposalFacts) { f.Assignment.Status = StatusDraft }, opstap.ECONFLICT},
		{"candidate of another municipality [003 art 5 lid 5, 7]", func(_ *Proposal, f *ProposalFacts) { f.CandidateMunicipality = "0995" }, "candidate_id"},
		{"not matchable [003 art 5 lid 5]", func(_ *Proposal, f *ProposalFacts) { f.Matchable = false }, "candidate_id"},
		{"not visible to employers [003 art 7.7 lid 2]", func(_ *Proposal, f *ProposalFacts) { f.Visible = false }, "candidate_id"},
		{"more placements than places", func(_ *Proposal, f *ProposalFacts) { f.Live = 1 }, opstap.ECONFLICT},
		{"beyond the maximum [003 art 5 lid 6]", func(p *Proposal, _ *ProposalFacts) { p.LastDay = day("2026-09-02") }, "last_day"},
		{"beyond the maximum with extension [003 art 4 lid 2]", func(p *Proposal, f *ProposalFacts) {
			p.LastDay, f.ExtendedUntil = day("2026-09-02"), day("2026-09-30")
		}, ""},
		{"already placed on a common day", func(_ *Proposal, f *ProposalFacts) {
			f.Busy = []Span{{First: day("2026-05-01"), Last: day("2026-06-30"), Days: 1 << 2}}
		}, "candidate_id"},
		{"placed on other days only", func(_ *Proposal, f *ProposalFacts) {
			f.Busy = []Span{{First: day("2026-05-01"), Last: day("2026-06-30"), Days: 1 << 4}}
		}, ""},
		{"placed before, not overlapping", func(_ *Proposal, f *ProposalFacts) {
			f.Busy = []Span{{First: day("2026-01-01"), Last: day("2026-03-01"), Days: 1}}
		}, ""},
		{"0 hours", func(p *Proposal, _ *ProposalFacts) { p.HoursPerWeek = -1 }, "hours_per_week"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ready()
			p := Proposal{CandidateID: "c"}
			p.Defaults(f.Assignment)
			tt.edit(&p, &f)
			if got := errKey(CheckProposal(&p, f)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	p := Proposal{}
	p.Defaults(openAssignment())
	if p.LastDay != day("2026-09-01") || p.HoursPerWeek != 24 || len(p.Days) != 3 {
		t.Fatalf("defaults: 6 months minus a day at 24 hours: %+v", p)
	}
}

// TestAnswer_003art5lid4: the candidate and the employer are asked; either
// "no" ends the proposal; the municipality confirms after both said yes.
func TestAnswer_003art5lid4(t *testing.T) {
	tests := []struct {
		name   string
		from   PlacementStatus
		party  Party
		accept bool
		want   PlacementStatus
		err    string
	}{
		{"candidate first", PlacementProposed, PartyCandidate, true, PlacementAcceptedByCandidate, ""},
		{"employer first", PlacementProposed, PartyEmployer, true, PlacementAcceptedByEmployer, ""},
		{"employer second", PlacementAcceptedByCandidate, PartyEmployer, true, PlacementAccepted, ""},
		{"candidate declines", PlacementAcceptedByEmployer, PartyCandidate, false, PlacementDeclined, ""},
		{"answering twice", PlacementAcceptedByCandidate, PartyCandidate, true, "", opstap.ECONFLICT},
		{"after confirmation", PlacementConfirmed, PartyEmployer, false, "", opstap.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.from.Answer(tt.party, tt.accept)
			if got != tt.want || errKey(err) != tt.err {
				t.Fatalf("got %q %v", got, err)
			}
		})
	}
	if PlacementAcceptedByCandidate.CheckConfirm() == nil || PlacementAccepted.CheckConfirm() != nil {
		t.Fatal("confirmation only after both accepted")
	}
	if PlacementConfirmed.CheckCancel() == nil || PlacementProposed.CheckCancel() != nil {
		t.Fatal("withdraw only before confirmation")
	}
}

// TestPlacementEnd: the outcome with what it needs; outflow feeds the
// trajectory's end reason (DOMAIN.md §6).
func TestPlacementEnd(t *testing.T) {
	first, last := day("2026-03-02"), day("2026-05-31")
	tests := []struct {
		name   string
		status PlacementStatus
		end    PlacementEnd
		want   string
	}{
		{"completed on the last day", PlacementConfirmed, PlacementEnd{Outcome: OutcomeCompleted}, ""},
		{"ended early without reason", PlacementConfirmed, PlacementEnd{Outcome: OutcomeEndedEarly, On: day("2026-04-01")}, "reason"},
		{"ended early", PlacementConfirmed, PlacementEnd{Outcome: OutcomeEndedEarly, On: day("2026-04-01"), Reason: "moved away"}, ""},
		{"outflow without contract kind", PlacementConfirmed, PlacementEnd{Outcome: OutcomeRegularWork, HoursPerWeek: 32}, "contract_kind"},
		{"outflow without hours", PlacementConfirmed, PlacementEnd{Outcome: OutcomeRegularWork, ContractKind: "permanent"}, "hours_per_week"},
		{"outflow", PlacementConfirmed, PlacementEnd{Outcome: OutcomeRegularWork, ContractKind: "fixed_term", HoursPerWeek: 32}, ""},
		{"unknown outcome", PlacementConfirmed, PlacementEnd{Outcome: "x"}, "outcome"},
		{"before the start", PlacementConfirmed, PlacementEnd{Outcome: OutcomeCompleted, On: day("2026-03-01")}, "on"},
		{"not confirmed", PlacementAccepted, PlacementEnd{Outcome: OutcomeCompleted}, opstap.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errKey(tt.end.Validate(tt.status, first, last)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPeakHours_003art5lid6: the maximum duration follows the most hours a
// placement was ever contracted for: 32 hours lowered to 20 stays a
// 3-month placement [003 art 5 lid 6].
func TestPeakHours_003art5lid6(t *testing.T) {
	tests := []struct {
		name    string
		hs      []HoursPeriod
		current int
		want    int
		last    string
	}{
		{"one period", []HoursPeriod{{From: day("2026-01-15"), HoursPerWeek: 20}}, 20, 20, "2026-07-14"},
		{"lowered", []HoursPeriod{{From: day("2026-01-15"), HoursPerWeek: 32}, {From: day("2026-02-01"), HoursPerWeek: 20}}, 20, 32, "2026-04-14"},
		{"raised", []HoursPeriod{{From: day("2026-01-15"), HoursPerWeek: 20}, {From: day("2026-02-01"), HoursPerWeek: 28}}, 28, 28, "2026-04-14"},
		{"no periods recorded", nil, 12, 12, "2026-07-14"},
	}
	for _, tt := range tests {
		got := PeakHours(tt.hs, tt.current)
		if got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
		if last := MaxLastDay(day("2026-01-15"), got); last != day(tt.last) {
			t.Errorf("%s: last day %s, want %s", tt.name, last, tt.last)
		}
	}
}
