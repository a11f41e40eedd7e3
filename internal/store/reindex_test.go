package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestMatchingFollowsCategoryChanges: a move to another postcode area,
// written through the candidate's basic data, reaches the matching index
// at once: the candidate is now too far away for the assignment.
func TestMatchingFollowsCategoryChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		anna := f.flexCandidate(t, "F-1", "Anna", 32)
		if err := db.SetFlexFlag(ctx, f.portalActor(t, anna), anna.ID, access.FlagConsent, true); err != nil {
			t.Fatal(err)
		}
		rank := func() (included, excluded int) {
			rk, err := db.RankCandidates(ctx, f.manager, f.assignment.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			return len(rk.Results), len(rk.Excluded)
		}
		if in, _ := rank(); in != 1 {
			t.Fatalf("before the move: %d ranked", in)
		}
		moved := `{"first_name":"Anna","last_name":"Test","birth_date":"1988-03-12","postcode":"8232 XB","city":"Lelystad"}`
		if err := db.WriteCategory(ctx, f.coach, anna.ID, opstap.CatBasic, json.RawMessage(moved), store.PurposeGuidance); err != nil {
			t.Fatal(err)
		}
		if in, ex := rank(); in != 0 || ex != 1 {
			t.Fatalf("after moving to Lelystad: %d ranked, %d excluded", in, ex)
		}
	})
}
