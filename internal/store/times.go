package store

import "time"

// scanTime and scanNullTime are short forms of the scanners in scan.go.
func scanTime(t *time.Time) timeScanner         { return timeScanner{T: t} }
func scanNullTime(t **time.Time) timePtrScanner { return timePtrScanner{P: t} }

// nullTime turns an optional time into a query argument.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}
