package matching

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/opstap/opstap"
)

// Criterion indexes, in the order of Weights.
const (
	iOccupation = iota
	iSkills
	iExperience
	iDistance
	iBenefit
	iPreference
	nCriteria
)

var criterionNames = [nCriteria]string{CritOccupation, CritSkills, CritExperience, CritDistance, CritTimeOnBenefit, CritPreference}

// Scoring constants (issue 5): experience saturates at 24 months, time on
// benefit at 36 (DOMAIN.md §5 reports the shares above 1 and 3 years), a
// month is 30.4375 days (DOMAIN.md §6).
const (
	experienceFullMonths = 24
	benefitFullMonths    = 36
	daysPerMonth         = 30.4375
	// relatedMin is the occupation relatedness from which experience
	// counts: the same ISCO minor group or closer.
	relatedMin = 0.4
	// noPreferenceScore is the preference score of a candidate who stated
	// none: open to any work, between a match (1) and a mismatch (0).
	noPreferenceScore = 0.5
)

// query is an assignment prepared against an index's dictionaries.
type query struct {
	a              *Assignment
	w              [nCriteria]float64 // normalized
	raw            [nCriteria]float64
	hours, days    uint8
	requires       uint32
	start, end     int32
	asOf           int32
	pos            [3]float64
	esco           int32
	isco           uint16
	mark           []uint8 // skill identifier → 2 required, 1 wished, 0 neither
	nReq, nWish    int
	skillsTotal    int // 2·required + wished
	licence, trans bool
}

// validateAssignment refuses what the store must never hand over; the
// store refuses bad user input with its own messages first (issue 5 "Bad
// input"), so only the hours reuse a user-facing text.
func validateAssignment(a *Assignment) error {
	if a.HoursPerWeek < 1 || a.HoursPerWeek > 60 {
		return opstap.FieldError("hours_per_week", "hours per week must lie between 1 and %d", 60)
	}
	if _, err := parseISCO(a.ISCO, 4); err != nil {
		return fmt.Errorf("matching: assignment %s: %v", a.ID, err)
	}
	if a.Days == 0 || a.Days > AllDays || !validCoord(a.Lat, a.Lon) || a.Start.IsZero() ||
		(!a.End.IsZero() && a.End.Before(a.Start)) {
		return fmt.Errorf("matching: assignment %s: invalid days, coordinates or period", a.ID)
	}
	return nil
}

// newQuery prepares a (validated) assignment; the caller holds the lock.
func (x *Index) newQuery(a *Assignment, w Weights, opt Options) *query {
	isco, _ := parseISCO(a.ISCO, 4)
	q := &query{a: a, w: w.normalized(), hours: uint8(a.HoursPerWeek), days: a.Days, requires: uint32(a.Requires),
		start: dayNum(a.Start, noDay), end: dayNum(a.End, openEnd), pos: unitVector(a.Lat, a.Lon),
		esco: x.escos.lookup(a.ESCO), isco: isco.code, licence: a.NeedsDrivingLicence, trans: a.NeedsTransport,
		mark: make([]uint8, len(x.skills.names))}
	for i, f := range w.list() {
		q.raw[i] = f.value
	}
	q.asOf = q.start
	if !opt.AsOf.IsZero() {
		q.asOf = dayNum(opt.AsOf, noDay)
	}
	req := uniq(a.RequiredSkills)
	wish := slices.DeleteFunc(uniq(a.WishedSkills), func(s string) bool { return slices.Contains(req, s) })
	q.nReq, q.nWish = len(req), len(wish)
	q.skillsTotal = 2*q.nReq + q.nWish
	for _, l := range []struct {
		codes []string
		mark  uint8
	}{{req, 2}, {wish, 1}} {
		for _, s := range l.codes {
			if id := x.skills.lookup(s); id >= 0 {
				q.mark[id] = l.mark
			}
		}
	}
	return q
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// The hard-constraint predicates, one per rule, shared by the scan and the
// explanation so both always agree.

func (q *query) okRestricted(b *bucket, i int) bool { return b.flags[i]&flagRestricted == 0 }
func (q *query) okMatchable(b *bucket, i int) bool  { return b.flags[i]&flagMatchable != 0 }
func (q *query) okVisible(b *bucket, i int) bool    { return b.flags[i]&flagVisible != 0 }
func (q *query) okHours(b *bucket, i int) bool      { return b.hours[i] >= q.hours }
func (q *query) okDays(b *bucket, i int) bool       { return q.days&^b.days[i] == 0 }
func (q *query) okLimits(b *bucket, i int) bool     { return b.limits[i]&q.requires == 0 }
func (q *query) okLicence(b *bucket, i int) bool    { return !q.licence || b.flags[i]&flagLicence != 0 }
func (q *query) okTransport(b *bucket, i int) bool  { return !q.trans || b.flags[i]&flagTransport != 0 }
func (q *query) okAvail(b *bucket, i int) bool      { return b.avail[i] <= q.start }
func (q *query) okDistance(b *bucket, i int, c2 float64) bool {
	return c2 <= maxChord2[b.maxKm[i]]
}

// placed returns whether an existing placement overlaps the assignment's
// period on a shared day, and the weekly hours of the placements that
// overlap the period (on other days).
func (q *query) placed(b *bucket, i int) (clash bool, hours int) {
	for _, p := range b.busy.get(i) {
		if p.first <= q.end && p.last >= q.start {
			if p.days&q.days != 0 {
				clash = true
			}
			hours += int(p.hours)
		}
	}
	return clash, hours
}

// firstFail returns the index in Rules of the first rule candidate i fails,
// or -1; the caller has established the municipality. c2 is the squared
// chord to the assignment.
func (q *query) firstFail(b *bucket, i int, c2 float64) int {
	switch {
	case !q.okRestricted(b, i):
		return 1
	case !q.okMatchable(b, i):
		return 2
	case !q.okVisible(b, i):
		return 3
	case !q.okHours(b, i):
		return 4
	case !q.okDays(b, i):
		return 5
	case !q.okLimits(b, i):
		return 6
	case !q.okLicence(b, i):
		return 7
	case !q.okTransport(b, i):
		return 8
	case !q.okAvail(b, i):
		return 9
	case !q.okDistance(b, i, c2):
		return 10
	}
	if b.busy.n[i] == 0 {
		return -1
	}
	clash, hours := q.placed(b, i)
	if clash {
		return 11
	}
	if !q.okPlacedHours(b, i, hours) {
		return 12
	}
	return -1
}

// okPlacedHours: the hours of placements in the period plus the
// assignment's fit the candidate's availability.
func (q *query) okPlacedHours(b *bucket, i int, placed int) bool {
	return placed == 0 || placed+int(q.hours) <= int(b.hours[i])
}

// soft holds a candidate's criterion scores and the facts behind them.
type soft struct {
	s                 [nCriteria]float64
	best              int // index of the most related occupation, -1 if none
	expMonths         int
	reqHit, wishHit   int
	km, benefitMonths float64
	prefs             int // 0 none stated, 1 a match, 2 only others
}

// total returns the weighted score.
func (q *query) total(s *soft) float64 {
	t := 0.0
	for k := range nCriteria {
		t += q.w[k] * s.s[k]
	}
	return t
}

// relatedness grades an occupation against the assignment's: the same ESCO
// occupation 1, the same ISCO unit group 0.7, minor group 0.4, sub-major
// group 0.2, else 0.
func (q *query) relatedness(o occ) float64 {
	switch {
	case o.esco == q.esco:
		return 1
	case o.isco == q.isco:
		return 0.7
	case o.isco/10 == q.isco/10:
		return 0.4
	case o.isco/100 == q.isco/100:
		return 0.2
	}
	return 0
}

// score computes the soft criteria of eligible candidate i.
func (q *query) score(b *bucket, i int, c2 float64) soft {
	s := soft{best: -1}
	for k, o := range b.occs.get(i) {
		r := q.relatedness(o)
		if r > s.s[iOccupation] {
			s.s[iOccupation], s.best = r, k
		}
		if r >= relatedMin {
			s.expMonths += int(o.months)
		}
	}
	s.s[iExperience] = float64(min(s.expMonths, experienceFullMonths)) / experienceFullMonths
	s.s[iSkills] = 1
	if q.skillsTotal > 0 {
		got := 0
		for _, id := range b.skills.get(i) {
			if m := q.mark[id]; m != 0 {
				got += int(m)
				if m == 2 {
					s.reqHit++
				} else {
					s.wishHit++
				}
			}
		}
		s.s[iSkills] = float64(got) / float64(q.skillsTotal)
	}
	s.km = chordKm(c2)
	s.s[iDistance] = 1
	if mk := b.maxKm[i]; mk > 0 {
		s.s[iDistance] = max(0, 1-s.km/float64(mk))
	}
	if bs := b.benefit[i]; bs != noDay && q.asOf > bs {
		s.benefitMonths = float64(q.asOf-bs) / daysPerMonth
		s.s[iBenefit] = min(1, s.benefitMonths/benefitFullMonths)
	}
	s.s[iPreference], s.prefs = noPreferenceScore, 0
	if ps := b.prefs.get(i); len(ps) > 0 {
		s.s[iPreference], s.prefs = 0, 2
		for _, p := range ps {
			if q.isco/p.div == p.code {
				s.s[iPreference], s.prefs = 1, 1
				break
			}
		}
	}
	return s
}

// explain builds the full result of candidate i of bucket b: every hard
// check with its detail and, when all pass, every criterion.
func (q *query) explain(b *bucket, i int) Result {
	c2 := chord2(&b.pos[i], &q.pos)
	r := Result{CandidateID: b.ids[i], AssignmentID: q.a.ID, Checks: q.checks(b, i, c2)}
	for _, c := range r.Checks {
		if !c.Passed {
			r.Excluded = true
		}
	}
	if r.Excluded {
		return r
	}
	s := q.score(b, i, c2)
	r.Score = q.total(&s)
	r.Criteria = make([]Criterion, nCriteria)
	for k := range nCriteria {
		r.Criteria[k] = Criterion{Name: criterionNames[k], Matched: s.s[k] > 0, Score: s.s[k],
			Weight: q.raw[k], Contribution: q.w[k] * s.s[k], Explanation: q.criterionDetail(k, b, i, &s)}
	}
	return r
}

func explain(format string, args ...any) Explanation {
	return Explanation{Detail: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// checks evaluates every rule in Rules order with its detail.
func (q *query) checks(b *bucket, i int, c2 float64) []Check {
	clash, placedHours := q.placed(b, i)
	out := make([]Check, 0, len(Rules))
	// add records a rule's outcome with the pass or the fail explanation.
	add := func(r Rule, ok bool, pass, fail Explanation) {
		e := pass
		if !ok {
			e = fail
		}
		out = append(out, Check{Rule: r, Passed: ok, Explanation: e})
	}
	e := explain("candidate's municipality %s, assignment's %s", b.mun, q.a.Municipality)
	add(RuleMunicipality, b.mun == q.a.Municipality, e, e)
	add(RuleRestricted, q.okRestricted(b, i), explain("no restriction of processing"), explain("restriction of processing in force"))
	add(RuleMatchable, q.okMatchable(b, i), explain("matchable"), explain("not matchable"))
	add(RuleVisible, q.okVisible(b, i), explain("visible to employers: candidate and coach agreed"),
		explain("not visible to employers: the candidate and the coach must both agree"))
	e = explain("%d hours a week available, %d needed", b.hours[i], q.hours)
	add(RuleHours, q.okHours(b, i), e, e)
	e = explain("available on %d of the assignment's %d days", bits.OnesCount8(q.days&b.days[i]), bits.OnesCount8(q.days))
	add(RuleDays, q.okDays(b, i), e, e)
	e = q.limitDetail(b, i)
	add(RuleLimitation, q.okLimits(b, i), e, e)
	add(RuleDrivingLicence, q.okLicence(b, i), explain("driving licence: needed %s, has one %s", yesNo(q.licence), yesNo(b.flags[i]&flagLicence != 0)),
		explain("a driving licence is needed and the candidate has none"))
	add(RuleTransport, q.okTransport(b, i), explain("own transport: needed %s, has it %s", yesNo(q.trans), yesNo(b.flags[i]&flagTransport != 0)),
		explain("own transport is needed and the candidate has none"))
	e = explain("available from %s, the assignment starts %s", dateString(b.avail[i]), q.a.Start)
	add(RuleAvailableFrom, q.okAvail(b, i), e, e)
	e = explain("%.1f km, max travel %d km", chordKm(c2), b.maxKm[i])
	add(RuleDistance, q.okDistance(b, i, c2), e, e)
	add(RuleAlreadyPlaced, !clash, explain("no placement on the same days in the period"),
		explain("already placed on some of the same days in the period"))
	e = explain("%d hours placed in the period + %d = %d of %d available", placedHours, q.hours, placedHours+int(q.hours), b.hours[i])
	add(RuleHoursWithPlaced, q.okPlacedHours(b, i, placedHours), e, e)
	return out
}

func (q *query) limitDetail(b *bucket, i int) Explanation {
	if q.okLimits(b, i) {
		return explain("no limitation conflicts with the work")
	}
	var lims, dems []string
	for _, c := range Conflicts {
		if uint32(c.Limitation)&b.limits[i] != 0 && uint32(c.Demand)&q.requires != 0 {
			lims, dems = append(lims, c.LimitationCode), append(dems, c.DemandCode)
		}
	}
	return explain("limitation %v conflicts with the demand %v", lims, dems)
}

func (q *query) criterionDetail(k int, b *bucket, i int, s *soft) Explanation {
	switch k {
	case iOccupation:
		if s.best < 0 {
			return explain("no related occupation")
		}
		switch o := b.occs.get(i)[s.best]; s.s[iOccupation] {
		case 1:
			return explain("the same ESCO occupation")
		case 0.7:
			return explain("the same ISCO unit group (%04d)", o.isco)
		case 0.4:
			return explain("the same ISCO minor group (%03d)", o.isco/10)
		default:
			return explain("the same ISCO sub-major group (%02d)", o.isco/100)
		}
	case iSkills:
		return explain("%d of %d required and %d of %d wished skills", s.reqHit, q.nReq, s.wishHit, q.nWish)
	case iExperience:
		return explain("%d months in related occupations (full at %d)", s.expMonths, experienceFullMonths)
	case iDistance:
		return explain("%.1f km of max %d", s.km, b.maxKm[i])
	case iBenefit:
		if b.benefit[i] == noDay {
			return explain("no benefit start recorded")
		}
		return explain("%.0f months on benefit (full at %d)", s.benefitMonths, benefitFullMonths)
	}
	return [3]Explanation{explain("no preference stated"), explain("prefers this occupation group"),
		explain("prefers other occupation groups")}[s.prefs]
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// dateString formats a day number as ISO, "any time" when unset.
func dateString(d int32) string {
	if d == noDay {
		return "any time"
	}
	return opstap.DateOf(time.Unix(int64(d)*86400+12*3600, 0)).String()
}
