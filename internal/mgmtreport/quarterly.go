package mgmtreport

import (
	"cmp"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/figures"
)

// Attention thresholds of the progress report; defaults that a
// municipality and the provider agree on, written here so the report and
// its documentation (docs/reports-municipality.md) say the same.
const (
	// ApprovalDays is how long submitted hours may wait for the employer
	// before they count as overdue: a week, as hours are entered per week.
	ApprovalDays = 7
	// NearMaximumDays is how close to its maximum duration a running
	// placement is listed, so the municipality can decide on an extension
	// in time [003 art 4 lid 2].
	NearMaximumDays = 30
)

// Submitted is a day of hours waiting for the employer's approval.
type Submitted struct {
	PlacementID string
	CandidateID string
	Day         opstap.Date
	EnteredOn   opstap.Date
}

// YearPaid is what a candidate was paid as premium in a calendar year and
// in how many payouts.
type YearPaid struct {
	Paid    opstap.Cents
	Payouts int
}

// AttentionFacts are the extra facts of the progress report.
type AttentionFacts struct {
	Submitted []Submitted
	Caps      []billing.Cap
	// PaidInYear is per candidate the premium paid in the report day's year.
	PaidInYear map[string]YearPaid
}

// Quarterly is the progress report for the contract meeting after a
// calendar quarter [003 art 5 lid 11]: the figures per month, the trend
// over the quarter and what needs attention on the day it is made.
type Quarterly struct {
	Version          int         `json:"version"`
	Municipality     string      `json:"municipality"`
	MunicipalityName string      `json:"municipality_name"`
	Quarter          Quarter     `json:"quarter"`
	Made             opstap.Date `json:"made_on"`
	Months           []Summary   `json:"months"`
	Total            Summary     `json:"total"`
	Trend            []Trend     `json:"trend"`
	Attention        Attention   `json:"attention"`
}

// Summary is the headline of a management report.
type Summary struct {
	Period
	PlacedCandidates  int            `json:"placed_candidates"`
	Running           int            `json:"placements_running"`
	Started           int            `json:"placements_started"`
	Ended             int            `json:"placements_ended"`
	AssignmentsOpened int            `json:"assignments_opened"`
	AssignmentsOpen   int            `json:"assignments_open"`
	AssignmentsFilled int            `json:"assignments_filled"`
	AverageMonths     figures.Tenths `json:"average_months"`
	Minutes           opstap.Minutes `json:"minutes"`
	Revenue           opstap.Cents   `json:"revenue_cents"`
	Premium           opstap.Cents   `json:"premium_cents"`
	Travel            opstap.Cents   `json:"travel_cents"`
}

// SummaryOf is the headline of a monthly report.
func SummaryOf(m *Monthly) Summary {
	return Summary{Period: m.Period, PlacedCandidates: m.PlacedCandidates, Running: m.Placements.Running, Started: m.Placements.Started,
		Ended: m.Placements.Ended, AssignmentsOpened: m.Assignments.Opened, AssignmentsOpen: m.Assignments.Open,
		AssignmentsFilled: m.Assignments.Filled, AverageMonths: m.Durations.Average, Minutes: m.Total.Minutes,
		Revenue: m.Total.Revenue, Premium: m.Total.Premium, Travel: m.Total.Travel}
}

// Directions of a trend.
const (
	Up   = "up"
	Down = "down"
	Same = "same"
)

// Trend is how a figure moved from the quarter's first month to its last.
type Trend struct {
	Figure    string `json:"figure"` // the Summary's JSON name
	First     int64  `json:"first"`
	Last      int64  `json:"last"`
	Direction string `json:"direction"`
}

// Attention lists what the contract meeting should talk about.
type Attention struct {
	OverdueApprovals []OverdueApproval `json:"overdue_approvals"`
	PremiumCaps      []CapWarning      `json:"premium_caps"`
	NearMaximum      []NearMaximum     `json:"near_maximum"`
	LongOpen         []LongOpen        `json:"long_open"`
}

// OverdueApproval is a placement with hours waiting longer than
// ApprovalDays for the employer.
type OverdueApproval struct {
	PlacementID     string      `json:"placement_id"`
	CandidateID     string      `json:"candidate_id"`
	AssignmentTitle string      `json:"assignment_title"`
	EmployerName    string      `json:"employer_name"`
	Days            int         `json:"days"`       // submitted days waiting too long
	Oldest          opstap.Date `json:"oldest_day"` // the earliest of them
}

// CapWarning is a candidate whose premium of the year reached 80 % of the
// year's maximum (billing.CapWarning; Participatiewet art 31 lid 2 onder j).
type CapWarning struct {
	CandidateID string       `json:"candidate_id"`
	Year        int          `json:"year"`
	Cap         opstap.Cents `json:"cap_cents"`
	Paid        opstap.Cents `json:"paid_cents"`
	Outstanding opstap.Cents `json:"outstanding_cents"`
}

// NearMaximum is a running placement whose maximum duration ends within
// NearMaximumDays.
type NearMaximum struct {
	PlacementID     string      `json:"placement_id"`
	CandidateID     string      `json:"candidate_id"`
	AssignmentTitle string      `json:"assignment_title"`
	EmployerName    string      `json:"employer_name"`
	FirstDay        opstap.Date `json:"first_day"`
	MaxDay          opstap.Date `json:"max_day"`
	DaysLeft        int         `json:"days_left"`
}

// LongOpen is an assignment open for more than a month (open on day d
// while opened on or before d − 1 month, DOMAIN.md §6's month measure).
type LongOpen struct {
	AssignmentID string      `json:"assignment_id"`
	Title        string      `json:"title"`
	EmployerName string      `json:"employer_name"`
	OpenSince    opstap.Date `json:"open_since"`
	Days         int         `json:"days"`
}

// BuildQuarterly assembles the progress report of quarter q made on day
// made. The attention points are as of made, whatever the quarter.
func BuildQuarterly(f Facts, af AttentionFacts, q Quarter, made opstap.Date) (*Quarterly, error) {
	r := &Quarterly{Version: Version, Municipality: f.Municipality, MunicipalityName: f.MunicipalityName, Quarter: q, Made: made}
	for _, m := range q.Period().Months() {
		mr, err := BuildMonthly(f, Period{m, m}, made)
		if err != nil {
			return nil, err
		}
		r.Months = append(r.Months, SummaryOf(mr))
	}
	total, err := BuildMonthly(f, q.Period(), made)
	if err != nil {
		return nil, err
	}
	r.Total = SummaryOf(total)
	r.Trend = trends(r.Months[0], r.Months[len(r.Months)-1])
	if r.Attention, err = attention(f, af, made); err != nil {
		return nil, err
	}
	return r, nil
}

func trends(first, last Summary) []Trend {
	figures := []struct {
		name string
		of   func(Summary) int64
	}{
		{"placed_candidates", func(s Summary) int64 { return int64(s.PlacedCandidates) }},
		{"placements_started", func(s Summary) int64 { return int64(s.Started) }},
		{"assignments_open", func(s Summary) int64 { return int64(s.AssignmentsOpen) }},
		{"minutes", func(s Summary) int64 { return int64(s.Minutes) }},
		{"revenue_cents", func(s Summary) int64 { return int64(s.Revenue) }},
	}
	out := make([]Trend, 0, len(figures))
	for _, fig := range figures {
		t := Trend{Figure: fig.name, First: fig.of(first), Last: fig.of(last), Direction: Same}
		switch {
		case t.Last > t.First:
			t.Direction = Up
		case t.Last < t.First:
			t.Direction = Down
		}
		out = append(out, t)
	}
	return out
}

func attention(f Facts, af AttentionFacts, made opstap.Date) (Attention, error) {
	at := Attention{OverdueApprovals: []OverdueApproval{}, PremiumCaps: []CapWarning{}, NearMaximum: []NearMaximum{}, LongOpen: []LongOpen{}}
	byID := map[string]Placement{}
	for _, p := range f.Placements {
		byID[p.ID] = p
		if p.Ended || !p.runningOn(made) {
			continue
		}
		if left := made.DaysUntil(p.MaxDay()); left >= 0 && left <= NearMaximumDays {
			at.NearMaximum = append(at.NearMaximum, NearMaximum{PlacementID: p.ID, CandidateID: p.CandidateID, AssignmentTitle: p.AssignmentTitle,
				EmployerName: p.EmployerName, FirstDay: p.FirstDay, MaxDay: p.MaxDay(), DaysLeft: left})
		}
	}
	overdue := map[string]*OverdueApproval{}
	for _, s := range af.Submitted {
		if s.EnteredOn.DaysUntil(made) <= ApprovalDays {
			continue
		}
		o := overdue[s.PlacementID]
		if o == nil {
			p := byID[s.PlacementID]
			o = &OverdueApproval{PlacementID: s.PlacementID, CandidateID: s.CandidateID, AssignmentTitle: p.AssignmentTitle, EmployerName: p.EmployerName, Oldest: s.Day}
			overdue[s.PlacementID] = o
		}
		o.Days++
		if s.Day.Before(o.Oldest) {
			o.Oldest = s.Day
		}
	}
	for _, o := range overdue {
		at.OverdueApprovals = append(at.OverdueApprovals, *o)
	}
	slices.SortFunc(at.OverdueApprovals, func(a, b OverdueApproval) int {
		return cmp.Or(a.Oldest.Compare(b.Oldest), cmp.Compare(a.PlacementID, b.PlacementID))
	})
	for _, a := range f.Assignments {
		since := a.OpenSince(made)
		if since.IsZero() || made.Before(since.AddMonths(1)) {
			continue
		}
		at.LongOpen = append(at.LongOpen, LongOpen{AssignmentID: a.ID, Title: a.Title, EmployerName: a.EmployerName, OpenSince: since, Days: since.DaysUntil(made)})
	}
	slices.SortFunc(at.LongOpen, func(a, b LongOpen) int {
		return cmp.Or(a.OpenSince.Compare(b.OpenSince), cmp.Compare(a.AssignmentID, b.AssignmentID))
	})
	var err error
	at.PremiumCaps, err = capWarnings(f, af, made)
	return at, err
}

// capWarnings holds each candidate's premium of made's year against the
// year's maximum: paid in the year plus accrued and not yet paid in the
// year's months up to made's, as a payout would (billing.PremiumYear).
func capWarnings(f Facts, af AttentionFacts, made opstap.Date) ([]CapWarning, error) {
	out := []CapWarning{}
	c, err := billing.CapFor(af.Caps, made.Year)
	if err != nil {
		return out, nil //nolint:nilerr // without a maximum for the year there is nothing to warn about
	}
	year := Period{opstap.Month{Year: made.Year, Month: 1}, opstap.MonthOf(made)}
	open := map[string][]billing.WorkDay{}
	for _, l := range f.Hours {
		if _, paid := f.Paid[l.CandidateID][l.Month]; paid || !year.Contains(l.Month) {
			continue
		}
		t, ok := billing.TermsAt(f.Terms, l.Day)
		if !ok {
			continue // the monthly figures report the missing terms
		}
		open[l.CandidateID] = append(open[l.CandidateID], billing.WorkDay{Date: l.Day, Month: l.Month, Minutes: l.Minutes, PremiumPerHour: t.PremiumPerHour})
	}
	ids := map[string]bool{}
	for id := range open {
		ids[id] = true
	}
	for id := range af.PaidInYear {
		ids[id] = true
	}
	for id := range ids {
		var outstanding opstap.Cents
		if birth := f.Births[id]; !birth.IsZero() && len(open[id]) > 0 {
			acc, err := billing.Accrue(birth, open[id])
			if err != nil {
				return nil, err
			}
			for _, a := range acc {
				if outstanding, err = outstanding.Add(a.Premium); err != nil {
					return nil, err
				}
			}
		}
		paid := af.PaidInYear[id]
		st, err := billing.PremiumYear(c, paid.Paid, paid.Payouts, max(outstanding, 0))
		if err != nil {
			return nil, err
		}
		if st.Warning {
			out = append(out, CapWarning{CandidateID: id, Year: c.Year, Cap: c.Amount, Paid: paid.Paid, Outstanding: st.Outstanding})
		}
	}
	slices.SortFunc(out, func(a, b CapWarning) int { return cmp.Compare(a.CandidateID, b.CandidateID) })
	return out, nil
}
