package store

import (
	"context"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
)

// CandidateFilter selects candidates for a list.
type CandidateFilter struct {
	// Query matches a whole name, every word of a name, an e-mail address
	// or a BSN, through the blind index.
	Query string
	// All widens a coach's list from their own candidates to every
	// candidate of the provider (names only; opening one needs a reason).
	All bool
	// Coach, when set, keeps the candidates this coach guides (a caseload).
	Coach string
	// Commissioner, when set, keeps one commissioner's candidates.
	Commissioner string
	// Sort orders the list: SortNewest (the default), SortOldest or
	// SortReference. Names are sealed, so the database cannot sort by them.
	Sort string
	// Offset skips as many candidates, for paging.
	Offset int
	Limit  int
	// Reason is the stated reason ("break the glass") a search over
	// candidates the caller may not open needs: a coach's search of All.
	Reason string
}

// searchDenied refuses a wide search, logged after the rollback.
func searchDenied(a *opstap.Actor, d access.Decision) error {
	e := entryFor(a, audit.EventSearch)
	e.Purpose, e.Outcome, e.Detail = PurposeOverview, audit.OutcomeDenied, "search over all candidates without a valid stated reason"
	return &deniedError{err: &opstap.Error{Code: opstap.EFORBIDDEN, Message: d.Reason, Field: "reason"}, entry: e}
}

// searchEntry logs what a search revealed: one entry per candidate it
// showed, or one saying it showed nobody. The query itself is personal
// data (a BSN, a name) and is never logged.
func searchEntry(a *opstap.Actor, d access.Decision, candidateID string) audit.Entry {
	e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Read, PurposeOverview)
	e.Event, e.Detail = audit.EventSearch, "search by name, e-mail or BSN revealed the candidate"
	if candidateID == "" {
		e.Category, e.Action, e.Detail = "", "", "search by name, e-mail or BSN revealed nobody"
	}
	return e
}

// scope returns the SQL condition for the candidates the actor may list
// (access.CandidateListScope). It leaves out whom the list would not show
// anyway (access.CandidateListShows: those under a restriction of
// processing, or everyone) and the erased, so that a list's count is what
// its pages show.
func scope(a *opstap.Actor, all bool) (string, []any) {
	where, args := listScope(a, all)
	if !a.System {
		switch shows := access.CandidateListShows(a); {
		case !shows.Anyone:
			return "1 = 0", nil
		case !shows.Restricted:
			where += " AND c.restricted_at IS NULL"
		}
	}
	return where + " AND " + notErased, args
}

// notErased leaves out the erased candidates, of whom an erasure keeps
// only the row others refer to. (Their destroyed keys say the same, but
// asking the large candidate_keys made a page of 10,000 candidates six
// times slower on SQLite; erasures holds only the erased.)
const notErased = "c.id NOT IN (SELECT candidate_id FROM erasures)"

// listScope is the condition for access.CandidateListScope.
func listScope(a *opstap.Actor, all bool) (string, []any) {
	switch access.CandidateListScope(a, all) {
	case access.ScopeAll:
		return "1 = 1", nil
	case access.ScopeCaseload:
		return "c.coach_user_id = ?", []any{a.UserID}
	case access.ScopeSelf:
		return "c.user_id = ?", []any{a.UserID}
	case access.ScopeCommissioner:
		return "c.commissioner_org_id = ?", []any{a.OrgID}
	}
	return "1 = 0", nil
}

// candidateList is the candidate list in its orders (SortNewest,
// SortOldest, SortReference); each ends in the id, so that pages do not
// overlap. Names are sealed, so the database cannot sort by them.
var candidateList = list{from: "FROM candidates c", id: "c.id", orders: map[string]listOrder{
	"":            {sql: "c.created_at DESC, c.id DESC"},
	SortNewest:    {sql: "c.created_at DESC, c.id DESC"},
	SortOldest:    {sql: "c.created_at, c.id"},
	SortReference: {sql: "c.external_ref, c.id"},
}}

// FindCandidates is CandidatePage without where the page lies.
func (db *DB) FindCandidates(ctx context.Context, a *opstap.Actor, f CandidateFilter) ([]*candidate.Candidate, error) {
	cs, _, err := db.CandidatePage(ctx, a, f)
	return cs, err
}

// CandidatePage lists one page of the candidates the actor may see, newest
// first, with their basic data where the policy allows it, and counts the
// candidates the filter holds in the same scope. Each candidate shown is a
// read of basic data and is logged (in one batch). A search (Query) is
// logged with every candidate it revealed; a search over candidates the
// caller may not open (a coach's All) needs a stated reason, kept sealed
// per revealed candidate for the privacy officer [001 "Wat gebeurt er"],
// and is refused without one before anything is counted.
func (db *DB) CandidatePage(ctx context.Context, a *opstap.Actor, f CandidateFilter) ([]*candidate.Candidate, Page, error) {
	p := Paging{Sort: f.Sort, Offset: f.Offset, Limit: f.Limit}
	if _, _, err := p.checked(candidateList.orders); err != nil {
		return nil, Page{}, err
	}
	where, args := scope(a, f.All)
	q := strings.TrimSpace(f.Query)
	search := q != ""
	if search {
		if err := checkSearch(q); err != nil {
			return nil, Page{}, err
		}
	}
	reason := ""
	if search {
		sd := access.DecideSearch(a, f.All, f.Reason)
		if !sd.Allowed {
			err := searchDenied(a, sd)
			return nil, Page{}, db.WithTx(ctx, func(*Tx) error { return err })
		}
		if sd.BreakGlass {
			reason = f.Reason
		}
	}
	if search {
		cond, qargs := db.searchCondition(q)
		where += " AND " + cond
		args = append(args, qargs...)
	}
	if f.Coach != "" {
		where += " AND c.coach_user_id = ?"
		args = append(args, f.Coach)
	}
	if f.Commissioner != "" {
		where += " AND c.commissioner_org_id = ?"
		args = append(args, f.Commissioner)
	}
	var out []*candidate.Candidate
	var pg Page
	err := db.WithTx(ctx, func(tx *Tx) error {
		cs, page, err := loadPage(ctx, tx, candidateList, where, args, p, func(in string, inArgs []any) ([]*candidate.Candidate, error) {
			var cs []*candidate.Candidate
			err := tx.eachRow(ctx, `SELECT `+candidateColumns+` FROM candidates c WHERE `+in, inArgs, func(s scanner) error {
				c, err := scanCandidate(s)
				cs = append(cs, c)
				return err
			})
			return cs, err
		}, func(c *candidate.Candidate) string { return c.ID })
		if err != nil {
			return err
		}
		pg = page
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		facts, err := tx.readPageFacts(ctx, ids)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, c := range cs {
			d := access.Decide(a, subjectOf(c), opstap.CatBasic, opstap.Read, reason)
			if !d.Allowed && !d.NeedsReason && !a.System {
				continue
			}
			if d.Allowed || a.System {
				dk, err := facts.dataKey(c.ID)
				if err != nil {
					continue // erased meanwhile
				}
				c.Basic = &candidate.Basic{}
				if _, err := facts.basic(dk, c.ID, c.Basic); err != nil {
					return err
				}
				entries = append(entries, candidateEntry(a, d, c.ID, opstap.CatBasic, opstap.Read, PurposeOverview))
				if d.BreakGlass {
					if err := tx.insertGlass(ctx, dk, a, c.ID, reason, GlassSearch); err != nil {
						return err
					}
				}
			}
			if search {
				entries = append(entries, searchEntry(a, d, c.ID))
			}
			out = append(out, c)
		}
		if search && len(out) == 0 {
			entries = append(entries, searchEntry(a, access.Decision{Role: access.FirstRole(a)}, ""))
		}
		if len(entries) == 0 {
			return nil
		}
		return tx.Audit(ctx, entries...)
	})
	return out, pg, err
}

// searchCondition matches the query against the blind index: an exact
// e-mail, BSN or full name, or every word of the query among name words.
func (db *DB) searchCondition(q string) (string, []any) {
	exact := []any{db.Keyring.ExactTerm("email", q), db.Keyring.ExactTerm("bsn", strings.ReplaceAll(q, ".", "")), db.Keyring.ExactTerm("name", q)}
	var words []string
	seen := map[string]bool{}
	for _, w := range db.Keyring.WordTerms("name", q) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	cond := `c.id IN (SELECT candidate_id FROM candidate_search WHERE term IN (?, ?, ?))`
	if n, ok := candidate.ParseClientNumber(q); ok {
		// A client number finds its candidate too; the number is no
		// personal data, so it needs no blind index.
		cond = `(c.client_number = ? OR ` + cond + `)`
		exact = append([]any{n}, exact...)
	}
	if len(words) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(words)), ", ")
		cond = `(` + cond + ` OR c.id IN (SELECT candidate_id FROM candidate_search WHERE term IN (` + ph + `) GROUP BY candidate_id HAVING COUNT(DISTINCT term) = ?))`
		for _, w := range words {
			exact = append(exact, w)
		}
		exact = append(exact, len(words))
	}
	return cond, exact
}
