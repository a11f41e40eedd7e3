// Package matching is the flex platform's matching engine (issue 5 point 4,
// DOMAIN.md §5 [003 art 5 lid 7]: the municipality matches candidates to
// assignments with the provider's software). It is pure and in memory: the
// store maps its candidate flex profiles, assignments and placements into
// the types of this file and keeps an Index current with Add, Update and
// Remove; Rank then ranks all candidates of the assignment's municipality,
// RankAssignments ranks open assignments for one candidate.
//
// Hard constraints exclude (Rule); soft criteria score in [0,1] each and are
// combined as a weighted mean with the municipality's Weights. Every result
// explains itself: each hard check with its outcome and each criterion with
// its score, weight and a detail such as "12.4 km of max 15". The ranking
// is exactly reproducible: scores are a pure function of one candidate and
// the query, and ties are broken by candidate ID (bytewise).
package matching

import "github.com/opstap/opstap"

// Weekdays as bits of a days mask: Monday is bit 0, Sunday bit 6.
const (
	Monday uint8 = 1 << iota
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
	Sunday
	AllDays uint8 = 1<<7 - 1
)

// Limitation is a bitmask of work-relevant functional limitations of a
// candidate: categories, never a diagnosis (issue 5 point 2, DOMAIN.md §1).
// Limitation bit i conflicts with Demand bit i (see Conflicts).
type Limitation uint32

// The limitation categories.
const (
	NoHeavyLifting Limitation = 1 << iota
	NoNightShifts
	LimitedStanding
	NoDriving
	ReducedHours
	QuietEnvironment
	NoOutdoorWork
	NoCustomerContact
)

// Demand is a bitmask of what an assignment demands that a limitation can
// rule out.
type Demand uint32

// The demands; each sits on the bit of the limitation it conflicts with.
const (
	HeavyLifting Demand = 1 << iota
	NightShifts
	Standing
	Driving
	FullHours
	Noisy
	Outdoor
	CustomerContact
)

// Conflict pairs a limitation with the demand it rules out, with the codes
// the store and the API use.
type Conflict struct {
	Limitation     Limitation
	LimitationCode string
	Demand         Demand
	DemandCode     string
}

// Conflicts is the conflict mapping, one row per limitation: a candidate
// with the limitation is excluded from an assignment with the demand.
var Conflicts = []Conflict{
	{NoHeavyLifting, "no_heavy_lifting", HeavyLifting, "heavy_lifting"},
	{NoNightShifts, "no_night_shifts", NightShifts, "night_shifts"},
	{LimitedStanding, "limited_standing", Standing, "standing"},
	{NoDriving, "no_driving", Driving, "driving"},
	{ReducedHours, "reduced_hours", FullHours, "full_hours"},
	{QuietEnvironment, "quiet_environment", Noisy, "noisy"},
	{NoOutdoorWork, "no_outdoor_work", Outdoor, "outdoor"},
	{NoCustomerContact, "no_customer_contact", CustomerContact, "customer_contact"},
}

// ParseLimitation returns the limitation with the given code.
func ParseLimitation(code string) (Limitation, bool) {
	for _, c := range Conflicts {
		if c.LimitationCode == code {
			return c.Limitation, true
		}
	}
	return 0, false
}

// ParseDemand returns the demand with the given code.
func ParseDemand(code string) (Demand, bool) {
	for _, c := range Conflicts {
		if c.DemandCode == code {
			return c.Demand, true
		}
	}
	return 0, false
}

// Occupation is an occupation in a candidate's profile: the ESCO occupation
// code (any stable ESCO identifier, e.g. "5223.1" or its concept URI), its
// ISCO-08 unit group (4 digits, as in ESCO's iscoGroup column) and the
// months of experience in it.
type Occupation struct {
	ESCO             string `json:"esco"`
	ISCO             string `json:"isco"`
	ExperienceMonths int    `json:"experience_months"`
}

// Interval is an existing placement that occupies a candidate: from First to
// Last (inclusive; Last unset = open-ended) on the Days of the mask for
// HoursPerWeek hours.
type Interval struct {
	First        opstap.Date `json:"first"`
	Last         opstap.Date `json:"last"`
	Days         uint8       `json:"days"`
	HoursPerWeek int         `json:"hours_per_week"`
}

// Candidate is what matching needs of a candidate's flex profile.
type Candidate struct {
	ID           string `json:"id"`
	Municipality string `json:"municipality"` // CBS code
	// Matchable is the municipality's "ready for placement" status [003 art 5 lid 5].
	Matchable bool `json:"matchable"`
	// Restricted: the candidate's restriction of processing (AVG art 18)
	// is in force, so they are not matched; the ranking counts them and
	// names nobody.
	Restricted bool `json:"restricted"`
	// VisibleToEmployers is true only when both the candidate and the coach
	// made the profile visible (issue 5 point 4).
	VisibleToEmployers bool  `json:"visible_to_employers"`
	HoursAvailable     int   `json:"hours_available"` // per week, 0–60
	Days               uint8 `json:"days"`            // available days, Monday = bit 0
	// Lat, Lon are the centroid of the candidate's 4-digit postcode.
	Lat            float64     `json:"lat"`
	Lon            float64     `json:"lon"`
	MaxTravelKm    int         `json:"max_travel_km"` // great-circle km, 0–1000
	DrivingLicence bool        `json:"driving_licence"`
	HasTransport   bool        `json:"has_transport"` // own means of transport
	AvailableFrom  opstap.Date `json:"available_from"`
	Limitations    Limitation  `json:"limitations"`
	Occupations    []Occupation
	// Skills are ESCO skill (or occupation) codes; duplicates are ignored.
	Skills       []string    `json:"skills"`
	BenefitSince opstap.Date `json:"benefit_since"`
	// PreferredOccupations are ISCO-08 groups of 1 to 4 digits ("52" =
	// sales workers, "5223" = shop sales assistants).
	PreferredOccupations []string   `json:"preferred_occupations"`
	Busy                 []Interval `json:"busy"` // current and planned placements
}

// Assignment is what matching needs of a flex assignment.
type Assignment struct {
	ID           string `json:"id"`
	Municipality string `json:"municipality"` // CBS code
	ESCO         string `json:"esco"`
	ISCO         string `json:"isco"` // 4-digit ISCO-08 unit group
	// RequiredSkills weigh double WishedSkills in the skills criterion; a
	// skill in both counts as required.
	RequiredSkills []string    `json:"required_skills"`
	WishedSkills   []string    `json:"wished_skills"`
	HoursPerWeek   int         `json:"hours_per_week"` // 1–60
	Days           uint8       `json:"days"`
	Lat            float64     `json:"lat"`
	Lon            float64     `json:"lon"`
	Start          opstap.Date `json:"start"`
	End            opstap.Date `json:"end"` // planned end; unset = open
	Requires       Demand      `json:"requires"`
	// NeedsDrivingLicence and NeedsTransport are hard requirements (own
	// transport: e.g. early shifts where public transport does not run).
	NeedsDrivingLicence bool `json:"needs_driving_licence"`
	NeedsTransport      bool `json:"needs_transport"`
}

// Rule names a hard constraint. The order of Rules is the order in which
// the engine tests them; a candidate excluded by several rules is counted
// under the first in Ranking.ExcludedBy and lists all in its Checks.
type Rule string

// The hard constraints.
const (
	RuleMunicipality    Rule = "municipality"     // candidate of another municipality
	RuleRestricted      Rule = "restricted"       // restriction of processing in force [AVG art 18]
	RuleMatchable       Rule = "matchable"        // not matchable [003 art 5 lid 5]
	RuleVisible         Rule = "visible"          // candidate and coach did not both consent
	RuleHours           Rule = "hours"            // fewer hours available than the assignment needs
	RuleDays            Rule = "days"             // available days do not cover the assignment's
	RuleLimitation      Rule = "limitation"       // a limitation conflicts with a demand
	RuleDrivingLicence  Rule = "driving_licence"  // licence needed, absent
	RuleTransport       Rule = "transport"        // own transport needed, absent
	RuleAvailableFrom   Rule = "available_from"   // available only after the start
	RuleDistance        Rule = "distance"         // farther than the candidate's max travel
	RuleAlreadyPlaced   Rule = "already_placed"   // placed in an overlapping period on overlapping days
	RuleHoursWithPlaced Rule = "hours_placements" // placed hours + these exceed availability
)

// Rules lists the hard constraints in test order.
var Rules = []Rule{RuleMunicipality, RuleRestricted, RuleMatchable, RuleVisible, RuleHours, RuleDays, RuleLimitation,
	RuleDrivingLicence, RuleTransport, RuleAvailableFrom, RuleDistance, RuleAlreadyPlaced, RuleHoursWithPlaced}

// Criterion names of the soft criteria.
const (
	CritOccupation    = "occupation"
	CritSkills        = "skills"
	CritExperience    = "experience"
	CritDistance      = "distance"
	CritTimeOnBenefit = "time_on_benefit"
	CritPreference    = "preference"
)

// Explanation is a human-readable detail. Detail is Format filled with Args
// in English; a translated UI looks Format up in its catalogue and fills in
// Args itself.
type Explanation struct {
	Detail string `json:"detail"`
	Format string `json:"format"`
	Args   []any  `json:"args,omitempty"`
}

// Check is the outcome of one hard constraint for one candidate.
type Check struct {
	Rule   Rule `json:"rule"`
	Passed bool `json:"passed"`
	Explanation
}

// Criterion is one soft criterion's share of a score. Score is in [0,1];
// Contribution = Weight × Score / Σ weights, so the contributions add up to
// the result's score.
type Criterion struct {
	Name         string  `json:"name"`
	Matched      bool    `json:"matched"` // Score > 0
	Score        float64 `json:"score"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
	Explanation
}

// Result is one candidate for one assignment, with why.
type Result struct {
	CandidateID  string      `json:"candidate_id"`
	AssignmentID string      `json:"assignment_id"`
	Score        float64     `json:"score"` // weighted mean of the criteria, in [0,1]; 0 when excluded
	Excluded     bool        `json:"excluded"`
	Checks       []Check     `json:"checks"`
	Criteria     []Criterion `json:"criteria,omitempty"` // absent when excluded: Checks say why
}

// Options tune a ranking.
type Options struct {
	// K is the number of results; 0 (or less) means DefaultK.
	K int
	// IncludeExcluded asks for the excluded candidates (or assignments) with
	// their failed checks, ordered by ID.
	IncludeExcluded bool
	// MaxExcluded, with IncludeExcluded, stops explaining excluded
	// candidates once this many that are not under a restriction of
	// processing have been (in ID order): a page names only those, and
	// explaining thousands it never shows was most of a ranking's cost.
	// ExcludedBy still counts every one; 0 explains all.
	MaxExcluded int
	// AsOf is the day time on benefit is measured at; unset means the
	// assignment's start, so a ranking never depends on the clock.
	AsOf opstap.Date
}

// DefaultK is the default number of results.
const DefaultK = 50

// Ranking is the answer of Rank and RankAssignments.
type Ranking struct {
	// Considered counts the candidates (assignments) looked at, Eligible
	// those that passed every hard constraint.
	Considered int          `json:"considered"`
	Eligible   int          `json:"eligible"`
	ExcludedBy map[Rule]int `json:"excluded_by"`
	Results    []Result     `json:"results"`
	Excluded   []Result     `json:"excluded,omitempty"`
}
