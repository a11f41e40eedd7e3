package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
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
				if r.Category == store.RuleStatutory && r.CommissionerOrgID == "" {
					return r
				}
			}
			t.Fatal("no default statutory rule")
			return store.RetentionRule{}
		}
		if r := statutory(); r.Years != 10 || r.Note != store.StatutoryNote {
			t.Fatalf("default statutory rule %+v", r)
		}
		rec, err := db.RecordsOfProcessing(ctx, rf.officer)
		rtMust(t, err)
		found := false
		for _, r := range rec.Retention {
			if r.Category == store.RuleStatutory && r.Commissioner == "" {
				found = r.Years == 10 && strings.Contains(r.Note, "seed 001") && strings.Contains(r.Note, "AWR")
			}
		}
		if !found {
			t.Fatalf("records of processing retention %+v", rec.Retention)
		}
		err = db.SetRetentionRule(ctx, rf.officer, store.RetentionRuleChange{Category: store.RuleStatutory, Years: 6, Note: "too short"})
		if e := opstap.AsError(err); e == nil || e.Field != "years" {
			t.Fatalf("six years: %v", err)
		}
		if r := statutory(); r.Years != 10 {
			t.Fatalf("a refused change changed the rule: %+v", r)
		}
		rtMust(t, db.SetRetentionRule(ctx, rf.officer, store.RetentionRuleChange{Category: store.RuleStatutory, Years: 12, Note: "contract"}))
		if r := statutory(); r.Years != 12 || r.Note != "contract" {
			t.Fatalf("after the change %+v", r)
		}
		// A commissioner's personal-data period is not bound by the
		// statutory minimum.
		rtMust(t, db.SetRetentionRule(ctx, rf.officer, store.RetentionRuleChange{CommissionerOrgID: rf.municipality, Category: store.RulePersonal, Years: 1}))
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
