package trajectory

import (
	"sort"
	"time"
)

// What a coach must follow up after an absence (issue 12 item 11). A
// candidate who cannot come reports it at least 24 hours ahead [000 art 8];
// one who stays away without doing so is first addressed and given the
// chance to comply before anything else happens [000 art 9]. Either way a
// missed appointment wants a new one.

// FollowUpWindow is how far back the caseload looks for absences to follow
// up: a month, after which the coach's agenda has moved on.
const FollowUpWindow = 30 * 24 * time.Hour

// FollowUpKind says what an absence asks of the coach.
type FollowUpKind string

// The follow-ups.
const (
	// FollowUpAddress: an unexcused absence and no contact since — address
	// the candidate [000 art 9].
	FollowUpAddress FollowUpKind = "address"
	// FollowUpReschedule: an absence with no contact since and nothing
	// planned after it.
	FollowUpReschedule FollowUpKind = "reschedule"
)

// FollowUp is one candidate's absence that still needs the coach.
type FollowUp struct {
	CandidateID string
	Absence     time.Time // when the missed appointment was
	Kind        FollowUpKind
}

// FollowUps finds, per candidate, the latest absence of the last
// FollowUpWindow that no appointment has followed since: to address the
// candidate when it was unexcused, else to plan a new appointment when none
// is planned. Oldest first, so the longest waiting comes first.
func FollowUps(items []AgendaItem, now time.Time) []FollowUp {
	latest := map[string]AgendaItem{}
	for _, it := range items {
		if it.Absent && it.At.Before(now) && !it.At.Before(now.Add(-FollowUpWindow)) {
			if l, ok := latest[it.CandidateID]; !ok || it.At.After(l.At) {
				latest[it.CandidateID] = it
			}
		}
	}
	var out []FollowUp
	for id, abs := range latest {
		var held, planned bool
		for _, it := range items {
			if it.CandidateID != id || !it.At.After(abs.At) {
				continue
			}
			switch {
			case !it.At.Before(now):
				planned = true
			case !it.Absent:
				held = true
			}
		}
		switch {
		case held:
		case abs.Unexcused:
			out = append(out, FollowUp{CandidateID: id, Absence: abs.At, Kind: FollowUpAddress})
		case !planned:
			out = append(out, FollowUp{CandidateID: id, Absence: abs.At, Kind: FollowUpReschedule})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Absence.Equal(out[j].Absence) {
			return out[i].Absence.Before(out[j].Absence)
		}
		return out[i].CandidateID < out[j].CandidateID
	})
	return out
}
