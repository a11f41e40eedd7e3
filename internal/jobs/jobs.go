// Package jobs runs Opstap's background jobs on River, on either engine.
//
// On SQLite, River works through its own single connection to the database
// file (River's advice: its internal services run concurrently and SQLite
// allows one writer); on PostgreSQL it works through the store's pgx pool.
// River's tables live beside the store's: in the SQLite file, or in the
// first schema of PostgreSQL's search_path.
//
// Jobs are enqueued with Runner.InsertTx inside a store transaction, so a
// change and the job that follows from it commit or roll back together.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/opstap/opstap/internal/store"
)

// ExpireInterval is how often the expire job runs; it also runs once when
// the runner starts.
const ExpireInterval = 5 * time.Minute

// stopCancelTimeout bounds the hard stop that follows a graceful stop whose
// context ran out.
const stopCancelTimeout = 10 * time.Second

// Options configure a Runner.
type Options struct {
	// Workers is how many jobs run at once; 0 means 2.
	Workers int
	// Disabled starts no workers and no periodic jobs: the runner only
	// enqueues, for CLI commands. River's tables are still migrated.
	Disabled bool
	// Mail configures the e-mail sender (mail.go).
	Mail MailConfig
	// ExpireEvery is how often the expire job purges sessions, tokens,
	// stale uploads and idempotency keys; 0 means ExpireInterval.
	ExpireEvery time.Duration
	// MailEvery is how often the sender looks for queued e-mail besides
	// the run each queuing transaction enqueues; 0 means MailInterval.
	MailEvery time.Duration

	// testOnly sets River's TestOnly: no staggered start of its
	// maintenance services, so the periodic jobs' start-up run comes at
	// once instead of after up to several seconds.
	testOnly bool
}

// Runner is a started River client with Opstap's workers and periodic jobs.
type Runner struct {
	// inserter enqueues in a caller's *sql.Tx: on SQLite the working client
	// itself, on PostgreSQL an insert-only client on database/sql.
	inserter *river.Client[*sql.Tx]
	// worker works jobs; nil when Options.Disabled.
	worker workerClient
	// riverDB is River's own connection to the SQLite file; nil on PostgreSQL.
	riverDB *sql.DB

	stopOnce sync.Once
	stopErr  error
}

// workerClient is what the Runner needs of a working River client, whatever
// its driver's transaction type.
type workerClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// Start migrates River's tables and, unless opts.Disabled, starts working
// jobs and scheduling the periodic ones. ctx bounds the start-up only: the
// runner runs until Stop (it keeps ctx's values, not its cancellation).
func Start(ctx context.Context, db *store.DB, logger *slog.Logger, opts Options) (*Runner, error) {
	if logger == nil {
		logger = slog.Default()
	}
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &expireWorker{db: db, logger: logger}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, newMailWorker(db, logger, opts.Mail)); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &reviewWorker{db: db, logger: logger}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &retentionWorker{db: db, logger: logger}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &monthlyReportsWorker{db: db, logger: logger}); err != nil {
		return nil, err
	}
	scheduler := &scheduleWorker{db: db, logger: logger, jobs: dailyJobs()}
	if err := river.AddWorkerSafely(workers, scheduler); err != nil {
		return nil, err
	}

	var r *Runner
	var err error
	switch db.Dialect {
	case store.SQLite:
		r, err = startSQLite(ctx, db, logger, opts, workers)
	case store.Postgres:
		r, err = startPostgres(ctx, db, logger, opts, workers)
	default:
		return nil, fmt.Errorf("jobs: unsupported database %q", db.Dialect)
	}
	if err != nil {
		return nil, err
	}
	scheduler.runner = r
	if err := r.start(ctx); err != nil {
		if r.riverDB != nil {
			r.riverDB.Close()
		}
		return nil, err
	}
	hookMail(db, r)
	return r, nil
}

func startSQLite(ctx context.Context, db *store.DB, logger *slog.Logger, opts Options, workers *river.Workers) (*Runner, error) {
	if db.Path == "" {
		return nil, errors.New("jobs: SQLite database has no file path")
	}
	riverDB, err := sql.Open("sqlite", store.SQLiteDSN(db.Path))
	if err != nil {
		return nil, fmt.Errorf("jobs: open SQLite for River: %w", err)
	}
	// One connection: River's services would otherwise contend for SQLite's
	// single write lock among themselves.
	riverDB.SetMaxOpenConns(1)

	driver := riversqlite.New(riverDB)
	if err := migrate(ctx, db, driver, logger); err != nil {
		riverDB.Close()
		return nil, err
	}
	client, err := river.NewClient(driver, config(logger, opts, workers))
	if err != nil {
		riverDB.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r := &Runner{inserter: client, riverDB: riverDB}
	if !opts.Disabled {
		r.worker = client
	}
	return r, nil
}

func startPostgres(ctx context.Context, db *store.DB, logger *slog.Logger, opts Options, workers *river.Workers) (*Runner, error) {
	if db.Pool == nil {
		return nil, errors.New("jobs: PostgreSQL database has no pgx pool")
	}
	// The store's transactions are database/sql ones (pgx's stdlib over the
	// same pool), so enqueueing goes through River's database/sql driver; an
	// insert-only client (no queues) never starts and holds no connection.
	inserter, err := river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{Logger: logger, Workers: workers})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	driver := riverpgxv5.New(db.Pool)
	if err := migrate(ctx, db, driver, logger); err != nil {
		return nil, err
	}
	r := &Runner{inserter: inserter}
	if !opts.Disabled {
		worker, err := river.NewClient[pgx.Tx](driver, config(logger, opts, workers))
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		r.worker = worker
	}
	return r, nil
}

// config is the working client's configuration. Schema stays empty so River
// follows the connection: the SQLite file, or PostgreSQL's search_path
// (current_schema()), where the store's tables are.
func config(logger *slog.Logger, opts Options, workers *river.Workers) *river.Config {
	c := &river.Config{Logger: logger, TestOnly: opts.testOnly, Workers: workers}
	if opts.Disabled {
		return c
	}
	c.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers}}
	c.PeriodicJobs = []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(opts.ExpireEvery, ExpireInterval)),
			func() (river.JobArgs, *river.InsertOpts) { return ExpireArgs{}, nil },
			&river.PeriodicJobOpts{ID: ExpireArgs{}.Kind(), RunOnStart: true}),
		mailPeriodicJob(cmp.Or(opts.MailEvery, MailInterval)),
		schedulePeriodicJob(), // the daily jobs: schedule.go
	}
	return c
}

// migrate brings River's own tables up to date, under the store's
// migration lock: River's migrations do not exclude each other, and two
// servers starting together would otherwise both create its tables.
func migrate[TTx any](ctx context.Context, db *store.DB, driver riverdriver.Driver[TTx], logger *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("jobs: migrations: %w", err)
	}
	return db.WithMigrationLock(ctx, func() error {
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		return nil
	})
}

func (r *Runner) start(ctx context.Context) error {
	if r.worker == nil {
		return nil
	}
	if err := r.worker.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// InsertTx enqueues a job in the store transaction tx: it becomes visible
// to workers when tx commits and disappears if tx rolls back. opts may be
// nil.
func (r *Runner) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := r.inserter.InsertTx(ctx, tx.SQLTx(), args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish. If ctx
// ends first, running jobs are cancelled and Stop waits a little longer for
// them to return. Later calls return the first call's result.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopOnce.Do(func() {
		var err error
		if r.worker != nil {
			err = r.worker.Stop(ctx)
			if err != nil && ctx.Err() != nil {
				cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopCancelTimeout)
				err = errors.Join(err, r.worker.StopAndCancel(cctx))
				cancel()
			}
		}
		if r.riverDB != nil {
			err = errors.Join(err, r.riverDB.Close())
		}
		if err != nil {
			r.stopErr = fmt.Errorf("jobs: stop: %w", err)
		}
	})
	return r.stopErr
}
