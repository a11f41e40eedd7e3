// Package accesslog turns the lines of a candidate's access log into what a
// person can read: per day, per person who used the data, what they did
// with which data and why — instead of one line per category read
// (issue 12 item 15; AVG art 15, seed 002 art 7.1).
package accesslog

import (
	"slices"
	"time"

	"github.com/opstap/opstap"
)

// Line is one entry of the log, newest first.
type Line struct {
	At time.Time
	// Actor tells people apart without naming them: the candidate sees
	// roles and organisations, never staff names.
	Actor        string
	Name         string // shown only to who may see names (the privacy officer)
	Role         string
	Organisation string
	Event        string
	Category     string
	Purpose      string
	Refused      bool
}

// Visit is what one person did with the data on one day.
type Visit struct {
	Name, Role, Organisation string
	From, To                 time.Time // first and last line of the day
	Events                   []string  // distinct, in the order first seen
	Categories               []string
	Purposes                 []string
	Lines                    int
	Refused                  int // lines the policy refused
}

// Day holds the visits of one calendar day (Amsterdam), newest first.
type Day struct {
	Date   opstap.Date
	Visits []Visit
}

// Group gathers lines (newest first) per day and per person; days and the
// visits within a day keep the order of their newest line.
func Group(lines []Line, loc *time.Location) []Day {
	var days []Day
	index := map[string]int{} // actor key within the current day → visit
	for _, l := range lines {
		date := opstap.DateOf(l.At.In(loc))
		if len(days) == 0 || days[len(days)-1].Date != date {
			days = append(days, Day{Date: date})
			clear(index)
		}
		d := &days[len(days)-1]
		key := l.Actor + "\x00" + l.Role + "\x00" + l.Organisation
		i, ok := index[key]
		if !ok {
			i = len(d.Visits)
			index[key] = i
			d.Visits = append(d.Visits, Visit{Name: l.Name, Role: l.Role, Organisation: l.Organisation, From: l.At, To: l.At})
		}
		v := &d.Visits[i]
		v.Lines++
		if l.At.Before(v.From) {
			v.From = l.At
		}
		if l.At.After(v.To) {
			v.To = l.At
		}
		if l.Refused {
			v.Refused++
		}
		v.Events = addOnce(v.Events, l.Event)
		v.Categories = addOnce(v.Categories, l.Category)
		v.Purposes = addOnce(v.Purposes, l.Purpose)
	}
	return days
}

func addOnce(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
