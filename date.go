package opstap

import (
	"cmp"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without time or zone: a birth date, a benefit
// start, the first day of a placement. Dates are dates (never midnight
// UTC), so they cannot shift a day when shown in Amsterdam.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in Amsterdam.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Amsterdam).Date()
	return Date{y, m, d}
}

// dateLayouts are accepted on input: ISO first, then the Dutch forms
// (dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, dd.mm.jjjj).
var dateLayouts = []string{"2006-01-02", "02-01-2006", "2-1-2006", "02/01/2006", "2/1/2006", "02.01.2006", "2.1.2006"}

// ParseDate reads a date in ISO or Dutch notation. Days that do not exist
// (30 February) are refused, and so is year 0: the zero Date means "unset",
// so it cannot also be a date someone typed.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil && t.Year() > 0 {
			return Date{t.Year(), t.Month(), t.Day()}, nil
		}
	}
	return Date{}, fmt.Errorf("not a valid date: %q", s)
}

// ErrDateForm is the error of a date that cannot be read, naming the forms
// that can.
var ErrDateForm = &Error{Code: EINVALID, Message: "not a valid date (use YYYY-MM-DD or DD-MM-YYYY)"}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// Time returns the start of the day in Amsterdam.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Amsterdam) }

// String formats ISO 8601.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Dutch formats dd-mm-jjjj.
func (d Date) Dutch() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%02d-%04d", d.Day, d.Month, d.Year)
}

// Compare returns -1, 0 or +1 as d lies before, on or after e; the zero
// Date lies before every date. It compares the numbers, not the formatted
// text: the figures compare dates millions of times per dashboard.
func (d Date) Compare(e Date) int {
	switch dz, ez := d.IsZero(), e.IsZero(); {
	case dz || ez:
		return cmp.Compare(b2i(!dz), b2i(!ez))
	case d.Year != e.Year:
		return cmp.Compare(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp.Compare(d.Month, e.Month)
	}
	return cmp.Compare(d.Day, e.Day)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Before reports whether d lies before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d lies after e.
func (d Date) After(e Date) bool { return e.Before(d) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// AddMonths returns the same day n calendar months later, or that month's
// last day where the day does not exist (DOMAIN.md §6: 31 January + 1
// month = 28/29 February).
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Date{first.Year(), first.Month(), min(d.Day, last)}
}

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// MarshalJSON writes "YYYY-MM-DD" (null when unset).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads ISO or Dutch notation.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return ErrDateForm
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(s)
	if err != nil {
		return ErrDateForm
	}
	*d = p
	return nil
}

// Value stores the date as ISO text, which both engines accept for DATE.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE column from either engine.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Date{x.Year(), x.Month(), x.Day()}
	case string:
		p, err := ParseDate(x[:min(len(x), 10)])
		if err != nil {
			return err
		}
		*d = p
	case []byte:
		return d.Scan(string(x))
	default:
		return fmt.Errorf("opstap: cannot scan %T into a Date", v)
	}
	return nil
}

// Month is a calendar month: the unit in which hours are invoiced, premiums
// accrue and finance closes its books.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month d lies in.
func MonthOf(d Date) Month { return Month{d.Year, d.Month} }

// ParseMonth reads "2026-03" (ISO) or "03-2026" / "3-2026" (Dutch).
func ParseMonth(s string) (Month, error) {
	s = strings.TrimSpace(s)
	for _, l := range []string{"2006-01", "01-2006", "1-2006"} {
		if t, err := time.Parse(l, s); err == nil && t.Year() > 0 {
			return Month{t.Year(), t.Month()}, nil
		}
	}
	return Month{}, fmt.Errorf("not a valid month: %q", s)
}

// IsZero reports whether m is unset.
func (m Month) IsZero() bool { return m.Year == 0 }

// First returns the month's first day.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last returns the month's last day.
func (m Month) Last() Date { return m.First().AddMonths(1).AddDays(-1) }

// Next returns the month after m (n months later for Add).
func (m Month) Next() Month { return m.Add(1) }

// Add returns the month n months later (earlier when n is negative).
func (m Month) Add(n int) Month { return MonthOf(m.First().AddMonths(n)) }

// Before reports whether m lies before o.
func (m Month) Before(o Month) bool {
	return m.Year < o.Year || (m.Year == o.Year && m.Month < o.Month)
}

// Contains reports whether d lies in m.
func (m Month) Contains(d Date) bool { return MonthOf(d) == m }

// String formats ISO 8601: 2026-03.
func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, m.Month)
}
