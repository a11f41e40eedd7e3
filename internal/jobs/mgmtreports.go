package jobs

import (
	"context"
	"log/slog"
	"slices"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
)

// MonthlyReportsArgs makes last month's management report of every
// municipality [003 art 5 lid 10: "na afloop van iedere maand"], on the
// first working day of each month (mgmtreport.NextRun, on the database
// schedule), and notifies the municipalities' case managers.
type MonthlyReportsArgs struct{}

// Kind names the job in River's tables.
func (MonthlyReportsArgs) Kind() string { return "monthly_reports" }

// InsertOpts: a run that fails (the database away) is tried again; a
// report made already is never made twice (store.MakeMonthlyReports).
func (MonthlyReportsArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

type monthlyReportsWorker struct {
	river.WorkerDefaults[MonthlyReportsArgs]
	db     *store.DB
	logger *slog.Logger
}

func (w *monthlyReportsWorker) Work(ctx context.Context, _ *river.Job[MonthlyReportsArgs]) error {
	m := opstap.MonthOf(opstap.DateOf(w.db.Now())).Add(-1)
	made, failed, err := w.db.MakeMonthlyReports(ctx, m)
	if err != nil {
		return err
	}
	// Counts and CBS codes only: a report of a municipality whose hours
	// cannot be priced (no contract terms) waits for the terms, and for
	// the next run or a request on demand.
	var codes []string
	for cbs := range failed {
		codes = append(codes, cbs)
	}
	slices.Sort(codes)
	w.logger.InfoContext(ctx, "monthly reports", slog.String("month", m.String()), slog.Int("made", made), slog.Any("not_made", codes))
	return nil
}
