package store_test

import (
	"context"
	"github.com/opstap/opstap/internal/privacy"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/matching"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestRestrictedCandidateExcludedFromMatching_AVG18: one candidate whose
// processing is restricted no longer makes the municipality's ranking fail
// with 403; the candidate is excluded under the rule "restricted", counted
// and never named, and their name is not read.
func TestRestrictedCandidateExcludedFromMatching_AVG18(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFlexFixture(t, db)
		ctx := context.Background()
		anna := f.flexCandidate(t, "F-1", "Anna", 32)
		carl := f.flexCandidate(t, "F-3", "Carl", 32)
		for _, c := range []*candidate.Candidate{anna, carl} {
			if err := db.SetFlexFlag(ctx, f.portalActor(t, c), c.ID, access.FlagConsent, true); err != nil {
				t.Fatal(err)
			}
		}
		sys := &opstap.Actor{System: true}
		if err := db.SetRestriction(ctx, sys, carl.ID, true, "Juistheid betwist door de kandidaat"); err != nil {
			t.Fatal(err)
		}
		before, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: carl.ID})
		if err != nil {
			t.Fatal(err)
		}
		rk, err := db.RankCandidates(ctx, f.manager, f.assignment.ID, 10)
		if err != nil {
			t.Fatalf("ranking with a restricted candidate: %v", err)
		}
		if len(rk.Results) != 1 || rk.Results[0].CandidateID != anna.ID {
			t.Fatalf("results %+v", rk.Results)
		}
		for _, r := range rk.Excluded {
			if r.CandidateID == carl.ID {
				t.Fatalf("the restricted candidate is listed: %+v", r)
			}
		}
		if rk.ExcludedBy[matching.RuleRestricted] != 1 || rk.Restricted() != 1 {
			t.Fatalf("excluded by %v", rk.ExcludedBy)
		}
		after, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: carl.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Fatalf("the ranking used the restricted candidate's data: %+v", after[len(before):])
		}
		// Lifted, the candidate is matched again.
		if err := db.SetRestriction(ctx, sys, carl.ID, false, "Gegevens gecorrigeerd"); err != nil {
			t.Fatal(err)
		}
		if rk, err = db.RankCandidates(ctx, f.manager, f.assignment.ID, 10); err != nil || len(rk.Results) != 2 || rk.Restricted() != 0 {
			t.Fatalf("after lifting: %v %+v", err, rk)
		}
	})
}

// TestRestrictionLeavesOwnComplaintsAndRequests_AVG18_2: under a
// restriction the candidate's own complaints and rights requests go on
// [AVG art 18(2): with the data subject's consent]: the candidate files,
// the complaints desk registers and handles the complaint and identifies
// the complainant (the name was withheld before, so the desk could not
// answer); nothing beyond: the desk does not open the candidate's file,
// the coach reads nothing, matching and reports stop.
func TestRestrictionLeavesOwnComplaintsAndRequests_AVG18_2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		if err := db.SetRestriction(ctx, &opstap.Actor{System: true}, cf.cand, true, "Juistheid betwist door de kandidaat"); err != nil {
			t.Fatal(err)
		}
		own, err := db.FileComplaint(ctx, cf.self, cf.cand, complaint.New{Subject: "Behandeling", Description: "Ik ben niet gehoord."})
		if err != nil {
			t.Fatalf("candidate files a complaint while restricted: %v", err)
		}
		phoned := cf.file(t, cf.cand, "telefonisch", opstap.DateOf(cf.now))
		queue, _, err := db.FindComplaints(ctx, cf.desk, store.ComplaintFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 2 || queue[0].CandidateName != "Lisa Hendriks" {
			t.Fatalf("the desk cannot identify the complainant: %d complaints, %q", len(queue), queue[0].CandidateName)
		}
		if _, err := db.HandleComplaint(ctx, cf.desk, phoned.ID, complaint.Step{Kind: complaint.StepAcknowledge}); err != nil {
			t.Fatalf("desk handles the complaint: %v", err)
		}
		if _, err := db.FindComplaint(ctx, cf.privacy, own.ID); err != nil {
			t.Fatalf("privacy officer reads the complaint: %v", err)
		}
		if _, err := db.FileRightsRequest(ctx, cf.self, cf.cand, privacy.NewRightsRequest{Kind: privacy.RightRectification, Description: "Mijn adres klopt niet."}); err != nil {
			t.Fatalf("candidate files a rights request: %v", err)
		}
		for name, err := range map[string]error{
			"desk opens the file":  errOf(db.FindCandidate(ctx, cf.desk, cf.cand, store.PurposeComplaint, "")),
			"coach opens the file": errOf(db.FindCandidate(ctx, cf.coach, cf.cand, store.PurposeGuidance, "")),
		} {
			if opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

func errOf[T any](_ T, err error) error { return err }
