package store_test

import (
	"context"
	"github.com/opstap/opstap/internal/privacy"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// BenchmarkAccessExport builds the whole access export of one candidate
// with 1,000 dossier entries and 1,000 lines in the access log: the store's
// reads and decryption, the JSON, the PDF and the ZIP (issue 4 goal: under
// 2 s). It reports the median.
func BenchmarkAccessExport(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			muni, coach := benchStaff(b, db)
			ids, err := gen.Dossiers(ctx, db, muni, coach.UserID, 1, 1000, "GEN", 1)
			if err != nil {
				b.Fatal(err)
			}
			es := make([]audit.Entry, 1000)
			for i := range es {
				es[i] = audit.Entry{ActorUserID: coach.UserID, ActorRole: "coach", Event: audit.EventRead, CandidateID: ids[0], Category: "notes", Action: "read", Purpose: store.PurposeGuidance, Outcome: audit.OutcomeAllowed}
			}
			if err := db.AppendAudit(ctx, es...); err != nil {
				b.Fatal(err)
			}
			sys := &opstap.Actor{System: true}
			r, err := db.FileRightsRequest(ctx, sys, ids[0], privacy.NewRightsRequest{Kind: privacy.RightAccess})
			if err != nil {
				b.Fatal(err)
			}
			var total time.Duration
			for b.Loop() {
				t0 := time.Now()
				ex, err := db.AccessExport(ctx, sys, r.ID)
				if err != nil {
					b.Fatal(err)
				}
				if len(ex.DossierEntries) != 1000 {
					b.Fatalf("%d entries", len(ex.DossierEntries))
				}
				if _, err := render.ExportZIP(ex, "nl"); err != nil {
					b.Fatal(err)
				}
				total += time.Since(t0)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/export")
		})
	}
}
