package mgmtreport

import (
	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
)

// Placement is a confirmed (or since ended) placement of the
// municipality's, as the report sees it.
type Placement struct {
	ID              string      `json:"id"`
	CandidateID     string      `json:"candidate_id"` // pseudonymous
	AssignmentID    string      `json:"assignment_id"`
	AssignmentTitle string      `json:"assignment_title"`
	EmployerName    string      `json:"employer_name"`
	FirstDay        opstap.Date `json:"first_day"`
	// LastDay is the day it ended for an ended placement, else the planned
	// last day.
	LastDay       opstap.Date `json:"last_day"`
	Ended         bool        `json:"ended"`
	HoursPerWeek  int         `json:"hours_per_week"`
	ExtendedUntil opstap.Date `json:"-"`
}

// until is the placement's last day as far as day d knows it: a placement
// still running on d has run until d (DOMAIN.md §6: "for a placement still
// running, L is the period's end").
func (p Placement) until(d opstap.Date) opstap.Date {
	if p.LastDay.After(d) {
		return d
	}
	return p.LastDay
}

// runningOn reports whether the placement runs on day d.
func (p Placement) runningOn(d opstap.Date) bool {
	return !p.FirstDay.After(d) && !p.LastDay.Before(d)
}

// MaxDay is the last day the placement may run: the maximum duration at
// its hours [003 art 5 lid 6, art 4 lid 1], or a recorded extension's day
// when that is later [003 art 4 lid 2].
func (p Placement) MaxDay() opstap.Date {
	limit := flex.MaxLastDay(p.FirstDay, p.HoursPerWeek)
	if p.ExtendedUntil.After(limit) {
		return p.ExtendedUntil
	}
	return limit
}

// Assignment is one of the municipality's assignments with its dated
// status changes.
type Assignment struct {
	ID           string         `json:"id"`
	Title        string         `json:"title"`
	EmployerName string         `json:"employer_name"`
	Places       int            `json:"places"`
	Changes      []StatusChange `json:"-"` // oldest first
}

// StatusChange is an assignment's status from a day on.
type StatusChange struct {
	On     opstap.Date
	Status flex.Status
}

// StatusOn is the assignment's status at the end of day d; empty before it
// existed.
func (a Assignment) StatusOn(d opstap.Date) flex.Status {
	var s flex.Status
	for _, c := range a.Changes {
		if c.On.After(d) {
			break
		}
		s = c.Status
	}
	return s
}

// OpenedIn reports whether the assignment opened (went from another status
// to open for the first time) within p.
func (a Assignment) OpenedIn(p Period) bool {
	for _, c := range a.Changes {
		if c.Status == flex.StatusOpen {
			return !c.On.Before(p.First()) && !c.On.After(p.Last())
		}
	}
	return false
}

// OpenSince is the day the assignment's current open spell began on day d,
// zero when it is not open on d.
func (a Assignment) OpenSince(d opstap.Date) opstap.Date {
	var since opstap.Date
	for _, c := range a.Changes {
		if c.On.After(d) {
			break
		}
		switch {
		case c.Status != flex.StatusOpen:
			since = opstap.Date{}
		case since.IsZero():
			since = c.On
		}
	}
	return since
}

// HourLine is an approved timesheet line (or a correction's signed
// difference) booked in Month.
type HourLine struct {
	PlacementID string         `json:"placement_id"`
	CandidateID string         `json:"candidate_id"`
	Day         opstap.Date    `json:"day"`
	Month       opstap.Month   `json:"month"`
	Minutes     opstap.Minutes `json:"minutes"`
	TravelKm    int64          `json:"travel_km"`
	Transit     opstap.Cents   `json:"transit_cents"`
	Rate        opstap.Cents   `json:"rate_cents"` // the assignment's hourly rate [003 art 5 lid 8]
}

// Facts are what the store loads for a report of one municipality.
type Facts struct {
	Municipality     string
	MunicipalityName string
	// Placements are the municipality's confirmed or ended placements that
	// meet the period (and, for the quarterly report, those running on the
	// day it is made).
	Placements  []Placement
	Assignments []Assignment
	// Hours are the approved lines of the municipality's placements booked
	// in the period's months (the quarterly report adds the earlier months
	// of the year, for the premium cap).
	Hours []HourLine
	Terms []billing.Terms
	// Births holds the birth dates the reader may use for the premium
	// (Participatiewet art 31 lid 7); a candidate missing from it (erased,
	// restricted) has a premium only where it was paid already.
	Births map[string]opstap.Date
	// Paid holds the premium accruals already paid, per candidate and month.
	Paid map[string]map[opstap.Month]billing.Accrual
}
