package matching

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/opstap/opstap"
)

func date(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Almere centre (GeoNames 1312) and a point about 20 km north-east.
const almereLat, almereLon = 52.3735, 5.1885

// baseAssignment and baseCandidate fit each other: the candidate passes
// every hard constraint. Each test case changes one thing.
func baseAssignment() Assignment {
	return Assignment{ID: "a1", Municipality: "0034", ESCO: "5223.1", ISCO: "5223",
		RequiredSkills: []string{"S1", "S2"}, WishedSkills: []string{"T1"}, HoursPerWeek: 24,
		Days: Monday | Tuesday | Wednesday, Lat: almereLat, Lon: almereLon,
		Start: date("2026-03-16"), End: date("2026-06-15")}
}

func baseCandidate() Candidate {
	return Candidate{ID: "c1", Municipality: "0034", Matchable: true, VisibleToEmployers: true,
		HoursAvailable: 32, Days: Monday | Tuesday | Wednesday | Thursday | Friday,
		Lat: almereLat, Lon: almereLon, MaxTravelKm: 15, DrivingLicence: true, HasTransport: true,
		AvailableFrom: date("2026-03-01"), Occupations: []Occupation{{"5223.1", "5223", 12}},
		Skills: []string{"S1", "T1"}, BenefitSince: date("2024-03-16"), PreferredOccupations: []string{"52"}}
}

// explainOne indexes c and explains it for a.
func explainOne(t *testing.T, c Candidate, a Assignment, opt Options) Result {
	t.Helper()
	x := NewIndex()
	if err := x.Add(c); err != nil {
		t.Fatal(err)
	}
	r, ok, err := x.Explain(c.ID, a, DefaultWeights, opt)
	if err != nil || !ok {
		t.Fatalf("explain: %v %v", ok, err)
	}
	return r
}

func failed(r Result) []Rule {
	var out []Rule
	for _, c := range r.Checks {
		if !c.Passed {
			out = append(out, c.Rule)
		}
	}
	return out
}

// TestHardConstraints excludes a candidate for each rule, with that rule as
// the reason, in Rank (counted, listed when asked) and in Explain
// [003 art 5 lid 5 and 7; issue 5 point 4].
func TestHardConstraints(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *Candidate, a *Assignment)
		want   Rule // "" = not excluded
	}{
		{"fits", func(c *Candidate, a *Assignment) {}, ""},
		{"other municipality", func(c *Candidate, a *Assignment) { c.Municipality = "0363" }, RuleMunicipality},
		{"not matchable [003 art 5 lid 5]", func(c *Candidate, a *Assignment) { c.Matchable = false }, RuleMatchable},
		{"not visible: consent missing", func(c *Candidate, a *Assignment) { c.VisibleToEmployers = false }, RuleVisible},
		{"too few hours", func(c *Candidate, a *Assignment) { c.HoursAvailable = 20 }, RuleHours},
		{"exactly the hours", func(c *Candidate, a *Assignment) { c.HoursAvailable = 24 }, ""},
		{"days not covered", func(c *Candidate, a *Assignment) { c.Days = Monday | Tuesday | Friday }, RuleDays},
		{"limitation conflicts with a demand", func(c *Candidate, a *Assignment) {
			c.Limitations, a.Requires = NoHeavyLifting|NoDriving, HeavyLifting|Outdoor
		}, RuleLimitation},
		{"limitation without conflict", func(c *Candidate, a *Assignment) {
			c.Limitations, a.Requires = NoNightShifts, HeavyLifting
		}, ""},
		{"no driving licence", func(c *Candidate, a *Assignment) { c.DrivingLicence, a.NeedsDrivingLicence = false, true }, RuleDrivingLicence},
		{"no own transport", func(c *Candidate, a *Assignment) { c.HasTransport, a.NeedsTransport = false, true }, RuleTransport},
		{"available after the start", func(c *Candidate, a *Assignment) { c.AvailableFrom = date("2026-03-17") }, RuleAvailableFrom},
		{"available on the start", func(c *Candidate, a *Assignment) { c.AvailableFrom = date("2026-03-16") }, ""},
		{"beyond max travel", func(c *Candidate, a *Assignment) { c.Lat += 0.15 }, RuleDistance},
		{"within max travel", func(c *Candidate, a *Assignment) { c.Lat += 0.12 }, ""},
		{"placed on the same days", func(c *Candidate, a *Assignment) {
			c.Busy = []Interval{{First: date("2026-06-15"), Last: date("2026-08-01"), Days: Wednesday, HoursPerWeek: 8}}
		}, RuleAlreadyPlaced},
		{"placed on the same days, open-ended", func(c *Candidate, a *Assignment) {
			c.Busy = []Interval{{First: date("2026-01-01"), Days: Monday, HoursPerWeek: 8}}
		}, RuleAlreadyPlaced},
		{"placed before the period", func(c *Candidate, a *Assignment) {
			c.Busy = []Interval{{First: date("2026-01-01"), Last: date("2026-03-15"), Days: Monday, HoursPerWeek: 24}}
		}, ""},
		{"placed on other days, hours exceed availability", func(c *Candidate, a *Assignment) {
			c.Busy = []Interval{{First: date("2026-03-01"), Last: date("2026-05-01"), Days: Thursday | Friday, HoursPerWeek: 16}}
		}, RuleHoursWithPlaced},
		{"placed on other days, hours fit", func(c *Candidate, a *Assignment) {
			c.Busy = []Interval{{First: date("2026-03-01"), Last: date("2026-05-01"), Days: Thursday, HoursPerWeek: 8}}
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, a := baseCandidate(), baseAssignment()
			tc.change(&c, &a)
			r := explainOne(t, c, a, Options{})
			if got := failed(r); tc.want == "" && len(got) > 0 || tc.want != "" && !slices.Equal(got, []Rule{tc.want}) {
				t.Fatalf("failed checks %v, want [%s]; checks %+v", got, tc.want, r.Checks)
			}
			if r.Excluded != (tc.want != "") || r.Excluded != (r.Criteria == nil) {
				t.Fatalf("excluded %v with criteria %v", r.Excluded, r.Criteria)
			}
			x := NewIndex()
			if err := x.Add(c); err != nil {
				t.Fatal(err)
			}
			rk, err := x.Rank(a, DefaultWeights, Options{IncludeExcluded: true})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want == "" && (len(rk.Results) != 1 || rk.Eligible != 1):
				t.Fatalf("not ranked: %+v", rk)
			case tc.want == RuleMunicipality && (rk.Considered != 0 || len(rk.Results) != 0):
				t.Fatalf("candidate of another municipality considered: %+v", rk)
			case tc.want != "" && tc.want != RuleMunicipality &&
				(len(rk.Results) != 0 || rk.ExcludedBy[tc.want] != 1 || len(rk.Excluded) != 1 || !slices.Equal(failed(rk.Excluded[0]), []Rule{tc.want})):
				t.Fatalf("exclusion not reported by %s: %+v", tc.want, rk)
			}
		})
	}
}

// TestExcludedListsEveryReason lists all the rules a candidate fails in
// its checks and counts it under the first.
func TestExcludedListsEveryReason(t *testing.T) {
	c, a := baseCandidate(), baseAssignment()
	c.HoursAvailable, c.Matchable, c.Lat = 8, false, c.Lat+1
	r := explainOne(t, c, a, Options{})
	if want := []Rule{RuleMatchable, RuleHours, RuleDistance}; !slices.Equal(failed(r), want) {
		t.Fatalf("failed %v, want %v", failed(r), want)
	}
	if len(r.Checks) != len(Rules) || len(Rules) != nRules {
		t.Fatalf("%d checks for %d rules (nRules %d)", len(r.Checks), len(Rules), nRules)
	}
}

// haversine is the textbook formula, independent of the engine's chords.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	h := math.Pow(math.Sin((lat2-lat1)*rad/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin((lon2-lon1)*rad/2), 2)
	return 2 * earthKm * math.Asin(math.Sqrt(h))
}

// TestSoftCriteria scores each criterion on its own.
func TestSoftCriteria(t *testing.T) {
	start := date("2026-03-16")
	for _, tc := range []struct {
		name      string
		criterion string
		change    func(c *Candidate, a *Assignment, o *Options)
		want      float64
		detail    string
	}{
		{"same ESCO occupation", CritOccupation, func(c *Candidate, a *Assignment, o *Options) {}, 1, "the same ESCO occupation"},
		{"same ISCO unit group", CritOccupation, func(c *Candidate, a *Assignment, o *Options) { c.Occupations[0].ESCO = "5223.2" }, 0.7, "(5223)"},
		{"same minor group", CritOccupation, func(c *Candidate, a *Assignment, o *Options) { c.Occupations[0] = Occupation{"5221.1", "5221", 0} }, 0.4, "(522)"},
		{"same sub-major group", CritOccupation, func(c *Candidate, a *Assignment, o *Options) { c.Occupations[0] = Occupation{"5230.1", "5230", 0} }, 0.2, "(52)"},
		{"unrelated", CritOccupation, func(c *Candidate, a *Assignment, o *Options) { c.Occupations[0] = Occupation{"9112.1", "9112", 0} }, 0, "no related"},
		{"best of several", CritOccupation, func(c *Candidate, a *Assignment, o *Options) {
			c.Occupations = []Occupation{{"9112.1", "9112", 0}, {"5221.1", "5221", 0}, {"5230.1", "5230", 0}}
		}, 0.4, "minor"},
		{"no occupation", CritOccupation, func(c *Candidate, a *Assignment, o *Options) { c.Occupations = nil }, 0, "no related"},
		{"one required and the wished skill", CritSkills, func(c *Candidate, a *Assignment, o *Options) {}, 3.0 / 5, "1 of 2 required and 1 of 1 wished"},
		{"all required skills", CritSkills, func(c *Candidate, a *Assignment, o *Options) { c.Skills = []string{"S2", "S1", "S1"} }, 4.0 / 5, "2 of 2 required and 0 of 1"},
		{"all skills, extra ones do not count against", CritSkills, func(c *Candidate, a *Assignment, o *Options) { c.Skills = []string{"S1", "S2", "T1", "X", "Y"} }, 1, ""},
		{"only the wished skill", CritSkills, func(c *Candidate, a *Assignment, o *Options) { c.Skills = []string{"T1"} }, 1.0 / 5, ""},
		{"a skill both required and wished counts once as required", CritSkills, func(c *Candidate, a *Assignment, o *Options) {
			a.WishedSkills = []string{"T1", "S1"}
			c.Skills = []string{"S1"}
		}, 2.0 / 5, "1 of 2 required and 0 of 1 wished"},
		{"no skills", CritSkills, func(c *Candidate, a *Assignment, o *Options) { c.Skills = nil }, 0, ""},
		{"assignment asks no skills", CritSkills, func(c *Candidate, a *Assignment, o *Options) { a.RequiredSkills, a.WishedSkills = nil, nil }, 1, "0 of 0"},
		{"12 months experience", CritExperience, func(c *Candidate, a *Assignment, o *Options) {}, 0.5, "12 months"},
		{"experience saturates at 24", CritExperience, func(c *Candidate, a *Assignment, o *Options) { c.Occupations[0].ExperienceMonths = 60 }, 1, "60 months"},
		{"related occupations add up", CritExperience, func(c *Candidate, a *Assignment, o *Options) {
			c.Occupations = append(c.Occupations, Occupation{"5221.1", "5221", 6}, Occupation{"5230.1", "5230", 24})
		}, 18.0 / 24, "18 months"},
		{"unrelated experience does not count", CritExperience, func(c *Candidate, a *Assignment, o *Options) { c.Occupations[0] = Occupation{"9112.1", "9112", 48} }, 0, "0 months"},
		{"same place", CritDistance, func(c *Candidate, a *Assignment, o *Options) {}, 1, "0.0 km of max 15"},
		{"half way", CritDistance, func(c *Candidate, a *Assignment, o *Options) { c.Lat += 0.0675 },
			1 - haversine(almereLat+0.0675, almereLon, almereLat, almereLon)/15, "7.5 km of max 15"},
		{"two years on benefit", CritTimeOnBenefit, func(c *Candidate, a *Assignment, o *Options) {},
			float64(date("2024-03-16").DaysUntil(start)) / 30.4375 / 36, "24 months"},
		{"benefit saturates at 36 months", CritTimeOnBenefit, func(c *Candidate, a *Assignment, o *Options) { c.BenefitSince = date("2020-01-01") }, 1, ""},
		{"measured at AsOf", CritTimeOnBenefit, func(c *Candidate, a *Assignment, o *Options) { o.AsOf = date("2025-03-16") },
			float64(date("2024-03-16").DaysUntil(date("2025-03-16"))) / 30.4375 / 36, "12 months"},
		{"benefit not started", CritTimeOnBenefit, func(c *Candidate, a *Assignment, o *Options) { c.BenefitSince = date("2026-04-01") }, 0, ""},
		{"no benefit recorded", CritTimeOnBenefit, func(c *Candidate, a *Assignment, o *Options) { c.BenefitSince = opstap.Date{} }, 0, "no benefit start"},
		{"prefers the sub-major group", CritPreference, func(c *Candidate, a *Assignment, o *Options) {}, 1, "prefers this"},
		{"prefers the unit group", CritPreference, func(c *Candidate, a *Assignment, o *Options) { c.PreferredOccupations = []string{"91", "5223"} }, 1, ""},
		{"prefers the major group", CritPreference, func(c *Candidate, a *Assignment, o *Options) { c.PreferredOccupations = []string{"5"} }, 1, ""},
		{"prefers other work", CritPreference, func(c *Candidate, a *Assignment, o *Options) { c.PreferredOccupations = []string{"91", "521"} }, 0, "prefers other"},
		{"no preference: open to any work", CritPreference, func(c *Candidate, a *Assignment, o *Options) { c.PreferredOccupations = nil }, 0.5, "no preference"},
	} {
		t.Run(tc.criterion+"/"+tc.name, func(t *testing.T) {
			c, a, o := baseCandidate(), baseAssignment(), Options{}
			tc.change(&c, &a, &o)
			r := explainOne(t, c, a, o)
			if r.Excluded {
				t.Fatalf("excluded: %v", failed(r))
			}
			sum := 0.0
			for _, cr := range r.Criteria {
				sum += cr.Contribution
				if cr.Name != tc.criterion {
					continue
				}
				if math.Abs(cr.Score-tc.want) > 1e-9 || cr.Matched != (tc.want > 0) || !strings.Contains(cr.Detail, tc.detail) {
					t.Errorf("%s = %v (%q), want %v (%q)", cr.Name, cr.Score, cr.Detail, tc.want, tc.detail)
				}
			}
			if math.Abs(sum-r.Score) > 1e-12 || r.Score < 0 || r.Score > 1 {
				t.Errorf("contributions add to %v, score %v", sum, r.Score)
			}
		})
	}
}

// TestWeights validates weights and shows that they steer the ranking.
func TestWeights(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w     Weights
		field string
	}{
		{"defaults", DefaultWeights, ""},
		{"one criterion only", Weights{Distance: 1}, ""},
		{"negative", Weights{Occupation: 1, Distance: -0.1}, "weights.distance"},
		{"not a number", Weights{Occupation: 1, Skills: math.NaN()}, "weights.skills"},
		{"infinite", Weights{Occupation: 1, Preference: math.Inf(1)}, "weights.preference"},
		{"all zero", Weights{}, "weights"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w.Validate()
			if e := opstap.AsError(err); (tc.field == "") != (err == nil) || err != nil && (e == nil || e.Field != tc.field || e.Code != opstap.EINVALID) {
				t.Fatalf("Validate() = %v, want field %q", err, tc.field)
			}
			if _, err2 := NewIndex().Rank(baseAssignment(), tc.w, Options{}); (err2 == nil) != (err == nil) {
				t.Fatalf("Rank accepted invalid weights: %v", err2)
			}
		})
	}
	near, skilled := baseCandidate(), baseCandidate()
	near.ID, near.Skills = "near", nil
	skilled.ID, skilled.Lat = "skilled", skilled.Lat+0.1
	skilled.Skills = []string{"S1", "S2", "T1"}
	x := NewIndex()
	for _, c := range []Candidate{near, skilled} {
		if err := x.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	for w, first := range map[Weights]string{{Distance: 1}: "near", {Skills: 1}: "skilled", {Distance: 1, Skills: 1}: "skilled"} {
		r, err := x.Rank(baseAssignment(), w, Options{})
		if err != nil || r.Results[0].CandidateID != first {
			t.Errorf("weights %+v: first %s, want %s (%v)", w, r.Results[0].CandidateID, first, err)
		}
	}
}

func ids(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.CandidateID)
	}
	return out
}

// TestTiesByID orders equal scores by candidate ID.
func TestTiesByID(t *testing.T) {
	x := NewIndex()
	for _, id := range []string{"b", "c", "a"} {
		c := baseCandidate()
		c.ID = id
		if err := x.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	r, err := x.Rank(baseAssignment(), DefaultWeights, Options{K: 2})
	if err != nil || !slices.Equal(ids(r.Results), []string{"a", "b"}) || r.Eligible != 3 {
		t.Fatalf("ranked %v (eligible %d), want [a b] of 3: %v", ids(r.Results), r.Eligible, err)
	}
	if r, _ := x.Rank(baseAssignment(), DefaultWeights, Options{K: -1}); len(r.Results) != 3 {
		t.Fatalf("negative K: %d results", len(r.Results))
	}
}

// bruteForce ranks by explaining every candidate of the municipality: the
// reference the sharded scan with its heaps must equal.
func bruteForce(x *Index, a Assignment, w Weights, k int) []Result {
	b := x.buckets[x.munis[a.Municipality]]
	q := x.newQuery(&a, w, Options{})
	var all []Result
	for i := range b.ids {
		if r := q.explain(b, i); !r.Excluded {
			all = append(all, r)
		}
	}
	slices.SortFunc(all, func(p, r Result) int {
		if p.Score != r.Score {
			return map[bool]int{true: -1, false: 1}[p.Score > r.Score]
		}
		return strings.Compare(p.CandidateID, r.CandidateID)
	})
	return all[:min(k, len(all))]
}

// TestDeterminism: the same data in another order, after removals and
// re-additions, and on any number of shards gives the identical ranking,
// equal to the brute-force reference.
func TestDeterminism(t *testing.T) {
	g := NewGenerator(7, nil, nil)
	var cs []Candidate
	for range minShard + 4000 { // enough for several shards
		cs = append(cs, g.CandidateIn("0363"))
	}
	a := g.Assignment("0363")
	build := func(order []Candidate) *Index {
		x := NewIndex()
		for _, c := range order {
			if err := x.Add(c); err != nil {
				t.Fatal(err)
			}
		}
		return x
	}
	x1 := build(cs)
	shuffled := slices.Clone(cs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	x2 := build(shuffled)
	for _, c := range cs[:3000] { // swap-removes move slots around
		x2.Remove(c.ID)
	}
	for _, c := range cs[:3000] {
		if err := x2.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	opt := Options{K: 200}
	r1, err := x1.Rank(a, DefaultWeights, opt)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := x2.Rank(a, DefaultWeights, opt)
	if !reflect.DeepEqual(r1, r2) {
		t.Fatalf("rankings differ:\n%v\n%v", ids(r1.Results), ids(r2.Results))
	}
	if len(r1.Results) != 200 {
		t.Fatalf("%d results", len(r1.Results))
	}
	if ref := bruteForce(x1, a, DefaultWeights, 200); !reflect.DeepEqual(ref, r1.Results) {
		t.Fatalf("scan differs from brute force:\n%v\n%v", ids(ref), ids(r1.Results))
	}
	excl := 0
	for _, n := range r1.ExcludedBy {
		excl += n
	}
	if r1.Considered != len(cs) || r1.Eligible+excl != len(cs) {
		t.Fatalf("considered %d, eligible %d, excluded %d", r1.Considered, r1.Eligible, excl)
	}
}

// TestExcludedList lists the excluded candidates by ID, each with a failed
// check, counted under its first failed rule.
func TestExcludedList(t *testing.T) {
	g := NewGenerator(3, nil, nil)
	x := NewIndex()
	for range 500 {
		if err := x.Add(g.CandidateIn("0599")); err != nil {
			t.Fatal(err)
		}
	}
	r, err := x.Rank(g.Assignment("0599"), DefaultWeights, Options{IncludeExcluded: true, K: 1000})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[Rule]int{}
	for _, e := range r.Excluded {
		counts[failed(e)[0]]++
	}
	if !reflect.DeepEqual(counts, r.ExcludedBy) || len(r.Excluded)+len(r.Results) != 500 || len(r.Results) != r.Eligible ||
		!slices.IsSortedFunc(r.Excluded, func(p, q Result) int { return strings.Compare(p.CandidateID, q.CandidateID) }) {
		t.Fatalf("excluded by %v, listed %v; %d excluded + %d results", r.ExcludedBy, counts, len(r.Excluded), len(r.Results))
	}
	if len(counts) < 5 {
		t.Fatalf("generated data exercises only %v", counts)
	}
}

// TestMaxExcluded: with a bound, the excluded list is the start of the full
// one (by ID), holding that many candidates not under a restriction of
// processing (a restricted one never counts: a page may not name it); the
// counts and the results do not change.
func TestMaxExcluded(t *testing.T) {
	g := NewGenerator(5, nil, nil)
	x := NewIndex()
	for i := range 500 {
		c := g.CandidateIn("0599")
		c.Restricted = i%7 == 0
		if err := x.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	a := g.Assignment("0599")
	all, err := x.Rank(a, DefaultWeights, Options{IncludeExcluded: true, K: 20})
	if err != nil {
		t.Fatal(err)
	}
	if all.ExcludedBy[RuleRestricted] == 0 || len(all.Excluded) < 60 {
		t.Fatalf("generated data: %d excluded, %v", len(all.Excluded), all.ExcludedBy)
	}
	for _, max := range []int{1, 10, 40, len(all.Excluded) + 5} {
		r, err := x.Rank(a, DefaultWeights, Options{IncludeExcluded: true, K: 20, MaxExcluded: max})
		if err != nil {
			t.Fatal(err)
		}
		named, restricted := 0, 0
		for _, e := range r.Excluded {
			if failed(e)[0] == RuleRestricted {
				restricted++
			} else {
				named++
			}
		}
		want := min(max, len(all.Excluded)-all.ExcludedBy[RuleRestricted])
		if named != want || !reflect.DeepEqual(r.Excluded, all.Excluded[:len(r.Excluded)]) ||
			!reflect.DeepEqual(r.ExcludedBy, all.ExcludedBy) || !reflect.DeepEqual(r.Results, all.Results) {
			t.Fatalf("max %d: %d named (want %d), %d restricted of %d listed", max, named, want, restricted, len(r.Excluded))
		}
		if max < want+1 && failed(r.Excluded[len(r.Excluded)-1])[0] == RuleRestricted {
			t.Fatalf("max %d: the list ends on a restricted candidate it need not explain", max)
		}
	}
}

// TestUpdateAndRemove: an updated candidate is scored on its new profile,
// moves with its municipality, and lists survive compaction.
func TestUpdateAndRemove(t *testing.T) {
	x := NewIndex()
	g := NewGenerator(9, nil, nil)
	var cs []Candidate
	for range 300 {
		c := g.CandidateIn("0034")
		cs = append(cs, c)
		if err := x.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Add(cs[0]); err == nil {
		t.Fatal("duplicate added")
	}
	for round := range 20 { // grow the lists so they move and get compacted
		for i := range cs {
			cs[i].Skills = append(cs[i].Skills, "X"+string(rune('a'+round)))
			cs[i].Occupations = append(cs[i].Occupations, Occupation{"9112.1", "9112", round})
			if err := x.Update(cs[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	moved := cs[5]
	moved.Municipality = "0363"
	if err := x.Update(moved); err != nil {
		t.Fatal(err)
	}
	if !x.Remove(cs[7].ID) || x.Remove(cs[7].ID) || x.Len() != 299 {
		t.Fatalf("remove: len %d", x.Len())
	}
	fresh := NewIndex()
	for i, c := range cs {
		if i == 7 {
			continue
		}
		if i == 5 {
			c = moved
		}
		if err := fresh.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	a := g.Assignment("0034")
	a.WishedSkills = []string{"Xa", "Xt"}
	r1, _ := x.Rank(a, DefaultWeights, Options{K: 300, IncludeExcluded: true})
	r2, _ := fresh.Rank(a, DefaultWeights, Options{K: 300, IncludeExcluded: true})
	if !reflect.DeepEqual(r1, r2) || r1.Considered != 298 {
		t.Fatalf("updated index ranks differently from a fresh one (%d considered)", r1.Considered)
	}
	if res, ok, _ := x.Explain(moved.ID, a, DefaultWeights, Options{}); !ok || !slices.Contains(failed(res), RuleMunicipality) {
		t.Fatalf("moved candidate: %v %v", ok, failed(res))
	}
}

// TestConcurrentAddRank runs changes and rankings at once; run with -race.
func TestConcurrentAddRank(t *testing.T) {
	g := NewGenerator(11, nil, nil)
	x := NewIndex()
	var cs []Candidate
	for range 3000 {
		cs = append(cs, g.CandidateIn("0344"))
	}
	for _, c := range cs[:1000] {
		if err := x.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	a := g.Assignment("0344")
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, c := range cs[1000:] {
			if err := x.Add(c); err != nil {
				t.Error(err)
			}
			c.HoursAvailable = 40
			if err := x.Update(c); err != nil {
				t.Error(err)
			}
			x.Remove(cs[i].ID)
		}
	})
	for range 2 {
		wg.Go(func() {
			for range 50 {
				r, err := x.Rank(a, DefaultWeights, Options{})
				if err != nil || r.Considered < 1000 || r.Considered > 3000 {
					t.Errorf("rank: %v, %d considered", err, r.Considered)
				}
			}
		})
	}
	wg.Wait()
	if x.Len() != 1000 {
		t.Fatalf("len %d", x.Len())
	}
}

// TestRankAssignments ranks open assignments for one candidate with the
// same rules: other municipalities and unmet constraints excluded, ties by
// assignment ID.
func TestRankAssignments(t *testing.T) {
	c := baseCandidate()
	mk := func(id string, change func(a *Assignment)) Assignment {
		a := baseAssignment()
		a.ID = id
		change(&a)
		return a
	}
	as := []Assignment{
		mk("far", func(a *Assignment) { a.Lat += 0.1 }),
		mk("other-muni", func(a *Assignment) { a.Municipality = "0363" }),
		mk("licence", func(a *Assignment) { a.NeedsDrivingLicence = true; c.DrivingLicence = false }),
		mk("same-b", func(a *Assignment) {}),
		mk("same-a", func(a *Assignment) {}),
		mk("unrelated", func(a *Assignment) { a.ESCO, a.ISCO = "9112.1", "9112" }),
	}
	r, err := RankAssignments(c, as, DefaultWeights, Options{IncludeExcluded: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, res := range r.Results {
		got = append(got, res.AssignmentID)
	}
	if want := []string{"same-a", "same-b", "far", "unrelated"}; !slices.Equal(got, want) {
		t.Fatalf("ranked %v, want %v", got, want)
	}
	if r.Considered != 6 || r.Eligible != 4 || r.ExcludedBy[RuleMunicipality] != 1 || r.ExcludedBy[RuleDrivingLicence] != 1 ||
		len(r.Excluded) != 2 || r.Excluded[0].AssignmentID != "licence" {
		t.Fatalf("excluded %+v by %v", r.Excluded, r.ExcludedBy)
	}
	if _, err := RankAssignments(c, as, Weights{}, Options{}); err == nil {
		t.Fatal("invalid weights accepted")
	}
}

// TestInvalidInput refuses what the store must not hand over.
func TestInvalidInput(t *testing.T) {
	for name, c := range map[string]func(c *Candidate){
		"no ID":          func(c *Candidate) { c.ID = "" },
		"hours":          func(c *Candidate) { c.HoursAvailable = 61 },
		"travel":         func(c *Candidate) { c.MaxTravelKm = 301 },
		"ISCO":           func(c *Candidate) { c.Occupations[0].ISCO = "52x3" },
		"preference":     func(c *Candidate) { c.PreferredOccupations = []string{"52231"} },
		"latitude":       func(c *Candidate) { c.Lat = 91 },
		"busy unbounded": func(c *Candidate) { c.Busy = []Interval{{Days: Monday}} },
	} {
		cand := baseCandidate()
		c(&cand)
		if err := NewIndex().Add(cand); err == nil {
			t.Errorf("candidate with bad %s accepted", name)
		}
	}
	for name, a := range map[string]func(a *Assignment){
		"hours 0":       func(a *Assignment) { a.HoursPerWeek = 0 },
		"hours 61":      func(a *Assignment) { a.HoursPerWeek = 61 },
		"end before":    func(a *Assignment) { a.End = a.Start.AddDays(-1) },
		"no days":       func(a *Assignment) { a.Days = 0 },
		"no start":      func(a *Assignment) { a.Start = opstap.Date{} },
		"ISCO 3 digits": func(a *Assignment) { a.ISCO = "522" },
		"bad longitude": func(a *Assignment) { a.Lon = 200 },
	} {
		as := baseAssignment()
		a(&as)
		if _, err := NewIndex().Rank(as, DefaultWeights, Options{}); err == nil {
			t.Errorf("assignment with bad %s accepted", name)
		}
	}
}

// TestConflictCodes: every limitation has a demand on its bit, and codes
// round-trip.
func TestConflictCodes(t *testing.T) {
	for i, c := range Conflicts {
		l, ok1 := ParseLimitation(c.LimitationCode)
		d, ok2 := ParseDemand(c.DemandCode)
		if !ok1 || !ok2 || l != c.Limitation || d != c.Demand || uint32(l) != uint32(d) || uint32(l) != 1<<i {
			t.Errorf("conflict %d: %+v", i, c)
		}
	}
	if _, ok := ParseLimitation("diabetes"); ok {
		t.Error("a diagnosis parsed as a limitation")
	}
}
