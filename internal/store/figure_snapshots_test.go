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

// TestFigureSnapshots: a month finance closed keeps its figures after a
// correction of its facts (issue 10 item 7); reopened it counts live, closed
// again it freezes the corrected facts.
func TestFigureSnapshots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newHoursFixture(t, db)
		ctx := context.Background()
		today := figurestest.Today
		db.Now = func() time.Time { return time.Date(today.Year, today.Month, today.Day, 11, 0, 0, 0, time.UTC) }
		recs, err := history.ParseCSV(bytes.NewReader(figurestest.CSV), today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportHistory(ctx, f.manager, "0034", recs); err != nil {
			t.Fatal(err)
		}
		may := opstap.Month{Year: 2024, Month: 5}
		if err := db.ClosePeriod(ctx, f.finance, may); err != nil {
			t.Fatal(err)
		}
		mayPeriod := figures.Period{Start: may.First(), End: may.Last()}
		read := func(p figures.Period) figures.Figures {
			t.Helper()
			got, err := db.MunicipalityFigures(ctx, f.manager, "0034", p)
			if err != nil {
				t.Fatal(err)
			}
			return got.Figures
		}
		// The first read covers only part of May; the whole month is frozen.
		if part := read(figures.Period{Start: may.First().AddDays(14), End: may.Last()}); part.OutflowRegularWork != 0 {
			t.Fatalf("15–31 May: %+v", part)
		}
		frozen := read(mayPeriod) // c1 left for regular work on 1 May
		if frozen.OutflowRegularWork != 1 || frozen.MatchableOnEnd != 4 || snapshots(t, db) != 1 {
			t.Fatalf("May when closed: %+v", frozen)
		}
		// A correction: c1 never left for regular work, nor was matchable in May.
		fix, err := history.ParseCSV(strings.NewReader("kind;candidate;date;matchable\nmatchable;c1;2024-03-01;ja\nmatchable;c1;2024-05-10;nee\n"), today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportHistory(ctx, f.manager, "0034", fix); err != nil {
			t.Fatal(err)
		}
		if got := read(mayPeriod); got != frozen {
			t.Errorf("May after the correction:\n  %+v\nwant the frozen\n  %+v", got, frozen)
		}
		// The year counts May from its snapshot (c1's outflow) and the other months live.
		year, err := db.MunicipalityFigures(ctx, f.manager, "0034", figurestest.Year)
		if err != nil {
			t.Fatal(err)
		}
		if year.Figures.OutflowRegularWork != 2 || year.Trend[4].Figures != frozen || year.Trend[5].MatchableOnEnd != 3 {
			t.Errorf("the year: outflow %d, May %+v, June matchable %d", year.Figures.OutflowRegularWork, year.Trend[4].Figures, year.Trend[5].MatchableOnEnd)
		}
		// Reopened, May counts live; closed again, the corrected facts are frozen.
		if err := db.ReopenPeriod(ctx, f.admin, may, "Corrections of the municipality's history."); err != nil {
			t.Fatal(err)
		}
		live := read(mayPeriod)
		if live.OutflowRegularWork != 0 || live.MatchableOnEnd != 3 {
			t.Errorf("May reopened: %+v", live)
		}
		db.Now = func() time.Time { return time.Date(today.Year, today.Month, today.Day, 12, 0, 0, 0, time.UTC) }
		if err := db.ClosePeriod(ctx, f.finance, may); err != nil {
			t.Fatal(err)
		}
		if got := read(mayPeriod); got != live {
			t.Errorf("May closed again: %+v, want %+v", got, live)
		}
		if snapshots(t, db) != 1 || storetest.ClearIn(t, db, "figure_snapshots", "Anna", "facts") != 0 {
			t.Error("one snapshot of May, without names")
		}
	})
}

func snapshots(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM figure_snapshots`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
