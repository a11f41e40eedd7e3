// Package gen generates scale data sets (issue 13 item 8): candidates with
// dossiers and flex profiles, client employers, assignments, placements and
// approved hours over the real municipalities and postcodes of the imported
// reference data, deterministic from a seed, written through the store.
//
// Candidates are registered through the store's bulk registration (data
// keys, sealed categories, blind-index terms, figure facts, audit entries);
// dossier entries, flex profiles, employers, assignments, placements and
// hours through the store's generation methods (store/generate.go), which
// seal and audit as the ordinary paths do, thousands of records a
// transaction.
//
// Same seed and preset on the same reference data give the same data: the
// same people, texts, dates, places and links between them. Ids, data keys
// and ciphertexts are random, as everywhere in the store.
package gen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
)

// Size is how much a preset generates.
type Size struct {
	Candidates int
	EntriesPer int // dossier entries per candidate
	// Profiles is how many of the candidates get a flex profile, matchable
	// and visible to employers (the presets: 60 %).
	Profiles    int
	Employers   int
	Assignments int
	Placements  int
	Lines       int // approved timesheet lines, spread over the placements
	// Municipalities limits the data to the N municipalities with the most
	// postcodes; 0 spreads it over all of them, weighted by postcodes.
	Municipalities int
}

// Rows is the number of records a size writes.
func (s Size) Rows() int {
	return s.Candidates*(1+s.EntriesPer) + s.Profiles + s.Employers + s.Assignments + s.Placements + s.Lines
}

// Presets are the sizes of `opstap gen --preset`: national is the country
// (issue 13), municipality one large municipality at 1/40 of it, small the
// whole country at 1/200.
var Presets = map[string]Size{
	"small":        {Candidates: 2_000, EntriesPer: 5, Profiles: 1_200, Employers: 250, Assignments: 500, Placements: 750, Lines: 25_000},
	"municipality": {Candidates: 10_000, EntriesPer: 5, Profiles: 6_000, Employers: 1_250, Assignments: 2_500, Placements: 3_750, Lines: 125_000, Municipalities: 1},
	"national":     {Candidates: 400_000, EntriesPer: 5, Profiles: 240_000, Employers: 50_000, Assignments: 100_000, Placements: 150_000, Lines: 5_000_000},
}

// PresetNames lists the presets from small to large.
var PresetNames = []string{"small", "municipality", "national"}

// Options configure a run.
type Options struct {
	Size Size
	Seed uint64
	// Progress receives a progress line with the rate, rewritten in place
	// ("\r"), and a final line per phase; nil for none.
	Progress io.Writer
}

// Result says what a run made.
type Result struct {
	Provider       string            // the provider's organisation id
	Coaches        []string          // user ids of the provider's coaches
	Municipalities map[string]string // CBS code → organisation id
	Candidates     []string          // candidate ids in generation order
	Profiles       int               // candidates given a flex profile
	Rows           int
	Elapsed        time.Duration
}

// The fixed calendar of generated data: registrations in 2024 and 2025,
// placements and hours in 2025, so that the data does not depend on the
// day it is generated.
var (
	regFirst   = opstap.Date{Year: 2024, Month: 1, Day: 1}
	placeFirst = opstap.Date{Year: 2025, Month: 1, Day: 6}
)

var sys = &opstap.Actor{System: true}

// Run generates the data set into db, which holds the reference data
// (municipalities, postcodes, occupations) and no earlier generated set.
func Run(ctx context.Context, db *store.DB, o Options) (*Result, error) {
	t0 := time.Now()
	g := &run{db: db, o: o, res: &Result{Municipalities: map[string]string{}}, p: newProgress(o.Progress)}
	rd, err := db.GenerationRefdata(ctx)
	if err != nil {
		return nil, err
	}
	if err := g.pickMunicipalities(rd); err != nil {
		return nil, err
	}
	if len(rd.Occupations) == 0 {
		return nil, opstap.Errorf(opstap.EINVALID, "no occupations: import the ESCO occupations first (opstap refdata import --esco)")
	}
	g.occupations = rd.Occupations
	steps := []func(context.Context) error{g.organisations, g.candidates, g.entries, g.profiles, g.employers, g.assignments, g.placements}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := db.AnalyzeAfterLoad(ctx); err != nil {
		return nil, err
	}
	g.res.Elapsed = time.Since(t0)
	g.res.Rows = g.p.total
	g.p.done(g.res.Elapsed)
	return g.res, nil
}

type run struct {
	db          *store.DB
	o           Options
	res         *Result
	p           *progress
	munis       []store.GenMunicipality
	weights     []int // cumulative postcode counts of munis
	occupations []store.GenOccupation
	byMuni      map[string][]string              // CBS → candidate ids
	profOccs    map[string][]store.GenOccupation // CBS → the occupations of its profiles, with repeats
	emps        []store.GenEmployer
	assigns     []store.GenAssignment
}

// rng returns the random source of one phase: each phase draws from its
// own stream, so that a change to one leaves the others as they were.
func (g *run) rng(phase uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.o.Seed, phase))
}

func (g *run) pickMunicipalities(rd *store.GenRefdata) error {
	for _, m := range rd.Municipalities {
		if len(m.Postcodes) > 0 {
			g.munis = append(g.munis, m)
		}
	}
	if len(g.munis) == 0 {
		return opstap.Errorf(opstap.EINVALID, "no municipalities with postcodes: import the GeoNames postcodes first (opstap refdata import --postcodes)")
	}
	if n := g.o.Size.Municipalities; n > 0 && n < len(g.munis) {
		slices.SortStableFunc(g.munis, func(a, b store.GenMunicipality) int { return len(b.Postcodes) - len(a.Postcodes) })
		g.munis = g.munis[:n]
	}
	sum := 0
	for _, m := range g.munis {
		sum += len(m.Postcodes)
		g.weights = append(g.weights, sum)
	}
	return nil
}

// muni draws a municipality, weighted by its number of postcodes (a proxy
// for its population).
func (g *run) muni(r *rand.Rand) *store.GenMunicipality {
	x := r.IntN(g.weights[len(g.weights)-1])
	i, _ := slices.BinarySearch(g.weights, x+1)
	return &g.munis[i]
}

func (g *run) organisations(ctx context.Context) error {
	prov := &account.Organisation{Name: fmt.Sprintf("Generated provider (seed %d)", g.o.Seed), Kind: opstap.OrgProvider}
	if err := g.db.CreateOrganisation(ctx, sys, prov); err != nil {
		return err
	}
	g.res.Provider = prov.ID
	for _, m := range g.munis {
		o, err := g.db.MunicipalityOrg(ctx, m.CBS)
		switch {
		case err == nil:
			g.res.Municipalities[m.CBS] = o.ID
			continue
		case opstap.ErrorCode(err) != opstap.ENOTFOUND:
			return err
		}
		org := &account.Organisation{Name: "Gemeente " + m.Name, Kind: opstap.OrgMunicipality, CBSCode: m.CBS}
		if err := g.db.CreateOrganisation(ctx, sys, org); err != nil {
			return err
		}
		g.res.Municipalities[m.CBS] = org.ID
	}
	coaches := max(1, g.o.Size.Candidates/500)
	for i := range coaches {
		email := fmt.Sprintf("coach%d.seed%d@gen.opstap.test", i+1, g.o.Seed)
		u, err := g.db.CreateUser(ctx, sys, account.NewUser{OrgID: prov.ID, Email: email, Name: fmt.Sprintf("Coach %d", i+1),
			Grants: []access.GrantSpec{{Role: opstap.RoleCoach, Access: opstap.Write}}})
		if err != nil {
			return err
		}
		g.res.Coaches = append(g.res.Coaches, u.ID)
	}
	g.p.step("organisations and coaches", len(g.munis)+1+coaches, len(g.munis)+1+coaches)
	return nil
}

var (
	firstNames = strings.Fields("Anna Bram Daan Emma Fatima Hanna Ivo Jan Julia Kees Lars Lisa Mohamed Noah Nora Olga Piet Rachid " +
		"Sanne Sem Sophie Tim Youssef Zoë Ahmet Bas Chantal Dewi Eva Finn Gijs Ilse Joost Karin Luuk Mila Nadia Priya Ruben Sara")
	lastNames = strings.Fields("Bakker Jansen Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer Dijkstra Kok Yilmaz " +
		"Öztürk Boukhari Wijaya Pinas Kramer Post Vermeulen Willems Maas Verhoeven Schouten Prins Huisman Koster Hoekstra")
	words = strings.Fields("gesprek sollicitatie werkervaring motivatie training vacature planning afspraak voortgang reflectie " +
		"netwerk contact zorg logistiek horeca kinderopvang uren reistijd taal cursus werkgever proefplaatsing rooster begeleiding")
	employerKinds = strings.Fields("Bakkerij Bouwbedrijf Zorggroep Logistiek Horeca Kinderopvang Schoonmaak Techniek Groenvoorziening Detailhandel")
)

// candidateRows are the registrations of the candidates, in order, each
// checked as a bulk file's row is.
func (g *run) candidateRows(today opstap.Date) ([]candidate.CSVRow, error) {
	r := g.rng(1)
	rows := make([]candidate.CSVRow, g.o.Size.Candidates)
	for i := range rows {
		m := g.muni(r)
		pc := m.Postcodes[r.IntN(len(m.Postcodes))]
		reg := regFirst.AddDays(r.IntN(730))
		born := opstap.Date{Year: 1960 + r.IntN(45), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		rows[i] = candidate.CSVRow{Line: i + 2, Registration: candidate.Registration{
			CommissionerOrgID: g.res.Municipalities[m.CBS],
			ExternalRef:       ref(g.o.Seed, i),
			CoachUserID:       g.res.Coaches[r.IntN(len(g.res.Coaches))],
			RegisteredOn:      reg,
			Basic: candidate.Basic{FirstName: firstNames[r.IntN(len(firstNames))], LastName: lastNames[r.IntN(len(lastNames))],
				BirthDate: born, Postcode: pc + string(postcodeLetters[r.IntN(len(postcodeLetters))]) + string(postcodeLetters[r.IntN(len(postcodeLetters))]), City: m.Name},
		}}
		if err := rows[i].Registration.Validate(today); err != nil {
			return nil, fmt.Errorf("candidate %d: %w", i+1, err)
		}
	}
	return rows, nil
}

// postcodeLetters are letters PostNL uses in postcodes, without S (SA, SD
// and SS are never given).
const postcodeLetters = "ABCDEGHJKLMNPRTVWXZ"

func ref(seed uint64, i int) string {
	return "G" + strconv.FormatUint(seed, 10) + "-" + strconv.Itoa(i+1)
}

// candidateBatch is the rows per bulk registration: large enough for its
// multi-row inserts, small enough to keep other requests going.
const candidateBatch = 5_000

func (g *run) candidates(ctx context.Context) error {
	rows, err := g.candidateRows(opstap.DateOf(g.db.Now()))
	if err != nil {
		return err
	}
	for start := 0; start < len(rows); start += candidateBatch {
		chunk := rows[start:min(start+candidateBatch, len(rows))]
		if _, err := g.db.RegisterBulk(ctx, sys, chunk); err != nil {
			return fmt.Errorf("candidates %d–%d: %w", start+1, start+len(chunk), err)
		}
		g.p.step("candidates", start+len(chunk), len(rows))
	}
	// The ids, in generation order and per municipality.
	ids := map[string]string{}
	for cbs, org := range g.res.Municipalities {
		refs, err := g.db.CandidateRefs(ctx, org)
		if err != nil {
			return err
		}
		_ = cbs
		for k, v := range refs {
			ids[k] = v
		}
	}
	g.byMuni = map[string][]string{}
	orgCBS := map[string]string{}
	for cbs, org := range g.res.Municipalities {
		orgCBS[org] = cbs
	}
	g.res.Candidates = make([]string, len(rows))
	for i, row := range rows {
		id, ok := ids[row.Registration.ExternalRef]
		if !ok {
			return fmt.Errorf("candidate %s not registered", row.Registration.ExternalRef)
		}
		g.res.Candidates[i] = id
		cbs := orgCBS[row.Registration.CommissionerOrgID]
		g.byMuni[cbs] = append(g.byMuni[cbs], id)
	}
	return nil
}

const entryBatch = 10_000

func (g *run) entries(ctx context.Context) error {
	r := g.rng(2)
	n := g.o.Size.EntriesPer
	total := len(g.res.Candidates) * n
	batch := make([]store.GenEntry, 0, entryBatch)
	done := 0
	for i, id := range g.res.Candidates {
		for j := range n {
			var body strings.Builder
			for k := range 20 + r.IntN(40) {
				if k > 0 {
					body.WriteByte(' ')
				}
				body.WriteString(words[r.IntN(len(words))])
			}
			batch = append(batch, store.GenEntry{CandidateID: id, Kind: dossier.NoteKinds[r.IntN(len(dossier.NoteKinds))],
				OccurredOn: regFirst.AddDays(r.IntN(900)), Title: "Notitie " + strconv.Itoa(j+1), Body: body.String()})
		}
		if len(batch) >= entryBatch || i == len(g.res.Candidates)-1 {
			if err := g.db.GenerateEntries(ctx, sys, g.res.Coaches[0], batch); err != nil {
				return err
			}
			done += len(batch)
			batch = batch[:0]
			g.p.step("dossier entries", done, total)
		}
	}
	return nil
}

const flexBatch = 5_000

func (g *run) employers(ctx context.Context) error {
	r := g.rng(3)
	g.emps = make([]store.GenEmployer, g.o.Size.Employers)
	for i := range g.emps {
		m := g.muni(r)
		pc := m.Postcodes[r.IntN(len(m.Postcodes))]
		kind := employerKinds[r.IntN(len(employerKinds))]
		g.emps[i] = store.GenEmployer{Name: fmt.Sprintf("%s %s %d", kind, m.Name, i+1), Municipality: m.CBS,
			LocationName: "Vestiging " + m.Name, Address: fmt.Sprintf("Industrieweg %d", 1+r.IntN(200)), Postcode4: pc}
	}
	for start := 0; start < len(g.emps); start += flexBatch {
		chunk := g.emps[start:min(start+flexBatch, len(g.emps))]
		if err := g.db.GenerateEmployers(ctx, sys, chunk); err != nil {
			return err
		}
		g.p.step("employers", start+len(chunk), len(g.emps))
	}
	return nil
}

var dayChoices = [][]string{{"mon", "tue", "wed", "thu", "fri"}, {"mon", "tue", "wed"}, {"tue", "thu"}, {"mon", "wed", "fri"}, {"sat", "sun"}}

func (g *run) assignments(ctx context.Context) error {
	if len(g.emps) == 0 {
		return nil
	}
	r := g.rng(4)
	g.assigns = make([]store.GenAssignment, g.o.Size.Assignments)
	for i := range g.assigns {
		e := &g.emps[r.IntN(len(g.emps))]
		o := g.occupations[r.IntN(len(g.occupations))]
		// Two in three ask for an occupation the municipality's candidates
		// have, as employers ask for the work a provider can fill: matching
		// then finds candidates scored on their occupation, not only on the
		// rules.
		if po := g.profOccs[e.Municipality]; len(po) > 0 && r.IntN(3) > 0 {
			o = po[r.IntN(len(po))]
		}
		g.assigns[i] = store.GenAssignment{EmployerID: e.ID, LocationID: e.LocationID, Municipality: e.Municipality,
			Title: o.Label, Occupation: o.Code, ISCO: o.ISCO, Postcode4: e.Postcode4,
			HoursPerWeek: []int{12, 16, 20, 24, 32}[r.IntN(5)], Days: dayChoices[r.IntN(len(dayChoices))],
			Start: placeFirst.AddDays(r.IntN(300)), HourlyRateCents: 1400 + 10*r.IntN(100), Places: 1 + r.IntN(3), Status: flex.StatusOpen}
	}
	for start := 0; start < len(g.assigns); start += flexBatch {
		chunk := g.assigns[start:min(start+flexBatch, len(g.assigns))]
		if err := g.db.GenerateAssignments(ctx, sys, chunk); err != nil {
			return err
		}
		g.p.step("assignments", start+len(chunk), len(g.assigns))
	}
	return nil
}

// placementBatch keeps a transaction at about 35,000 timesheet lines.
const placementBatch = 1_000

func (g *run) placements(ctx context.Context) error {
	n := g.o.Size.Placements
	if n == 0 || len(g.assigns) == 0 {
		return nil
	}
	r := g.rng(5)
	next := map[string]int{} // CBS → next candidate to place
	batch := make([]store.GenPlacement, 0, placementBatch)
	lines, done := 0, 0
	for i := range n {
		a := &g.assigns[r.IntN(len(g.assigns))]
		cands := g.byMuni[a.Municipality]
		if len(cands) == 0 {
			// No candidate lives there: take the assignment of a
			// municipality that has them, in a fixed order.
			for j := range g.assigns {
				if b := &g.assigns[(i+j)%len(g.assigns)]; len(g.byMuni[b.Municipality]) > 0 {
					a, cands = b, g.byMuni[b.Municipality]
					break
				}
			}
			if len(cands) == 0 {
				return nil
			}
		}
		c := cands[next[a.Municipality]%len(cands)]
		next[a.Municipality]++
		// The lines are spread evenly; the first placements take the rest.
		days := g.o.Size.Lines / n
		if i < g.o.Size.Lines%n {
			days++
		}
		first := a.Start.AddDays(r.IntN(30))
		p := store.GenPlacement{AssignmentID: a.ID, CandidateID: c, Municipality: a.Municipality, FirstDay: first,
			HoursPerWeek: a.HoursPerWeek, LineMinutes: 120 + 30*r.IntN(13)}
		d := first
		for len(p.Lines) < days {
			if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
				p.Lines = append(p.Lines, d)
			}
			d = d.AddDays(1)
		}
		p.LastDay = d.AddDays(r.IntN(60))
		p.Ended = r.IntN(3) == 0
		batch = append(batch, p)
		lines += days
		if len(batch) == placementBatch || i == n-1 {
			if err := g.db.GeneratePlacements(ctx, sys, g.res.Coaches[0], batch); err != nil {
				return err
			}
			done += len(batch)
			batch = batch[:0]
			g.p.stepRows("placements and hours", done, n, done+lines)
		}
	}
	return nil
}

// profileDays are the days a profile offers, from most to least common; the
// assignments' days (dayChoices) fit within the first.
var profileDays = [][]string{{"mon", "tue", "wed", "thu", "fri"}, {"mon", "tue", "wed", "thu", "fri"}, {"mon", "tue", "wed", "thu", "fri", "sat"},
	{"mon", "tue", "wed"}, {"tue", "thu"}, {"mon", "wed", "fri"}, {"sat", "sun"}, {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}

// limitationCodes are the shared limitations a profile occasionally has,
// codes of matching.Conflicts.
var limitationCodes = []string{"no_heavy_lifting", "no_night_shifts", "limited_standing", "no_driving", "reduced_hours",
	"quiet_environment", "no_outdoor_work", "no_customer_contact"}

// profiles gives Size.Profiles of the candidates, drawn by the seed, a flex
// profile that makes them proposable: matchable, with their consent and the
// coach's approval.
func (g *run) profiles(ctx context.Context) error {
	n := min(g.o.Size.Profiles, len(g.res.Candidates))
	if n == 0 {
		return nil
	}
	r := g.rng(6)
	chosen := r.Perm(len(g.res.Candidates))[:n]
	slices.Sort(chosen)
	cbsOf := make(map[string]string, len(g.res.Candidates))
	for cbs, ids := range g.byMuni {
		for _, id := range ids {
			cbsOf[id] = cbs
		}
	}
	g.profOccs = map[string][]store.GenOccupation{}
	batch := make([]store.GenProfile, 0, flexBatch)
	for k, i := range chosen {
		id := g.res.Candidates[i]
		p := store.GenProfile{CandidateID: id, Municipality: cbsOf[id], HoursPerWeek: []int{16, 20, 24, 24, 32, 32, 36, 40}[r.IntN(8)],
			Days: profileDays[r.IntN(len(profileDays))], MaxTravelKm: []int{5, 10, 15, 25, 40}[r.IntN(5)], DrivingLicence: r.IntN(2) == 0,
			AvailableFrom: regFirst.AddDays(180 + r.IntN(540))}
		p.OwnTransport = p.DrivingLicence && r.IntN(3) > 0
		p.MatchableOn = p.AvailableFrom.AddDays(-r.IntN(30))
		for range 1 + r.IntN(3) {
			o := g.occupations[r.IntN(len(g.occupations))]
			if slices.ContainsFunc(p.Occupations, func(x flex.ProfileOccupation) bool { return x.Code == o.Code }) {
				continue
			}
			p.Occupations = append(p.Occupations, flex.ProfileOccupation{Code: o.Code, ISCO: o.ISCO, ExperienceMonths: 6 * r.IntN(20)})
			g.profOccs[p.Municipality] = append(g.profOccs[p.Municipality], o)
		}
		if r.IntN(8) == 0 {
			p.Limitations = []string{limitationCodes[r.IntN(len(limitationCodes))]}
		}
		batch = append(batch, p)
		if len(batch) == flexBatch || k == n-1 {
			if err := g.db.GenerateProfiles(ctx, sys, g.res.Coaches[0], batch); err != nil {
				return err
			}
			g.res.Profiles += len(batch)
			g.p.step("flex profiles", k+1, n)
			batch = batch[:0]
		}
	}
	return nil
}
