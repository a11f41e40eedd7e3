package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// One person is one candidate per commissioner (issue 12 item 10): a
// registration, a bulk row or a BSN change naming a BSN the commissioner
// registered before is refused and stores nothing; the refusal names the
// existing file only to a user who may open it, and is logged as a reveal.
func TestDuplicateBSNRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		first := f.register(t, "A-1", "José", "de Vries") // BSN(0)
		other := f.register(t, "A-2", "Anna", "Bos")      // BSN(1)
		born, _ := opstap.ParseDate("01-01-1980")
		again := func(a *opstap.Actor, org, ref, bsn string) error {
			_, err := db.RegisterCandidate(ctx, a, candidate.Registration{CommissionerOrgID: org, ExternalRef: ref, BSN: bsn,
				Basic: candidate.Basic{FirstName: "Jose", LastName: "Vries", BirthDate: born}})
			return err
		}
		count := func(a *opstap.Actor) int {
			cs, err := db.FindCandidates(ctx, a, store.CandidateFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(cs)
		}
		before := count(f.manager)

		tests := []struct {
			name     string
			actor    *opstap.Actor
			bsn      string
			existing string // the file offered, "" when none may be named
		}{
			{"case manager of the commissioner", f.manager, storetest.BSN(0), first.ID},
			{"written with dots", f.manager, "111.222.333", first.ID},
			{"the second candidate's BSN", f.manager, storetest.BSN(1), other.ID},
			// An unassigned coach may not open the file: refused, nobody named.
			{"unassigned coach", f.coach2, storetest.BSN(0), ""},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := again(tt.actor, f.municipality, "DUP-"+string(rune('a'+i)), tt.bsn)
				var dup *candidate.DuplicateBSN
				e := opstap.AsError(err)
				if e == nil || e.Code != opstap.ECONFLICT || e.Field != "bsn" || !errors.As(err, &dup) {
					t.Fatalf("err %v", err)
				}
				if dup.CandidateID != tt.existing {
					t.Fatalf("existing %q, want %q", dup.CandidateID, tt.existing)
				}
			})
		}
		if n := count(f.manager); n != before {
			t.Fatalf("a refused registration stored something: %d candidates, was %d", n, before)
		}
		// The refusal revealed that the person is registered: logged.
		entries, err := db.FindAuditEntries(ctx, store.AuditFilter{ActorUserID: f.manager.UserID, CandidateID: first.ID, Event: audit.EventSearch})
		if err != nil || len(entries) == 0 {
			t.Fatalf("reveal not logged: %v %d", err, len(entries))
		}

		// Another commissioner may register the same person: its own candidate.
		if err := again(f.other, f.municipality2, "L-1", storetest.BSN(0)); err != nil {
			t.Fatalf("other commissioner: %v", err)
		}

		// A bulk file: a row with a registered BSN, and two rows naming one
		// new person, each reported on its row; nothing stored.
		rows, err := parse(t, f, "external_ref;first_name;last_name;birth_date;bsn\n"+
			"B-1;Anna;Jansen;01-02-1990;"+storetest.BSN(0)+"\n"+
			"B-2;Eric;Dekker;01-02-1991;"+storetest.BSN(7)+"\n"+
			"B-3;Eric;Dekker;01-02-1991;"+storetest.BSN(7)+"\n")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.RegisterBulk(ctx, f.manager, rows)
		var fe *candidate.FileError
		if !errors.As(err, &fe) || len(fe.Rows) != 2 || fe.Rows[0].Row != 2 || fe.Rows[1].Row != 4 || fe.Rows[0].Field != "bsn" || fe.Rows[1].Field != "bsn" {
			t.Fatalf("bulk: %v %+v", err, fe)
		}
		if n := count(f.manager); n != before {
			t.Fatalf("a refused file stored something: %d candidates, was %d", n, before)
		}

		// Changing a BSN to another candidate's is refused; to a new one is not.
		raw := func(bsn string) json.RawMessage { b, _ := json.Marshal(candidate.BSN{Number: bsn}); return b }
		err = db.WriteCategory(ctx, f.manager, other.ID, opstap.CatBSN, raw(storetest.BSN(0)), store.PurposeGuidance)
		if e := opstap.AsError(err); e == nil || e.Code != opstap.ECONFLICT || e.Field != "bsn" {
			t.Fatalf("BSN change to another's: %v", err)
		}
		if err := db.WriteCategory(ctx, f.manager, other.ID, opstap.CatBSN, raw(storetest.BSN(1)), store.PurposeGuidance); err != nil {
			t.Fatalf("writing its own BSN again: %v", err)
		}
		if err := db.WriteCategory(ctx, f.manager, other.ID, opstap.CatBSN, raw(storetest.BSN(9)), store.PurposeGuidance); err != nil {
			t.Fatalf("a new BSN: %v", err)
		}
	})
}
