package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

func pday(t *testing.T, s string) opstap.Date {
	t.Helper()
	d, err := opstap.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestProcessorRegisters_003bewerkersArt3: the privacy officer keeps the
// sub-processors and each commissioner's audits; the next audit is due two
// years after the last (or the contract's start) and shows overdue after
// it; nobody else may.
func TestProcessorRegisters_003bewerkersArt3(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 15, 10, 0, 0, 0, opstap.Amsterdam)
		db.Now = func() time.Time { return now }
		f := newOpsFixture(t, db)
		host := privacy.SubProcessor{Name: "Hoster BV", Purpose: "Hosting van de database", Location: "Amsterdam, NL", Since: pday(t, "2025-01-01")}
		if _, err := db.SaveSubProcessor(ctx, f.coach, "", host); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach keeps the register: %v", err)
		}
		bad := host
		bad.Location = ""
		if _, err := db.SaveSubProcessor(ctx, f.privacy, "", bad); fieldOf(err) != "location" {
			t.Fatalf("no location: %v", err)
		}
		s, err := db.SaveSubProcessor(ctx, f.privacy, "", host)
		if err != nil {
			t.Fatal(err)
		}
		host.Until = pday(t, "2026-03-31")
		if _, err := db.SaveSubProcessor(ctx, f.privacy, s.ID, host); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveSubProcessor(ctx, f.privacy, "", privacy.SubProcessor{Name: "Mailer BV", Purpose: "E-mail", Location: "Frankfurt, DE", Since: pday(t, "2026-04-01")}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.FindSubProcessors(ctx, f.privacy)
		if err != nil || len(ss) != 2 || ss[0].Name != "Mailer BV" || !ss[0].Engaged || ss[1].Engaged {
			t.Fatalf("register: %+v %v", ss, err)
		}

		if err := db.SetContract(ctx, f.privacy, f.municipality, privacy.Contract{StartedOn: pday(t, "2016-07-13")}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetContract(ctx, f.privacy, f.municipality2, privacy.Contract{StartedOn: pday(t, "2025-09-01")}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordProcessorAudit(ctx, f.privacy, f.municipality, pday(t, "2026-06-16"), "Auditdienst Almere", ""); fieldOf(err) != "audited_on" {
			t.Fatalf("future audit: %v", err)
		}
		if err := db.RecordProcessorAudit(ctx, f.privacy, f.municipality, pday(t, "2024-06-01"), "Auditdienst Almere", "Geen bevindingen"); err != nil {
			t.Fatal(err)
		}
		ds, err := db.ProcessorDuties(ctx, f.privacy)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]store.CommissionerDuties{}
		for _, d := range ds {
			by[d.OrgID] = d
		}
		if d := by[f.municipality]; d.NextDue != pday(t, "2026-06-01") || !d.Overdue || d.Auditor != "Auditdienst Almere" {
			t.Fatalf("Almere: %+v", d)
		}
		if d := by[f.municipality2]; d.NextDue != pday(t, "2027-09-01") || d.Overdue {
			t.Fatalf("Lelystad: %+v", d)
		}
		if err := db.RecordProcessorAudit(ctx, f.privacy, f.municipality, pday(t, "2026-06-10"), "Auditdienst Almere", ""); err != nil {
			t.Fatal(err)
		}
		if ds, err = db.ProcessorDuties(ctx, f.privacy); err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.OrgID == f.municipality && (d.Overdue || d.NextDue != pday(t, "2028-06-10")) {
				t.Fatalf("after the audit: %+v", d)
			}
		}
		if _, err := db.ProcessorDuties(ctx, f.coach); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach reads the schedule: %v", err)
		}
	})
}

// TestContractEndDestruction_003art7_5: at the end of the contract the
// data is handed over first, then the commissioner's candidates are
// erased in one run with a destruction record; another commissioner's
// candidates stay.
func TestContractEndDestruction_003art7_5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := &opstap.Actor{System: true}
		f := newOpsFixture(t, db)
		c1 := f.register(t, "A-1", "José", "de Vries")
		f.register(t, "A-2", "Bram", "Smit")
		other, err := db.RegisterCandidate(ctx, f.other, candidate.Registration{CommissionerOrgID: f.municipality2, ExternalRef: "L-1",
			Basic: candidate.Basic{FirstName: "Eva", LastName: "Jansen", BirthDate: pday(t, "1990-02-01"), Postcode: "8232AB"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.DestroyCommissionerData(ctx, sys, "0034"); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("without a contract: %v", err)
		}
		today := opstap.DateOf(db.Now())
		if err := db.SetContract(ctx, f.privacy, f.municipality, privacy.Contract{StartedOn: pday(t, "2016-07-13"), EndedOn: today}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DestroyCommissionerData(ctx, sys, "0034"); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("before the hand-over: %v", err)
		}
		if _, err := db.DestroyCommissionerData(ctx, f.privacy, "0034"); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("privacy officer destroys: %v", err)
		}
		if _, err := db.ExportHandover(ctx, sys, "0034"); err != nil {
			t.Fatal(err)
		}
		run, err := db.DestroyCommissionerData(ctx, sys, "0034")
		if err != nil {
			t.Fatal(err)
		}
		contractEnd := 0
		for _, c := range run.Counts {
			if c.Rule == store.RuleContractEnd && c.Kind == "personal_data" {
				contractEnd += c.Count
			}
		}
		if run.Erased != 2 || contractEnd == 0 {
			t.Fatalf("run %+v", run)
		}
		if _, err := db.ReadCategory(ctx, f.coach, c1.ID, opstap.CatBasic, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.ENOTFOUND {
			t.Fatalf("candidate after destruction: %v", err)
		}
		if _, err := db.ReadCategory(ctx, f.other, other.ID, opstap.CatBasic, store.PurposeGuidance, ""); err != nil {
			t.Fatalf("another commissioner's candidate erased: %v", err)
		}
		ds, err := db.ProcessorDuties(ctx, f.privacy)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.OrgID == f.municipality && (d.ReturnedAt == nil || d.DestroyedAt == nil || d.RunID != run.ID) {
				t.Fatalf("duties after the end: %+v", d)
			}
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
