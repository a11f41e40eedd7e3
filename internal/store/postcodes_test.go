package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestPostcodeAgainstReference (issue 11 item 5): before the reference
// postcodes are loaded a well-formed postcode is taken; once they are, a
// four-digit area not among them is refused naming the field, on every way a
// candidate's address comes in (registration, bulk file, the basic data
// category), and nothing is stored.
func TestPostcodeAgainstReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		born, _ := opstap.ParseDate("12-03-1988")
		reg := func(ref, postcode string) candidate.Registration {
			return candidate.Registration{CommissionerOrgID: f.municipality, ExternalRef: ref, CoachUserID: f.coach.UserID,
				Basic: candidate.Basic{FirstName: "Pim", LastName: "Post", BirthDate: born, Postcode: postcode}}
		}
		if _, err := db.RegisterCandidate(ctx, f.manager, reg("P-0", "9999 AB")); err != nil {
			t.Fatalf("without reference data a well-formed postcode is taken: %v", err)
		}
		importSample(t, db) // Almere and Lelystad
		c, err := db.RegisterCandidate(ctx, f.manager, reg("P-1", "1315 KT"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RegisterCandidate(ctx, f.manager, reg("P-2", "9999 AB")); fieldOrCode(err) != "postcode" {
			t.Fatalf("registration with an unknown postcode: %v", err)
		}
		_, err = db.RegisterBulk(ctx, f.manager, []candidate.CSVRow{{Line: 2, Registration: reg("P-3", "1316 AB")}, {Line: 3, Registration: reg("P-4", "1000 AA")}})
		var fe *candidate.FileError
		if !errors.As(err, &fe) || len(fe.Rows) != 1 || fe.Rows[0].Row != 3 || fe.Rows[0].Field != "postcode" {
			t.Fatalf("bulk with an unknown postcode: %v", err)
		}
		basic, _ := json.Marshal(candidate.Basic{FirstName: "Pim", LastName: "Post", BirthDate: born, Postcode: "9999 AB"})
		if err := db.WriteCategory(ctx, f.manager, c.ID, opstap.CatBasic, basic, store.PurposeGuidance); fieldOrCode(err) != "postcode" {
			t.Fatalf("basic data with an unknown postcode: %v", err)
		}
		list, err := db.FindCandidates(ctx, f.manager, store.CandidateFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("stored: %v %d candidates, want P-0 and P-1", err, len(list))
		}
	})
}
