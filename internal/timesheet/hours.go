package timesheet

import (
	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

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
	Monday     opstap.Date    `json:"monday"`
	Minutes    opstap.Minutes `json:"minutes"`
	LimitHours int            `json:"limit_hours"`
}

// Over reports whether the week's approved hours exceed the contracted
// hours: the municipality is told (issue 9 item 2).
func (w Week) Over() bool { return w.Minutes > opstap.Minutes(w.LimitHours)*60 }

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
