// Package figures computes the municipality's figures of the flex
// instrument (issue 10; DOMAIN.md §6; seed 003, the e-mail "Resultaat 12
// maanden"): registrations, matchable on the period's last day, time on
// benefit, placements and their durations and hours, unique placed
// candidates and outflow to regular work, for a period and per month of it.
//
// The package is pure: the store loads the facts (pseudonymous, kept after
// a candidate's erasure) and these functions count them. docs/figures.md
// states every definition with its edge cases; a change of a definition
// changes DefinitionVersion, so a report names the rules it was made by.
package figures

import (
	"cmp"
	"slices"

	"github.com/opstap/opstap"
)

// DefinitionVersion names the definitions below. Raise it with any change
// in what a figure counts, and say what changed in docs/figures.md.
const DefinitionVersion = "2026.1"

// MaxPeriodMonths bounds a period, so that its monthly trend stays a
// readable chart and a bounded amount of work.
const MaxPeriodMonths = 120

// Period is [Start, End], both days inclusive.
type Period struct {
	Start opstap.Date `json:"start"`
	End   opstap.Date `json:"end"`
}

// Validate refuses a period without both days, one ending before it
// starts, or one longer than MaxPeriodMonths.
func (p Period) Validate() error {
	switch {
	case p.Start.IsZero():
		return opstap.FieldError("start", "the period's first day is required")
	case p.End.IsZero():
		return opstap.FieldError("end", "the period's last day is required")
	case p.End.Before(p.Start):
		return opstap.FieldError("end", "the period's last day lies before its first day")
	case !p.End.Before(p.Start.AddMonths(MaxPeriodMonths)):
		return opstap.FieldError("end", "a period lasts at most %d months", MaxPeriodMonths)
	}
	return nil
}

// Previous is the period of the same length right before p, to compare
// with: as many whole calendar months when p is whole months (a quarter
// with the quarter before), else as many days.
func (p Period) Previous() Period {
	if p.Start.Day == 1 && p.End == opstap.MonthOf(p.End).Last() {
		n := (p.End.Year-p.Start.Year)*12 + int(p.End.Month) - int(p.Start.Month) + 1
		return Period{Start: p.Start.AddMonths(-n), End: p.Start.AddDays(-1)}
	}
	return Period{Start: p.Start.AddDays(-Days(p.Start, p.End)), End: p.Start.AddDays(-1)}
}

// Merge puts the facts of several municipalities together, for the
// figures over all of them (candidates are each of one municipality).
func Merge(fs ...*Facts) Facts {
	out := Facts{Erased: map[string]opstap.Date{}}
	for _, f := range fs {
		out.Registrations = append(out.Registrations, f.Registrations...)
		out.Matchable = append(out.Matchable, f.Matchable...)
		out.Placements = append(out.Placements, f.Placements...)
		out.Outflows = append(out.Outflows, f.Outflows...)
		for id, d := range f.Erased {
			out.Erased[id] = d
		}
	}
	return out
}

// Contains reports whether d lies in the period.
func (p Period) Contains(d opstap.Date) bool { return !d.Before(p.Start) && !d.After(p.End) }

// Facts are everything the figures of one municipality are counted from.
// Candidates appear only by their pseudonymous id.
type Facts struct {
	Registrations []Registration
	Matchable     []MatchableChange
	// Erased holds the day each erased candidate was erased: from that day
	// on the candidate is matchable no more, while their past still counts.
	Erased     map[string]opstap.Date
	Placements []Placement
	Outflows   []Outflow
}

// Registration is a candidate registered (aangemeld) by the municipality.
type Registration struct {
	Candidate    string      `json:"candidate"`
	RegisteredOn opstap.Date `json:"registered_on"`
	// OnBenefit is false when the candidate has no benefit or its start is
	// not known; BenefitMonths is then 0.
	OnBenefit bool `json:"on_benefit"`
	// BenefitMonths is the whole calendar months from the benefit's start
	// to the registration date (MonthsOnBenefit).
	BenefitMonths int `json:"benefit_months"`
}

// MatchableChange is the municipality setting a candidate's matchable
// status on a day; Seq orders the changes of one candidate within a day.
type MatchableChange struct {
	Candidate string      `json:"candidate"`
	On        opstap.Date `json:"on"`
	Seq       int64       `json:"seq"`
	Matchable bool        `json:"matchable"`
}

// Placement is a realised (confirmed) placement.
type Placement struct {
	ID        string      `json:"id"`
	Candidate string      `json:"candidate"`
	First     opstap.Date `json:"first_day"`
	// Last is the placement's last day: the actual one once it ended, else
	// the planned one. Running marks a placement not yet ended whose
	// planned last day has not passed.
	Last         opstap.Date `json:"last_day"`
	Running      bool        `json:"running"`
	HoursPerWeek int         `json:"hours_per_week"`
	Outcome      string      `json:"outcome,omitempty"`
	// Minutes are the approved minutes per month in which they were worked.
	Minutes map[opstap.Month]int64 `json:"-"`
}

// Outflow is a trajectory that ended with the reason "regular work".
type Outflow struct {
	Candidate string      `json:"candidate"`
	On        opstap.Date `json:"on"`
}

// Share is a count among the period's registrations and its whole percent.
type Share struct {
	Count   int `json:"count"`
	Percent int `json:"percent"`
}

// Figures are the figures of DOMAIN.md §6 for one period.
type Figures struct {
	Period
	Registrations          int    `json:"registrations"`
	MatchableOnEnd         int    `json:"matchable_on_end"`
	BenefitOver1Year       Share  `json:"benefit_over_1_year"`
	BenefitOver3Years      Share  `json:"benefit_over_3_years"`
	Placements             int    `json:"placements"`
	PlacementsOver3Months  int    `json:"placements_over_3_months"`
	PlacementsOver6Months  int    `json:"placements_over_6_months"`
	PlacementsOver24Hours  int    `json:"placements_over_24_hours"`
	UniquePlacedCandidates int    `json:"unique_placed_candidates"`
	AvgHoursPerMonth       Tenths `json:"avg_hours_per_month"`
	AvgDurationMonths      Tenths `json:"avg_duration_months"`
	OutflowRegularWork     int    `json:"outflow_regular_work"`
}

// Month is the figures of one calendar month of a period (the part of it
// inside the period).
type Month struct {
	Month opstap.Month `json:"month"`
	Figures
}

// MonthsOnBenefit is the largest whole number of calendar months N with
// start + N months ≤ registered (month-end rule of Date.AddMonths), so that
// "more than 1 (3) years on benefit" is exactly N ≥ 12 (36). A benefit
// starting after the registration counts 0.
func MonthsOnBenefit(start, registered opstap.Date) int {
	if start.IsZero() || registered.Before(start) {
		return 0
	}
	n := (registered.Year-start.Year)*12 + int(registered.Month) - int(start.Month)
	for n > 0 && start.AddMonths(n).After(registered) {
		n--
	}
	return n
}

// Running reports whether a placement not ended (ended false) whose
// planned last day is last still runs on day today: until that day has
// passed.
func Running(ended bool, last, today opstap.Date) bool { return !ended && !last.Before(today) }

// LastDay is L of DOMAIN.md §6: a running placement counts to the period's
// end (or its planned last day, when that comes first); any other to its
// last day.
func LastDay(pl Placement, p Period) opstap.Date {
	if pl.Running && pl.Last.After(p.End) {
		return p.End
	}
	return pl.Last
}

// LongerThan reports whether a placement from first to last lasts more
// than n months: last ≥ first + n months.
func LongerThan(first, last opstap.Date, n int) bool {
	return !last.Before(first.AddMonths(n))
}

// Days is L − F + 1.
func Days(first, last opstap.Date) int { return first.DaysUntil(last) + 1 }

// InPeriod returns the placements whose first day lies in the period: the
// placements every placement figure counts.
func InPeriod(ps []Placement, p Period) []Placement {
	var out []Placement
	for _, pl := range ps {
		if p.Contains(pl.First) {
			out = append(out, pl)
		}
	}
	return out
}

// ApprovedMinutes are the minutes approved for months from the first day's
// month through the month of last.
func ApprovedMinutes(pl Placement, last opstap.Date) int64 {
	var sum int64
	to := opstap.MonthOf(last)
	for m, n := range pl.Minutes {
		if !m.Before(opstap.MonthOf(pl.First)) && !m.After(to) {
			sum += n
		}
	}
	return sum
}

// Compute counts the figures of the period.
func Compute(f Facts, p Period) Figures {
	out := Figures{Period: p}
	regs := 0
	for _, r := range f.Registrations {
		if !p.Contains(r.RegisteredOn) {
			continue
		}
		regs++
		if r.OnBenefit && r.BenefitMonths >= 12 {
			out.BenefitOver1Year.Count++
		}
		if r.OnBenefit && r.BenefitMonths >= 36 {
			out.BenefitOver3Years.Count++
		}
	}
	out.Registrations = regs
	out.BenefitOver1Year.Percent = wholePercent(out.BenefitOver1Year.Count, regs)
	out.BenefitOver3Years.Percent = wholePercent(out.BenefitOver3Years.Count, regs)
	out.MatchableOnEnd = matchableOn(f, p.End)
	placementFigures(&out, PlacementFacts(f, p))
	out.OutflowRegularWork = outflow(f.Outflows, p)
	return out
}

// PlacementFact is one placement as the placement figures count it, under
// pseudonymous ids only: the rows behind the figures, for the export and
// the drill-down. Last is L; Days, Months and ApprovedMinutes are counted
// up to it; Running says the placement still runs (it has not ended and its
// planned last day has not passed).
type PlacementFact struct {
	ID              string      `json:"placement_id"`
	Candidate       string      `json:"candidate_id"`
	First           opstap.Date `json:"first_day"`
	Last            opstap.Date `json:"last_day"`
	Running         bool        `json:"running"`
	Outcome         string      `json:"outcome"`
	HoursPerWeek    int         `json:"hours_per_week"`
	Days            int         `json:"days"`
	Months          Tenths      `json:"months"`
	ApprovedMinutes int64       `json:"approved_minutes"`
	Over3Months     bool        `json:"longer_than_3_months"`
	Over6Months     bool        `json:"longer_than_6_months"`
	Over24Hours     bool        `json:"above_24_hours"`
}

// PlacementFacts are the placements the period's placement figures count
// (first day in the period), each with what it adds to them, ordered by
// first day and id.
func PlacementFacts(f Facts, p Period) []PlacementFact {
	ps := InPeriod(f.Placements, p)
	SortPlacements(ps)
	out := make([]PlacementFact, 0, len(ps))
	for _, pl := range ps {
		last := LastDay(pl, p)
		days := Days(pl.First, last)
		out = append(out, PlacementFact{ID: pl.ID, Candidate: pl.Candidate, First: pl.First, Last: last, Running: pl.Running,
			Outcome: pl.Outcome, HoursPerWeek: pl.HoursPerWeek, Days: days, Months: MonthTenths(int64(days), 1),
			ApprovedMinutes: ApprovedMinutes(pl, last), Over3Months: LongerThan(pl.First, last, 3), Over6Months: LongerThan(pl.First, last, 6),
			Over24Hours: pl.HoursPerWeek > 24})
	}
	return out
}

func placementFigures(out *Figures, ps []PlacementFact) {
	placed := map[string]bool{}
	var days, minutes int64
	for _, pl := range ps {
		out.Placements++
		out.PlacementsOver3Months += b2i(pl.Over3Months)
		out.PlacementsOver6Months += b2i(pl.Over6Months)
		out.PlacementsOver24Hours += b2i(pl.Over24Hours)
		placed[pl.Candidate] = true
		days += int64(pl.Days)
		minutes += pl.ApprovedMinutes
	}
	out.UniquePlacedCandidates = len(placed)
	// A month is 30.4375 = 487/16 days. Hours per month = (minutes / 60) ÷
	// (days × 16 / 487); duration = days × 16 / 487 ÷ placements. Both in
	// tenths, in integers, so nothing is lost to floating point.
	if days > 0 {
		out.AvgHoursPerMonth = Tenths(roundDiv(minutes*DaysPerMonth16*10, 60*16*days))
	}
	out.AvgDurationMonths = MonthTenths(days, int64(len(ps)))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matchableOn counts the candidates whose last change on or before day set
// them matchable and who were not erased by then.
func matchableOn(f Facts, day opstap.Date) int { return len(matchable(f, day)) }

// MatchableOn lists, sorted, the candidates whose last change on or before
// day set them matchable and who were not erased by then.
func MatchableOn(f Facts, day opstap.Date) []string {
	out := matchable(f, day)
	slices.Sort(out)
	return out
}

func matchable(f Facts, day opstap.Date) []string {
	last := make(map[string]MatchableChange, len(f.Matchable))
	for _, c := range f.Matchable {
		if c.On.After(day) {
			continue
		}
		if prev, ok := last[c.Candidate]; !ok || later(c, prev) {
			last[c.Candidate] = c
		}
	}
	var out []string
	for id, c := range last {
		if erased, ok := f.Erased[id]; ok && !erased.After(day) {
			continue
		}
		if c.Matchable {
			out = append(out, id)
		}
	}
	return out
}

func later(a, b MatchableChange) bool {
	if a.On != b.On {
		return a.On.After(b.On)
	}
	return a.Seq > b.Seq
}

// outflow counts distinct candidates with a trajectory ended in the period
// for regular work.
func outflow(os []Outflow, p Period) int {
	seen := map[string]bool{}
	for _, o := range os {
		if p.Contains(o.On) {
			seen[o.Candidate] = true
		}
	}
	return len(seen)
}

// Records are the pseudonymous records the figures of a period count, for
// the drill-down of each figure (item 7): the registrations (those on
// benefit long enough among them), the candidates matchable on the last
// day, the placements with what each adds (PlacementFacts) and the outflow.
type Records struct {
	Registrations []Registration  `json:"registrations"`
	Matchable     []string        `json:"matchable_on_end"`
	Placements    []PlacementFact `json:"placements"`
	Outflows      []Outflow       `json:"outflows"`
}

// DrillDown gives the records of the period's figures, each list in a
// stable order.
func DrillDown(f Facts, p Period) Records {
	// Empty lists, not null, in JSON.
	r := Records{Registrations: []Registration{}, Matchable: MatchableOn(f, p.End), Placements: PlacementFacts(f, p), Outflows: []Outflow{}}
	for _, reg := range f.Registrations {
		if p.Contains(reg.RegisteredOn) {
			r.Registrations = append(r.Registrations, reg)
		}
	}
	slices.SortFunc(r.Registrations, func(a, b Registration) int {
		return cmp.Or(a.RegisteredOn.Compare(b.RegisteredOn), cmp.Compare(a.Candidate, b.Candidate))
	})
	for _, o := range f.Outflows {
		if p.Contains(o.On) {
			r.Outflows = append(r.Outflows, o)
		}
	}
	slices.SortFunc(r.Outflows, func(a, b Outflow) int { return cmp.Or(a.On.Compare(b.On), cmp.Compare(a.Candidate, b.Candidate)) })
	if r.Matchable == nil {
		r.Matchable = []string{}
	}
	return r
}

// Trend computes the figures of each calendar month of the period, cut to
// the period at both ends.
func Trend(f Facts, p Period) []Month {
	var out []Month
	for m := opstap.MonthOf(p.Start); !m.After(opstap.MonthOf(p.End)); m = m.Next() {
		part := Period{Start: latest(m.First(), p.Start), End: earliest(m.Last(), p.End)}
		out = append(out, Month{Month: m, Figures: Compute(f, part)})
	}
	return out
}

func latest(a, b opstap.Date) opstap.Date {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b opstap.Date) opstap.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// SortPlacements orders placements by first day, then id: the order of
// every list and drill-down.
func SortPlacements(ps []Placement) {
	slices.SortFunc(ps, func(a, b Placement) int {
		if c := a.First.Compare(b.First); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// wholePercent is 100 × part ÷ whole rounded to whole percents, half up;
// 0 when there is nothing to divide.
func wholePercent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return int(roundDiv(int64(part)*100, int64(whole)))
}

// roundDiv is a ÷ b for a ≥ 0, b > 0, rounded half up.
func roundDiv(a, b int64) int64 { return (2*a + b) / (2 * b) }
