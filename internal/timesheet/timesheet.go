// Package timesheet holds the rules of worked hours (issue 9 item 2;
// DOMAIN.md §5, seed 003 art 5 lid 3, 8, 9): per placement per day the hours
// worked and the travel costs, entered by the client employer (approved at
// once) or by the candidate (approved or rejected by the employer). An
// approved line is never edited: a correction is a new line that refers to
// it, states a reason and holds the difference, and lands in the next open
// month when the day's month is closed (internal/period). Hours above the
// week's contracted hours are flagged for the municipality.
//
// Hours are kept exactly as whole minutes. Travel costs are kept as typed:
// kilometres and a public-transport amount in cents; the contract terms
// decide what a kilometre is worth. The package is pure: the store gathers
// the facts and stores what these functions allow.
package timesheet

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/period"
)

// Limits per day. A day has 24 hours; the travel limits catch typing
// errors (and keep every sum far from overflowing) long before any real
// journey reaches them.
const (
	MaxDayKm           = 1000
	MaxDayTransitCents = opstap.Cents(50000)
	MinReasonLength    = 10
)

// Source is who entered a line.
type Source string

// The sources. Finance enters only corrections.
const (
	SourceEmployer  Source = "employer"
	SourceCandidate Source = "candidate"
	SourceFinance   Source = "finance"
)

// Status is where a line stands.
type Status string

// The statuses of a line.
const (
	StatusSubmitted Status = "submitted" // entered by the candidate, awaiting the employer
	StatusApproved  Status = "approved"
	StatusRejected  Status = "rejected"
)

// Entry is one day's hours and travel as entered.
type Entry struct {
	Day          opstap.Date    `json:"day" validate:"required"`
	Minutes      opstap.Minutes `json:"minutes" validate:"required,min=0,max=1440"`
	TravelKm     int            `json:"travel_km" validate:"min=0,max=1000"`
	TransitCents opstap.Cents   `json:"transit_cents" validate:"min=0,max=50000"`
}

// Line is a stored timesheet line: an original entry of a day, or a
// correction (CorrectsID set) holding the difference it makes.
type Line struct {
	ID          string       `json:"id"`
	PlacementID string       `json:"placement_id"`
	CandidateID string       `json:"candidate_id"`
	Entry                    // the day and, for a correction, the signed differences
	Month       opstap.Month `json:"month"` // the month the line is booked in
	Status      Status       `json:"status"`
	Source      Source       `json:"source"`
	CorrectsID  string       `json:"corrects_id,omitempty"`
	Reason      string       `json:"reason,omitempty"` // of a rejection or a correction
	EnteredBy   string       `json:"entered_by"`
	EnteredAt   time.Time    `json:"entered_at"`
	DecidedBy   string       `json:"decided_by,omitempty"`
	DecidedAt   *time.Time   `json:"decided_at,omitempty"`
}

// Correction is a day's hours and travel as they should have been, with
// the reason.
type Correction struct {
	Minutes      opstap.Minutes `json:"minutes" validate:"required,min=0,max=1440"`
	TravelKm     int            `json:"travel_km" validate:"min=0,max=1000"`
	TransitCents opstap.Cents   `json:"transit_cents" validate:"min=0,max=50000"`
	Reason       string         `json:"reason" validate:"required,max=2000"`
}

// Placement is what the rules need to know of a placement.
type Placement struct {
	Status   flex.PlacementStatus
	FirstDay opstap.Date
	LastDay  opstap.Date
	Hours    []flex.HoursPeriod // contracted hours per week from a day on, sorted
}

// CheckOpen allows new hours only on a confirmed placement: before the
// confirmation nobody works, and an ended or cancelled placement takes no
// new hours (its approved hours are still corrected, see CheckCorrectable).
func (p Placement) CheckOpen() error {
	switch p.Status {
	case flex.PlacementConfirmed:
		return nil
	case flex.PlacementEnded:
		return opstap.Errorf(opstap.ECONFLICT, "the placement has ended: no new hours can be entered")
	case flex.PlacementCancelled, flex.PlacementDeclined:
		return opstap.Errorf(opstap.ECONFLICT, "the placement was cancelled: it has no hours")
	}
	return opstap.Errorf(opstap.ECONFLICT, "the placement is not confirmed yet: no hours can be entered")
}

// CheckCorrectable allows a correction on a confirmed or ended placement.
func (p Placement) CheckCorrectable() error {
	if p.Status == flex.PlacementEnded {
		return nil
	}
	return p.CheckOpen()
}

// CanEnter reports whether a reader who enters hours as src may enter new
// hours on a placement in status st: the employer and the candidate enter
// (finance only corrects), and only while the placement takes new hours
// (CheckOpen).
func CanEnter(src Source, st flex.PlacementStatus) bool {
	return (src == SourceEmployer || src == SourceCandidate) && Placement{Status: st}.CheckOpen() == nil
}

// CanCorrect reports whether a reader who enters hours as src corrects
// approved hours: the employer and finance do, the candidate does not.
func CanCorrect(src Source) bool {
	return src == SourceEmployer || src == SourceFinance
}

// Field names an input of entry i of a batch: "entries.2.hours".
func Field(i int, name string) string { return fmt.Sprintf("entries.%d.%s", i, name) }

// CheckEntry checks entry i of a batch against the placement, the closed
// months and today (hours are worked before they are entered); the error
// names the field at fault.
func CheckEntry(i int, e Entry, p Placement, closed []opstap.Month, today opstap.Date) error {
	switch {
	case e.Day.IsZero():
		return opstap.FieldError(Field(i, "day"), "date is required")
	case e.Day.After(today):
		return opstap.FieldError(Field(i, "day"), "%s has not come yet: hours are entered once they are worked", e.Day.Dutch())
	case e.Day.Before(p.FirstDay) || e.Day.After(p.LastDay):
		return opstap.FieldError(Field(i, "day"), "%s lies outside the placement, which runs from %s to %s", e.Day.Dutch(), p.FirstDay.Dutch(), p.LastDay.Dutch())
	case period.IsClosed(closed, opstap.MonthOf(e.Day)):
		return opstap.FieldError(Field(i, "day"), "the month %s is closed: only a correction is possible, and it lands in the next open month", opstap.MonthOf(e.Day).Dutch())
	}
	return checkAmounts(i, e.Minutes, e.TravelKm, e.TransitCents)
}

func checkAmounts(i int, minutes opstap.Minutes, km int, transit opstap.Cents) error {
	switch {
	case minutes < 0:
		return opstap.FieldError(Field(i, "hours"), "hours cannot be negative")
	case minutes > opstap.MaxDayMinutes:
		return opstap.FieldError(Field(i, "hours"), "a day has at most 24 hours")
	case km < 0:
		return opstap.FieldError(Field(i, "travel_km"), "kilometres cannot be negative")
	case km > MaxDayKm:
		return opstap.FieldError(Field(i, "travel_km"), "at most %d kilometres a day", MaxDayKm)
	case transit < 0:
		return opstap.FieldError(Field(i, "transit"), "the amount cannot be negative")
	case transit > MaxDayTransitCents:
		return opstap.FieldError(Field(i, "transit"), "at most € %s a day", MaxDayTransitCents.String())
	}
	return nil
}

// CheckBatch checks every entry of a batch (a week entered at once) and
// refuses a day entered twice. Nothing of a batch is stored unless all of
// it passes.
func CheckBatch(es []Entry, p Placement, closed []opstap.Month, today opstap.Date) error {
	if len(es) == 0 {
		return opstap.FieldError("entries", "enter the hours of at least one day")
	}
	seen := map[opstap.Date]bool{}
	for i, e := range es {
		if err := CheckEntry(i, e, p, closed, today); err != nil {
			return err
		}
		if seen[e.Day] {
			return opstap.FieldError(Field(i, "day"), "%s is entered twice", e.Day.Dutch())
		}
		seen[e.Day] = true
	}
	return nil
}

// Original returns the day's original line that still counts (submitted or
// approved; a rejected one is history), or nil.
func Original(day []Line) *Line {
	for i := range day {
		if l := &day[i]; l.CorrectsID == "" && l.Status != StatusRejected {
			return l
		}
	}
	return nil
}

// Plan decides what entering a day means, given the lines the day already
// has: a new line (nil), or an update of the candidate's own line that is
// not yet decided. Approved hours change only by a correction; the
// candidate's submitted hours are the employer's to decide, not to
// overwrite.
func Plan(i int, src Source, day []Line) (*Line, error) {
	o := Original(day)
	switch {
	case o == nil:
		return nil, nil
	case o.Status == StatusApproved:
		return nil, opstap.FieldError(Field(i, "hours"), "the hours of %s are approved: enter a correction instead", o.Day.Dutch())
	case src == SourceCandidate && o.Source == SourceCandidate:
		return o, nil
	}
	return nil, opstap.FieldError(Field(i, "hours"), "the candidate submitted hours for %s: approve or reject them first", o.Day.Dutch())
}

// StatusOf is the status of a new line: the employer's hours are approved
// as they are entered; the candidate's wait for the employer.
func StatusOf(src Source) Status {
	if src == SourceCandidate {
		return StatusSubmitted
	}
	return StatusApproved
}

// CheckDecision allows the employer's approval or rejection of a submitted
// line; a rejection states its reason.
func CheckDecision(l *Line, approve bool, reason string) error {
	switch {
	case l.Status != StatusSubmitted:
		return opstap.Errorf(opstap.ECONFLICT, "these hours are already decided")
	case !approve && !validReason(reason):
		return opstap.FieldError("reason", "state the reason in at least %d characters", MinReasonLength)
	}
	return nil
}

func validReason(s string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(s)) >= MinReasonLength
}

// Effective is what the day counts after its corrections: the approved
// original plus every correction.
func Effective(day []Line) Entry {
	var e Entry
	for _, l := range day {
		if l.Status != StatusApproved {
			continue
		}
		e.Day = l.Day
		e.Minutes += l.Minutes
		e.TravelKm += l.TravelKm
		e.TransitCents += l.TransitCents
	}
	return e
}

// Delta turns a correction of a day whose lines are day into the
// correction line's signed differences. The corrected day obeys the same
// limits as an entry; a correction needs an approved original, a reason,
// and must change something.
func (c Correction) Delta(day []Line) (Entry, error) {
	o := Original(day)
	if o == nil || o.Status != StatusApproved {
		return Entry{}, opstap.Errorf(opstap.ECONFLICT, "only approved hours are corrected; hours not yet approved are approved or rejected")
	}
	if !validReason(c.Reason) {
		return Entry{}, opstap.FieldError("reason", "state the reason in at least %d characters", MinReasonLength)
	}
	if err := checkAmounts(0, c.Minutes, c.TravelKm, c.TransitCents); err != nil {
		e := opstap.AsError(err)
		e.Field = strings.TrimPrefix(e.Field, "entries.0.")
		return Entry{}, e
	}
	cur := Effective(day)
	d := Entry{Day: o.Day, Minutes: c.Minutes - cur.Minutes, TravelKm: c.TravelKm - cur.TravelKm, TransitCents: c.TransitCents - cur.TransitCents}
	if d.Minutes == 0 && d.TravelKm == 0 && d.TransitCents == 0 {
		return Entry{}, opstap.FieldError("hours", "the correction changes nothing")
	}
	return d, nil
}
