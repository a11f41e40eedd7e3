package store

import (
	"context"
	"log/slog"
	"sync"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/matching"
)

// busyIntervals returns the placements that occupy a candidate, for the
// "already placed" constraint. The placements feature replaces it from its
// own file's init function; until then nobody is placed.
var busyIntervals = func(ctx context.Context, tx *Tx, candidateID string) ([]matching.Interval, error) {
	return nil, nil
}

// matcher keeps the matching index of one database in this process: built
// from the flex profiles at first use, updated after every change of a
// profile, its flags or (through reindexCandidate) a placement.
type matcher struct {
	mu  sync.Mutex
	idx *matching.Index
}

var matchers sync.Map // *DB → *matcher

func (db *DB) matcher() *matcher {
	m, _ := matchers.LoadOrStore(db, &matcher{})
	return m.(*matcher)
}

// flexIndex returns the built index, building it on first use.
func (db *DB) flexIndex(ctx context.Context) (*matching.Index, error) {
	m := db.matcher()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idx != nil {
		return m.idx, nil
	}
	idx := matching.NewIndex()
	err := db.WithTx(ctx, func(tx *Tx) error {
		var ids []string
		err := tx.eachRow(ctx, `SELECT candidate_id FROM flex_profiles ORDER BY candidate_id`, nil, func(s scanner) error {
			var id string
			err := s.Scan(&id)
			ids = append(ids, id)
			return err
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.indexCandidate(ctx, idx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.idx = idx
	return idx, nil
}

// reindexCandidate brings one candidate up to date in a built index, in its
// own transaction after the change committed. A failure only leaves the
// index stale until the next change or restart, so it is logged, not
// returned: the change itself succeeded.
func (db *DB) reindexCandidate(ctx context.Context, id string) {
	m := db.matcher()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idx == nil {
		return
	}
	err := db.WithTx(ctx, func(tx *Tx) error { return tx.indexCandidate(ctx, m.idx, id) })
	if err != nil {
		slog.Error("matching index update failed", "err", err)
	}
}

// ReindexCandidate is reindexCandidate for other features that change what
// matching reads (placements).
func (db *DB) ReindexCandidate(ctx context.Context, id string) { db.reindexCandidate(ctx, id) }

// indexCandidate puts the candidate's current profile into idx, or removes
// the candidate when it has no profile or no municipality.
func (tx *Tx) indexCandidate(ctx context.Context, idx *matching.Index, id string) error {
	c, ok, err := tx.matchCandidate(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		idx.Remove(id)
		return nil
	}
	return idx.Update(c)
}

// matchCandidate maps a flex profile to the engine's input. It reads the
// sealed shared limitations and the benefit start as the system: matching
// is the purpose they were shared for; each page that shows a candidate
// logs its own read.
func (tx *Tx) matchCandidate(ctx context.Context, id string) (matching.Candidate, bool, error) {
	p, ok, err := tx.loadProfile(ctx, id)
	if err != nil || !ok || p.Municipality == "" {
		return matching.Candidate{}, false, err
	}
	var restricted bool
	if err := tx.queryRow(ctx, `SELECT restricted_at IS NOT NULL FROM candidates WHERE id = ?`, id).Scan(&restricted); err != nil {
		return matching.Candidate{}, false, err
	}
	if restricted {
		// Under a restriction of processing (AVG art 18) the profile is
		// only stored: the index holds no more than the municipality, so
		// rankings count the candidate as excluded without using the data.
		return matching.Candidate{ID: id, Municipality: p.Municipality, Restricted: true}, true, nil
	}
	c := matching.Candidate{ID: id, Municipality: p.Municipality, Matchable: p.Matchable, VisibleToEmployers: p.Visible(),
		HoursAvailable: p.HoursPerWeek, Days: p.DaysMask(), MaxTravelKm: p.MaxTravelKm, DrivingLicence: p.DrivingLicence,
		HasTransport: p.OwnTransport, AvailableFrom: p.AvailableFrom, Skills: p.Skills, PreferredOccupations: p.Preferred}
	for _, o := range p.Occupations {
		c.Occupations = append(c.Occupations, matching.Occupation{ESCO: o.Code, ISCO: o.ISCO, ExperienceMonths: o.ExperienceMonths})
	}
	if p.Postcode4 != "" {
		c.Lat, c.Lon, _ = tx.postcodeLatLon(ctx, "postcode4", p.Postcode4)
	}
	if err := tx.sealedMatchFacts(ctx, id, &c); err != nil {
		return c, false, err
	}
	c.Busy, err = busyIntervals(ctx, tx, id)
	return c, true, err
}

func (tx *Tx) sealedMatchFacts(ctx context.Context, id string, c *matching.Candidate) error {
	codes, err := tx.sharedLimitations(ctx, id)
	if err != nil {
		return err
	}
	for _, code := range codes {
		// Limitations without a counterpart demand (limited walking, screen
		// work) cannot exclude anyone yet.
		if l, ok := matching.ParseLimitation(code); ok {
			c.Limitations |= l
		}
	}
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return err
	}
	var b candidate.Benefit
	if _, err := tx.getCategory(ctx, dk, id, opstap.CatBenefit, &b); err != nil {
		return err
	}
	c.BenefitSince = b.Start
	return nil
}

// matchAssignment maps an assignment to the engine's input.
func (tx *Tx) matchAssignment(ctx context.Context, a *flex.Assignment) (matching.Assignment, error) {
	m := matching.Assignment{ID: a.ID, Municipality: a.Municipality, ESCO: a.Occupation, ISCO: a.ISCO, RequiredSkills: a.RequiredSkills,
		WishedSkills: a.WishedSkills, HoursPerWeek: a.HoursPerWeek, Days: a.DaysMask(), Start: a.Start, End: a.PlannedEnd,
		Requires: a.DemandMask(), NeedsDrivingLicence: a.NeedsDrivingLicence, NeedsTransport: a.NeedsTransport}
	var err error
	m.Lat, m.Lon, err = tx.postcodeLatLon(ctx, "postcode4", a.Postcode4)
	return m, err
}

// MatchRow is one ranked or excluded candidate with their name.
type MatchRow struct {
	Name string `json:"name"`
	matching.Result
}

// CandidateRanking is the ranking of candidates for one assignment.
type CandidateRanking struct {
	Assignment *flex.Assignment      `json:"assignment"`
	Weights    matching.Weights      `json:"weights"`
	Considered int                   `json:"considered"`
	Eligible   int                   `json:"eligible"`
	ExcludedBy map[matching.Rule]int `json:"excluded_by"`
	Results    []MatchRow            `json:"results"`
	Excluded   []MatchRow            `json:"excluded"`
}

// MaxExcludedShown bounds the excluded candidates a ranking shows by name;
// the counts per rule cover the rest.
const MaxExcludedShown = 100

// RankCandidates ranks the candidates of the assignment's municipality for
// it. The municipality matches [003 art 5 lid 7], so only its case manager
// may; every candidate shown is a read of their data, logged in one batch.
func (db *DB) RankCandidates(ctx context.Context, a *opstap.Actor, assignmentID string, k int) (*CandidateRanking, error) {
	idx, err := db.flexIndex(ctx)
	if err != nil {
		return nil, err
	}
	var out *CandidateRanking
	err = db.auditedRead(ctx, func(tx *Tx) error {
		as, r, err := tx.matchingAssignment(ctx, a, assignmentID)
		if err != nil {
			return err
		}
		s, err := tx.flexSettings(ctx, r.Municipality())
		if err != nil {
			return err
		}
		ma, err := tx.matchAssignment(ctx, as)
		if err != nil {
			return err
		}
		rk, err := idx.Rank(ma, s.Weights, matching.Options{K: k, IncludeExcluded: true, MaxExcluded: MaxExcludedShown})
		if err != nil {
			return err
		}
		out = &CandidateRanking{Assignment: as, Weights: s.Weights, Considered: rk.Considered, Eligible: rk.Eligible, ExcludedBy: rk.ExcludedBy}
		return tx.nameRows(ctx, a, rk, out)
	})
	return out, err
}

// matchingAssignment loads an assignment for ranking: only a case manager of
// its municipality ranks for it.
func (tx *Tx) matchingAssignment(ctx context.Context, a *opstap.Actor, id string) (*flex.Assignment, access.FlexRole, error) {
	as, err := tx.assignment(ctx, id)
	if err != nil {
		return nil, access.FlexRole{}, err
	}
	r, err := tx.flexRoleOf(ctx, a)
	if err != nil {
		return nil, r, err
	}
	if !r.CaseManagerOf(as.Municipality) {
		return nil, r, opstap.Errorf(opstap.EFORBIDDEN, "only the municipality's case manager matches candidates to its assignments")
	}
	return as, r, nil
}

// nameRows adds each shown candidate's name, checking and logging the reads.
func (tx *Tx) nameRows(ctx context.Context, a *opstap.Actor, rk *matching.Ranking, out *CandidateRanking) error {
	out.Results, out.Excluded = []MatchRow{}, []MatchRow{}
	var entries []audit.Entry
	add := func(res matching.Result, dst *[]MatchRow) error {
		name, es, err := tx.matchName(ctx, a, res.CandidateID)
		if err != nil {
			return err
		}
		*dst, entries = append(*dst, MatchRow{Name: name, Result: res}), append(entries, es...)
		return nil
	}
	for _, res := range rk.Results {
		if err := add(res, &out.Results); err != nil {
			return err
		}
	}
	shown := 0
	for _, res := range rk.Excluded {
		if shown == MaxExcludedShown {
			break
		}
		if restrictedResult(res) {
			continue // counted in ExcludedBy, never named: reading the name would be processing
		}
		if err := add(res, &out.Excluded); err != nil {
			return err
		}
		shown++
	}
	return tx.Audit(ctx, entries...)
}

// restrictedResult reports whether res was excluded for a restriction of
// processing.
func restrictedResult(res matching.Result) bool {
	for _, c := range res.Checks {
		if c.Rule == matching.RuleRestricted {
			return !c.Passed
		}
	}
	return false
}

// Restricted is how many candidates the ranking left out because their
// restriction of processing is in force (AVG art 18).
func (r *CandidateRanking) Restricted() int { return r.ExcludedBy[matching.RuleRestricted] }

// matchName reads a candidate's name for a ranking, with the audit entries
// of that read and of the profile read the ranking is.
func (tx *Tx) matchName(ctx context.Context, a *opstap.Actor, id string) (string, []audit.Entry, error) {
	_, s, err := tx.candidateSubject(ctx, id)
	if err != nil {
		return "", nil, err
	}
	var es []audit.Entry
	for _, cat := range []opstap.Category{opstap.CatPreferences, opstap.CatBasic} {
		d, err := tx.db.decide(ctx, a, s, cat, opstap.Read, PurposeMatching, "")
		if err != nil {
			return "", nil, err
		}
		es = append(es, candidateEntry(a, d, id, cat, opstap.Read, PurposeMatching))
	}
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return "", nil, err
	}
	var b candidate.Basic
	if _, err := tx.getCategory(ctx, dk, id, opstap.CatBasic, &b); err != nil {
		return "", nil, err
	}
	return b.FirstName + " " + b.LastName, es, nil
}

// ExplainMatch is one candidate's result for an assignment, the check
// before a proposal: a candidate of another municipality is refused
// [003 art 5 lid 5, 7].
func (db *DB) ExplainMatch(ctx context.Context, a *opstap.Actor, assignmentID, candidateID string) (*MatchRow, error) {
	idx, err := db.flexIndex(ctx)
	if err != nil {
		return nil, err
	}
	var out *MatchRow
	err = db.WithTx(ctx, func(tx *Tx) error {
		as, r, err := tx.matchingAssignment(ctx, a, assignmentID)
		if err != nil {
			return err
		}
		c, _, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		var cbs string
		if err := tx.queryRow(ctx, `SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`, c.CommissionerOrgID).Scan(&cbs); err != nil {
			return err
		}
		if err := flex.SameMunicipality(cbs, as.Municipality); err != nil {
			return err
		}
		return tx.explainOne(ctx, a, idx, as, r.Municipality(), candidateID, &out)
	})
	return out, err
}

func (tx *Tx) explainOne(ctx context.Context, a *opstap.Actor, idx *matching.Index, as *flex.Assignment, cbs, candidateID string, out **MatchRow) error {
	s, err := tx.flexSettings(ctx, cbs)
	if err != nil {
		return err
	}
	ma, err := tx.matchAssignment(ctx, as)
	if err != nil {
		return err
	}
	res, ok, err := idx.Explain(candidateID, ma, s.Weights, matching.Options{})
	if err != nil {
		return err
	}
	if !ok {
		return opstap.Errorf(opstap.ECONFLICT, "the candidate has no flex profile yet")
	}
	name, es, err := tx.matchName(ctx, a, candidateID)
	if err != nil {
		return err
	}
	*out = &MatchRow{Name: name, Result: res}
	return tx.Audit(ctx, es...)
}

// AssignmentRanking is the ranking of open assignments for one candidate.
type AssignmentRanking struct {
	Results  []AssignmentMatch `json:"results"`
	Excluded []AssignmentMatch `json:"excluded"`
}

// AssignmentMatch is one assignment with its result for the candidate.
type AssignmentMatch struct {
	Assignment *flex.Assignment `json:"assignment"`
	matching.Result
}

// RankAssignmentsFor ranks the open assignments of the candidate's
// municipality for them; the read of the profile is checked and logged.
func (db *DB) RankAssignmentsFor(ctx context.Context, a *opstap.Actor, candidateID, reason string) (*AssignmentRanking, error) {
	out := &AssignmentRanking{Results: []AssignmentMatch{}, Excluded: []AssignmentMatch{}}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatPreferences, opstap.Read, PurposeMatching, reason)
		if err != nil {
			return err
		}
		c, ok, err := tx.matchCandidate(ctx, candidateID)
		if err != nil || !ok {
			return err
		}
		if err := tx.rankOpen(ctx, c, out); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, candidateID, opstap.CatPreferences, opstap.Read, PurposeMatching))
	})
	return out, err
}

func (tx *Tx) rankOpen(ctx context.Context, c matching.Candidate, out *AssignmentRanking) error {
	as, err := tx.assignments(ctx, `a.municipality_cbs = ? AND a.status = ?`, c.Municipality, string(flex.StatusOpen))
	if err != nil {
		return err
	}
	byID := map[string]*flex.Assignment{}
	var ms []matching.Assignment
	for _, a := range as {
		m, err := tx.matchAssignment(ctx, a)
		if err != nil {
			return err
		}
		byID[a.ID], ms = a, append(ms, m)
	}
	s, err := tx.flexSettings(ctx, c.Municipality)
	if err != nil {
		return err
	}
	rk, err := matching.RankAssignments(c, ms, s.Weights, matching.Options{IncludeExcluded: true})
	if err != nil {
		return err
	}
	for _, r := range rk.Results {
		out.Results = append(out.Results, AssignmentMatch{Assignment: byID[r.AssignmentID], Result: r})
	}
	for _, r := range rk.Excluded {
		out.Excluded = append(out.Excluded, AssignmentMatch{Assignment: byID[r.AssignmentID], Result: r})
	}
	return nil
}
