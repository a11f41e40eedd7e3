package store_test

import (
	"context"
	"github.com/opstap/opstap/internal/consent"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func fieldOf(err error) string {
	if e := opstap.AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// TestRectificationCarriedOut_002art7_2: the privacy officer records the
// corrected values of a rectification request; a grant without them is
// refused and the request stays open; once granted, the assigned coach is
// told and confirms the change, which goes through the normal category
// write (the privacy officer may not write it), is logged naming the
// request, and runs once.
func TestRectificationCarriedOut_002art7_2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		req := cf.fileRights(t, cf.cand, privacy.RightRectification, opstap.DateOf(cf.now))
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); fieldOf(err) != "values" {
			t.Fatalf("granted without values: %v", err)
		}
		if r, err := db.FindRightsRequest(ctx, cf.privacy, req.ID); err != nil || r.Status.Closed() {
			t.Fatalf("request after the refused grant: %+v %v", r, err)
		}
		fix := privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{"postcode": "1315 AB", "city": "Almere"}}
		if _, err := db.SetRectification(ctx, cf.coach, req.ID, fix); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach records values: %v", err)
		}
		if _, err := db.SetRectification(ctx, cf.privacy, req.ID, privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{"shoe_size": "44"}}); fieldOf(err) != "values" {
			t.Fatalf("unknown field: %v", err)
		}
		if _, err := db.SetRectification(ctx, cf.privacy, req.ID, fix); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyRectification(ctx, cf.coach, req.ID); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("applied before the grant: %v", err)
		}
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); err != nil {
			t.Fatal(err)
		}
		ns, _, err := db.Notifications(ctx, cf.coach)
		if err != nil || len(ns) == 0 || ns[0].Link != store.RectificationLink(req.ID) {
			t.Fatalf("coach not told: %+v %v", ns, err)
		}
		if _, err := db.ApplyRectification(ctx, cf.privacy, req.ID); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("privacy officer writes basic data: %v", err)
		}
		before, err := db.RightsChangeToApply(ctx, cf.coach, req.ID)
		if err != nil || before.Current.(*candidate.Basic).City == "Almere" {
			t.Fatalf("change to apply: %+v %v", before, err)
		}
		if _, err := db.ApplyRectification(ctx, cf.coach, req.ID); err != nil {
			t.Fatal(err)
		}
		v, err := db.ReadCategory(ctx, cf.coach, cf.cand, opstap.CatBasic, store.PurposeGuidance, "")
		if err != nil {
			t.Fatal(err)
		}
		if b := v.(*candidate.Basic); b.City != "Almere" || strings.ReplaceAll(b.Postcode, " ", "") != "1315AB" || b.FirstName == "" {
			t.Fatalf("basic after the rectification: %+v", b)
		}
		if _, err := db.ApplyRectification(ctx, cf.coach, req.ID); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("applied twice: %v", err)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: cf.cand, Event: audit.EventWrite})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range es {
			found = found || e.Category == string(opstap.CatBasic) && e.Purpose == store.PurposeRights && strings.Contains(e.Detail, req.ID)
		}
		if !found {
			t.Fatal("the rectification is not logged as a write of basic data naming the request")
		}
		// A value the category's rules refuse is named; nothing changes.
		bad := cf.fileRights(t, cf.cand, privacy.RightRectification, opstap.DateOf(cf.now))
		if _, err := db.SetRectification(ctx, cf.privacy, bad.ID, privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{"birth_date": "31-12-2099"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, bad.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyRectification(ctx, cf.coach, bad.ID); fieldOf(err) != "birth_date" {
			t.Fatalf("birth date in the future: %v", err)
		}
	})
}

// TestScreeningCarriedOut_001: a granted screening request screens off the
// categories the privacy officer recorded, at once: staff are refused with
// the reason, the candidate still reads them; a grant without them is
// refused.
func TestScreeningCarriedOut_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		req := cf.fileRights(t, cf.cand, privacy.RightScreening, opstap.DateOf(cf.now))
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); fieldOf(err) != "categories" {
			t.Fatalf("granted without categories: %v", err)
		}
		if _, err := db.SetScreening(ctx, cf.privacy, req.ID, []opstap.Category{opstap.CatBasic}); fieldOf(err) != "categories" {
			t.Fatalf("basic screened off: %v", err)
		}
		if _, err := db.SetScreening(ctx, cf.privacy, req.ID, []opstap.Category{opstap.CatBenefit}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReadCategory(ctx, cf.coach, cf.cand, opstap.CatBenefit, store.PurposeGuidance, ""); err != nil {
			t.Fatalf("before the grant: %v", err)
		}
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); err != nil {
			t.Fatal(err)
		}
		_, err := db.ReadCategory(ctx, cf.coach, cf.cand, opstap.CatBenefit, store.PurposeGuidance, "")
		if opstap.ErrorCode(err) != opstap.EFORBIDDEN || !strings.Contains(err.Error(), access.ReasonScreened) {
			t.Fatalf("coach reads screened data: %v", err)
		}
		if _, err := db.ReadCategory(ctx, cf.coach, cf.cand, opstap.CatBasic, store.PurposeGuidance, ""); err != nil {
			t.Fatalf("basic data after screening: %v", err)
		}
		c, err := db.FindRightsChange(ctx, cf.privacy, req.ID)
		if err != nil || c.AppliedAt == nil || len(c.Screen) != 1 {
			t.Fatalf("change after the grant: %+v %v", c, err)
		}
	})
}

// TestConsentWithdrawalFeedsRetention_004: data whose only ground was a
// consent (queued newsletters) is due in the dry run once the consent is
// withdrawn, and the retention run erases it with a destruction record.
func TestConsentWithdrawalFeedsRetention_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		officer := f.user(t, "privacy@p.nl", opstap.RolePrivacyOfficer)
		if _, err := db.RecordConsent(ctx, f.self, f.c.ID, consent.Change{Topic: consent.Newsletters, Given: true, Method: consent.Portal}); err != nil {
			t.Fatal(err)
		}
		exec(t, db, `INSERT INTO email_outbox (id, to_address, kind, link, language, created_at) VALUES ('nl-1', 'eline@example.nl', 'newsletter', '/', 'nl', ?)`, db.Now().UTC())
		dry, err := db.RetentionDryRun(ctx, officer)
		if err != nil || len(dry.Consent) != 0 {
			t.Fatalf("due while the consent stands: %+v %v", dry, err)
		}
		if _, err := db.RecordConsent(ctx, f.self, f.c.ID, consent.Change{Topic: consent.Newsletters, Given: false, Method: consent.Portal}); err != nil {
			t.Fatal(err)
		}
		if dry, err = db.RetentionDryRun(ctx, officer); err != nil || len(dry.Consent) != 1 || dry.Consent[0].Rows != 1 ||
			dry.Consent[0].CandidateID != f.c.ID || dry.PerRule["consent_withdrawn:newsletters"] != 1 {
			t.Fatalf("dry run after the withdrawal: %+v %v", dry, err)
		}
		if _, err := db.RunRetention(ctx, officer, store.RunManual); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM email_outbox WHERE kind = 'newsletter'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d newsletters left: %v", n, err)
		}
		runs, err := db.RetentionRuns(ctx, officer, 10)
		if err != nil {
			t.Fatal(err)
		}
		recorded := false
		for _, r := range runs {
			for _, c := range r.Counts {
				recorded = recorded || r.Kind == store.RunConsent && c.Rule == "consent_withdrawn:newsletters" && c.Count == 1
			}
		}
		if !recorded {
			t.Fatalf("no destruction record: %+v", runs)
		}
		if dry, err = db.RetentionDryRun(ctx, officer); err != nil || len(dry.Consent) != 0 {
			t.Fatalf("still due after the run: %+v %v", dry, err)
		}
		// The rest of the file stays.
		if _, err := db.ReadCategory(ctx, f.coach, f.c.ID, opstap.CatBasic, store.PurposeGuidance, ""); err != nil {
			t.Fatal(err)
		}
	})
}
