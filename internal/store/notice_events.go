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
	HappenedReportApproved     = "report_approved"
	HappenedReportCommented    = "report_commented"
	HappenedPlacementProposed  = "placement_proposed"
	HappenedPlacementAccepted  = "placement_accepted"
	HappenedPlacementDeclined  = "placement_declined"
	HappenedPlacementConfirmed = "placement_confirmed"
	HappenedHoursEntered       = "hours_entered"
	HappenedHoursApproved      = "hours_approved"
	HappenedHoursRejected      = "hours_rejected"
	HappenedComplaintReceived  = "complaint_received"
	HappenedComplaintStep      = "complaint_step"
	HappenedRightsExtended     = "rights_extended"
	HappenedRightsAnswered     = "rights_answered"
)

// eventTexts are the in-app lines per event, in English; internal/i18n has
// the Dutch.
var eventTexts = map[string]string{
	HappenedReportApproved:     "A report was approved by the candidate.",
	HappenedReportCommented:    "The candidate commented on a report instead of approving it.",
	HappenedPlacementProposed:  "A placement was proposed.",
	HappenedPlacementAccepted:  "A placement was accepted.",
	HappenedPlacementDeclined:  "A placement was declined.",
	HappenedPlacementConfirmed: "A placement was confirmed by the municipality.",
	HappenedHoursEntered:       "Hours were entered and await your approval.",
	HappenedHoursApproved:      "Your hours were approved.",
	HappenedHoursRejected:      "Some of your hours were rejected.",
	HappenedComplaintReceived:  "Your complaint was received.",
	HappenedComplaintStep:      "Your complaint was dealt with further.",
	HappenedRightsExtended:     "The deadline for answering your request was extended.",
	HappenedRightsAnswered:     "Your request was answered.",
}

// NoticeEvents is every event, for the API document's enum.
var NoticeEvents = []string{
	HappenedReportApproved, HappenedReportCommented, HappenedPlacementProposed, HappenedPlacementAccepted, HappenedPlacementDeclined,
	HappenedPlacementConfirmed, HappenedHoursEntered, HappenedHoursApproved, HappenedHoursRejected, HappenedComplaintReceived,
	HappenedComplaintStep, HappenedRightsExtended, HappenedRightsAnswered,
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
