-- +goose Up
-- The facts the municipality's figures are counted from (issue 10 item 2;
-- DOMAIN.md §6; docs/figures.md). In clear and without anything that
-- identifies a person: the candidate appears only by the pseudonymous id
-- that an erasure keeps (erasure.go), so an erased candidate still counts in
-- the figures of the past. No foreign keys: history brought from before
-- Opstap has no placement or assignment rows to refer to. Written by the
-- store whenever the underlying fact changes; filled from existing data
-- below and, for what is sealed (the benefit start) or needs Go (hours per
-- work month), by DB.BackfillFigureFacts at start.

-- A registration (aanmelding) by a municipality, with the whole calendar
-- months on benefit at the registration date, computed from the sealed
-- benefit start whenever that is written. benefit_checked is false for rows
-- still to be derived by the backfill.
CREATE TABLE figure_registrations (
    candidate_id     TEXT PRIMARY KEY,
    municipality_cbs TEXT NOT NULL,
    registered_on    DATE NOT NULL,
    on_benefit       BOOLEAN NOT NULL DEFAULT FALSE,
    benefit_months   INTEGER NOT NULL DEFAULT 0,
    benefit_checked  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX figure_registrations_municipality ON figure_registrations (municipality_cbs, registered_on);

-- The dated history of the municipality's matchable status; seq orders a
-- candidate's changes, also within one day.
CREATE TABLE figure_matchable_changes (
    candidate_id     TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    municipality_cbs TEXT NOT NULL,
    changed_on       DATE NOT NULL,
    matchable        BOOLEAN NOT NULL,
    recorded_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (candidate_id, seq)
);
CREATE INDEX figure_matchable_municipality ON figure_matchable_changes (municipality_cbs, changed_on);

-- A realised (confirmed) placement: its days, the hours per week contracted
-- on its first day, and how it ended. last_day is the planned last day
-- until it ends, then the actual one.
CREATE TABLE figure_placements (
    placement_id     TEXT PRIMARY KEY,
    candidate_id     TEXT NOT NULL,
    municipality_cbs TEXT NOT NULL,
    first_day        DATE NOT NULL,
    last_day         DATE NOT NULL,
    ended            BOOLEAN NOT NULL,
    hours_per_week   INTEGER NOT NULL,
    outcome          TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX figure_placements_municipality ON figure_placements (municipality_cbs, first_day);

-- Approved minutes of a placement per month in which they were worked.
CREATE TABLE figure_placement_minutes (
    placement_id TEXT NOT NULL,
    month        TEXT NOT NULL,
    minutes      BIGINT NOT NULL,
    PRIMARY KEY (placement_id, month)
);

INSERT INTO figure_registrations (candidate_id, municipality_cbs, registered_on)
SELECT c.id, o.cbs_code, c.registered_on FROM candidates c JOIN organisations o ON o.id = c.commissioner_org_id
WHERE o.kind = 'municipality' AND o.cbs_code IS NOT NULL;

-- Only the current status was kept before: a matchable profile since the
-- day it was set.
INSERT INTO figure_matchable_changes (candidate_id, seq, municipality_cbs, changed_on, matchable, recorded_at)
SELECT f.candidate_id, 1, o.cbs_code, f.matchable_on, TRUE, f.updated_at FROM flex_profiles f
JOIN candidates c ON c.id = f.candidate_id JOIN organisations o ON o.id = c.commissioner_org_id
WHERE f.matchable AND f.matchable_on IS NOT NULL AND o.cbs_code IS NOT NULL;

INSERT INTO figure_placements (placement_id, candidate_id, municipality_cbs, first_day, last_day, ended, hours_per_week, outcome, updated_at)
SELECT p.id, p.candidate_id, a.municipality_cbs, p.first_day, p.last_day, p.status = 'ended',
    COALESCE((SELECT h.hours_per_week FROM placement_hours h WHERE h.placement_id = p.id ORDER BY h.effective_on, h.recorded_at LIMIT 1), p.hours_per_week),
    p.end_outcome, p.updated_at
FROM placements p JOIN assignments a ON a.id = p.assignment_id
WHERE p.status IN ('confirmed', 'ended');

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
