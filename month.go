package opstap

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Month is a calendar month: the unit in which hours are booked, invoices
// run and finance closes its books (issue 9). It is a date without a day,
// so a month never shifts by a time zone.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month of day d.
func MonthOf(d Date) Month { return Month{d.Year, d.Month} }

// monthLayouts are accepted on input: ISO first, then Dutch forms.
var monthLayouts = []string{"2006-01", "01-2006", "1-2006", "01/2006", "1/2006"}

// ParseMonth reads a month as "2026-03" (ISO) or "03-2026" (Dutch).
func ParseMonth(s string) (Month, error) {
	s = strings.TrimSpace(s)
	for _, l := range monthLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() >= 1 {
			return Month{t.Year(), t.Month()}, nil
		}
	}
	return Month{}, fmt.Errorf("not a valid month: %q", s)
}

// IsZero reports whether m is unset.
func (m Month) IsZero() bool { return m.Year == 0 }

// First is the month's first day.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last is the month's last day.
func (m Month) Last() Date { return m.Next().First().AddDays(-1) }

// Add returns the month n months later (earlier when n is negative).
func (m Month) Add(n int) Month {
	t := time.Date(m.Year, m.Month+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Next is the month after m.
func (m Month) Next() Month { return m.Add(1) }

// Contains reports whether day d lies in m.
func (m Month) Contains(d Date) bool { return d.Year == m.Year && d.Month == m.Month }

// Before reports whether m lies before n.
func (m Month) Before(n Month) bool {
	return m.Year < n.Year || (m.Year == n.Year && m.Month < n.Month)
}

// After reports whether m lies after n.
func (m Month) After(n Month) bool { return n.Before(m) }

// String formats ISO 8601: 2026-03.
func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, m.Month)
}

// Dutch formats mm-jjjj.
func (m Month) Dutch() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%04d", m.Month, m.Year)
}

// MarshalJSON writes "YYYY-MM" (null when unset).
func (m Month) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(m.String())
}

// UnmarshalJSON reads ISO or Dutch notation.
func (m *Month) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		*m = Month{}
		return nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*m = Month{}
		return nil
	}
	p, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// Value stores the month as "YYYY-MM" text, which sorts in time order.
func (m Month) Value() (driver.Value, error) {
	if m.IsZero() {
		return nil, nil
	}
	return m.String(), nil
}

// Scan reads a month column from either engine.
func (m *Month) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*m = Month{}
		return nil
	case []byte:
		return m.Scan(string(x))
	case string:
		p, err := ParseMonth(x)
		if err != nil {
			return err
		}
		*m = p
		return nil
	}
	return fmt.Errorf("opstap: cannot scan %T into a Month", v)
}
