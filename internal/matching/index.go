package matching

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/opstap/opstap"
)

// Index holds the candidates in memory, built once and kept current by the
// store with Add, Update and Remove. Candidates are bucketed by
// municipality (a ranking only ever looks at one) and stored as a struct of
// arrays: a ranking streams through a few dense columns instead of chasing
// a pointer per candidate. Codes are interned as small integers.
//
// An Index is safe for concurrent use: rankings share a read lock, a change
// takes the write lock and so waits for running rankings (at most tens of
// milliseconds) and holds them off for the microseconds it takes.
type Index struct {
	mu      sync.RWMutex
	where   map[string]slotRef
	munis   map[string]int32
	buckets []*bucket
	skills  dict
	escos   dict
}

type slotRef struct{ bucket, slot int32 }

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{where: map[string]slotRef{}, munis: map[string]int32{},
		skills: newDict(), escos: newDict()}
}

// dict interns codes as dense int32 identifiers.
type dict struct {
	ids   map[string]int32
	names []string
}

func newDict() dict { return dict{ids: map[string]int32{}} }

func (d *dict) intern(s string) int32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	id := int32(len(d.names))
	d.ids[s] = id
	d.names = append(d.names, s)
	return id
}

// lookup returns s's identifier, or -1 when no candidate has it.
func (d *dict) lookup(s string) int32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	return -1
}

// Candidate flags.
const (
	flagMatchable uint8 = 1 << iota
	flagVisible
	flagLicence
	flagTransport
	flagRestricted
)

// Sentinels for unset dates as day numbers.
const (
	noDay   = math.MinInt32 // unset "from" date: no restriction
	openEnd = math.MaxInt32 // unset "until" date: open-ended
)

type occ struct {
	esco   int32
	isco   uint16
	months uint16
}

// pref matches an ISCO unit group u when u/div == code.
type pref struct{ code, div uint16 }

type busy struct {
	first, last int32
	days, hours uint8
}

// bucket holds one municipality's candidates, one column per attribute;
// slot i of every column is the same candidate.
type bucket struct {
	mun     string
	ids     []string
	flags   []uint8
	hours   []uint8
	days    []uint8
	maxKm   []uint16
	limits  []uint32
	avail   []int32
	benefit []int32
	pos     [][3]float64 // unit vector of the postcode centroid
	occs    spans[occ]
	skills  spans[int32] // sorted, unique
	prefs   spans[pref]
	busy    spans[busy]
}

// row is a candidate converted for a bucket.
type row struct {
	id                 string
	flags, hours, days uint8
	maxKm              uint16
	limits             uint32
	avail, benefit     int32
	pos                [3]float64
	occs               []occ
	skills             []int32
	prefs              []pref
	busy               []busy
}

func (b *bucket) appendRow(r *row) {
	b.ids = append(b.ids, r.id)
	b.flags = append(b.flags, r.flags)
	b.hours = append(b.hours, r.hours)
	b.days = append(b.days, r.days)
	b.maxKm = append(b.maxKm, r.maxKm)
	b.limits = append(b.limits, r.limits)
	b.avail = append(b.avail, r.avail)
	b.benefit = append(b.benefit, r.benefit)
	b.pos = append(b.pos, r.pos)
	b.occs.add(r.occs)
	b.skills.add(r.skills)
	b.prefs.add(r.prefs)
	b.busy.add(r.busy)
}

func (b *bucket) setRow(i int, r *row) {
	b.flags[i], b.hours[i], b.days[i], b.maxKm[i], b.limits[i] = r.flags, r.hours, r.days, r.maxKm, r.limits
	b.avail[i], b.benefit[i], b.pos[i] = r.avail, r.benefit, r.pos
	b.occs.set(i, r.occs)
	b.skills.set(i, r.skills)
	b.prefs.set(i, r.prefs)
	b.busy.set(i, r.busy)
}

// swapRemove drops slot i, moving the last candidate into it; it returns
// the moved candidate's ID ("" when i was last).
func (b *bucket) swapRemove(i int) string {
	last := len(b.ids) - 1
	moved := ""
	if i != last {
		moved = b.ids[last]
	}
	b.ids[i], b.ids = b.ids[last], b.ids[:last]
	b.flags[i], b.flags = b.flags[last], b.flags[:last]
	b.hours[i], b.hours = b.hours[last], b.hours[:last]
	b.days[i], b.days = b.days[last], b.days[:last]
	b.maxKm[i], b.maxKm = b.maxKm[last], b.maxKm[:last]
	b.limits[i], b.limits = b.limits[last], b.limits[:last]
	b.avail[i], b.avail = b.avail[last], b.avail[:last]
	b.benefit[i], b.benefit = b.benefit[last], b.benefit[:last]
	b.pos[i], b.pos = b.pos[last], b.pos[:last]
	b.occs.swapRemove(i)
	b.skills.swapRemove(i)
	b.prefs.swapRemove(i)
	b.busy.swapRemove(i)
	return moved
}

// Len returns the number of indexed candidates.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.where)
}

// Add indexes a new candidate; an ID already indexed is an error.
func (x *Index) Add(c Candidate) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.where[c.ID]; ok {
		return fmt.Errorf("matching: candidate %s is already indexed", c.ID)
	}
	return x.put(c)
}

// Update replaces an indexed candidate (moving it when its municipality
// changed) or adds it when it is not indexed yet, so the store can call it
// after any change of a flex profile, consent or placement.
func (x *Index) Update(c Candidate) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.put(c)
}

// Remove drops a candidate; it reports whether the candidate was indexed.
func (x *Index) Remove(id string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	ref, ok := x.where[id]
	if ok {
		x.remove(id, ref)
	}
	return ok
}

func (x *Index) remove(id string, ref slotRef) {
	delete(x.where, id)
	if moved := x.buckets[ref.bucket].swapRemove(int(ref.slot)); moved != "" {
		x.where[moved] = ref
	}
}

func (x *Index) put(c Candidate) error {
	r, err := x.convert(c)
	if err != nil {
		return err
	}
	bi, ok := x.munis[c.Municipality]
	if !ok {
		bi = int32(len(x.buckets))
		x.munis[c.Municipality] = bi
		x.buckets = append(x.buckets, &bucket{mun: c.Municipality})
	}
	if ref, ok := x.where[c.ID]; ok {
		if ref.bucket == bi {
			x.buckets[bi].setRow(int(ref.slot), r)
			return nil
		}
		x.remove(c.ID, ref)
	}
	b := x.buckets[bi]
	x.where[c.ID] = slotRef{bi, int32(len(b.ids))}
	b.appendRow(r)
	return nil
}

// maxTravelKm bounds MaxTravelKm, as the profile form does.
const maxTravelKm = 300

// convert validates c and turns it into a row, interning its codes. The
// errors name programming faults of the mapping from the store, which
// validated the profile with its own messages; hours and travel distance
// reuse the profile's messages because an import may carry them.
func (x *Index) convert(c Candidate) (*row, error) {
	switch {
	case c.ID == "" || c.Municipality == "":
		return nil, fmt.Errorf("matching: candidate without ID or municipality")
	case c.HoursAvailable < 0 || c.HoursAvailable > 60:
		return nil, opstap.FieldError("hours_available", "hours per week must be between 0 and 60")
	case c.MaxTravelKm < 0 || c.MaxTravelKm > maxTravelKm:
		return nil, opstap.FieldError("max_travel_km", "travel distance must be between 0 and 300 km")
	case c.Days > AllDays || !validCoord(c.Lat, c.Lon):
		return nil, fmt.Errorf("matching: candidate %s: invalid days mask or coordinates", c.ID)
	}
	r := &row{id: c.ID, hours: uint8(c.HoursAvailable), days: c.Days, maxKm: uint16(c.MaxTravelKm),
		limits: uint32(c.Limitations), avail: dayNum(c.AvailableFrom, noDay),
		benefit: dayNum(c.BenefitSince, noDay), pos: unitVector(c.Lat, c.Lon)}
	for _, f := range []struct {
		on   bool
		flag uint8
	}{{c.Matchable, flagMatchable}, {c.VisibleToEmployers, flagVisible}, {c.DrivingLicence, flagLicence}, {c.HasTransport, flagTransport}, {c.Restricted, flagRestricted}} {
		if f.on {
			r.flags |= f.flag
		}
	}
	for _, o := range c.Occupations {
		isco, err := parseISCO(o.ISCO, 4)
		if err != nil || o.ExperienceMonths < 0 {
			return nil, fmt.Errorf("matching: candidate %s: occupation %q: bad ISCO group or experience", c.ID, o.ESCO)
		}
		r.occs = append(r.occs, occ{x.escos.intern(o.ESCO), isco.code, uint16(min(o.ExperienceMonths, math.MaxUint16))})
	}
	for _, s := range c.Skills {
		r.skills = append(r.skills, x.skills.intern(s))
	}
	slices.Sort(r.skills)
	r.skills = slices.Compact(r.skills)
	for _, p := range c.PreferredOccupations {
		pr, err := parseISCO(p, 1)
		if err != nil {
			return nil, fmt.Errorf("matching: candidate %s: preferred group %q: %v", c.ID, p, err)
		}
		r.prefs = append(r.prefs, pr)
	}
	for _, iv := range c.Busy {
		if iv.HoursPerWeek < 0 || iv.HoursPerWeek > 60 || iv.Days > AllDays || iv.First.IsZero() {
			return nil, fmt.Errorf("matching: candidate %s: invalid placement interval", c.ID)
		}
		r.busy = append(r.busy, busy{dayNum(iv.First, noDay), dayNum(iv.Last, openEnd), iv.Days, uint8(iv.HoursPerWeek)})
	}
	if len(r.occs) > math.MaxUint16 || len(r.skills) > math.MaxUint16 || len(r.prefs) > math.MaxUint16 || len(r.busy) > math.MaxUint16 {
		return nil, fmt.Errorf("matching: candidate %s: too many list entries", c.ID)
	}
	return r, nil
}

// parseISCO reads an ISCO-08 group of minDigits to 4 digits as a prefix
// matcher: "52" matches every unit group 52xx.
func parseISCO(s string, minDigits int) (pref, error) {
	if len(s) < minDigits || len(s) > 4 {
		return pref{}, fmt.Errorf("ISCO group must have %d to 4 digits", minDigits)
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return pref{}, fmt.Errorf("ISCO group must be digits")
	}
	div := uint16(1)
	for range 4 - len(s) {
		div *= 10
	}
	return pref{uint16(n), div}, nil
}

func validCoord(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// dayNum returns d as days since 1970-01-01, or unset when d is.
func dayNum(d opstap.Date, unset int32) int32 {
	if d.IsZero() {
		return unset
	}
	return int32(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// earthKm is the mean Earth radius (IUGG), the radius of the haversine.
const earthKm = 6371.0088

// unitVector places a coordinate on the unit sphere. The straight-line
// (chord) distance c between two such points gives the haversine distance
// exactly: d = 2R·asin(c/2); since that is monotone, comparing c² with a
// precomputed limit decides "within max travel" without any trigonometry.
func unitVector(lat, lon float64) [3]float64 {
	φ, λ := lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(φ) * math.Cos(λ), math.Cos(φ) * math.Sin(λ), math.Sin(φ)}
}

// chord2 returns the squared chord distance between two unit vectors.
func chord2(p, q *[3]float64) float64 {
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	return dx*dx + dy*dy + dz*dz
}

// chordKm converts a squared chord to great-circle km.
func chordKm(c2 float64) float64 { return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(c2)/2)) }

// maxChord2 holds, per whole km of max travel, the largest squared chord
// within it.
var maxChord2 = func() (t [maxTravelKm + 1]float64) {
	for km := range t {
		c := 2 * math.Sin(float64(km)/(2*earthKm))
		t[km] = c * c
	}
	return t
}()
