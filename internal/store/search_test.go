package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestSearchLoggedAndWideSearchNeedsReason_issue8: a search by BSN or
// name is logged with every candidate it revealed (and one that revealed
// nobody is logged too); a coach's search over all candidates, who may
// open only their own, needs a stated reason, which is kept per revealed
// candidate for the privacy officer without opening the file [001 "Wat
// gebeurt er"]. Before, it answered without a reason and logged nothing.
func TestSearchLoggedAndWideSearchNeedsReason_issue8(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.register(t, "A-1", "José", "de Vries") // the coach's candidate, BSN 111222333
		searches := func(actor *opstap.Actor) []audit.Entry {
			t.Helper()
			es, err := db.FindAuditEntries(ctx, store.AuditFilter{ActorUserID: actor.UserID, Event: audit.EventSearch})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		// coach2 is not José's coach: searching all candidates needs a reason.
		for _, reason := range []string{"", "kort"} {
			_, err := db.FindCandidates(ctx, f.coach2, store.CandidateFilter{Query: "111222333", All: true, Reason: reason})
			if e := opstap.AsError(err); e == nil || e.Code != opstap.EFORBIDDEN || e.Field != "reason" {
				t.Fatalf("wide search with reason %q: %v", reason, err)
			}
		}
		if es := searches(f.coach2); len(es) != 2 || es[0].Outcome != audit.OutcomeDenied || es[0].CandidateID != "" {
			t.Fatalf("refused searches logged: %+v", es)
		}
		cs, err := db.FindCandidates(ctx, f.coach2, store.CandidateFilter{Query: "111222333", All: true, Reason: "Vervanging van collega tijdens verlof"})
		if err != nil || len(cs) != 1 || cs[0].Basic == nil || cs[0].Basic.LastName != "de Vries" {
			t.Fatalf("wide search with a reason: %v %+v", err, cs)
		}
		es := searches(f.coach2)
		if len(es) != 3 || es[2].CandidateID != c.ID || es[2].Outcome != audit.OutcomeAllowed {
			t.Fatalf("search not logged with its match: %+v", es)
		}
		bg, err := db.FindBreakGlass(ctx, &opstap.Actor{System: true}, 10)
		if err != nil || len(bg) != 1 || bg[0].Kind != store.GlassSearch || bg[0].Reason != "Vervanging van collega tijdens verlof" || bg[0].CandidateID != c.ID {
			t.Fatalf("search reason for the privacy officer: %v %+v", err, bg)
		}
		// The search showed the name; it did not open the file.
		if _, err := db.FindCandidate(ctx, f.coach2, c.ID, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("file opened by a search: %v", err)
		}
		// The own coach searches freely by name, and it is logged; a search
		// that reveals nobody is logged too, without any candidate.
		if cs, err := db.FindCandidates(ctx, f.coach, store.CandidateFilter{Query: "José de Vries"}); err != nil || len(cs) != 1 {
			t.Fatalf("own search: %v %d", err, len(cs))
		}
		if cs, err := db.FindCandidates(ctx, f.manager, store.CandidateFilter{Query: "999999990"}); err != nil || len(cs) != 0 {
			t.Fatalf("search for nobody: %v %d", err, len(cs))
		}
		if es := searches(f.coach); len(es) != 1 || es[0].CandidateID != c.ID {
			t.Fatalf("own search log: %+v", es)
		}
		if es := searches(f.manager); len(es) != 1 || es[0].CandidateID != "" || es[0].Detail == "" {
			t.Fatalf("empty search log: %+v", es)
		}
		// A list without a query is no search.
		if _, err := db.FindCandidates(ctx, f.coach2, store.CandidateFilter{All: true}); err != nil {
			t.Fatal(err)
		}
		if es := searches(f.coach2); len(es) != 3 {
			t.Fatalf("a plain list was logged as a search: %d", len(es))
		}
	})
}
