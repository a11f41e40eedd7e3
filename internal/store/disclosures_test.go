package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func uwvDisclosure(t *testing.T, db *store.DB) privacy.Disclosure {
	t.Helper()
	today := opstap.DateOf(db.Now())
	return privacy.Disclosure{Requester: "UWV", Contact: "mr. K. Bakker, kenmerk 2026-118", LegalBasis: "art. 30c Wet SUWI", Ground: privacy.GroundLegalObligation,
		Verification: "Vordering op papier; teruggebeld via het algemene nummer van UWV", Categories: []opstap.Category{opstap.CatBasic, opstap.CatBenefit},
		Description: "Adres en uitkeringsstart", DisclosedOn: today, ControllerInformedOn: today.AddDays(-1)}
}

// TestDisclosureRegister_003bewerkersArt4_2: the privacy officer records
// a disclosure required by law with requester, legal basis, verification,
// what left and whom was informed; nobody else may; the candidate sees it
// in the portal unless a legal reason withholds it; every step is logged.
func TestDisclosureRegister_003bewerkersArt4_2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		officer := f.user(t, "privacy@p.nl", opstap.RolePrivacyOfficer)

		in := uwvDisclosure(t, db)
		if _, err := db.RecordDisclosure(ctx, f.coach, f.c.ID, in); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach records: %v", err)
		}
		bad := in
		bad.Verification = ""
		if _, err := db.RecordDisclosure(ctx, officer, f.c.ID, bad); opstap.AsError(err) == nil || opstap.AsError(err).Field != "verification" {
			t.Fatalf("unverified: %v", err)
		}
		open, err := db.RecordDisclosure(ctx, officer, f.c.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		secret := in
		secret.Requester, secret.CandidateWithheld = "Sociale Recherche Almere", "Lopend fraudeonderzoek (art. 23 lid 1 sub d AVG)"
		hidden, err := db.RecordDisclosure(ctx, officer, f.c.ID, secret)
		if err != nil {
			t.Fatal(err)
		}

		reg, err := db.FindDisclosures(ctx, officer)
		if err != nil || len(reg) != 2 {
			t.Fatalf("register: %d %v", len(reg), err)
		}
		if _, err := db.FindDisclosures(ctx, f.coach); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach reads the register: %v", err)
		}
		got, err := db.FindDisclosure(ctx, officer, open.ID)
		if err != nil || got.Requester != "UWV" || got.LegalBasis != "art. 30c Wet SUWI" || got.Verification != in.Verification || len(got.Categories) != 2 {
			t.Fatalf("read back: %+v %v", got, err)
		}

		mine, err := db.CandidateDisclosures(ctx, f.self, f.c.ID)
		if err != nil || len(mine) != 1 || mine[0].ID != open.ID || mine[0].Requester != "UWV" || mine[0].Verification != "" {
			t.Fatalf("portal view: %+v %v", mine, err)
		}
		if _, err := db.CandidateDisclosures(ctx, f.self, f.c2.ID); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("another candidate's disclosures: %v", err)
		}
		// The access export names the recipients [AVG art 15(1)(c)], the
		// withheld one not.
		req, err := db.FileRightsRequest(ctx, f.self, f.c.ID, privacy.NewRightsRequest{Kind: privacy.RightAccess})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerRightsRequest(ctx, officer, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted, Text: "Bijgaand."}); err != nil {
			t.Fatal(err)
		}
		ex, err := db.AccessExport(ctx, f.self, req.ID)
		if err != nil || len(ex.Disclosures) != 1 || ex.Disclosures[0].Requester != "UWV" {
			t.Fatalf("access export disclosures: %+v %v", ex, err)
		}
		// Once the reason has passed, informing the candidate shows it.
		if _, err := db.InformOfDisclosure(ctx, f.coach, hidden.ID, opstap.DateOf(db.Now())); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach informs: %v", err)
		}
		if _, err := db.InformOfDisclosure(ctx, officer, hidden.ID, opstap.DateOf(db.Now())); err != nil {
			t.Fatal(err)
		}
		if mine, err = db.CandidateDisclosures(ctx, f.self, f.c.ID); err != nil || len(mine) != 2 {
			t.Fatalf("portal view after informing: %d %v", len(mine), err)
		}

		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: f.c.ID, Event: audit.EventWrite})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if e.Purpose == store.PurposeDisclosure {
				n++
			}
		}
		if n != 6 { // two categories for each of two records and one update
			t.Fatalf("%d disclosure writes logged, want 6", n)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
