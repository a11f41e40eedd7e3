package trajectory

import (
	"sort"
	"time"
)

// AgendaItem is one appointment as the coach's agenda sees it.
type AgendaItem struct {
	CandidateID string
	At          time.Time
	Kind        AppointmentKind
	Absent      bool // the candidate reported absence
	// Unexcused: the absence was reported less than 24 hours ahead or not
	// by the candidate (a no-show the coach recorded) [000 art 8].
	Unexcused bool
}

// Contact is what the caseload shows of one candidate's appointments.
type Contact struct {
	Next *AgendaItem // the first appointment from now on
	Last *time.Time  // the last appointment that took place: in the past, no absence reported
}

// Agenda sorts a coach's appointments into the week ahead (today, from the
// start of the day in loc, and the six days after it) and, per candidate,
// the next appointment and the last contact (issue 12 item 11). An
// appointment reported absent is no contact, but it stays in the week, so
// the coach sees the gap.
func Agenda(items []AgendaItem, now time.Time, loc *time.Location) (week []AgendaItem, contacts map[string]Contact) {
	y, m, d := now.In(loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	end := start.AddDate(0, 0, 7)
	sorted := append([]AgendaItem(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	contacts = map[string]Contact{}
	for i := range sorted {
		it := sorted[i]
		if !it.At.Before(start) && it.At.Before(end) {
			week = append(week, it)
		}
		c := contacts[it.CandidateID]
		switch {
		case !it.At.Before(now):
			if c.Next == nil {
				c.Next = &sorted[i]
			}
		case !it.Absent:
			at := it.At
			c.Last = &at
		}
		contacts[it.CandidateID] = c
	}
	return week, contacts
}
