package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap/internal/store"
)

// ReviewInterval is how often the access review job runs: from the first
// start on, on the database schedule (schedule.go).
const ReviewInterval = 24 * time.Hour

// ReviewArgs is the daily access review [003 bewerkers art 5]: it blocks
// grants not re-attested within twelve months and fourteen days, and
// notifies the admins of grants that are due (store.RunAccessReview).
type ReviewArgs struct{}

// Kind names the job in River's tables.
func (ReviewArgs) Kind() string { return "access_review" }

// InsertOpts: tomorrow's run catches up, so a failing run need not retry long.
func (ReviewArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type reviewWorker struct {
	river.WorkerDefaults[ReviewArgs]
	db     *store.DB
	logger *slog.Logger
}

func (w *reviewWorker) Work(ctx context.Context, _ *river.Job[ReviewArgs]) error {
	run, err := w.db.RunAccessReview(ctx)
	if err != nil {
		return err
	}
	// Counts only: never identities.
	w.logger.InfoContext(ctx, "access review", slog.Int("due", run.Due), slog.Int("notified", run.Notified), slog.Int("blocked", run.Blocked))
	return nil
}
