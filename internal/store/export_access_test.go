package store_test

import (
	"context"
	"encoding/json"
	"github.com/opstap/opstap/internal/privacy"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestAccessExportOnlyForCandidate_issue8: the export of an access request
// holds the whole file, medical part included, so it goes to the candidate
// alone and only once the request is granted in full [AVG art 15(3); 002
// art 4.3, 5.1]. The privacy officer who files a request for any
// candidate cannot download it (they could, before), and sees only what it
// holds, once they took the request on.
func TestAccessExportOnlyForCandidate_issue8(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		markers := fillEverything(t, cf)
		today := opstap.DateOf(cf.now)
		req := cf.fileRights(t, cf.cand, privacy.RightAccess, today)
		refused := cf.fileRights(t, cf.cand, privacy.RightAccess, today)
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, refused.ID, privacy.RightsAnswer{Status: privacy.RightsRefused, Text: "Al verstrekt."}); err != nil {
			t.Fatal(err)
		}
		partly := cf.fileRights(t, cf.cand, privacy.RightAccess, today)
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, partly.ID, privacy.RightsAnswer{Status: privacy.RightsPartlyGranted, Text: "Zonder gegevens van derden."}); err != nil {
			t.Fatal(err)
		}
		code := func(err error) string { return opstap.ErrorCode(err) }
		export := func(a *opstap.Actor, id string) error { _, err := db.AccessExport(ctx, a, id); return err }
		manifest := func(a *opstap.Actor, id string) error { _, err := db.AccessExportManifest(ctx, a, id); return err }
		checks := []struct {
			name string
			err  error
			want string
		}{
			{"officer exports an open request", export(cf.privacy, req.ID), opstap.EFORBIDDEN},
			{"officer exports a refused request", export(cf.privacy, refused.ID), opstap.EFORBIDDEN},
			{"officer sees the manifest before taking it on", manifest(cf.privacy, req.ID), opstap.ECONFLICT},
			{"manifest of a refused request", manifest(cf.privacy, refused.ID), opstap.ECONFLICT},
			{"candidate exports before the grant", export(cf.self, req.ID), opstap.ECONFLICT},
			{"candidate exports a refused request", export(cf.self, refused.ID), opstap.ECONFLICT},
			{"candidate exports a partly granted request", export(cf.self, partly.ID), opstap.ECONFLICT},
			{"candidate asks the manifest", manifest(cf.self, req.ID), opstap.EFORBIDDEN},
			{"medical expert exports", export(cf.medic, req.ID), opstap.EFORBIDDEN},
			{"coach sees the manifest", manifest(cf.coach, req.ID), opstap.EFORBIDDEN},
		}
		for _, c := range checks {
			if code(c.err) != c.want {
				t.Errorf("%s: %v, want %s", c.name, c.err, c.want)
			}
		}
		logged, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: cf.cand, ActorUserID: cf.privacy.UserID})
		if err != nil {
			t.Fatal(err)
		}
		denied := 0
		for _, e := range logged {
			if e.Outcome == audit.OutcomeDenied {
				denied++
			}
		}
		if denied != 2 {
			t.Errorf("%d denied entries of the officer, want the two export attempts", denied)
		}

		if _, err := db.AssignRightsRequest(ctx, cf.privacy, req.ID, ""); err != nil {
			t.Fatal(err)
		}
		m, err := db.AccessExportManifest(ctx, cf.privacy, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(m)
		for _, mk := range append(markers, "Lisa", "111222333") {
			if strings.Contains(string(js), mk) {
				t.Errorf("manifest holds %q", mk)
			}
		}
		counts := map[string]int{}
		for _, p := range m.Parts {
			counts[p.Part] = p.Count
		}
		if counts["dossier_entries"] != 2 || counts["documents"] != 1 || counts["categories"] != len(m.Categories) || len(m.Categories) == 0 {
			t.Errorf("manifest %s", js)
		}

		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted, Text: "Bijgaand."}); err != nil {
			t.Fatal(err)
		}
		if err := export(cf.privacy, req.ID); code(err) != opstap.EFORBIDDEN {
			t.Fatalf("officer exports a granted request: %v", err)
		}
		ex, err := db.AccessExport(ctx, cf.self, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ex.Manifest(); len(got.Parts) != len(m.Parts) || got.Parts[2] != m.Parts[2] {
			t.Errorf("the candidate's export differs from its manifest: %+v", got)
		}
		all, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: cf.cand, Event: audit.EventExport})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range all {
			if !strings.HasPrefix(e.Detail, "access export") {
				continue // the coach's report sharing of fillEverything
			}
			n++
			if e.ActorUserID != cf.self.UserID {
				t.Errorf("export logged for %s (%s)", e.ActorUserID, e.ActorRole)
			}
		}
		if n != len(opstap.Categories) {
			t.Errorf("%d access export entries, want %d", n, len(opstap.Categories))
		}
		reads, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: cf.cand, ActorUserID: cf.privacy.UserID, Event: audit.EventRead})
		if err != nil {
			t.Fatal(err)
		}
		manifests := 0
		for _, e := range reads {
			if strings.HasPrefix(e.Detail, "access export manifest") && e.Outcome == audit.OutcomeAllowed {
				manifests++
			}
		}
		if manifests != 1 {
			t.Errorf("%d manifest reads logged, want 1", manifests)
		}
	})
}
