// Package period holds the rules of closing a finance month (issue 9 item
// 7): finance closes a calendar month once it has ended; after that nothing
// booked in it changes, and a correction lands in the first month after it
// that is still open. Only the application administrator reopens a month,
// with a stated reason. Months close for the whole provider at once, not per
// municipality: one book per month is what a finance department reconciles
// against its ledger, and it keeps a correction's landing month the same for
// every party of a placement. The package is pure; the store keeps the
// closed months (table finance_periods) and the audit trail.
package period

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// MinReasonLength is the least number of characters, after trimming spaces,
// of the reason for reopening a month.
const MinReasonLength = 10

// IsClosed reports whether month m is among the closed months.
func IsClosed(closed []opstap.Month, m opstap.Month) bool { return slices.Contains(closed, m) }

// Landing is the month in which something about month m is booked: m
// itself while it is open, otherwise the first open month after it. A
// correction of a closed month thus lands in the next open month.
func Landing(closed []opstap.Month, m opstap.Month) opstap.Month {
	for IsClosed(closed, m) {
		m = m.Next()
	}
	return m
}

// CheckClose allows closing month m on day today: only a month that has
// ended, and only once.
func CheckClose(closed []opstap.Month, m opstap.Month, today opstap.Date) error {
	switch {
	case m.IsZero():
		return opstap.FieldError("month", "month is required")
	case !today.After(m.Last()):
		return opstap.FieldError("month", "a month can be closed only after it has ended")
	case IsClosed(closed, m):
		return opstap.Errorf(opstap.ECONFLICT, "the month %s is already closed", m.Dutch())
	}
	return nil
}

// CheckReopen allows reopening a closed month m with a reason of at least
// MinReasonLength characters.
func CheckReopen(closed []opstap.Month, m opstap.Month, reason string) error {
	switch {
	case m.IsZero():
		return opstap.FieldError("month", "month is required")
	case !IsClosed(closed, m):
		return opstap.Errorf(opstap.ECONFLICT, "the month %s is not closed", m.Dutch())
	case utf8.RuneCountInString(strings.TrimSpace(reason)) < MinReasonLength:
		return opstap.FieldError("reason", "state the reason for reopening in at least %d characters", MinReasonLength)
	}
	return nil
}
