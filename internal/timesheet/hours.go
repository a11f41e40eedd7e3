package timesheet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

// ParseHours reads hours as people type them into whole minutes: "7",
// "7,5" or "7.5" (decimal hours), "7:30" (hours and minutes). A decimal
// that is not a whole number of minutes ("7,33") is refused rather than
// rounded, so that what is stored is what was meant.
func ParseHours(s string) (int, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var m int
	var err error
	if h, mm, ok := strings.Cut(s, ":"); ok {
		m, err = clockMinutes(h, mm)
	} else {
		m, err = decimalMinutes(strings.ReplaceAll(s, ",", "."))
	}
	if err != nil {
		return 0, fmt.Errorf("not a number of hours: %q", s)
	}
	if neg {
		m = -m
	}
	return m, nil
}

// digits parses a short run of ASCII digits; the length cap keeps every
// value far from overflowing.
func digits(s string, maxLen int) (int, bool) {
	if s == "" || len(s) > maxLen {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func clockMinutes(h, m string) (int, error) {
	hh, ok1 := digits(h, 4)
	mm, ok2 := digits(m, 2)
	if !ok1 || !ok2 || len(m) != 2 || mm >= 60 {
		return 0, fmt.Errorf("bad clock notation")
	}
	return hh*60 + mm, nil
}

func decimalMinutes(s string) (int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("no hours")
	}
	if whole == "" {
		whole = "0"
	}
	w, ok := digits(whole, 4)
	if !ok {
		return 0, fmt.Errorf("bad hours")
	}
	if frac == "" {
		return w * 60, nil
	}
	f, ok := digits(frac, 2)
	if !ok {
		return 0, fmt.Errorf("bad fraction")
	}
	if len(frac) == 1 {
		f *= 10
	}
	// f hundredths of an hour are f × 0.6 minutes: whole only for multiples of 5.
	if f*60%100 != 0 {
		return 0, fmt.Errorf("not whole minutes")
	}
	return w*60 + f*60/100, nil
}

// FormatHours writes minutes as hours and minutes: "7:30", "-1:15".
func FormatHours(m int) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d:%02d", sign, m/60, m%60)
}

// WeekStart is the Monday of d's week (ISO 8601 weeks, as Dutch payrolls
// count them).
func WeekStart(d opstap.Date) opstap.Date {
	wd := int(d.Time().Weekday()+6) % 7 // Monday 0 … Sunday 6
	return d.AddDays(-wd)
}

// HoursInForce is the contracted hours per week on day d: the last period
// that started on or before it.
func HoursInForce(periods []flex.HoursPeriod, d opstap.Date) int {
	h := 0
	for _, p := range periods {
		if !p.From.After(d) {
			h = p.HoursPerWeek
		}
	}
	return h
}

// WeekLimit is the contracted hours of the week from Monday mon: the most
// in force on any of its days within the placement, so a change of hours in
// the middle of a week never flags hours that either agreement allowed.
func (p Placement) WeekLimit(mon opstap.Date) int {
	limit := 0
	for i := range 7 {
		d := mon.AddDays(i)
		if d.Before(p.FirstDay) || d.After(p.LastDay) {
			continue
		}
		limit = max(limit, HoursInForce(p.Hours, d))
	}
	return limit
}

// Week is one week of a placement's approved hours held against its
// contracted hours.
type Week struct {
	Monday     opstap.Date `json:"monday"`
	Minutes    int         `json:"minutes"`
	LimitHours int         `json:"limitHours"`
}

// Over reports whether the week's approved hours exceed the contracted
// hours: the municipality is told (issue 9 item 2).
func (w Week) Over() bool { return w.Minutes > w.LimitHours*60 }

// WeekOf totals the approved minutes of lines on the days of the week from
// Monday mon, corrections included.
func (p Placement) WeekOf(mon opstap.Date, lines []Line) Week {
	w := Week{Monday: mon, LimitHours: p.WeekLimit(mon)}
	end := mon.AddDays(6)
	for _, l := range lines {
		if l.Status == StatusApproved && !l.Day.Before(mon) && !l.Day.After(end) {
			w.Minutes += l.Minutes
		}
	}
	return w
}

// Days lists the seven days of the week from Monday mon.
func Days(mon opstap.Date) []opstap.Date {
	out := make([]opstap.Date, 7)
	for i := range out {
		out[i] = mon.AddDays(i)
	}
	return out
}

// Weekday is d's day name code as flex uses it (mon … sun).
func Weekday(d opstap.Date) string {
	return flex.DayNames[(int(d.Time().Weekday())+6)%7]
}
