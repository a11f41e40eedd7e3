-- +goose Up
-- The schedule of the periodic jobs that must run once per period however
-- many servers run and however often River's leader changes: a server
-- claims a due period by moving next_due_at on, in the transaction that
-- enqueues the job (store.ClaimSchedule).
CREATE TABLE job_schedule (
    name        TEXT PRIMARY KEY,
    next_due_at TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP
);

-- +goose Down
DROP TABLE job_schedule;
