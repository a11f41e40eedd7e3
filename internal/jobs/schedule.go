package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap/internal/mgmtreport"
	"github.com/opstap/opstap/internal/store"
)

// ScheduleInterval is how often the scheduler looks for periodic jobs that
// are due. It also runs when a server becomes River's leader.
const ScheduleInterval = time.Minute

// River's periodic jobs live in the leader's memory: a new leader starts
// their clocks afresh, so a job with RunOnStart ran again at every change
// of leader, and a daily job whose leader restarted more often than daily
// never ran. The daily jobs are therefore scheduled from the database
// (table job_schedule: next due, last run): the scheduler, itself a
// frequent River periodic job whose extra runs are harmless, claims each
// due period with a conditional update in the transaction that enqueues
// the job, so every period runs once across all servers.

// scheduled is one job on the database schedule.
type scheduled struct {
	args   river.JobArgs
	period time.Duration
	// delay is how long after the first start the first run comes.
	delay time.Duration
	// next, when set, replaces the fixed period: the next due time after
	// a claim at now (a calendar rhythm such as the monthly reports').
	next func(now time.Time) time.Time
}

// nextDue is the job's next due time after a claim of due at now.
func (j scheduled) nextDue(due, now time.Time) time.Time {
	if j.next != nil {
		return j.next(now)
	}
	return NextDue(due, now, j.period)
}

// dailyJobs are the jobs on the database schedule: the access review
// from the first start on, the retention run a day after it, and the
// municipalities' monthly reports at the first start (last month's, if
// not made yet) and then on the first working day of every month.
func dailyJobs() []scheduled {
	return []scheduled{
		{args: ReviewArgs{}, period: ReviewInterval},
		{args: RetentionArgs{}, period: RetentionInterval, delay: RetentionInterval},
		{args: MonthlyReportsArgs{}, next: mgmtreport.NextRun},
	}
}

// NextDue is the first due time after now in the series due, due+period,
// …: a server that was down for days runs a missed job once, not once per
// missed period, and keeps its time of day.
func NextDue(due, now time.Time, period time.Duration) time.Time {
	if now.Before(due) {
		return due
	}
	return due.Add((now.Sub(due)/period + 1) * period)
}

// ScheduleArgs is the scheduler's own job.
type ScheduleArgs struct{}

// Kind names the job in River's tables.
func (ScheduleArgs) Kind() string { return "schedule" }

// InsertOpts: the next tick comes within a minute.
func (ScheduleArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	db     *store.DB
	logger *slog.Logger
	runner *Runner // set before the runner starts
	jobs   []scheduled
}

func (w *scheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleArgs]) error {
	_, err := w.tick(ctx)
	return err
}

// tick enqueues every job whose period is due and returns how many.
func (w *scheduleWorker) tick(ctx context.Context) (int, error) {
	n := 0
	for _, j := range w.jobs {
		claimed, err := w.db.ClaimSchedule(ctx, j.args.Kind(), w.db.Now().Add(j.delay),
			j.nextDue,
			func(tx *store.Tx) error { return w.runner.InsertTx(ctx, tx, j.args, nil) })
		if err != nil {
			return n, err
		}
		if claimed {
			n++
			w.logger.InfoContext(ctx, "periodic job enqueued", slog.String("job", j.args.Kind()))
		}
	}
	return n, nil
}

func schedulePeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(ScheduleInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil },
		&river.PeriodicJobOpts{ID: ScheduleArgs{}.Kind(), RunOnStart: true})
}
