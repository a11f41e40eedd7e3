-- +goose Up
-- The municipality's management reports (issue 10 items 4 and 5; seed 003
-- art 5 lid 10, 11). An assignment's status had no history, so the report
-- of a past month could not say what was open then: every change of status
-- is now kept with its moment. Existing assignments get their creation (as
-- draft) and their present status at their last change.
CREATE TABLE assignment_status_events (
    id            TEXT PRIMARY KEY,
    assignment_id TEXT NOT NULL REFERENCES assignments (id),
    status        TEXT NOT NULL CHECK (status IN ('draft','open','filled','closed')),
    changed_at    TIMESTAMP NOT NULL
);
CREATE INDEX assignment_status_events_assignment ON assignment_status_events (assignment_id, changed_at);

INSERT INTO assignment_status_events (id, assignment_id, status, changed_at)
    SELECT id || '-created', id, 'draft', created_at FROM assignments;
INSERT INTO assignment_status_events (id, assignment_id, status, changed_at)
    SELECT id || '-status', id, status, updated_at FROM assignments WHERE status <> 'draft';

-- The monthly reports the scheduled job made, one per municipality and
-- month, frozen as made: the report as JSON (pseudonymous candidate ids,
-- no names) with the version of its definitions.
CREATE TABLE management_reports (
    id               TEXT PRIMARY KEY,
    municipality_cbs TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('monthly','quarterly')),
    period           TEXT NOT NULL,
    version          INTEGER NOT NULL,
    body             TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    created_by       TEXT NOT NULL DEFAULT '',
    UNIQUE (municipality_cbs, kind, period)
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
