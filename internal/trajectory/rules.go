package trajectory

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// AppointmentKind is what an appointment is for.
type AppointmentKind string

// The appointment kinds: meetings, activities and conversations with the
// contact person [000 art 8].
const (
	AppointmentMeeting  AppointmentKind = "meeting" // gesprek met de contactpersoon
	AppointmentWorkshop AppointmentKind = "workshop"
	AppointmentTraining AppointmentKind = "training"
	AppointmentActivity AppointmentKind = "activity"
	AppointmentOther    AppointmentKind = "other"
)

// AppointmentKinds lists every appointment kind.
var AppointmentKinds = []AppointmentKind{AppointmentMeeting, AppointmentWorkshop, AppointmentTraining, AppointmentActivity, AppointmentOther}

// MaxText bounds every free text (notes, reasons, locations).
const MaxText = 2000

// Appointment is a meeting or activity on a trajectory.
type Appointment struct {
	ID       string          `json:"id" validate:"max=64"`
	StartsAt time.Time       `json:"starts_at" validate:"required"`
	Kind     AppointmentKind `json:"kind" validate:"required,max=50"`
	Location string          `json:"location" validate:"required,max=2000"`
	Absence  *Absence        `json:"absence,omitempty"`
}

// Validate checks a new appointment.
func (ap Appointment) Validate() error {
	switch {
	case ap.StartsAt.IsZero():
		return opstap.FieldError("starts_at", "date and time are required")
	case !oneOf(AppointmentKinds, ap.Kind):
		return opstap.FieldError("kind", "unknown kind of appointment")
	}
	return checkText("location", ap.Location, true)
}

// Absence is a report that the candidate cannot attend [000 art 8].
type Absence struct {
	Reason      string    `json:"reason" validate:"required,max=2000"`
	ReportedAt  time.Time `json:"reported_at"`
	ByCandidate bool      `json:"by_candidate"` // false: staff reported on the candidate's behalf
	Late        bool      `json:"late"`
}

// NoticeHours is how long before an activity an absence must be reported
// [000 art 8].
const NoticeHours = 24

// ReportDeadline is the last moment to report an absence from an activity
// starting at start: 24 hours earlier on the Amsterdam clock [000 art 8].
// The rule speaks to the candidate, who reads the local clock, so around a
// change to or from summer time the deadline is the same clock time the
// day before (23 or 25 elapsed hours), not 24 elapsed hours.
func ReportDeadline(start time.Time) time.Time {
	s := start.In(opstap.Amsterdam)
	return time.Date(s.Year(), s.Month(), s.Day()-NoticeHours/24, s.Hour(), s.Minute(), s.Second(), s.Nanosecond(), opstap.Amsterdam)
}

// Late reports whether an absence reported at reported is late for an
// activity starting at start: later than the deadline; exactly on it is on
// time ("uiterlijk 24 uur voor aanvang") [000 art 8].
func Late(start, reported time.Time) bool {
	return reported.After(ReportDeadline(start))
}

// CheckAbsence checks a new absence report for ap.
func CheckAbsence(ap Appointment, reason string) error {
	if ap.Absence != nil {
		return opstap.Errorf(opstap.ECONFLICT, "an absence was already reported for this appointment")
	}
	return checkText("reason", reason, true)
}

// checkText checks a free text field.
func checkText(field, s string, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return opstap.FieldError(field, "this field is required")
	case utf8.RuneCountInString(s) > MaxText:
		return opstap.FieldError(field, "at most %d characters", MaxText)
	}
	return nil
}

// CheckNote checks an optional note.
func CheckNote(s string) error { return checkText("note", s, false) }

// Party is someone the intent to suspend is discussed with [000 art 11].
type Party string

// The parties.
const (
	PartyCandidate    Party = "candidate"
	PartyCommissioner Party = "commissioner"
)

// Talk records that the intent to suspend was discussed with a party
// [000 art 11]. A suspension uses up the talks before it, so the next
// suspension needs new ones.
type Talk struct {
	ID          string      `json:"id" validate:"max=64"`
	Party       Party       `json:"party" validate:"required,max=50"`
	DiscussedOn opstap.Date `json:"discussed_on" validate:"required"`
	Note        string      `json:"note,omitempty" validate:"max=2000"`
}

// Validate checks a talk; it cannot lie in the future.
func (k Talk) Validate(today opstap.Date) error {
	switch {
	case k.Party != PartyCandidate && k.Party != PartyCommissioner:
		return opstap.FieldError("party", "choose the candidate or the commissioner")
	case k.DiscussedOn.IsZero():
		return opstap.FieldError("discussed_on", "the date is required")
	case k.DiscussedOn.After(today):
		return opstap.FieldError("discussed_on", "the date cannot lie in the future")
	}
	return CheckNote(k.Note)
}

// hasTalk reports whether an unused talk with p is recorded.
func (t *Trajectory) hasTalk(p Party) bool {
	for _, k := range t.Talks {
		if k.Party == p {
			return true
		}
	}
	return false
}

// Request is a transition asked for.
type Request struct {
	Action          Action `json:"action" validate:"required,max=50"`
	Ground          Ground `json:"ground,omitempty" validate:"max=50"`           // suspend
	End             *End   `json:"end,omitempty" validate:""`                    // end
	NoncomplianceID string `json:"noncompliance_id,omitempty" validate:"max=64"` // suspend or end on non-compliance
	Note            string `json:"note,omitempty" validate:"max=2000"`
}

// Check decides whether r may be applied to t now and returns the new
// status. It needs the full trajectory (talks and cases).
func (t *Trajectory) Check(r Request) (Status, error) {
	to, err := Next(t.Status, r.Action)
	if err != nil {
		return "", err
	}
	if err := CheckNote(r.Note); err != nil {
		return "", err
	}
	switch r.Action {
	case ActStartIntake:
		if t.CoachUserID == "" {
			return "", opstap.FieldError("coach_user_id", "assign a coach before the intake")
		}
	case ActSuspend:
		err = t.checkSuspend(r)
	case ActEnd:
		err = t.checkEnd(r)
	}
	return to, err
}

// checkSuspend applies articles 9, 10 and 11 to a suspension.
func (t *Trajectory) checkSuspend(r Request) error {
	switch {
	case !oneOf(Grounds, r.Ground):
		return opstap.FieldError("ground", "choose the ground for the suspension")
	case r.Ground.NeedsTalks() && !t.hasTalk(PartyCandidate):
		// [000 art 11] no suspension before the intent was discussed with the candidate …
		return opstap.FieldError("ground", "discuss the intent to suspend with the candidate first, and record it")
	case r.Ground.NeedsTalks() && !t.hasTalk(PartyCommissioner):
		// … and with the commissioner.
		return opstap.FieldError("ground", "discuss the intent to suspend with the commissioner first, and record it")
	case r.Ground.NeedsTalks():
		return nil
	}
	return t.checkMeasure(r.NoncomplianceID, r.Ground == GroundIncorrectInformation, MeasureSuspend)
}

// checkEnd validates the end and, for an end by the provider, applies
// articles 9 and 10. The candidate's own end goes through CandidateEnd.
func (t *Trajectory) checkEnd(r Request) error {
	if r.End == nil {
		return opstap.FieldError("reason", "choose the end reason")
	}
	if err := r.End.Validate(); err != nil {
		return err
	}
	switch r.End.Reason {
	case EndByProviderNoncompliance:
		return t.checkMeasure(r.NoncomplianceID, false, MeasureEnd)
	case EndByProviderIncorrectInfo:
		return t.checkMeasure(r.NoncomplianceID, true, MeasureEnd)
	}
	return nil
}

// checkMeasure finds the case the measure rests on and asks it.
func (t *Trajectory) checkMeasure(caseID string, incorrectInfo bool, m Measure) error {
	c := t.Case(caseID)
	if c == nil {
		return opstap.FieldError("noncompliance_id", "choose the recorded non-compliance this measure rests on")
	}
	if (c.Kind == NCIncorrectInformation) != incorrectInfo {
		return opstap.FieldError("noncompliance_id", "this non-compliance does not match the ground")
	}
	return c.AllowsMeasure(m)
}

// Case returns the open non-compliance case with id, or nil.
func (t *Trajectory) Case(id string) *Noncompliance {
	for i := range t.Cases {
		if c := &t.Cases[i]; c.ID == id && c.MeasureTaken == "" {
			return c
		}
	}
	return nil
}

// CandidateEnd is the candidate's own request to end participation.
type CandidateEnd struct {
	WarningAcknowledged bool   `json:"warning_acknowledged" validate:"required"`
	Note                string `json:"note,omitempty" validate:"max=2000"`
}

// BenefitWarning is the warning the candidate must see before ending
// participation [000 art 7].
const BenefitWarning = "You are free to interrupt or end your participation. But not taking part, interrupting or ending the trajectory through your own fault or doing can count as breaking the rules for keeping your wage or benefit. That can lead to a wage sanction or to a temporary or permanent refusal or withdrawal of your benefit. Check with your benefit agency or employer first."

// CheckCandidateEnd refuses an end by the candidate who did not
// acknowledge the benefit warning [000 art 7], and returns the request.
func (t *Trajectory) CheckCandidateEnd(ce CandidateEnd, today opstap.Date) (Request, error) {
	r := Request{Action: ActEnd, End: &End{Reason: EndByCandidate, On: today}, Note: ce.Note}
	if !ce.WarningAcknowledged {
		return r, opstap.FieldError("warning_acknowledged", "confirm that you read the warning about your benefit or wage")
	}
	_, err := t.Check(r)
	return r, err
}
