// Package mgmtreport assembles the municipality's monthly management report
// [003 art 5 lid 10] and the quarterly progress report for the contract
// meeting [003 art 5 lid 11] from facts the store loads: placements,
// assignments with their dated status changes, approved hours, the
// contract terms and the premiums already paid. The money follows
// internal/billing (revenue as on the employer's invoice, travel and premium
// as in a payout), so the report and the invoices agree to the cent.
//
// The package holds no SQL and reads no clock: the store passes the facts
// and the day the report is made.
package mgmtreport

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/complaint"
)

// Version is the version of the definitions below; a stored report keeps
// the version it was made with, so a change of definition never silently
// changes what a report of last year said.
const Version = 1

// MaxMonths is the longest period a report covers on demand: a year, the
// span of the municipality's yearly figures (seed 003, "Resultaat 12
// maanden").
const MaxMonths = 12

// Period is a run of whole calendar months, From to To inclusive. Money is
// booked per month (a correction of a closed month lands in the next open
// one), so a report's period is made of whole months and its figures add
// up with the invoices of those months.
type Period struct {
	From opstap.Month `json:"from"`
	To   opstap.Month `json:"to"`
}

// NewPeriod checks a period: both ends set, To not before From, at most
// MaxMonths long. The refusals name the field at fault.
func NewPeriod(from, to opstap.Month) (Period, error) {
	switch {
	case from.IsZero():
		return Period{}, opstap.FieldError("from", "month is required")
	case to.IsZero():
		return Period{}, opstap.FieldError("to", "month is required")
	case to.Before(from):
		return Period{}, opstap.FieldError("to", "the period ends before it starts")
	case from.Add(MaxMonths - 1).Before(to):
		return Period{}, opstap.FieldError("to", "a report covers at most %d months", MaxMonths)
	}
	return Period{From: from, To: to}, nil
}

// First is the period's first day.
func (p Period) First() opstap.Date { return p.From.First() }

// Last is the period's last day.
func (p Period) Last() opstap.Date { return p.To.Last() }

// Months lists the period's months in order.
func (p Period) Months() []opstap.Month {
	var out []opstap.Month
	for m := p.From; !p.To.Before(m); m = m.Next() {
		out = append(out, m)
	}
	return out
}

// Contains reports whether month m lies in the period.
func (p Period) Contains(m opstap.Month) bool { return !m.Before(p.From) && !p.To.Before(m) }

// Overlaps reports whether the days first..last meet the period.
func (p Period) Overlaps(first, last opstap.Date) bool {
	return !first.After(p.Last()) && !last.Before(p.First())
}

// Quarter is a calendar quarter, the rhythm of the progress meeting
// [003 art 5 lid 11].
type Quarter struct {
	Year int
	Q    int // 1–4
}

// QuarterOf returns the quarter of month m.
func QuarterOf(m opstap.Month) Quarter { return Quarter{m.Year, (int(m.Month)-1)/3 + 1} }

// ParseQuarter reads "2026-Q3" (also "2026-q3", "2026Q3").
func ParseQuarter(s string) (Quarter, error) {
	y, q, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "Q")
	y = strings.TrimSuffix(y, "-")
	year, err1 := strconv.Atoi(y)
	n, err2 := strconv.Atoi(q)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || year < 1 || n < 1 || n > 4 {
		return Quarter{}, opstap.FieldError("quarter", "write a quarter as 2026-Q3")
	}
	return Quarter{year, n}, nil
}

// IsZero reports whether the quarter is unset.
func (q Quarter) IsZero() bool { return q.Year == 0 }

// String writes "2026-Q3".
func (q Quarter) String() string { return fmt.Sprintf("%04d-Q%d", q.Year, q.Q) }

// Period is the quarter's three months.
func (q Quarter) Period() Period {
	from := opstap.MonthOf(opstap.Date{Year: q.Year, Month: 1, Day: 1}).Add(3 * (q.Q - 1))
	return Period{From: from, To: from.Add(2)}
}

// Previous is the quarter before q.
func (q Quarter) Previous() Quarter { return QuarterOf(q.Period().From.Add(-1)) }

// MarshalJSON writes the quarter as its string.
func (q Quarter) MarshalJSON() ([]byte, error) { return []byte(`"` + q.String() + `"`), nil }

// UnmarshalJSON reads the quarter's string.
func (q *Quarter) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return opstap.FieldError("quarter", "write a quarter as 2026-Q3")
	}
	*q, err = ParseQuarter(s)
	return err
}

// FirstWorkingDay is the first working day of month m in the Netherlands
// (Monday to Friday, not a public holiday): the day the monthly report of
// the month before is made, as "na afloop van iedere maand" asks
// [003 art 5 lid 10].
func FirstWorkingDay(m opstap.Month) opstap.Date {
	d := m.First()
	for !complaint.WorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// RunHour is the hour (Amsterdam) at which the monthly reports are made on
// the first working day: before the working day starts.
const RunHour = 6

// NextRun is when the monthly reports are next made after a run at now:
// RunHour on the first working day of the month after now's. A run in
// month M makes M − 1's reports, so one run a month is enough, and the
// first start of a server (which runs at once) or a catch-up after a
// server was down does not bring a second run in the same month.
func NextRun(now time.Time) time.Time {
	d := FirstWorkingDay(opstap.MonthOf(opstap.DateOf(now)).Next())
	return time.Date(d.Year, d.Month, d.Day, RunHour, 0, 0, 0, opstap.Amsterdam)
}
