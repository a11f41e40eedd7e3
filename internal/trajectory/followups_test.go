package trajectory

import (
	"testing"
	"time"
)

// TestFollowUps_000art8_9: an unexcused absence (late or unreported, art 8)
// without contact since asks the coach to address the candidate (art 9);
// an excused one without contact or a new appointment asks for a new
// appointment; contact since, or an absence older than the window, asks
// nothing.
func TestFollowUps_000art8_9(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	abs := func(id string, ago time.Duration, unexcused bool) AgendaItem {
		return AgendaItem{CandidateID: id, At: now.Add(-ago), Absent: true, Unexcused: unexcused}
	}
	held := func(id string, ago time.Duration) AgendaItem { return AgendaItem{CandidateID: id, At: now.Add(-ago)} }
	for _, c := range []struct {
		name  string
		items []AgendaItem
		want  []FollowUp
	}{
		{"unexcused, nothing since", []AgendaItem{held("a", 10*day), abs("a", 3*day, true)},
			[]FollowUp{{"a", now.Add(-3 * day), FollowUpAddress}}},
		{"unexcused, a new appointment planned: still address", []AgendaItem{abs("a", 3*day, true), held("a", -2*day)},
			[]FollowUp{{"a", now.Add(-3 * day), FollowUpAddress}}},
		{"excused, nothing planned", []AgendaItem{abs("a", 3*day, false)},
			[]FollowUp{{"a", now.Add(-3 * day), FollowUpReschedule}}},
		{"excused, a new appointment planned", []AgendaItem{abs("a", 3*day, false), held("a", -2*day)}, nil},
		{"contact since", []AgendaItem{abs("a", 5*day, true), held("a", 1*day)}, nil},
		{"a later absence counts, not the earlier", []AgendaItem{abs("a", 9*day, true), held("a", 6*day), abs("a", 2*day, false)},
			[]FollowUp{{"a", now.Add(-2 * day), FollowUpReschedule}}},
		{"older than the window", []AgendaItem{abs("a", 31*day, true)}, nil},
		{"at the window's edge", []AgendaItem{abs("a", 30*day, true)}, []FollowUp{{"a", now.Add(-30 * day), FollowUpAddress}}},
		{"an absence reported for a future appointment is no absence yet", []AgendaItem{abs("a", -1*day, false)}, nil},
		{"oldest first, per candidate", []AgendaItem{abs("b", 2*day, true), abs("a", 4*day, false), held("c", 1*day)},
			[]FollowUp{{"a", now.Add(-4 * day), FollowUpReschedule}, {"b", now.Add(-2 * day), FollowUpAddress}}},
	} {
		got := FollowUps(c.items, now)
		if len(got) != len(c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
			}
		}
	}
}
