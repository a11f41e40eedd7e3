package store_test

import (
	"context"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/privacy"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// TestStatutoryRetentionTenYears_001: data under a statutory duty is kept
// ten years by default, as the provider's regulation says [001 "Termijn
// bewaren gegevens"], the source is named, the period can be changed but
// not below the seven years tax law asks (AWR art 52), and the records of
// processing say the same (issue 8 point 10).
func TestStatutoryRetentionTenYears_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		statutory := func() store.RetentionRule {
			t.Helper()
			rules, err := db.RetentionRules(ctx, rf.officer)
			rtMust(t, err)
			for _, r := range rules {
				if r.Category == privacy.RuleStatutory && r.CommissionerOrgID == "" {
					return r
				}
			}
			t.Fatal("no default statutory rule")
			return store.RetentionRule{}
		}
		if r := statutory(); r.Years != 10 || r.Note != privacy.StatutoryNote {
			t.Fatalf("default statutory rule %+v", r)
		}
		rec, err := db.RecordsOfProcessing(ctx, rf.officer)
		rtMust(t, err)
		found := false
		for _, r := range rec.Retention {
			if r.Category == privacy.RuleStatutory && r.Commissioner == "" {
				found = r.Years == 10 && strings.Contains(r.Note, "seed 001") && strings.Contains(r.Note, "AWR")
			}
		}
		if !found {
			t.Fatalf("records of processing retention %+v", rec.Retention)
		}
		err = db.SetRetentionRule(ctx, rf.officer, privacy.RetentionRuleChange{Category: privacy.RuleStatutory, Years: 6, Note: "too short"})
		if e := opstap.AsError(err); e == nil || e.Field != "years" {
			t.Fatalf("six years: %v", err)
		}
		if r := statutory(); r.Years != 10 {
			t.Fatalf("a refused change changed the rule: %+v", r)
		}
		rtMust(t, db.SetRetentionRule(ctx, rf.officer, privacy.RetentionRuleChange{Category: privacy.RuleStatutory, Years: 12, Note: "contract"}))
		if r := statutory(); r.Years != 12 || r.Note != "contract" {
			t.Fatalf("after the change %+v", r)
		}
		// A commissioner's personal-data period is not bound by the
		// statutory minimum.
		rtMust(t, db.SetRetentionRule(ctx, rf.officer, privacy.RetentionRuleChange{CommissionerOrgID: rf.municipality, Category: privacy.RulePersonal, Years: 1}))
	})
}

// TestKeylessCandidateIsAClearError: a database restored from a backup
// whose key file was not loaded says so for every read, instead of failing
// inside (issue 8 point 6).
func TestKeylessCandidateIsAClearError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rf := newRetentionFixture(t, db)
		c := rf.register(t, "K-1", "Karel", "Sleutel")
		rtExec(t, db, `UPDATE candidate_keys SET wrapped_key = NULL WHERE candidate_id = ?`, c.ID)
		_, err := db.FindCandidate(ctx, rf.coach, c.ID, store.PurposeGuidance, "")
		if e := opstap.AsError(err); e == nil || e.Code != opstap.EUNAVAILABLE || !strings.Contains(e.Message, "key file") {
			t.Fatalf("read without key: %v", err)
		}
		var keys strings.Builder
		n, err := db.ExportKeys(ctx, &keys)
		rtMust(t, err)
		if n != 0 {
			t.Fatalf("exported %d keys of a keyless database", n)
		}
	})
}

// TestEmployerSeesOnlyWhatThePlacementNeeds_003art7_7: the employer of a
// proposed placement reads the candidate's name and contact for the work,
// the shared limitations without who recorded them, and CVs without the
// staff who uploaded them; not the birth date, address, the
// commissioner's client number, the coach, the consents or the
// trajectories [003 art 7.7 lid 2, 002 art 5.1] (issue 8 point 8).
func TestEmployerSeesOnlyWhatThePlacementNeeds_003art7_7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newPlacementFixture(t, db)
		id := f.anna.ID
		if _, err := db.ProposePlacement(ctx, f.manager, f.assignment.ID, flex.Proposal{CandidateID: id}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateTrajectory(ctx, f.coach, id, store.NewTrajectory{Kind: trajectory.KindFlex}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetLimitations(ctx, f.medic, id, store.Limitations{Codes: []string{"no_night_shifts"}, SharedWithConsent: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UploadDocument(ctx, f.coach, id, dossier.DocCV, "cv-anna.pdf", storetest.PDF("cv")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordConsent(ctx, f.self, id, consent.Change{Topic: consent.ShareCV, Given: true}); err != nil {
			t.Fatal(err)
		}

		c, err := db.FindCandidate(ctx, f.boss, id, store.PurposePlacement, "")
		if err != nil {
			t.Fatal(err)
		}
		if !c.ForPlacement || c.Basic == nil || c.Basic.FirstName != "Anna" || c.Basic.Email != "anna@example.nl" ||
			!c.Basic.BirthDate.IsZero() || c.Basic.Postcode != "" || c.ExternalRef != "" || c.CoachUserID != "" || c.CommissionerOrgID != "" || c.UserID != "" {
			t.Fatalf("employer's record %+v %+v", c, c.Basic)
		}
		v, err := db.ReadCategory(ctx, f.boss, id, opstap.CatBasic, store.PurposePlacement, "")
		if err != nil {
			t.Fatal(err)
		}
		if b := v.(*candidate.Basic); !b.BirthDate.IsZero() || b.Postcode != "" || b.LastName != "Test" {
			t.Fatalf("employer's basic data %+v", b)
		}
		l, err := db.Limitations(ctx, f.boss, id, store.PurposePlacement, "")
		if err != nil || len(l.Codes) != 1 || l.UpdatedBy != "" || l.UpdatedAt != nil {
			t.Fatalf("employer's limitations %+v %v", l, err)
		}
		cvs, err := db.EmployerCVs(ctx, f.boss, id)
		if err != nil || len(cvs) != 1 || cvs[0].UploadedBy != "" || cvs[0].UploaderName != "" {
			t.Fatalf("employer's CV list %+v %v", cvs, err)
		}
		if _, err := db.Consents(ctx, f.boss, id); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("consents: %v", err)
		}
		if _, err := db.CandidateTrajectories(ctx, f.boss, id, store.PurposePlacement, ""); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("trajectories (with the coach): %v", err)
		}
		// The municipality and the coach still see everything.
		if c, err := db.FindCandidate(ctx, f.manager, id, store.PurposeGuidance, ""); err != nil || c.ForPlacement || c.Basic.BirthDate.IsZero() || c.ExternalRef == "" {
			t.Fatalf("case manager's record %+v %v", c, err)
		}
		if l, err := db.Limitations(ctx, f.coach, id, store.PurposeGuidance, ""); err != nil || l.UpdatedBy == "" {
			t.Fatalf("coach's limitations %+v %v", l, err)
		}
	})
}

// TestCommercialConsentOnlyInWriting_001: consent to commercial use counts
// only in writing — the candidate's own action in the portal or a signed
// form uploaded to the dossier [001]; a verbal consent recorded by staff,
// or a paper one without the paper, is refused; a withdrawal is taken
// however it comes (issue 8 point 9).
func TestCommercialConsentOnlyInWriting_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		other := f.register(t, "W-2", "Wim", "Ander")
		form := signedForm(t, db, f.coach, f.c.ID)
		letter, err := db.UploadDocument(ctx, f.coach, f.c.ID, dossier.DocLetter, "brief.pdf", storetest.PDF("letter"))
		rtMust(t, err)
		elsewhere, err := db.UploadDocument(ctx, f.coach, other.ID, dossier.DocSignedAgreement, "wim.pdf", storetest.PDF("wim"))
		rtMust(t, err)
		commercial := func(m consent.Method, doc string) consent.Change {
			return consent.Change{Topic: consent.CommercialUse, Given: true, Method: m, DocumentID: doc}
		}
		refused := []struct {
			name  string
			ch    consent.Change
			field string
		}{
			{"verbal, recorded by staff", commercial(consent.Verbal, ""), "method"},
			{"paper without the form", commercial(consent.Paper, ""), "document_id"},
			{"a letter is no signed form", commercial(consent.Paper, letter.ID), "document_id"},
			{"another candidate's form", commercial(consent.Paper, elsewhere.ID), "document_id"},
			{"no such document", commercial(consent.Paper, "0b6a8f8e-0000-4000-8000-000000000000"), "document_id"},
			{"a form with a verbal consent", commercial(consent.Verbal, form), "document_id"},
			{"health data verbally", consent.Change{Topic: consent.ShareHealth, Given: true, Method: consent.Verbal}, "method"},
		}
		for _, tt := range refused {
			_, err := db.RecordConsent(ctx, f.coach, f.c.ID, tt.ch)
			if e := opstap.AsError(err); e == nil || e.Field != tt.field {
				t.Errorf("%s: %v, want a refusal naming %s", tt.name, err, tt.field)
			}
		}
		if ok, _ := db.ConsentGiven(ctx, f.c.ID, consent.CommercialUse); ok {
			t.Fatal("a refused consent is in force")
		}
		if _, err := db.RecordConsent(ctx, f.coach, f.c.ID, commercial(consent.Paper, form)); err != nil {
			t.Fatalf("paper with the signed form: %v", err)
		}
		if ok, _ := db.ConsentGiven(ctx, f.c.ID, consent.CommercialUse); !ok {
			t.Fatal("the written consent is not in force")
		}
		// Withdrawing needs no paper.
		if _, err := db.RecordConsent(ctx, f.coach, f.c.ID, consent.Change{Topic: consent.CommercialUse, Method: consent.Verbal}); err != nil {
			t.Fatalf("verbal withdrawal: %v", err)
		}
		if ok, _ := db.ConsentGiven(ctx, f.c.ID, consent.CommercialUse); ok {
			t.Fatal("withdrawn consent still in force")
		}
		if _, err := db.RecordConsent(ctx, f.self, f.c.ID, commercial(consent.Portal, "")); err != nil {
			t.Fatalf("the candidate's own portal action: %v", err)
		}
		if ok, _ := db.ConsentGiven(ctx, f.c.ID, consent.CommercialUse); !ok {
			t.Fatal("the portal consent is not in force")
		}
		// A paper consent recorded before the rule, without its form, no
		// longer counts.
		rtExec(t, db, `UPDATE consents SET method = 'paper' WHERE candidate_id = ? AND topic = 'commercial_use' AND given = ?`, f.c.ID, true)
		if ok, _ := db.ConsentGiven(ctx, f.c.ID, consent.CommercialUse); ok {
			t.Fatal("a paper consent without its form counts")
		}
	})
}

// TestFlexVisibilityIsTheCVConsent_004: the flex visibility page and "my
// consents" read one record, the share_cv_with_employers consent, so they
// cannot disagree, whichever page the candidate uses (issue 8 point 9).
func TestFlexVisibilityIsTheCVConsent_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newPlacementFixture(t, db) // Anna agreed on the visibility page
		id := f.anna.ID
		agree := func(where string) (flexSays, consentsSay bool) {
			t.Helper()
			p, err := db.FlexProfile(ctx, f.self, id, store.PurposeSelf, "")
			rtMust(t, err)
			hist, err := db.Consents(ctx, f.self, id)
			rtMust(t, err)
			return p.ConsentAt != nil, consent.Current(hist)[consent.ShareCV].Given
		}
		check := func(where string, want bool) {
			t.Helper()
			if fl, co := agree(where); fl != want || co != want {
				t.Fatalf("%s: visibility page says %v, my consents says %v, want %v", where, fl, co, want)
			}
		}
		check("after agreeing on the visibility page", true)
		_, err := db.RecordConsent(ctx, f.self, id, consent.Change{Topic: consent.ShareCV, Given: false})
		rtMust(t, err)
		check("after withdrawing on my consents", false)
		if p, _ := db.FlexProfile(ctx, f.coach, id, store.PurposeMatching, ""); p.Visible() {
			t.Fatal("still visible to employers after the withdrawal")
		}
		_, err = db.RecordConsent(ctx, f.self, id, consent.Change{Topic: consent.ShareCV, Given: true})
		rtMust(t, err)
		check("after agreeing on my consents", true)
		rtMust(t, db.SetFlexFlag(ctx, f.self, id, access.FlagConsent, false))
		check("after withdrawing on the visibility page", false)
		if err := db.SetFlexFlag(ctx, f.coach, id, access.FlagConsent, true); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("the coach agreed for the candidate: %v", err)
		}
	})
}

// signedForm uploads a signed consent form to the candidate's dossier and
// returns its id, for a paper consent that must be in writing [001].
func signedForm(t *testing.T, db *store.DB, coach *opstap.Actor, candidateID string) string {
	t.Helper()
	d, err := db.UploadDocument(context.Background(), coach, candidateID, dossier.DocSignedAgreement, "toestemming.pdf", storetest.PDF("signed"))
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// TestRetentionRunLeavesNoTraceOnDisk: a scheduled retention run, like a
// single erasure, leaves neither the destroyed keys nor the external
// references in the SQLite file or its write-ahead log (issue 8 point 6).
func TestRetentionRunLeavesNoTraceOnDisk(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	rf := newRetentionFixture(t, db)
	traces := map[string][]byte{}
	for _, ref := range []string{"RUN-REF-0001", "RUN-REF-0002"} {
		c := rf.register(t, ref, "Rutger", "Runner")
		rtRegisteredYearsAgo(t, db, c.ID, 3)
		traces[ref] = []byte(ref)
		traces["key of "+ref] = rtWrappedKey(t, db, c.ID)
	}
	if len(storetest.Traces(t, rtFiles(db), traces)) == 0 {
		t.Fatal("the disk scan finds nothing even before the run")
	}
	run, err := db.RunRetention(ctx, &opstap.Actor{System: true}, store.RunScheduled)
	rtMust(t, err)
	if run.Erased != 2 {
		t.Fatalf("run %+v", run)
	}
	if hits := storetest.Traces(t, rtFiles(db), traces); len(hits) > 0 {
		t.Fatalf("found on disk after the run: %v", hits)
	}
}
