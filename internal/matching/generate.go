package matching

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/opstap/opstap"
)

// Place is a 4-digit postcode with its municipality (CBS code) and centroid.
type Place struct {
	Postcode     string
	Municipality string
	Lat, Lon     float64
}

// OccupationRef is an ESCO occupation with its ISCO-08 unit group.
type OccupationRef struct{ ESCO, ISCO string }

// GenEpoch is the generator's "today": a Monday, fixed so generated data,
// and with it every benchmark ranking, is reproducible.
var GenEpoch = opstap.Date{Year: 2026, Month: 3, Day: 2}

// Generator draws realistic candidates and assignments for tests and
// benchmarks. The same seed and inputs give the same sequence. Places
// default to a sample of GeoNames postcodes (CC BY 4.0, credit GeoNames) of
// six large municipalities, occupations to a list of ISCO groups common in
// flex work; the benchmarks pass the full GeoNames and ESCO files when
// they are present.
type Generator struct {
	// MatchableShare and VisibleShare are the shares of candidates that are
	// matchable and visible to employers.
	MatchableShare, VisibleShare float64

	rng      *rand.Rand
	places   []Place
	byMuni   map[string][]int
	munis    []string
	muniPick weighted
	occs     []OccupationRef
	occPick  weighted
	byISCO   map[string][]int
	iscos    []string
}

// NewGenerator returns a generator; nil places or occupations take the
// built-in samples.
func NewGenerator(seed uint64, places []Place, occupations []OccupationRef) *Generator {
	g := &Generator{MatchableShare: 0.92, VisibleShare: 0.9, rng: rand.New(rand.NewPCG(seed, 0x0f5ec7)),
		places: cmpOr(places, samplePlaces), occs: cmpOr(occupations, sampleOccupations()),
		byMuni: map[string][]int{}, byISCO: map[string][]int{}}
	for i, p := range g.places {
		if g.byMuni[p.Municipality] == nil {
			g.munis = append(g.munis, p.Municipality)
		}
		g.byMuni[p.Municipality] = append(g.byMuni[p.Municipality], i)
	}
	slices.Sort(g.munis)
	g.muniPick = newWeighted(len(g.munis), func(i int) float64 { return inhabitants(g.munis[i]) })
	majors := map[byte]int{}
	for i, o := range g.occs {
		majors[o.ISCO[0]]++
		if g.byISCO[o.ISCO] == nil {
			g.iscos = append(g.iscos, o.ISCO)
		}
		g.byISCO[o.ISCO] = append(g.byISCO[o.ISCO], i)
	}
	g.occPick = newWeighted(len(g.occs), func(i int) float64 {
		m := g.occs[i].ISCO[0]
		return majorShare[m] / float64(majors[m])
	})
	return g
}

func cmpOr[T any](s, def []T) []T {
	if len(s) == 0 {
		return def
	}
	return s
}

// Largest returns the municipality with the most inhabitants.
func (g *Generator) Largest() string {
	best := g.munis[0]
	for _, m := range g.munis {
		if inhabitants(m) > inhabitants(best) {
			best = m
		}
	}
	return best
}

// Candidate draws a candidate in a municipality drawn by size.
func (g *Generator) Candidate() Candidate {
	return g.CandidateIn(g.munis[g.muniPick.pick(g.rng)])
}

// CandidateIn draws a candidate living in the given municipality.
func (g *Generator) CandidateIn(municipality string) Candidate {
	r := g.rng
	p := g.place(municipality)
	c := Candidate{ID: g.uuid(), Municipality: municipality, Lat: p.Lat, Lon: p.Lon,
		Matchable:          r.Float64() < g.MatchableShare,
		VisibleToEmployers: r.Float64() < g.VisibleShare,
		HoursAvailable:     hoursChoice[hoursPick.pick(r)],
		MaxTravelKm:        travelChoice[travelPick.pick(r)],
		DrivingLicence:     r.Float64() < 0.55,
		AvailableFrom:      GenEpoch.AddDays(r.IntN(151) - 90),
		BenefitSince:       GenEpoch.AddDays(-g.benefitDays()),
	}
	c.Days = g.days(min(7, (c.HoursAvailable+7)/8+r.IntN(3)))
	c.HasTransport = r.Float64() < 0.3 || (c.DrivingLicence && r.Float64() < 0.65)
	if r.Float64() < 0.35 {
		for range 1 + r.IntN(2) {
			c.Limitations |= Conflicts[r.IntN(len(Conflicts))].Limitation
		}
	}
	for k := range 1 + occCountPick.pick(r) {
		o := g.occupation(c.Occupations, k)
		c.Occupations = append(c.Occupations, Occupation{ESCO: o.ESCO, ISCO: o.ISCO,
			ExperienceMonths: min(240, int(r.ExpFloat64()*24))})
		for range 2 + r.IntN(3) {
			c.Skills = append(c.Skills, groupSkill(o.ISCO, r.IntN(skillsPerGroup)))
		}
	}
	for range 1 + r.IntN(3) {
		c.Skills = append(c.Skills, transversalSkill(r.IntN(transversalSkills)))
	}
	if r.Float64() < 0.5 {
		c.PreferredOccupations = append(c.PreferredOccupations, c.Occupations[0].ISCO[:2])
		if r.Float64() < 0.4 {
			isco := g.iscos[r.IntN(len(g.iscos))]
			c.PreferredOccupations = append(c.PreferredOccupations, isco[:2+r.IntN(3)])
		}
	}
	if r.Float64() < 0.08 {
		first := GenEpoch.AddDays(-r.IntN(60))
		c.Busy = []Interval{{First: first, Last: first.AddDays(30 + r.IntN(150)), Days: g.days(2 + r.IntN(2)), HoursPerWeek: 8 + 4*r.IntN(5)}}
	}
	return c
}

// occupation draws a candidate's k-th occupation; later ones are often
// related to the first (the same unit group).
func (g *Generator) occupation(have []Occupation, k int) OccupationRef {
	if k > 0 && g.rng.Float64() < 0.4 {
		same := g.byISCO[have[0].ISCO]
		return g.occs[same[g.rng.IntN(len(same))]]
	}
	return g.occs[g.occPick.pick(g.rng)]
}

// Assignment draws an assignment in the given municipality.
func (g *Generator) Assignment(municipality string) Assignment {
	r := g.rng
	o := g.occs[g.occPick.pick(r)]
	p := g.place(municipality)
	a := Assignment{ID: g.uuid(), Municipality: municipality, ESCO: o.ESCO, ISCO: o.ISCO,
		HoursPerWeek: 16 + 4*r.IntN(7), Lat: p.Lat, Lon: p.Lon, Start: GenEpoch.AddDays(14),
		NeedsDrivingLicence: r.Float64() < 0.15, NeedsTransport: r.Float64() < 0.1}
	a.Days = (uint8(1)<<((a.HoursPerWeek+7)/8) - 1) << r.IntN(6-(a.HoursPerWeek+7)/8)
	months := 6
	if a.HoursPerWeek >= 28 { // maximum duration [003 art 5 lid 6, art 4]
		months = 3
	}
	a.End = a.Start.AddMonths(months).AddDays(-1)
	if r.Float64() < 0.5 {
		a.Requires = Conflicts[r.IntN(len(Conflicts))].Demand
	}
	for range 2 + r.IntN(2) {
		a.RequiredSkills = append(a.RequiredSkills, groupSkill(o.ISCO, r.IntN(skillsPerGroup)))
	}
	for range 1 + r.IntN(2) {
		a.WishedSkills = append(a.WishedSkills, transversalSkill(r.IntN(transversalSkills)))
	}
	return a
}

func (g *Generator) place(municipality string) Place {
	ps := g.byMuni[municipality]
	if len(ps) == 0 {
		panic(fmt.Sprintf("matching: generator has no postcodes of municipality %s", municipality))
	}
	return g.places[ps[g.rng.IntN(len(ps))]]
}

// days draws a mask of n days, weekdays first.
func (g *Generator) days(n int) uint8 {
	wd := g.rng.Perm(5)
	var m uint8
	for _, d := range wd[:min(n, 5)] {
		m |= 1 << d
	}
	for d := 5; d < n; d++ {
		m |= 1 << d
	}
	if g.rng.Float64() < 0.15 {
		m |= Saturday
	}
	return m
}

// benefitDays draws how long ago the benefit started: 40 % under a year,
// 35 % one to three years, 25 % three to ten (DOMAIN.md §5 reports the
// shares above 1 and 3 years).
func (g *Generator) benefitDays() int {
	r := g.rng
	switch x := r.Float64(); {
	case x < 0.4:
		return 30 + r.IntN(335)
	case x < 0.75:
		return 365 + r.IntN(730)
	default:
		return 1095 + r.IntN(2555)
	}
}

func (g *Generator) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff)
}

const (
	skillsPerGroup    = 10
	transversalSkills = 40
)

// groupSkill and transversalSkill name synthetic skill codes: ten per ISCO
// unit group and forty transversal ones (ESCO's skills file is not among
// the reference data).
func groupSkill(isco string, k int) string { return fmt.Sprintf("S%s.%d", isco, k) }
func transversalSkill(k int) string        { return fmt.Sprintf("T%02d", k) }

// Distributions of weekly hours, maximum travel distance and number of
// occupations.
var (
	hoursChoice  = []int{8, 12, 16, 20, 24, 28, 32, 36, 40}
	hoursPick    = newWeighted(9, func(i int) float64 { return []float64{5, 8, 12, 15, 15, 12, 12, 8, 13}[i] })
	travelChoice = []int{5, 10, 15, 20, 25, 30, 40, 50}
	travelPick   = newWeighted(8, func(i int) float64 { return []float64{8, 15, 20, 18, 12, 12, 8, 7}[i] })
	// occCountPick draws one more than the number of extra occupations.
	occCountPick = newWeighted(3, func(i int) float64 { return []float64{50, 35, 15}[i] })
)

// majorShare is the share of flex candidates' occupations per ISCO major
// group: mostly elementary (9), service and sales (5), operators (8),
// crafts (7) and clerical (4) work.
var majorShare = map[byte]float64{'9': 30, '5': 20, '8': 15, '7': 12, '4': 12, '3': 5, '2': 3, '6': 2, '1': 1, '0': 0}

// inhabitants approximates municipal populations (CBS, 2024, thousands);
// benefit recipients, and so candidates, follow them. Municipalities not
// listed count as 25,000.
func inhabitants(cbs string) float64 {
	if n, ok := population[cbs]; ok {
		return n
	}
	return 25
}

var population = map[string]float64{
	"0363": 931, "0599": 664, "0518": 562, "0344": 374, "0772": 243, "0014": 241, "0855": 227, "0034": 226,
	"0758": 186, "0268": 185, "0200": 167, "0202": 167, "0392": 165, "0394": 161, "0153": 160, "0307": 161,
	"0479": 159, "0796": 160, "0193": 132, "0546": 127, "0637": 127, "0080": 125, "0935": 122, "0505": 121, "0228": 120,
}

// weighted draws an index with probability proportional to its weight.
type weighted struct{ cum []float64 }

func newWeighted(n int, w func(int) float64) weighted {
	cum := make([]float64, n)
	t := 0.0
	for i := range n {
		t += w(i)
		cum[i] = t
	}
	return weighted{cum}
}

func (w weighted) pick(r *rand.Rand) int {
	return min(sort.SearchFloat64s(w.cum, r.Float64()*w.cum[len(w.cum)-1]), len(w.cum)-1)
}

// sampleOccupations gives two ESCO-like occupations for each of the ISCO
// groups most common in flex work.
func sampleOccupations() []OccupationRef {
	var out []OccupationRef
	for _, isco := range []string{"9112", "9111", "9121", "9321", "9329", "9333", "9313", "9214", "9412", "9622",
		"5223", "5230", "5120", "5131", "5141", "5321", "5322", "5414", "5249", "8322",
		"8332", "8344", "8160", "8189", "7126", "7411", "7212", "7512", "7231", "7115",
		"4110", "4321", "4222", "4226", "4311", "3341", "3322", "2512", "6113", "1420"} {
		out = append(out, OccupationRef{isco + ".1", isco}, OccupationRef{isco + ".2", isco})
	}
	return out
}

// samplePlaces is every sixth postcode of six large municipalities in the
// GeoNames postal code file (CC BY 4.0, credit GeoNames).
var samplePlaces = []Place{
	{"1011", "0363", 52.371, 4.9042},
	{"1017", "0363", 52.363, 4.8923},
	{"1024", "0363", 52.3939, 4.955},
	{"1032", "0363", 52.3965, 4.9121},
	{"1041", "0363", 52.413, 4.8391},
	{"1047", "0363", 52.4032, 4.7585},
	{"1056", "0363", 52.3732, 4.8559},
	{"1062", "0363", 52.3549, 4.8381},
	{"1068", "0363", 52.359, 4.8053},
	{"1075", "0363", 52.3518, 4.8586},
	{"1082", "0363", 52.3311, 4.8742},
	{"1093", "0363", 52.3618, 4.928},
	{"1101", "0363", 52.3068, 4.9453},
	{"1107", "0363", 52.2932, 4.9803},
	{"1384", "0363", 52.3196, 5.0437},
	{"2761", "0599", 51.9827, 4.5792},
	{"3016", "0599", 51.9091, 4.4781},
	{"3026", "0599", 51.9128, 4.4427},
	{"3033", "0599", 51.9276, 4.469},
	{"3039", "0599", 51.9303, 4.4598},
	{"3046", "0599", 51.9636, 4.4169},
	{"3055", "0599", 51.96, 4.5048},
	{"3064", "0599", 51.9123, 4.5531},
	{"3071", "0599", 51.9092, 4.5033},
	{"3077", "0599", 51.8959, 4.5587},
	{"3084", "0599", 51.877, 4.4658},
	{"3151", "0599", 51.9813, 4.1335},
	{"3195", "0599", 51.8891, 4.3886},
	{"9999", "0599", 51.9444, 4.5432},
	{"2491", "0518", 52.069, 4.3887},
	{"2498", "0518", 52.033, 4.3835},
	{"2516", "0518", 52.0672, 4.3352},
	{"2524", "0518", 52.0532, 4.3145},
	{"2541", "0518", 52.0463, 4.2769},
	{"2547", "0518", 52.0617, 4.2675},
	{"2555", "0518", 52.0643, 4.238},
	{"2566", "0518", 52.0789, 4.2545},
	{"2582", "0518", 52.0927, 4.2765},
	{"2591", "0518", 52.0946, 4.3641},
	{"2597", "0518", 52.1023, 4.3192},
	{"3451", "0344", 52.1063, 5.013},
	{"3455", "0344", 52.121, 4.997},
	{"3521", "0344", 52.083, 5.1108},
	{"3527", "0344", 52.0773, 5.0936},
	{"3541", "0344", 52.0944, 5.0693},
	{"3551", "0344", 52.1013, 5.098},
	{"3562", "0344", 52.116, 5.116},
	{"3572", "0344", 52.0984, 5.1343},
	{"3585", "0344", 52.0711, 5.1495},
	{"1309", "0034", 52.3959, 5.1996},
	{"1316", "0034", 52.3858, 5.2215},
	{"1323", "0034", 52.366, 5.1954},
	{"1329", "0034", 52.3706, 5.2757},
	{"1336", "0034", 52.4042, 5.3171},
	{"1351", "0034", 52.3478, 5.2191},
	{"1357", "0034", 52.3344, 5.2295},
	{"1364", "0034", 52.3837, 5.1287},
	{"9479", "0014", 53.1228, 6.6624},
	{"9711", "0014", 53.2167, 6.5697},
	{"9717", "0014", 53.2246, 6.5521},
	{"9725", "0014", 53.2077, 6.5696},
	{"9733", "0014", 53.2389, 6.622},
	{"9741", "0014", 53.2341, 6.5523},
	{"9747", "0014", 53.2428, 6.5328},
	{"9791", "0014", 53.2772, 6.6958},
	{"9797", "0014", 53.2688, 6.6512},
}
