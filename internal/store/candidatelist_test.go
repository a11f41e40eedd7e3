package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
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
			if _, pg, err := db.CandidatePage(ctx, f.manager, store.CandidateFilter{Sort: sort, Offset: n - 10}); err != nil || pg.Total != n || pg.Offset != n-10 {
				t.Fatalf("%s: %+v %v, want a total of %d", sort, pg, err, n)
			}
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
		if _, pg, err := db.CandidatePage(ctx, f.medic, store.CandidateFilter{Commissioner: f.municipality}); err != nil || pg.Total != n {
			t.Fatalf("provider filtered on Almere: %+v %v, want %d", pg, err, n)
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

// TestCandidateListCount (issue 12 item 12): the candidate list counts what
// its pages show, in the caller's scope: a coach their own candidates (all
// of the provider's only when asked, without names), a municipality its
// own, the privacy officer also those under a restriction of processing
// [002 art 7.3], nobody the erased; the administrator lists no one. A
// search over all candidates without a stated reason is refused before
// anything is counted.
func TestCandidateListCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, sys := context.Background(), &opstap.Actor{System: true}
		f := newFixture(t, db)
		var ids []string
		for i, name := range []string{"Anna", "Bram", "Carla", "Dirk"} {
			ids = append(ids, f.register(t, fmt.Sprintf("A-%d", i+1), name, "de Vries").ID)
		}
		f.registerFor(t, f.other, f.municipality2, "L-1")
		if err := db.SetRestriction(ctx, sys, ids[2], true, "Juistheid betwist door de kandidaat"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EraseCandidate(ctx, sys, ids[3]); err != nil {
			t.Fatal(err)
		}
		staff := func(email string, role opstap.Role) *opstap.Actor {
			u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: f.coach.OrgID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor(db.Now(), "127.0.0.1")
		}
		privacyOfficer, admin := staff("fg@p.nl", opstap.RolePrivacyOfficer), staff("beheer@p.nl", opstap.RoleAdmin)
		const reason = "Vervanging van collega tijdens verlof"
		for _, tt := range []struct {
			name  string
			a     *opstap.Actor
			f     store.CandidateFilter
			total int
			named int // rows shown with a name
		}{
			{"the coach's own", f.coach, store.CandidateFilter{}, 2, 2},
			{"another coach's own", f.coach2, store.CandidateFilter{}, 0, 0},
			{"another coach, all of the provider", f.coach2, store.CandidateFilter{All: true}, 3, 0},
			{"another coach's search of all, with a reason", f.coach2, store.CandidateFilter{All: true, Query: "Anna de Vries", Reason: reason}, 1, 1},
			{"the coach's search of their own", f.coach, store.CandidateFilter{Query: "de Vries"}, 2, 2},
			{"the municipality", f.manager, store.CandidateFilter{}, 2, 2},
			{"another municipality", f.other, store.CandidateFilter{}, 1, 1},
			{"medical expert", f.medic, store.CandidateFilter{}, 3, 3},
			{"medical expert on one commissioner", f.medic, store.CandidateFilter{Commissioner: f.municipality2}, 1, 1},
			{"privacy officer", privacyOfficer, store.CandidateFilter{}, 4, 4},
			{"administrator", admin, store.CandidateFilter{}, 0, 0},
			{"system", sys, store.CandidateFilter{}, 4, 4},
		} {
			cs, pg, err := db.CandidatePage(ctx, tt.a, tt.f)
			named := 0
			for _, c := range cs {
				if c.Basic != nil {
					named++
				}
			}
			if err != nil || pg.Total != tt.total || len(cs) != tt.total || named != tt.named || pg.Limit != store.DefaultLimit {
				t.Errorf("%s: %d rows (%d named) of %+v, %v; want %d (%d named)", tt.name, len(cs), named, pg, err, tt.total, tt.named)
			}
		}
		_, pg, err := db.CandidatePage(ctx, f.coach2, store.CandidateFilter{All: true, Query: "Anna de Vries"})
		if e := opstap.AsError(err); e == nil || e.Code != opstap.EFORBIDDEN || e.Field != "reason" || pg != (store.Page{}) {
			t.Fatalf("search of all without a reason: %+v %v", pg, err)
		}
	})
}
