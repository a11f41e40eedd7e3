package privacy

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// The breach register's rules [AVG art 33/34; 003 bewerkers art 5]: what
// a (suspected) breach records and the 72-hour clock to notify the
// supervisory authority (Autoriteit Persoonsgegevens). internal/store
// keeps the register.

// BreachNotifyWithin is the AVG art 33 term: notify "without undue delay
// and, where feasible, not later than 72 hours after having become aware".
// It is 72 elapsed hours, so across a change to or from summer time the
// deadline's clock reading in Amsterdam differs by an hour from the
// discovery's.
const BreachNotifyWithin = 72 * time.Hour

// BreachStatus is where a breach stands.
type BreachStatus string

// The statuses.
const (
	BreachSuspected  BreachStatus = "suspected"
	BreachConfirmed  BreachStatus = "confirmed"
	BreachNotABreach BreachStatus = "not_a_breach"
	BreachClosed     BreachStatus = "closed"
)

// BreachStatuses lists every status in a stable order.
var BreachStatuses = []BreachStatus{BreachSuspected, BreachConfirmed, BreachNotABreach, BreachClosed}

const maxBreachText = 20000

// BreachInput is what the privacy officer records.
type BreachInput struct {
	DiscoveredAt    time.Time         `json:"discovered_at" validate:"required"`
	Description     string            `json:"description" validate:"required,max=20000"`
	Categories      []opstap.Category `json:"categories" validate:"items=20,max=50"`
	Measures        string            `json:"measures" validate:"max=20000"`
	Status          BreachStatus      `json:"status" validate:"max=50"`
	APNotifiedAt    *time.Time        `json:"ap_notified_at,omitempty"`
	APReference     string            `json:"ap_reference" validate:"max=200"`
	SubjectsToldOn  opstap.Date       `json:"subjects_told_on"`
	SubjectsToldHow string            `json:"subjects_told_how" validate:"max=2000"`
}

// Validate checks the input at now.
func (in *BreachInput) Validate(now time.Time) error {
	in.Description, in.Measures = strings.TrimSpace(in.Description), strings.TrimSpace(in.Measures)
	in.APReference, in.SubjectsToldHow = strings.TrimSpace(in.APReference), strings.TrimSpace(in.SubjectsToldHow)
	if in.Status == "" {
		in.Status = BreachSuspected
	}
	switch {
	case in.DiscoveredAt.IsZero():
		return opstap.FieldError("discovered_at", "when was the breach discovered?")
	case in.DiscoveredAt.After(now):
		return opstap.FieldError("discovered_at", "the moment lies in the future")
	case in.Description == "":
		return opstap.FieldError("description", "describe what happened")
	case utf8.RuneCountInString(in.Description) > maxBreachText || utf8.RuneCountInString(in.Measures) > maxBreachText:
		return opstap.FieldError("description", "the text is too long")
	case !slices.Contains(BreachStatuses, in.Status):
		return opstap.FieldError("status", "unknown status")
	case in.APNotifiedAt != nil && in.APNotifiedAt.Before(in.DiscoveredAt):
		return opstap.FieldError("ap_notified_at", "the notification lies before the discovery")
	case in.APNotifiedAt != nil && in.APNotifiedAt.After(now):
		return opstap.FieldError("ap_notified_at", "the moment lies in the future")
	case !in.SubjectsToldOn.IsZero() && in.SubjectsToldHow == "":
		return opstap.FieldError("subjects_told_how", "say how the people were told")
	}
	for _, c := range in.Categories {
		if !c.Valid() {
			return opstap.FieldError("categories", "unknown data category")
		}
	}
	return nil
}

// BreachDeadline is when the authority must have been notified of a breach
// discovered at discovered: 72 elapsed hours later.
func BreachDeadline(discovered time.Time) time.Time { return discovered.Add(BreachNotifyWithin) }

// BreachClock is the 72-hour clock at a moment.
type BreachClock struct {
	Deadline time.Time     `json:"deadline"`
	Left     time.Duration `json:"-"`        // time left; negative when overdue
	Overdue  bool          `json:"overdue"`  // not notified and past the deadline
	Notified bool          `json:"notified"` // the authority was notified
	Late     bool          `json:"late"`     // notified after the deadline
}

// ClockAt reads the 72-hour clock of a breach discovered at discovered
// and notified at notified (nil: not yet) at now.
func ClockAt(discovered time.Time, notified *time.Time, now time.Time) BreachClock {
	deadline := BreachDeadline(discovered)
	c := BreachClock{Deadline: deadline, Left: deadline.Sub(now), Notified: notified != nil}
	if c.Notified {
		c.Late = notified.After(deadline)
	} else {
		c.Overdue = c.Left < 0
	}
	return c
}

// Clock reads the breach's 72-hour clock at now; a stored breach, which
// embeds its input, reads its clock this way.
func (in *BreachInput) Clock(now time.Time) BreachClock {
	return ClockAt(in.DiscoveredAt, in.APNotifiedAt, now)
}
