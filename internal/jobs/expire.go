package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap/internal/store"
)

// ExpireArgs is the expire job: it ends expired and idle sessions, revokes
// expired API tokens, drops old login failures and API idempotency keys
// older than 24 hours (store.PurgeExpired).
// It runs every ExpireInterval and once at start.
type ExpireArgs struct{}

// Kind names the job in River's tables.
func (ExpireArgs) Kind() string { return "expire" }

// InsertOpts: the next periodic run comes soon anyway, so a failing run
// need not be retried for long.
func (ExpireArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type expireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	db     *store.DB
	logger *slog.Logger
}

func (w *expireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	res, err := w.db.PurgeExpired(ctx)
	if err != nil {
		return err
	}
	// The chain's head goes to the log, which is shipped out of the
	// database's reach: `opstap audit verify --anchor` checks it later.
	if head, err := w.db.AuditHead(ctx); err == nil && head.Seq > 0 {
		w.logger.Info("audit anchor", "anchor", head.String())
	}
	// Counts only: never identities.
	level := slog.LevelDebug
	if res.Sessions+res.Tokens+res.LoginFailures+res.IdempotencyKeys > 0 {
		level = slog.LevelInfo
	}
	w.logger.Log(ctx, level, "expired records purged",
		slog.Int("sessions", res.Sessions),
		slog.Int("tokens", res.Tokens),
		slog.Int("login_failures", res.LoginFailures),
		slog.Int("idempotency_keys", res.IdempotencyKeys),
		slog.Int("expired_grants", res.ExpiredGrants))
	return nil
}
