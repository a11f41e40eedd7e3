package mgmtreport

import (
	"cmp"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/flex"
)

// Monthly is the management report of a municipality over a period of
// whole months [003 art 5 lid 10]: placed candidates, placements and
// assignments, the placements' durations and the money per candidate. It
// names candidates by their pseudonymous id only; a page adds names for a
// reader the access policy lets see them, a stored report never holds one.
type Monthly struct {
	Version          int    `json:"version"`
	Municipality     string `json:"municipality"` // CBS code
	MunicipalityName string `json:"municipality_name"`
	Period
	Made opstap.Date `json:"made_on"`
	// PlacedCandidates counts the distinct candidates with a placement
	// running on some day of the period.
	PlacedCandidates int              `json:"placed_candidates"`
	Placements       PlacementCounts  `json:"placements"`
	Assignments      AssignmentCounts `json:"assignments"`
	Durations        Durations        `json:"durations"`
	Candidates       []CandidateMoney `json:"candidates"`
	Total            CandidateMoney   `json:"total"`
	// PremiumUnknown counts the candidates whose premium could not be
	// decided: no birth date to use and not paid yet.
	PremiumUnknown int             `json:"premium_unknown"`
	PlacementLines []PlacementLine `json:"placement_lines"`
}

// PlacementCounts count the placements that meet the period.
type PlacementCounts struct {
	Running int `json:"running"` // ran on some day of the period
	Started int `json:"started"` // first day in the period (§6 "placements")
	Ended   int `json:"ended"`   // last day in the period and ended or planned to end
}

// AssignmentCounts count the municipality's assignments.
type AssignmentCounts struct {
	Opened int `json:"opened"` // opened for the first time in the period
	Open   int `json:"open"`   // open on the period's last day
	Filled int `json:"filled"` // filled on the period's last day
}

// Durations describe how long the period's placements ran, each up to the
// period's last day (a running one until then), in months of DOMAIN.md §6.
type Durations struct {
	Average figures.Tenths `json:"average_months"`
	// The placements by duration: "more than N months" is L ≥ F + N months.
	UnderOne      int `json:"under_1_month"`
	OneToThree    int `json:"from_1_to_3_months"`
	ThreeToSix    int `json:"from_3_to_6_months"`
	MoreThanSix   int `json:"over_6_months"`
	MoreThanThree int `json:"over_3_months"` // §6 "placements longer than 3 months", also counted above
}

// CandidateMoney is the financial overview of one candidate over the
// period [003 art 5 lid 10 "uitgesplitst op kandidaatsniveau"]: approved
// hours, the revenue they bring (hours × the assignment's rate, per
// placement per month as on the employer's invoice), the premium accrued
// [003 art 5 lid 9] and the travel costs.
type CandidateMoney struct {
	CandidateID  string         `json:"candidate_id,omitempty"` // pseudonymous
	Name         string         `json:"name,omitempty"`         // only on a page for a reader who may see it
	Placements   int            `json:"placements"`
	Minutes      opstap.Minutes `json:"minutes"`
	Revenue      opstap.Cents   `json:"revenue_cents"`
	Premium      opstap.Cents   `json:"premium_cents"`
	PremiumKnown bool           `json:"premium_known"`
	Travel       opstap.Cents   `json:"travel_cents"`
}

// PlacementLine is one placement of the period.
type PlacementLine struct {
	Placement
	Months figures.Tenths `json:"months"` // duration up to the period's end
}

// BuildMonthly assembles the report of the period from the facts, made on
// day made.
func BuildMonthly(f Facts, p Period, made opstap.Date) (*Monthly, error) {
	r := &Monthly{Version: Version, Municipality: f.Municipality, MunicipalityName: f.MunicipalityName, Period: p, Made: made,
		Candidates: []CandidateMoney{}, PlacementLines: []PlacementLine{}, Total: CandidateMoney{PremiumKnown: true}}
	placed := map[string]int{}
	var days int64
	for _, pl := range f.Placements {
		if !p.Overlaps(pl.FirstDay, pl.LastDay) {
			continue
		}
		placed[pl.CandidateID]++
		r.Placements.Running++
		if !pl.FirstDay.Before(p.First()) {
			r.Placements.Started++
		}
		if !pl.LastDay.After(p.Last()) {
			r.Placements.Ended++
		}
		last := pl.until(p.Last())
		d := int64(figures.Days(pl.FirstDay, last))
		days += d
		r.Durations.count(pl.FirstDay, last)
		r.PlacementLines = append(r.PlacementLines, PlacementLine{Placement: pl, Months: figures.MonthTenths(d, 1)})
	}
	r.PlacedCandidates = len(placed)
	r.Durations.Average = figures.MonthTenths(days, int64(r.Placements.Running))
	for _, a := range f.Assignments {
		if a.OpenedIn(p) {
			r.Assignments.Opened++
		}
		switch a.StatusOn(p.Last()) {
		case flex.StatusOpen:
			r.Assignments.Open++
		case flex.StatusFilled:
			r.Assignments.Filled++
		}
	}
	money, err := candidateMoney(f, p)
	if err != nil {
		return nil, err
	}
	for id, n := range placed {
		if _, ok := money[id]; !ok {
			money[id] = &CandidateMoney{CandidateID: id, PremiumKnown: true}
		}
		money[id].Placements = n
	}
	for _, c := range money {
		r.Candidates = append(r.Candidates, *c)
		if err := r.Total.add(*c); err != nil {
			return nil, err
		}
		if !c.PremiumKnown {
			r.PremiumUnknown++
		}
	}
	slices.SortFunc(r.Candidates, func(a, b CandidateMoney) int { return cmp.Compare(a.CandidateID, b.CandidateID) })
	slices.SortFunc(r.PlacementLines, func(a, b PlacementLine) int {
		return cmp.Or(a.FirstDay.Compare(b.FirstDay), cmp.Compare(a.ID, b.ID))
	})
	return r, nil
}

// count files a placement from first to last under its duration.
func (d *Durations) count(first, last opstap.Date) {
	longer := func(n int) bool { return figures.LongerThan(first, last, n) }
	switch {
	case longer(6):
		d.MoreThanSix++
	case longer(3):
		d.ThreeToSix++
	case longer(1):
		d.OneToThree++
	default:
		d.UnderOne++
	}
	if longer(3) {
		d.MoreThanThree++
	}
}

func (c *CandidateMoney) add(o CandidateMoney) error {
	var err error
	c.Placements += o.Placements
	m, err := opstap.Cents(c.Minutes).Add(opstap.Cents(o.Minutes))
	c.Minutes = opstap.Minutes(m)
	if err == nil {
		c.Revenue, err = c.Revenue.Add(o.Revenue)
	}
	if err == nil {
		c.Premium, err = c.Premium.Add(o.Premium)
	}
	if err == nil {
		c.Travel, err = c.Travel.Add(o.Travel)
	}
	c.PremiumKnown = c.PremiumKnown && o.PremiumKnown
	return err
}

// candidateMoney totals the period's booked hours per candidate.
func candidateMoney(f Facts, p Period) (map[string]*CandidateMoney, error) {
	out := map[string]*CandidateMoney{}
	type pm struct {
		placement string
		month     opstap.Month
	}
	minutes := map[pm]opstap.Minutes{}
	rate := map[pm]opstap.Cents{}
	owner := map[string]string{}
	days := map[string][]billing.WorkDay{}
	for _, l := range f.Hours {
		if !p.Contains(l.Month) {
			continue
		}
		c := out[l.CandidateID]
		if c == nil {
			c = &CandidateMoney{CandidateID: l.CandidateID}
			out[l.CandidateID] = c
		}
		t, ok := billing.TermsAt(f.Terms, l.Day)
		if !ok {
			return nil, opstap.Errorf(opstap.ECONFLICT, "no contract terms of %s on %s", f.Municipality, l.Day.Dutch())
		}
		travel, err := billing.TravelCost(t, l.TravelKm, l.Transit)
		if err != nil {
			return nil, err
		}
		if c.Travel, err = c.Travel.Add(travel); err != nil {
			return nil, err
		}
		k := pm{l.PlacementID, l.Month}
		sum, err := opstap.Cents(minutes[k]).Add(opstap.Cents(l.Minutes))
		if err != nil {
			return nil, err
		}
		minutes[k], rate[k], owner[l.PlacementID] = opstap.Minutes(sum), l.Rate, l.CandidateID
		days[l.CandidateID] = append(days[l.CandidateID], billing.WorkDay{Date: l.Day, Month: l.Month, Minutes: l.Minutes, PremiumPerHour: t.PremiumPerHour})
	}
	// Revenue as the employer's invoice has it: a placement's minutes of a
	// month × the rate, rounded once.
	for k, m := range minutes {
		c := out[owner[k.placement]]
		net, err := billing.HoursLine(m, rate[k])
		if err != nil {
			return nil, err
		}
		if c.Revenue, err = c.Revenue.Add(net); err != nil {
			return nil, err
		}
		sum, err := opstap.Cents(c.Minutes).Add(opstap.Cents(m))
		if err != nil {
			return nil, err
		}
		c.Minutes = opstap.Minutes(sum)
	}
	for id, c := range out {
		var err error
		if c.Premium, c.PremiumKnown, err = premium(f, id, days[id]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// premium is a candidate's premium over the days' months: what was paid
// for a month where it was (the accrual of a closed month never changes),
// else accrued as a payout would (billing.Accrue) from the birth date.
// Without a birth date an unpaid month leaves the premium unknown.
func premium(f Facts, id string, days []billing.WorkDay) (opstap.Cents, bool, error) {
	var open []billing.WorkDay
	var total opstap.Cents
	seen := map[opstap.Month]bool{}
	var err error
	for _, d := range days {
		a, paid := f.Paid[id][d.Month]
		switch {
		case !paid:
			open = append(open, d)
		case !seen[d.Month]:
			seen[d.Month] = true
			if total, err = total.Add(a.Premium); err != nil {
				return 0, false, err
			}
		}
	}
	if len(open) == 0 {
		return total, true, nil
	}
	birth, ok := f.Births[id]
	if !ok || birth.IsZero() {
		return total, false, nil
	}
	acc, err := billing.Accrue(birth, open)
	if err != nil {
		return 0, false, err
	}
	for _, a := range acc {
		if total, err = total.Add(a.Premium); err != nil {
			return 0, false, err
		}
	}
	return total, true, nil
}
