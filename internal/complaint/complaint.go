// Package complaint holds the complaint model and its rules: complaints are
// registered centrally, acknowledged, handled and tracked to an outcome
// [000 art 12; 004 "Vragen, opmerkingen en klachten"]. It knows nothing of
// storage or HTTP.
//
// The seeds name no terms. The defaults below follow common Dutch practice
// for complaint procedures (the Blik op Werk quality mark asks for a
// complaints procedure with fixed terms; the General Administrative Law Act,
// Awb art 9:11, sets six weeks for a decision on a complaint):
//
//   - AckWorkingDays: the complaint is acknowledged within five working days
//     of receipt;
//   - OutcomeWeeks: the outcome is given within six weeks of receipt.
//
// Both are package variables so an installation can change them in one
// place; deadlines are dates in Europe/Amsterdam.
package complaint

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Default terms [000 art 12] (see the package documentation).
var (
	// AckWorkingDays is the number of working days after receipt within
	// which a complaint is acknowledged.
	AckWorkingDays = 5
	// OutcomeWeeks is the number of weeks after receipt within which the
	// outcome is given.
	OutcomeWeeks = 6
)

// Limits on the texts, so that a complaint stays a complaint and not an
// upload.
const (
	MaxSubject = 200
	MaxText    = 10000
)

// Channel is how the complaint came in: the Kwaliteitslijn takes
// complaints by telephone, in writing and by e-mail [000 art 12], the
// candidate can also file in the portal.
type Channel string

// The channels.
const (
	ChannelPortal   Channel = "portal"
	ChannelPhone    Channel = "phone"
	ChannelLetter   Channel = "letter"
	ChannelEmail    Channel = "email"
	ChannelInPerson Channel = "in_person"
)

// Channels lists the channels staff can record.
var Channels = []Channel{ChannelPhone, ChannelLetter, ChannelEmail, ChannelInPerson, ChannelPortal}

// Outcome is how a complaint ended.
type Outcome string

// The outcomes.
const (
	OutcomeUpheld       Outcome = "upheld"
	OutcomePartlyUpheld Outcome = "partly_upheld"
	OutcomeNotUpheld    Outcome = "not_upheld"
	OutcomeWithdrawn    Outcome = "withdrawn"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeUpheld, OutcomePartlyUpheld, OutcomeNotUpheld, OutcomeWithdrawn}

// Escalation is where a complaint went when the desk could not settle it.
type Escalation string

// The escalation targets.
const (
	EscalationManagement Escalation = "management"         // the provider's management
	EscalationCommittee  Escalation = "external_committee" // an independent complaints committee
)

// Escalations lists every escalation target.
var Escalations = []Escalation{EscalationManagement, EscalationCommittee}

// Status is where a complaint stands; it follows from the recorded facts.
type Status string

// The statuses, in the order a complaint normally passes them.
const (
	StatusReceived     Status = "received"
	StatusAcknowledged Status = "acknowledged"
	StatusInProgress   Status = "in_progress"
	StatusClosed       Status = "closed"
	StatusEscalated    Status = "escalated"
)

// Complaint is one complaint. Subject, Description, OutcomeText,
// EscalationNote and the notes are the candidate's personal data and are
// stored encrypted under the candidate's key.
type Complaint struct {
	ID            string `json:"id"`
	CandidateID   string `json:"candidate_id"`
	CandidateName string `json:"candidate_name,omitempty"`
	// ClientNumber names the candidate for readers who do not read names.
	ClientNumber   int64       `json:"client_number,omitempty"`
	Channel        Channel     `json:"channel"`
	Subject        string      `json:"subject"`
	Description    string      `json:"description"`
	ReceivedOn     opstap.Date `json:"received_on"`
	AckDueOn       opstap.Date `json:"acknowledge_due_on"`
	AcknowledgedOn opstap.Date `json:"acknowledged_on"`
	HandlerUserID  string      `json:"handler_user_id,omitempty"`
	HandlerName    string      `json:"handler_name,omitempty"`
	OutcomeDueOn   opstap.Date `json:"outcome_due_on"`
	Outcome        Outcome     `json:"outcome,omitempty"`
	OutcomeText    string      `json:"outcome_text,omitempty"`
	OutcomeOn      opstap.Date `json:"outcome_on"`
	EscalatedOn    opstap.Date `json:"escalated_on"`
	EscalatedTo    Escalation  `json:"escalated_to,omitempty"`
	EscalationNote string      `json:"escalation_note,omitempty"`
	FiledBy        string      `json:"filed_by,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	Status         Status      `json:"status"`
	// Overdue is set when read: the acknowledgement or the outcome is late.
	Overdue bool `json:"overdue"`
	// Notes are the desk's internal handling notes; never shown to the
	// candidate.
	Notes []Note `json:"notes,omitempty"`
}

// Note is an internal handling note.
type Note struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_user_id"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// StatusOf derives the status from the recorded facts.
func (c *Complaint) StatusOf() Status {
	switch {
	case !c.EscalatedOn.IsZero():
		return StatusEscalated
	case c.Outcome != "":
		return StatusClosed
	case c.HandlerUserID != "":
		return StatusInProgress
	case !c.AcknowledgedOn.IsZero():
		return StatusAcknowledged
	}
	return StatusReceived
}

// Open reports whether the complaint still awaits its outcome.
func (c *Complaint) Open() bool { return c.Outcome == "" }

// AckOverdue reports whether the acknowledgement is late on today.
func (c *Complaint) AckOverdue(today opstap.Date) bool {
	return c.AcknowledgedOn.IsZero() && c.Outcome == "" && c.AckDueOn.Before(today)
}

// OutcomeOverdue reports whether the outcome is late on today.
func (c *Complaint) OutcomeOverdue(today opstap.Date) bool {
	return c.Outcome == "" && c.OutcomeDueOn.Before(today)
}

// NextDeadline is the deadline the desk works towards: the acknowledgement
// until it is given, then the outcome; zero once decided.
func (c *Complaint) NextDeadline() opstap.Date {
	switch {
	case c.Outcome != "":
		return opstap.Date{}
	case c.AcknowledgedOn.IsZero() && c.AckDueOn.Before(c.OutcomeDueOn):
		return c.AckDueOn
	}
	return c.OutcomeDueOn
}

// Refresh sets the derived fields for today.
func (c *Complaint) Refresh(today opstap.Date) {
	c.Status = c.StatusOf()
	c.Overdue = c.AckOverdue(today) || c.OutcomeOverdue(today)
}

// ForCandidate removes what only the desk sees: the internal notes and
// who handles it internally.
func (c *Complaint) ForCandidate() {
	c.Notes, c.HandlerUserID, c.HandlerName, c.FiledBy = nil, "", "", ""
}

// QueueLess orders the desk's queue: overdue complaints first, then by the
// next deadline, then by receipt; decided ones last.
func QueueLess(a, b *Complaint) bool {
	if a.Overdue != b.Overdue {
		return a.Overdue
	}
	if a.Open() != b.Open() {
		return a.Open()
	}
	da, db := a.NextDeadline(), b.NextDeadline()
	if da != db {
		return da.Before(db)
	}
	if a.ReceivedOn != b.ReceivedOn {
		return a.ReceivedOn.Before(b.ReceivedOn)
	}
	return a.ID < b.ID
}

// AckDue is the acknowledgement deadline for a complaint received on d:
// AckWorkingDays working days later [000 art 12].
func AckDue(received opstap.Date) opstap.Date {
	return AddWorkingDays(received, AckWorkingDays)
}

// OutcomeDue is the outcome deadline for a complaint received on d.
func OutcomeDue(received opstap.Date) opstap.Date {
	return received.AddDays(7 * OutcomeWeeks)
}

// AddWorkingDays moves d on by n working days: Monday to Friday, not on a
// Dutch public holiday.
func AddWorkingDays(d opstap.Date, n int) opstap.Date {
	for n > 0 {
		d = d.AddDays(1)
		if WorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDay reports whether d is a working day in the Netherlands.
func WorkingDay(d opstap.Date) bool {
	wd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !Holiday(d)
}

// Holiday reports whether d is a general Dutch public holiday on which
// offices are closed: New Year's Day, Easter Monday, King's Day (27 April,
// 26 April when the 27th is a Sunday), Ascension Day, Whit Monday and
// Christmas. Liberation Day and Good Friday are left out: most employers
// do not close on them.
func Holiday(d opstap.Date) bool {
	easter := Easter(d.Year)
	kings := opstap.Date{Year: d.Year, Month: time.April, Day: 27}
	if time.Date(d.Year, time.April, 27, 12, 0, 0, 0, time.UTC).Weekday() == time.Sunday {
		kings.Day = 26
	}
	for _, h := range []opstap.Date{
		{Year: d.Year, Month: time.January, Day: 1},
		easter.AddDays(1), kings, easter.AddDays(39), easter.AddDays(50),
		{Year: d.Year, Month: time.December, Day: 25},
		{Year: d.Year, Month: time.December, Day: 26},
	} {
		if h == d {
			return true
		}
	}
	return false
}

// Easter returns Easter Sunday of the Gregorian year (the anonymous
// Gregorian algorithm).
func Easter(year int) opstap.Date {
	a, b, c := year%19, year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return opstap.Date{Year: year, Month: time.Month(month), Day: day}
}

// New is a complaint as filed.
type New struct {
	Channel     Channel     `json:"channel" validate:"max=50"`
	Subject     string      `json:"subject" validate:"required,max=200"`
	Description string      `json:"description" validate:"required,max=10000"`
	ReceivedOn  opstap.Date `json:"received_on"` // default today; staff record the day a letter or call came in
}

// Validate checks a new complaint and fills in the defaults.
func (n *New) Validate(today opstap.Date) error {
	n.Subject, n.Description = strings.TrimSpace(n.Subject), strings.TrimSpace(n.Description)
	if n.Channel == "" {
		n.Channel = ChannelPortal
	}
	if n.ReceivedOn.IsZero() {
		n.ReceivedOn = today
	}
	switch {
	case !known(Channels, n.Channel):
		return opstap.FieldError("channel", "unknown channel")
	case n.Subject == "":
		return opstap.FieldError("subject", "subject is required")
	case utf8.RuneCountInString(n.Subject) > MaxSubject:
		return opstap.FieldError("subject", "the subject may have at most %d characters", MaxSubject)
	case n.Description == "":
		return opstap.FieldError("description", "describe the complaint")
	case utf8.RuneCountInString(n.Description) > MaxText:
		return opstap.FieldError("description", "the text may have at most %d characters", MaxText)
	case n.ReceivedOn.After(today):
		return opstap.FieldError("received_on", "the date of receipt cannot lie in the future")
	}
	return nil
}

// StepKind is one handling step of the desk.
type StepKind string

// The steps.
const (
	StepAcknowledge StepKind = "acknowledge"
	StepAssign      StepKind = "assign"
	StepOutcome     StepKind = "outcome"
	StepEscalate    StepKind = "escalate"
	StepNote        StepKind = "note"
)

// Step is a handling step: acknowledge (On), assign (HandlerUserID),
// record the outcome (Outcome, Text), escalate (On, EscalatedTo, Text: to
// whom and why) or add an internal note (Text).
type Step struct {
	Kind          StepKind    `json:"-"`
	On            opstap.Date `json:"on"`
	HandlerUserID string      `json:"handler_user_id" validate:"max=64"`
	Outcome       Outcome     `json:"outcome" validate:"max=50"`
	EscalatedTo   Escalation  `json:"escalated_to" validate:"max=50"`
	Text          string      `json:"text" validate:"max=10000"` // the API's step bodies have the same limits
}

// Validate checks the step against the complaint as it stands and fills
// in the default date.
func (s *Step) Validate(c *Complaint, today opstap.Date) error {
	s.Text = strings.TrimSpace(s.Text)
	if s.On.IsZero() {
		s.On = today
	}
	if s.On.After(today) {
		return opstap.FieldError("on", "the date cannot lie in the future")
	}
	if s.On.Before(c.ReceivedOn) {
		return opstap.FieldError("on", "the date cannot lie before the complaint was received")
	}
	if utf8.RuneCountInString(s.Text) > MaxText {
		return opstap.FieldError("text", "the text may have at most %d characters", MaxText)
	}
	switch s.Kind {
	case StepAcknowledge:
		if !c.AcknowledgedOn.IsZero() {
			return opstap.Errorf(opstap.ECONFLICT, "the complaint was already acknowledged")
		}
	case StepAssign:
		if s.HandlerUserID == "" {
			return opstap.FieldError("handler_user_id", "choose a handler")
		}
	case StepOutcome:
		return s.validateOutcome(c)
	case StepEscalate:
		return s.validateEscalation(c)
	case StepNote:
		if s.Text == "" {
			return opstap.FieldError("text", "the note is empty")
		}
	default:
		return opstap.Errorf(opstap.EBADREQUEST, "unknown handling step")
	}
	return nil
}

func (s *Step) validateOutcome(c *Complaint) error {
	switch {
	case c.Outcome != "":
		return opstap.Errorf(opstap.ECONFLICT, "the outcome was already recorded")
	case !known(Outcomes, s.Outcome):
		return opstap.FieldError("outcome", "choose an outcome")
	case s.Text == "":
		return opstap.FieldError("text", "explain the outcome in writing")
	}
	return nil
}

func (s *Step) validateEscalation(c *Complaint) error {
	switch {
	case !c.EscalatedOn.IsZero():
		return opstap.Errorf(opstap.ECONFLICT, "the complaint was already escalated")
	case !known(Escalations, s.EscalatedTo):
		return opstap.FieldError("escalated_to", "choose where the complaint goes")
	}
	return nil
}

func known[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
