package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/figures/figurestest"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestHistoryImportDataset: the hand-made dataset, imported as a history
// file, gives the hand-computed figures on the dashboard; imported again
// it counts once; a corrected file replaces the history of the candidates
// it names (issue 10 item 3).
func TestHistoryImportDataset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		today := figurestest.Today
		db.Now = func() time.Time { return time.Date(today.Year, today.Month, today.Day, 11, 0, 0, 0, time.UTC) }
		recs, err := history.ParseCSV(bytes.NewReader(figurestest.CSV), today)
		if err != nil {
			t.Fatal(err)
		}
		refusals := []struct {
			name  string
			actor *opstap.Actor
			cbs   string
			want  string
		}{
			{"another municipality's case manager", f.other, "0034", opstap.EFORBIDDEN},
			{"finance imports no history", f.finance, "0034", opstap.EFORBIDDEN},
			{"a coach imports no history", f.coach, "0034", opstap.EFORBIDDEN},
			{"unknown municipality", f.admin, "9999", "municipality"},
		}
		for _, tt := range refusals {
			if _, err := db.ImportHistory(ctx, tt.actor, tt.cbs, recs); fieldOrCode(err) != tt.want {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			}
		}
		res, err := db.ImportHistory(ctx, f.manager, "0034", recs)
		want := store.HistoryResult{Municipality: store.FigureMunicipality{CBS: "0034", Name: "Gemeente Almere"}, Candidates: 15,
			Registrations: 8, MatchableChanges: 14, Placements: 8, HourMonths: 26, Ends: 6}
		if err != nil || res != want {
			t.Fatalf("ImportHistory = %v\n  %+v\nwant\n  %+v", err, res, want)
		}
		check := func(when string) {
			t.Helper()
			got, err := db.MunicipalityFigures(ctx, f.manager, figurestest.CBS, figurestest.Year)
			if err != nil {
				t.Fatal(err)
			}
			if got.Figures != figurestest.WantYear() {
				t.Errorf("%s: figures\n  %+v\nwant\n  %+v", when, got.Figures, figurestest.WantYear())
			}
			figurestest.CheckTrend(t, got.Trend)
		}
		check("imported")
		// The export's rows are the placements the figures count, with the same sums.
		rows, err := db.FigurePlacementFacts(ctx, f.manager, figurestest.CBS, figurestest.Year)
		if err != nil {
			t.Fatal(err)
		}
		var minutes int64
		for _, r := range rows.Placements {
			minutes += r.ApprovedMinutes
		}
		if len(rows.Placements) != 6 || minutes != 94440 || rows.Placements[0].ID != history.PlacementID("0034", "p2") {
			t.Errorf("placement facts: %d rows, %d minutes: %+v", len(rows.Placements), minutes, rows.Placements)
		}
		if _, err := db.FigurePlacementFacts(ctx, f.other, "0034", figurestest.Year); fieldOrCode(err) != opstap.EFORBIDDEN {
			t.Errorf("another municipality's placement facts: %v", err)
		}
		// The admin imports the same file again: it replaces, nothing counts twice.
		again, err := db.ImportHistory(ctx, f.admin, "0034", recs)
		if want.Replaced = 15; err != nil || again != want {
			t.Fatalf("again = %v %+v", err, again)
		}
		check("imported twice")
		// A corrected file: c9 was registered without benefit, and that is
		// all of c9's history (the placement p8, the matchable status and the
		// ends are gone).
		fix, err := history.ParseCSV(strings.NewReader("kind;candidate;date\nregistration;c9;10-03-2024\n"), today)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := db.ImportHistory(ctx, f.manager, "0034", fix); err != nil || res.Replaced != 1 || res.Candidates != 1 {
			t.Fatalf("correction = %v %+v", err, res)
		}
		got, err := db.MunicipalityFigures(ctx, f.manager, "0034", figurestest.Year)
		if err != nil {
			t.Fatal(err)
		}
		// r1 r4 r5 of 6; r4 of 6; c1 c5 c6; p2 p3 p4 p5 p6; c1 alone leaves for regular work.
		g := got.Figures
		if g.Registrations != 6 || g.BenefitOver1Year != (figures.Share{Count: 3, Percent: 50}) || g.BenefitOver3Years != (figures.Share{Count: 1, Percent: 17}) ||
			g.MatchableOnEnd != 3 || g.Placements != 5 || g.UniquePlacedCandidates != 4 || g.OutflowRegularWork != 1 {
			t.Errorf("after the correction: %+v", g)
		}
	})
}
