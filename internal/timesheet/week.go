package timesheet

import (
	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/period"
)

// DayView is one day of a week as a timesheet page shows it: its lines,
// what it counts, and whether the reader can enter or correct it now.
type DayView struct {
	Index     int // the day's row in the week's form (entries.Index.…)
	Day       opstap.Date
	Lines     []Line // the original(s) and corrections, oldest first
	Original  *Line  // the original that counts, if any
	Effective Entry  // what the day counts: approved original plus corrections
	Closed    bool   // the day's month is closed
	Enterable bool   // the reader may enter or change the day's hours now
	Pending   bool   // a candidate's hours await the employer
}

// WeekView lays out the seven days from Monday mon for a reader entering as
// src ("" for readers who only look), given the placement's lines of that
// week, the closed months and today.
func WeekView(mon opstap.Date, lines []Line, p Placement, closed []opstap.Month, today opstap.Date, src Source) []DayView {
	out := make([]DayView, 7)
	open := p.CheckOpen() == nil && (src == SourceEmployer || src == SourceCandidate)
	for i, d := range Days(mon) {
		v := DayView{Index: i, Day: d}
		for _, l := range lines {
			if l.Day == d {
				v.Lines = append(v.Lines, l)
			}
		}
		v.Original, v.Effective = Original(v.Lines), Effective(v.Lines)
		v.Effective.Day = d
		v.Pending = v.Original != nil && v.Original.Status == StatusSubmitted
		v.Closed = period.IsClosed(closed, opstap.MonthOf(d))
		_, planErr := Plan(i, src, v.Lines)
		v.Enterable = open && planErr == nil && CheckEntry(i, Entry{Day: d}, p, closed, today) == nil
		out[i] = v
	}
	return out
}

// Weekday is the day's name code (mon … sun).
func (v DayView) Weekday() string { return Weekday(v.Day) }
