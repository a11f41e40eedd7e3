package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestCandidateListPages (issue 12 item 12): a list of 10,000 candidates
// pages without overlap in each order, filters by commissioner, and
// refuses an unknown order or a negative offset.
func TestCandidateListPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		const n = 10_000
		var sb strings.Builder
		sb.WriteString("external_ref;first_name;last_name;birth_date\n")
		for i := range n {
			fmt.Fprintf(&sb, "R-%05d;Voornaam%d;Achternaam%d;01-01-1990\n", (i*7919)%n, i, i) // references not in registration order
		}
		rows, err := parse(t, f, sb.String())
		if err != nil {
			t.Fatal(err)
		}
		if res, err := db.RegisterBulk(ctx, f.manager, rows); err != nil || res.Created != n {
			t.Fatalf("bulk: %+v %v", res, err)
		}
		page := func(a *opstap.Actor, flt store.CandidateFilter) []string {
			t.Helper()
			flt.Limit = 50
			cs, err := db.FindCandidates(ctx, a, flt)
			if err != nil {
				t.Fatal(err)
			}
			refs := make([]string, len(cs))
			for i, c := range cs {
				refs[i] = c.ExternalRef
			}
			return refs
		}
		for _, sort := range []string{store.SortNewest, store.SortOldest, store.SortReference} {
			first, second := page(f.manager, store.CandidateFilter{Sort: sort}), page(f.manager, store.CandidateFilter{Sort: sort, Offset: 50})
			last, beyond := page(f.manager, store.CandidateFilter{Sort: sort, Offset: n - 50}), page(f.manager, store.CandidateFilter{Sort: sort, Offset: n})
			if len(first) != 50 || len(second) != 50 || len(last) != 50 || len(beyond) != 0 {
				t.Fatalf("%s: pages of %d, %d, %d, %d", sort, len(first), len(second), len(last), len(beyond))
			}
			seen := map[string]bool{}
			for _, r := range append(first, second...) {
				if seen[r] {
					t.Fatalf("%s: %s on two pages", sort, r)
				}
				seen[r] = true
			}
		}
		if got := page(f.manager, store.CandidateFilter{Sort: store.SortReference, Offset: 5000}); got[0] != "R-05000" || got[49] != "R-05049" {
			t.Fatalf("by reference from 5000: %s … %s", got[0], got[49])
		}
		newest, oldest := page(f.manager, store.CandidateFilter{}), page(f.manager, store.CandidateFilter{Sort: store.SortOldest, Offset: n - 50})
		if newest[0] != oldest[49] {
			t.Fatalf("newest first %s, last of oldest first %s", newest[0], oldest[49])
		}
		// Provider staff filter on the commissioner; a municipality sees only its own anyway.
		f.registerFor(t, f.other, f.municipality2, "L-1")
		if got := page(f.medic, store.CandidateFilter{Commissioner: f.municipality2}); len(got) != 1 || got[0] != "L-1" {
			t.Fatalf("provider filtered on Lelystad: %v", got)
		}
		if got := page(f.manager, store.CandidateFilter{Commissioner: f.municipality2}); len(got) != 0 {
			t.Fatalf("Almere filtered on Lelystad sees %v", got)
		}
		for _, bad := range []store.CandidateFilter{{Sort: "name"}, {Offset: -1}} {
			if _, err := db.FindCandidates(ctx, f.manager, bad); opstap.ErrorCode(err) != opstap.EINVALID {
				t.Fatalf("%+v: %v", bad, err)
			}
		}
	})
}

// registerFor registers a candidate for org by a.
func (f *fixture) registerFor(t *testing.T, a *opstap.Actor, org, ref string) {
	t.Helper()
	born, _ := opstap.ParseDate("01-01-1985")
	if _, err := f.db.RegisterCandidate(context.Background(), a, candidate.Registration{CommissionerOrgID: org, ExternalRef: ref,
		Basic: candidate.Basic{FirstName: "Lea", LastName: "Lelystad", BirthDate: born}}); err != nil {
		t.Fatal(err)
	}
}
