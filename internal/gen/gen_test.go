package gen_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/matching"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var tiny = gen.Size{Candidates: 120, EntriesPer: 2, Profiles: 72, Employers: 12, Assignments: 20, Placements: 30, Lines: 400}

// generate runs the generator with seed into a fresh database holding the
// demo's sample reference data and returns it.
func generate(t *testing.T, d store.Dialect, seed uint64) (*store.DB, *gen.Result) {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, d)
	sys := &opstap.Actor{System: true}
	for _, f := range []struct {
		name string
		imp  func(context.Context, *opstap.Actor, string, io.Reader) (*store.RefdataImport, error)
	}{{refdata.SampleOccupations, db.ImportOccupations}, {refdata.SamplePostcodes, db.ImportPostcodes}} {
		b, err := refdata.Sample.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.imp(ctx, sys, f.name, bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	var progress strings.Builder
	res, err := gen.Run(ctx, db, gen.Options{Size: tiny, Seed: seed, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rows/s", "flex profiles"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("no %q in the progress output: %q", want, progress.String())
		}
	}
	return db, res
}

// digest hashes what the generator decided — people, texts, dates, places,
// links — through the candidates' external references, leaving out ids,
// times of writing and ciphertexts, which are random by design. Dossier
// texts are read back through the store, opened with the candidates' keys.
func digest(t *testing.T, db *store.DB, res *gen.Result) string {
	t.Helper()
	ctx := context.Background()
	h := sha256.New()
	queries := []string{
		`SELECT c.external_ref, o.cbs_code, c.postcode4, c.registered_on FROM candidates c JOIN organisations o ON o.id = c.commissioner_org_id ORDER BY c.external_ref`,
		`SELECT o.name, e.municipality_cbs, l.postcode4, l.address FROM client_employers e JOIN organisations o ON o.id = e.org_id
			JOIN employer_locations l ON l.employer_org_id = e.org_id ORDER BY o.name`,
		`SELECT o.name, a.title, a.occupation, a.hours_per_week, a.days, a.start_on, a.hourly_rate_cents, a.places FROM assignments a
			JOIN organisations o ON o.id = a.employer_org_id ORDER BY o.name, a.start_on, a.title, a.hourly_rate_cents`,
		`SELECT c.external_ref, o.name, a.title, p.first_day, p.last_day, p.status, COUNT(l.id), SUM(l.minutes) FROM placements p
			JOIN candidates c ON c.id = p.candidate_id JOIN assignments a ON a.id = p.assignment_id JOIN organisations o ON o.id = a.employer_org_id
			LEFT JOIN timesheet_lines l ON l.placement_id = p.id
			GROUP BY c.external_ref, o.name, a.title, p.first_day, p.last_day, p.status ORDER BY c.external_ref, p.first_day, o.name`,
		`SELECT c.external_ref, f.hours_per_week, f.days, f.max_travel_km, CASE WHEN f.driving_licence THEN 1 ELSE 0 END,
			CASE WHEN f.own_transport THEN 1 ELSE 0 END, f.available_from, f.matchable_on,
			o.code, o.experience_months FROM flex_profiles f JOIN candidates c ON c.id = f.candidate_id
			JOIN flex_profile_occupations o ON o.candidate_id = f.candidate_id ORDER BY c.external_ref, o.code`,
		`SELECT c.external_ref, e.kind, e.occurred_on FROM dossier_entries e JOIN candidates c ON c.id = e.candidate_id ORDER BY c.external_ref, e.occurred_on, e.kind`,
	}
	for _, q := range queries {
		n := dump(t, db.SQL, db.Dialect, q, h)
		if n == 0 {
			t.Errorf("no rows for %s", q)
		}
	}
	// The sealed data and texts, opened through the store as the
	// candidate's coach opens them (and logged).
	for _, id := range res.Candidates[:10] {
		var coachID string
		if err := db.SQL.QueryRow(rebind(db.Dialect, `SELECT coach_user_id FROM candidates WHERE id = ?`), id).Scan(&coachID); err != nil {
			t.Fatal(err)
		}
		u, err := db.FindUserByID(ctx, coachID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.DossierPage(ctx, u.Actor(db.Now(), "test"), id, store.EntryQuery{}, store.PurposeGuidance, "")
		if err != nil {
			t.Fatal(err)
		}
		if p.Candidate.Basic == nil || len(p.Entries) != tiny.EntriesPer {
			t.Fatalf("candidate %s: basic %v, %d entries", id, p.Candidate.Basic, len(p.Entries))
		}
		b := p.Candidate.Basic
		fmt.Fprintf(h, "%s %s %s %s %s\n", p.Candidate.ExternalRef, b.FirstName, b.LastName, b.BirthDate, b.Postcode)
		for _, e := range p.Entries {
			fmt.Fprintf(h, "%s %s %s\n", e.Kind, e.Title, e.Body)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func dump(t *testing.T, q *sql.DB, d store.Dialect, query string, h interface{ Write([]byte) (int, error) }) int {
	t.Helper()
	rows, err := q.Query(rebind(d, query))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%v|", normal(v))
		}
		h.Write([]byte("\n"))
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// normal writes a value the same way on both engines.
func normal(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case interface{ Format(string) string }:
		return x.Format("2006-01-02")
	}
	return fmt.Sprint(v)
}

// TestGenerateDeterministic: the same seed gives the same data, on each
// engine and across them; another seed other data; the audit chain holds.
func TestGenerateDeterministic(t *testing.T) {
	var first string
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			db1, r1 := generate(t, d, 7)
			db2, r2 := generate(t, d, 7)
			db3, r3 := generate(t, d, 8)
			a, b, c := digest(t, db1, r1), digest(t, db2, r2), digest(t, db3, r3)
			if a != b {
				t.Errorf("seed 7 twice: %s and %s", a, b)
			}
			if a == c {
				t.Errorf("seeds 7 and 8 gave the same data")
			}
			if first == "" {
				first = a
			} else if a != first {
				t.Errorf("the engines differ: %s and %s", first, a)
			}
			var n int
			if err := db1.SQL.QueryRow(`SELECT COUNT(*) FROM timesheet_lines`).Scan(&n); err != nil || n != tiny.Lines {
				t.Errorf("%d lines (%v), want %d", n, err, tiny.Lines)
			}
			if _, err := db1.VerifyAudit(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
}

func rebind(d store.Dialect, query string) string {
	if d != store.Postgres {
		return query
	}
	n := 0
	var b strings.Builder
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestGeneratedProfilesMatch: the generated profiles make candidates
// proposable — with consent, approval and the matchable flag — and the
// generated assignments find some of them.
func TestGeneratedProfilesMatch(t *testing.T) {
	for _, d := range storetest.Engines() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, _ := generate(t, d, 7)
			var profiles, limited int
			if err := db.SQL.QueryRow(`SELECT COUNT(*), (SELECT COUNT(*) FROM candidate_limitations) FROM flex_profiles`).Scan(&profiles, &limited); err != nil {
				t.Fatal(err)
			}
			if profiles != tiny.Profiles || limited == 0 || limited > profiles/2 {
				t.Errorf("%d profiles, %d with limitations; want %d profiles, some with limitations", profiles, limited, tiny.Profiles)
			}
			rows, err := db.SQL.Query(`SELECT a.id, o.id FROM assignments a JOIN organisations o ON o.cbs_code = a.municipality_cbs ORDER BY a.id`)
			if err != nil {
				t.Fatal(err)
			}
			type pair struct{ assignment, org string }
			var as []pair
			for rows.Next() {
				var p pair
				if err := rows.Scan(&p.assignment, &p.org); err != nil {
					t.Fatal(err)
				}
				as = append(as, p)
			}
			rows.Close()
			managers := map[string]*opstap.Actor{}
			proposed, scored := 0, 0
			for _, p := range as {
				km := managers[p.org]
				if km == nil {
					u, err := db.CreateUser(ctx, &opstap.Actor{System: true}, account.NewUser{OrgID: p.org, Email: fmt.Sprintf("km%d@gen.test", len(managers)),
						Name: "KM", Grants: []access.GrantSpec{{Role: opstap.RoleCaseManager}}})
					if err != nil {
						t.Fatal(err)
					}
					km = u.Actor(db.Now(), "test")
					managers[p.org] = km
				}
				rk, err := db.RankCandidates(ctx, km, p.assignment, 10)
				if err != nil {
					t.Fatal(err)
				}
				proposed += len(rk.Results)
				for _, r := range rk.Results {
					for _, c := range r.Criteria {
						if c.Name == matching.CritOccupation && c.Matched {
							scored++
						}
					}
				}
			}
			if proposed == 0 || scored == 0 {
				t.Errorf("%d assignments proposed %d candidates, %d with an occupation that fits", len(as), proposed, scored)
			}
			if _, err := db.VerifyAudit(ctx); err != nil {
				t.Error(err)
			}
		})
	}
}
