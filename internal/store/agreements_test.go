package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// TestAgreementsAtTheStart_000art4: the coach hands over the privacy
// statement and the cooperation agreement in the running trajectory; the
// candidate is told and accepts one in the portal, the coach records the
// other as a signed form from the dossier; both show for coach and
// candidate; another coach and a second confirmation are refused.
func TestAgreementsAtTheStart_000art4(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		ps := privacy.Agreement{Kind: privacy.AgreementPrivacyStatement, Version: "2026-01"}
		if _, err := db.OfferAgreement(ctx, f.coach, f.c.ID, ps); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("without a trajectory: %v", err)
		}
		if _, err := db.CreateTrajectory(ctx, f.coach, f.c.ID, store.NewTrajectory{Kind: trajectory.KindReintegration}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.OfferAgreement(ctx, f.coach2, f.c.ID, ps); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("another coach: %v", err)
		}
		if _, err := db.OfferAgreement(ctx, f.coach, f.c.ID, privacy.Agreement{Kind: ps.Kind}); fieldOf(err) != "version" {
			t.Fatalf("no version: %v", err)
		}
		statement, err := db.OfferAgreement(ctx, f.coach, f.c.ID, ps)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.OfferAgreement(ctx, f.coach, f.c.ID, ps); fieldOf(err) != "version" {
			t.Fatalf("same version twice: %v", err)
		}
		coop, err := db.OfferAgreement(ctx, f.coach, f.c.ID, privacy.Agreement{Kind: privacy.AgreementCooperation, Version: "3"})
		if err != nil {
			t.Fatal(err)
		}
		ns, _, err := db.Notifications(ctx, f.self)
		if err != nil || len(ns) == 0 || ns[0].Link != "/portal/agreements" {
			t.Fatalf("candidate not told: %+v %v", ns, err)
		}
		if _, err := db.AcceptAgreement(ctx, f.coach, statement.ID); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach accepts for the candidate: %v", err)
		}
		if _, err := db.AcceptAgreement(ctx, f.self, statement.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AcceptAgreement(ctx, f.self, statement.ID); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("accepted twice: %v", err)
		}
		letter, err := db.UploadDocument(ctx, f.coach, f.c.ID, dossier.DocLetter, "brief.pdf", storetest.PDF("brief"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordSignedAgreement(ctx, f.coach, coop.ID, letter.ID); fieldOf(err) != "document_id" {
			t.Fatalf("a letter as the signed form: %v", err)
		}
		signed, err := db.UploadDocument(ctx, f.coach, f.c.ID, dossier.DocSignedAgreement, "samenwerkingsafspraken.pdf", storetest.PDF("getekend"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordSignedAgreement(ctx, f.self, coop.ID, signed.ID); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("candidate records the signed form: %v", err)
		}
		if _, err := db.RecordSignedAgreement(ctx, f.coach, coop.ID, signed.ID); err != nil {
			t.Fatal(err)
		}
		for _, who := range []*opstap.Actor{f.coach, f.self} {
			gs, err := db.Agreements(ctx, who, f.c.ID)
			if err != nil || len(gs) != 2 {
				t.Fatalf("agreements: %+v %v", gs, err)
			}
			plain := []privacy.Agreement{gs[0].Agreement, gs[1].Agreement}
			if !privacy.StartComplete(plain) {
				t.Fatalf("start not complete: %+v", gs)
			}
		}
		if _, err := db.Agreements(ctx, f.manager, f.c.ID); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager reads the agreements: %v", err)
		}
	})
}
