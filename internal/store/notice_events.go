package store

import (
	"context"
	"slices"

	"github.com/opstap/opstap"
)

// Notification events say in the app what happened, where the kind's line
// only says that something did: the e-mail keeps the kind's neutral line
// (it leaves the system), the signed-in user reads the event's. An event
// names no person and no dossier contents either; the link leads to them
// through the access policy.
const (
	EventReportApproved     = "report_approved"
	EventReportCommented    = "report_commented"
	EventPlacementProposed  = "placement_proposed"
	EventPlacementAccepted  = "placement_accepted"
	EventPlacementDeclined  = "placement_declined"
	EventPlacementConfirmed = "placement_confirmed"
	EventHoursEntered       = "hours_entered"
	EventHoursApproved      = "hours_approved"
	EventHoursRejected      = "hours_rejected"
	EventComplaintReceived  = "complaint_received"
	EventComplaintStep      = "complaint_step"
	EventRightsExtended     = "rights_extended"
	EventRightsAnswered     = "rights_answered"
)

// eventTexts are the in-app lines per event, in English; internal/i18n has
// the Dutch.
var eventTexts = map[string]string{
	EventReportApproved:     "A report was approved by the candidate.",
	EventReportCommented:    "The candidate commented on a report instead of approving it.",
	EventPlacementProposed:  "A placement was proposed.",
	EventPlacementAccepted:  "A placement was accepted.",
	EventPlacementDeclined:  "A placement was declined.",
	EventPlacementConfirmed: "A placement was confirmed by the municipality.",
	EventHoursEntered:       "Hours were entered and await your approval.",
	EventHoursApproved:      "Your hours were approved.",
	EventHoursRejected:      "Some of your hours were rejected.",
	EventComplaintReceived:  "Your complaint was received.",
	EventComplaintStep:      "Your complaint was dealt with further.",
	EventRightsExtended:     "The deadline for answering your request was extended.",
	EventRightsAnswered:     "Your request was answered.",
}

// NoticeEvents is every event, for the API document's enum.
var NoticeEvents = []string{
	EventReportApproved, EventReportCommented, EventPlacementProposed, EventPlacementAccepted, EventPlacementDeclined,
	EventPlacementConfirmed, EventHoursEntered, EventHoursApproved, EventHoursRejected, EventComplaintReceived,
	EventComplaintStep, EventRightsExtended, EventRightsAnswered,
}

// EventText returns the English in-app line of an event, and false for
// none.
func EventText(event string) (string, bool) {
	t, ok := eventTexts[event]
	return t, ok
}

// NotifyEvent is Notify with the event that says in the app what happened.
func (tx *Tx) NotifyEvent(ctx context.Context, userID, kind, event, link string) error {
	if !slices.Contains(NoticeEvents, event) {
		return opstap.Errorf(opstap.EINTERNAL, "notification event %q is not in store.NoticeEvents", event)
	}
	return tx.notify(ctx, userID, kind, event, link)
}
