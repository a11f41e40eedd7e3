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
	All   bool
	Limit int
}

// scope returns the SQL condition for the candidates the actor may list:
// a coach their assigned ones, a commissioner its own, a candidate
// themself, other provider staff all of the provider's.
func scope(a *opstap.Actor, all bool) (string, []any) {
	switch {
	case a.System:
		return "1 = 1", nil
	case len(a.Grants) == 0:
		return "1 = 0", nil // a user whose grants are all blocked or expired sees no one
	case a.OrgKind == opstap.OrgProvider && a.Has(opstap.RoleCoach, opstap.Read) && !all && len(a.Roles()) == 1:
		return "c.coach_user_id = ?", []any{a.UserID}
	case a.OrgKind == opstap.OrgProvider:
		return "1 = 1", nil
	case a.Has(opstap.RoleCandidate, opstap.Read) && len(a.Roles()) == 1:
		return "c.user_id = ?", []any{a.UserID}
	case a.OrgKind.Commissioner():
		return "c.commissioner_org_id = ?", []any{a.OrgID}
	}
	return "1 = 0", nil
}

// FindCandidates lists the candidates the actor may see, newest first, with
// their basic data where the policy allows it. Each candidate shown is a
// read of basic data and is logged (in one batch).
func (db *DB) FindCandidates(ctx context.Context, a *opstap.Actor, f CandidateFilter) ([]*candidate.Candidate, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where, args := scope(a, f.All)
	if q := strings.TrimSpace(f.Query); q != "" {
		if err := checkSearch(q); err != nil {
			return nil, err
		}
		cond, qargs := db.searchCondition(q)
		where += " AND " + cond
		args = append(args, qargs...)
	}
	var out []*candidate.Candidate
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, db.rebind(`SELECT `+candidateColumns+` FROM candidates c WHERE `+where+` ORDER BY c.created_at DESC, c.id LIMIT ?`), append(args, f.Limit)...)
		if err != nil {
			return err
		}
		var cs []*candidate.Candidate
		for rows.Next() {
			c, err := scanCandidate(rows)
			if err != nil {
				rows.Close()
				return err
			}
			cs = append(cs, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var entries []audit.Entry
		for _, c := range cs {
			d := access.Decide(a, subjectOf(c), opstap.CatBasic, opstap.Read, "")
			if !d.Allowed && !d.NeedsReason && !a.System {
				continue
			}
			if d.Allowed || a.System {
				dk, err := tx.dataKey(ctx, c.ID)
				if err != nil {
					continue // erased meanwhile
				}
				c.Basic = &candidate.Basic{}
				if _, err := tx.getCategory(ctx, dk, c.ID, opstap.CatBasic, c.Basic); err != nil {
					return err
				}
				entries = append(entries, candidateEntry(a, d, c.ID, opstap.CatBasic, opstap.Read, PurposeOverview))
			}
			out = append(out, c)
		}
		if len(entries) == 0 {
			return nil
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
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
