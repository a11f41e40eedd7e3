package privacy

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Data subject rights (DOMAIN.md §4) [001 "De rechten van de cliënten";
// 002 art 7; 004 "Inzagerecht"]: a candidate asks to see, correct or
// complete, restrict, erase, object to or screen off their data; the
// privacy officer answers within the AVG's month, once extendable by two
// months, and a refusal is answered in writing with reasons. This file
// holds the procedure's rules; internal/store keeps the requests.

// RightsKind is the right a request invokes [002 art 7].
type RightsKind string

// The rights.
const (
	RightAccess        RightsKind = "access"        // inzage [002 art 7.1]
	RightRectification RightsKind = "rectification" // correct or complete [002 art 7.2]
	RightRestriction   RightsKind = "restriction"   // beperking [002 art 7.3]
	RightErasure       RightsKind = "erasure"       // vergeten worden [002 art 7.4]
	RightObjection     RightsKind = "objection"     // bezwaar [002 art 7.5; 001: commercial use stops at once]
	RightScreening     RightsKind = "screening"     // afscherming [001]
)

// RightsKinds lists the rights in display order.
var RightsKinds = []RightsKind{RightAccess, RightRectification, RightRestriction, RightErasure, RightObjection, RightScreening}

// RightsKindLabels name the rights for people (English; internal/i18n has
// the Dutch).
var RightsKindLabels = map[RightsKind]string{
	RightAccess:        "Access to my data",
	RightRectification: "Correction or completion of my data",
	RightRestriction:   "Restriction of processing",
	RightErasure:       "Erasure of my data",
	RightObjection:     "Objection to processing",
	RightScreening:     "Screening off my data",
}

// RightsStatus is where a request stands.
type RightsStatus string

// The statuses; the last four close the request.
const (
	RightsReceived      RightsStatus = "received"
	RightsInProgress    RightsStatus = "in_progress"
	RightsGranted       RightsStatus = "granted"
	RightsPartlyGranted RightsStatus = "partly_granted"
	RightsRefused       RightsStatus = "refused"
	RightsWithdrawn     RightsStatus = "withdrawn"
)

// RightsStatusLabels name the statuses for people.
var RightsStatusLabels = map[RightsStatus]string{
	RightsReceived: "Received", RightsInProgress: "In progress", RightsGranted: "Granted",
	RightsPartlyGranted: "Partly granted", RightsRefused: "Refused", RightsWithdrawn: "Withdrawn",
}

// Closed reports whether the request has its answer (or was withdrawn).
func (s RightsStatus) Closed() bool { return s != RightsReceived && s != RightsInProgress }

// NeedsLetter reports whether the answer is a (partial) refusal, which the
// candidate receives in writing with the reasons [001: "ontvangt de cliënt
// hierover schriftelijk bericht waarin staat uitgelegd waarom"].
func (s RightsStatus) NeedsLetter() bool { return s == RightsPartlyGranted || s == RightsRefused }

// RightsDue is the AVG deadline of a request received on d: one month,
// the same day of the next month or that month's last day (art 12(3) AVG).
func RightsDue(received opstap.Date) opstap.Date { return received.AddMonths(1) }

// RightsExtendedDue is the deadline after the one extension the AVG allows:
// two further months, so three months from receipt.
func RightsExtendedDue(received opstap.Date) opstap.Date { return received.AddMonths(3) }

// RightsOverdue reports whether an open request is past its deadline on
// today; the deadline day itself is still in time.
func RightsOverdue(s RightsStatus, due, today opstap.Date) bool {
	return !s.Closed() && due.Before(today)
}

// MaxRightsText bounds each typed text of the procedure.
const MaxRightsText = 10000

// Refusals of the rights procedure; stable English message keys.
var (
	ErrRightsClosed   = opstap.Errorf(opstap.ECONFLICT, "this request is closed")
	ErrRightsExtended = opstap.Errorf(opstap.ECONFLICT, "the deadline can be extended only once")
)

// NewRightsRequest is a request as filed.
type NewRightsRequest struct {
	Kind        RightsKind  `json:"kind" validate:"required,max=50"`
	Description string      `json:"description" validate:"max=10000"`
	ReceivedOn  opstap.Date `json:"received_on"` // staff: when it came in; the portal: today
}

// Validate checks a request filed on today and tidies it: no received date
// means today.
func (n *NewRightsRequest) Validate(today opstap.Date) error {
	n.Description = strings.TrimSpace(n.Description)
	switch {
	case !slices.Contains(RightsKinds, n.Kind):
		return opstap.FieldError("kind", "unknown kind of request")
	case utf8.RuneCountInString(n.Description) > MaxRightsText:
		return opstap.FieldError("description", "the text is too long")
	case n.ReceivedOn.After(today):
		return opstap.FieldError("received_on", "the date lies in the future")
	}
	if n.ReceivedOn.IsZero() {
		n.ReceivedOn = today
	}
	return nil
}

// RightsAnswer is the privacy officer's decision with its reasons.
type RightsAnswer struct {
	Status RightsStatus `json:"status" validate:"required,max=50"` // granted, partly_granted or refused
	Text   string       `json:"text" validate:"max=10000"`         // the written, reasoned answer
}

// Validate checks the answer: granted, or a (partial) refusal with its
// reasons in writing [001].
func (an *RightsAnswer) Validate() error {
	an.Text = strings.TrimSpace(an.Text)
	switch {
	case an.Status != RightsGranted && !an.Status.NeedsLetter():
		return opstap.FieldError("status", "choose granted, partly granted or refused")
	case an.Status.NeedsLetter() && an.Text == "":
		return opstap.FieldError("text", "a refusal needs its reasons in writing")
	case utf8.RuneCountInString(an.Text) > MaxRightsText:
		return opstap.FieldError("text", "the text is too long")
	}
	return nil
}

// CheckExtensionReason checks and tidies the reason of an extension: the
// AVG asks the candidate be told why [AVG art 12(3)].
func CheckExtensionReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", opstap.FieldError("reason", "state why the request needs more time")
	case utf8.RuneCountInString(reason) > MaxRightsText:
		return "", opstap.FieldError("reason", "the text is too long")
	}
	return reason, nil
}

// CheckOpen refuses a step on a closed request.
func CheckOpen(s RightsStatus) error {
	if s.Closed() {
		return ErrRightsClosed
	}
	return nil
}

// CheckExtendable refuses an extension of a closed request, or a second
// one: the AVG allows one [AVG art 12(3)].
func CheckExtendable(s RightsStatus, extended bool) error {
	if err := CheckOpen(s); err != nil {
		return err
	}
	if extended {
		return ErrRightsExtended
	}
	return nil
}

// Carried reports whether granting a request of this kind changes what is
// kept, so that the executor must carry it out. A partly granted erasure
// or restriction is carried out by hand for the part granted: the engine
// knows only the whole candidate. A rectification or screening carries
// out what the privacy officer recorded as granted, so a partial grant
// goes too.
func Carried(k RightsKind, s RightsStatus) bool {
	switch k {
	case RightRectification, RightScreening:
		return s == RightsGranted || s == RightsPartlyGranted
	}
	return (k == RightErasure || k == RightRestriction) && s == RightsGranted
}
