-- +goose Up
-- Finance periods (issue 9 item 7): a closed month, for the whole provider.
-- After closing nothing booked in it changes; a correction lands in the
-- next open month. Reopening deletes the row; both are kept as events.
CREATE TABLE finance_periods (
    month     TEXT PRIMARY KEY,
    closed_at TIMESTAMP NOT NULL,
    closed_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE finance_period_events (
    id      TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL UNIQUE,
    month   TEXT NOT NULL,
    action  TEXT NOT NULL CHECK (action IN ('closed','reopened')),
    reason  TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL DEFAULT '',
    at      TIMESTAMP NOT NULL
);
CREATE INDEX finance_period_events_month ON finance_period_events (month, seq);

-- Worked hours (issue 9 item 2; seed 003 art 5 lid 3, 8, 9): one original
-- line per placement per day (a rejected one stays as history beside its
-- successor), and correction lines that refer to it and hold the signed
-- difference. Minutes are exact; travel as typed (kilometres, a public
-- transport amount in cents). month is where the line is booked: the day's
-- month, or the next open month for a correction or late approval of a
-- closed one. A money record under the statutory retention: the lines
-- survive the candidate's erasure with the candidate's pseudonymous id; the
-- reason (typed text) is sealed under the candidate's key and goes.
CREATE TABLE timesheet_lines (
    id            TEXT PRIMARY KEY,
    placement_id  TEXT NOT NULL REFERENCES placements (id),
    candidate_id  TEXT NOT NULL REFERENCES candidates (id),
    day           DATE NOT NULL,
    month         TEXT NOT NULL,
    minutes       INTEGER NOT NULL,
    travel_km     INTEGER NOT NULL DEFAULT 0,
    transit_cents BIGINT NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status IN ('submitted','approved','rejected')),
    source        TEXT NOT NULL CHECK (source IN ('employer','candidate','finance')),
    corrects_id   TEXT REFERENCES timesheet_lines (id),
    reason        BLOB,
    entered_by    TEXT NOT NULL DEFAULT '',
    entered_at    TIMESTAMP NOT NULL,
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMP
);
CREATE INDEX timesheet_lines_placement ON timesheet_lines (placement_id, day);
CREATE INDEX timesheet_lines_month ON timesheet_lines (month, status);
CREATE INDEX timesheet_lines_status ON timesheet_lines (status, placement_id);
CREATE INDEX timesheet_lines_candidate ON timesheet_lines (candidate_id);
CREATE UNIQUE INDEX timesheet_lines_one_per_day ON timesheet_lines (placement_id, day) WHERE corrects_id IS NULL AND status <> 'rejected';

-- Weeks whose approved hours exceed the contracted hours, for the
-- municipality until it has noted them.
CREATE TABLE timesheet_flags (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    monday       DATE NOT NULL,
    minutes      INTEGER NOT NULL,
    limit_hours  INTEGER NOT NULL,
    flagged_at   TIMESTAMP NOT NULL,
    noted_at     TIMESTAMP,
    noted_by     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (placement_id, monday)
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
