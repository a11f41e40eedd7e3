package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
)

// RetentionInterval is how often the retention job runs: daily
// [001 "Termijn bewaren gegevens", 004; DOMAIN.md §4].
const RetentionInterval = 24 * time.Hour

// RetentionArgs is the daily retention job: it erases every candidate whose
// period has ended (store.RunRetention, in batches) and the data whose only
// ground was a withdrawn consent (store.ApplyConsentWithdrawals). Each run
// leaves a destruction record.
type RetentionArgs struct{}

// Kind names the job in River's tables.
func (RetentionArgs) Kind() string { return "retention" }

// InsertOpts: a failed run is retried a few times; what it did not reach,
// the next day's run erases (every batch is all-or-nothing).
func (RetentionArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	db     *store.DB
	logger *slog.Logger
}

// Timeout: a run over a large database takes minutes, not River's default
// one minute.
func (w *retentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return time.Hour }

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	sys := &opstap.Actor{System: true}
	run, err := w.db.RunRetention(ctx, sys, store.RunScheduled)
	if err != nil {
		return err
	}
	n, err := w.db.ApplyConsentWithdrawals(ctx, sys)
	if err != nil {
		return err
	}
	// Counts only: never identities.
	w.logger.Info("retention run", slog.String("run", run.ID), slog.Int("erased", run.Erased), slog.Int("consent_rows", n))
	return nil
}
