package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestClientNumbers: every registration — one at a time, concurrent, or
// a bulk file — gets the next client number, none twice; a failed file
// gives its numbers back; staff find a candidate by number.
func TestClientNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		first := f.register(t, "N-1", "Anna", "Eerste")
		second := f.register(t, "N-2", "Bert", "Tweede")
		if first.Number <= 0 || second.Number != first.Number+1 {
			t.Fatalf("numbers %d and %d, want consecutive from 1", first.Number, second.Number)
		}
		got, err := db.FindCandidate(ctx, f.manager, second.ID, "", "")
		if err != nil || got.Number != second.Number {
			t.Fatalf("read back: %v %+v", err, got)
		}

		// Concurrent registrations queue on the counter.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		born, _ := opstap.ParseDate("01-01-1990")
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.RegisterCandidate(ctx, f.manager, candidate.Registration{CommissionerOrgID: f.municipality,
					ExternalRef: fmt.Sprintf("C-%d", i), Basic: candidate.Basic{FirstName: "Cees", LastName: fmt.Sprintf("Gelijk %d", i), BirthDate: born}})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent registration: %v", err)
			}
		}

		// A bulk file numbers its rows; a file that fails takes none.
		rows, err := parse(t, f, strings.ReplaceAll(goodCSV, "111222333", storetest.BSN(40)))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := db.RegisterBulk(ctx, f.manager, rows); err != nil {
			t.Fatalf("%v %+v", err, res)
		}
		bad, err := parse(t, f, "external_ref;first_name;last_name;birth_date;bsn\nX-1;Dirk;Dubbel;01-01-1990;\nX-2;Eva;Bestaat;01-01-1990;"+storetest.BSN(0)+"\n")
		if err == nil {
			_, err = db.RegisterBulk(ctx, f.manager, bad)
		}
		if err == nil {
			t.Fatal("a file naming a registered BSN was accepted")
		}
		var n, distinct, lowest, highest int64
		if err := db.SQL.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT client_number), MIN(client_number), MAX(client_number) FROM candidates`).
			Scan(&n, &distinct, &lowest, &highest); err != nil {
			t.Fatal(err)
		}
		if n != 12 || distinct != n || lowest != first.Number || highest != lowest+n-1 {
			t.Fatalf("%d candidates with %d distinct numbers from %d to %d; want 12 consecutive", n, distinct, lowest, highest)
		}

		// Found by number, in the list's search and for a form.
		for _, q := range []string{fmt.Sprint(second.Number), fmt.Sprintf("K-%d", second.Number)} {
			cs, err := db.FindCandidates(ctx, f.manager, store.CandidateFilter{Query: q})
			if err != nil || len(cs) != 1 || cs[0].ID != second.ID {
				t.Fatalf("search %q: %v, %d found", q, err, len(cs))
			}
		}
		if id, err := db.CandidateIDByNumber(ctx, "client_number", fmt.Sprint(second.Number)); err != nil || id != second.ID {
			t.Fatalf("by number: %q %v", id, err)
		}
		for _, tc := range []struct {
			in   string
			code string
		}{{"", opstap.EINVALID}, {second.ID, opstap.EINVALID}, {"-3", opstap.EINVALID}, {"99999999", opstap.ENOTFOUND}} {
			_, err := db.CandidateIDByNumber(ctx, "client_number", tc.in)
			if opstap.ErrorCode(err) != tc.code || opstap.AsError(err).Field != "client_number" {
				t.Errorf("CandidateIDByNumber(%q) = %v, want %s on client_number", tc.in, err, tc.code)
			}
		}
	})
}
