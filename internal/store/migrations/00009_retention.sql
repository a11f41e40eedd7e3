-- +goose Up
-- Retention, erasure, legal hold, restriction and objection (issue 4;
-- DOMAIN.md §4) [001 "Termijn bewaren gegevens", 004].

-- A rule: data of a category is erased a number of years after an event.
-- commissioner_org_id NULL is the default; a row for a commissioner
-- overrides it for that commissioner's candidates.
CREATE TABLE retention_rules (
    id                  TEXT PRIMARY KEY,
    commissioner_org_id TEXT REFERENCES organisations (id),
    category            TEXT NOT NULL,
    event               TEXT NOT NULL,
    years               INTEGER NOT NULL CHECK (years BETWEEN 1 AND 30),
    note                TEXT NOT NULL DEFAULT '',
    updated_by          TEXT NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX retention_rules_key ON retention_rules (COALESCE(commissioner_org_id, ''), category);
INSERT INTO retention_rules (id, commissioner_org_id, category, event, years, note, updated_by, updated_at) VALUES
    ('default-personal', NULL, 'personal', 'trajectory_end', 2, '[001 "Termijn bewaren gegevens", 004]', 'system', CURRENT_TIMESTAMP),
    ('default-personal-no-trajectory', NULL, 'personal_no_trajectory', 'registration', 2, '[001 "Termijn bewaren gegevens"]', 'system', CURRENT_TIMESTAMP),
    ('default-statutory', NULL, 'statutory', 'fiscal_year_end', 7, 'AWR art 52: 7 years; the seed names 10', 'system', CURRENT_TIMESTAMP);

-- A legal hold blocks erasure of one candidate; reasons sealed under the
-- candidate's key.
CREATE TABLE legal_holds (
    id           TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    reason       BLOB NOT NULL,
    set_by       TEXT NOT NULL,
    set_at       TIMESTAMP NOT NULL,
    lift_reason  BLOB,
    lifted_by    TEXT NOT NULL DEFAULT '',
    lifted_at    TIMESTAMP
);
CREATE INDEX legal_holds_candidate ON legal_holds (candidate_id, lifted_at);

-- The history of restrictions (AVG art 18) and objections (art 21); the
-- restriction in force is candidates.restricted_at.
CREATE TABLE privacy_measures (
    id           TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    kind         TEXT NOT NULL CHECK (kind IN ('restriction_set','restriction_lifted','objection_commercial')),
    reason       BLOB NOT NULL,
    by_user_id   TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX privacy_measures_candidate ON privacy_measures (candidate_id, at);

-- A retention run (scheduled, manual, or one erasure on request) and its
-- destruction record: per rule and kind of data, how many rows went.
CREATE TABLE retention_runs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('scheduled','manual','on_request','consent')),
    started_by  TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    state       TEXT NOT NULL CHECK (state IN ('running','done','interrupted')),
    erased      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX retention_runs_started ON retention_runs (started_at);

CREATE TABLE retention_run_counts (
    run_id   TEXT NOT NULL REFERENCES retention_runs (id),
    rule     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (run_id, rule, kind)
);

-- One row per erased candidate: which run, under which rule, when. It
-- holds only the pseudonym.
CREATE TABLE erasures (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates (id),
    run_id       TEXT NOT NULL REFERENCES retention_runs (id),
    rule         TEXT NOT NULL,
    erased_at    TIMESTAMP NOT NULL
);
CREATE INDEX erasures_run ON erasures (run_id);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
