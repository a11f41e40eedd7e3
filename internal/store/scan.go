package store

import (
	"fmt"
	"strings"
	"time"
)

// Timestamps are written as t.UTC() and read back through the scanners in
// this file, which accept whatever the engines hand over: time.Time from
// pgx (TIMESTAMPTZ, TIMESTAMP, DATE) and from modernc when it recognises a
// TIMESTAMP column, and text or bytes when it does not (an expression, a
// column without a declared type, a value written by another tool). Every
// time comes back in UTC.

// timeLayouts are the text forms accepted, most likely first. time.Parse
// accepts fractional seconds after the seconds field even where a layout
// does not show them.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00", // modernc with _time_format=sqlite
	time.RFC3339Nano,                      // 2006-01-02T15:04:05.999999999Z07:00
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999-07",
	"2006-01-02 15:04:05.999999999-07",        // PostgreSQL's text output of TIMESTAMPTZ
	"2006-01-02 15:04:05.999999999 -0700 MST", // time.Time.String, modernc's default
	"2006-01-02 15:04:05.999999999",           // SQLite's CURRENT_TIMESTAMP and datetime(): UTC
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTimeValue converts a value scanned from a timestamp column. ok is false
// for NULL. Text without a zone is taken to be UTC.
func parseTimeValue(v any) (t time.Time, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return x.UTC(), true, nil
	case string:
		t, err := parseTimeText(x)
		return t, err == nil, err
	case []byte:
		t, err := parseTimeText(string(x))
		return t, err == nil, err
	case int64:
		return time.Unix(x, 0).UTC(), true, nil // SQLite unixepoch()
	}
	return time.Time{}, false, fmt.Errorf("store: cannot scan %T into a time", v)
}

func parseTimeText(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " m="); i >= 0 {
		s = s[:i] // the monotonic clock reading of time.Time.String
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("store: cannot parse time %q", s)
}

// timeScanner scans a NOT NULL timestamp column into *T:
//
//	rows.Scan(&id, timeScanner{&u.CreatedAt})
type timeScanner struct{ T *time.Time }

func (s timeScanner) Scan(v any) error {
	t, ok, err := parseTimeValue(v)
	if err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("store: unexpected NULL time")
	}
	*s.T = t
	return nil
}

// timePtrScanner scans a nullable timestamp column into *P, which becomes
// nil for NULL:
//
//	rows.Scan(&id, timePtrScanner{&g.ExpiresAt})
type timePtrScanner struct{ P **time.Time }

func (s timePtrScanner) Scan(v any) error {
	t, ok, err := parseTimeValue(v)
	if err != nil {
		return err
	}
	if !ok {
		*s.P = nil
		return nil
	}
	*s.P = &t
	return nil
}
