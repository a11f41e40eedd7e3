-- +goose Up
-- Flex platform part 1 (issue 5; DOMAIN.md §5, seed 003): client employers
-- with locations, national accounts, assignments with their displacement
-- check, commissioners' settings and candidates' flex profiles. Postcodes
-- and occupation codes are checked against the reference data (00006) in
-- code, so that a re-import of the reference data never breaks a row.

-- A client employer is an organisation of kind client_employer. One that a
-- municipality acquired belongs to it (municipality_cbs); a national
-- account, brought by the provider [003 art 5 lid 6], has none and is
-- linked to several municipalities below.
CREATE TABLE client_employers (
    org_id           TEXT PRIMARY KEY REFERENCES organisations (id),
    national         BOOLEAN NOT NULL,
    municipality_cbs TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL
);

CREATE TABLE national_account_municipalities (
    employer_org_id  TEXT NOT NULL REFERENCES client_employers (org_id),
    municipality_cbs TEXT NOT NULL,
    PRIMARY KEY (employer_org_id, municipality_cbs)
);

CREATE TABLE employer_locations (
    id              TEXT PRIMARY KEY,
    employer_org_id TEXT NOT NULL REFERENCES client_employers (org_id),
    name            TEXT NOT NULL,
    address         TEXT NOT NULL,
    postcode4       TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX employer_locations_employer ON employer_locations (employer_org_id);

-- Per municipality: the hourly rate the employer is invoiced [003 art 5
-- lid 8] and the matching weights (JSON of matching.Weights).
CREATE TABLE commissioner_settings (
    municipality_cbs  TEXT PRIMARY KEY,
    hourly_rate_cents INTEGER NOT NULL,
    weights           TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE assignments (
    id                    TEXT PRIMARY KEY,
    employer_org_id       TEXT NOT NULL REFERENCES client_employers (org_id),
    location_id           TEXT NOT NULL REFERENCES employer_locations (id),
    municipality_cbs      TEXT NOT NULL,
    title                 TEXT NOT NULL,
    occupation            TEXT NOT NULL,
    isco                  TEXT NOT NULL,
    hours_per_week        INTEGER NOT NULL,
    days                  INTEGER NOT NULL,
    start_time            TEXT NOT NULL,
    end_time              TEXT NOT NULL,
    postcode4             TEXT NOT NULL,
    start_on              DATE NOT NULL,
    planned_end           DATE,
    hourly_rate_cents     INTEGER NOT NULL,
    places                INTEGER NOT NULL,
    demands               TEXT NOT NULL DEFAULT '',
    needs_driving_licence BOOLEAN NOT NULL,
    needs_transport       BOOLEAN NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('draft','open','filled','closed')),
    created_by            TEXT NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX assignments_municipality ON assignments (municipality_cbs, status);
CREATE INDEX assignments_employer ON assignments (employer_org_id);

CREATE TABLE assignment_skills (
    assignment_id TEXT NOT NULL REFERENCES assignments (id),
    code          TEXT NOT NULL,
    required      BOOLEAN NOT NULL,
    PRIMARY KEY (assignment_id, code)
);

-- The displacement check (verdringingstoets): the municipality records that
-- the work does not replace a regular job, before the assignment opens.
CREATE TABLE displacement_checks (
    id            TEXT PRIMARY KEY,
    assignment_id TEXT NOT NULL REFERENCES assignments (id),
    checked_on    DATE NOT NULL,
    checked_by    TEXT NOT NULL REFERENCES users (id),
    positive      BOOLEAN NOT NULL,
    motivation    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX displacement_checks_assignment ON displacement_checks (assignment_id, created_at);

-- A candidate's flex profile, in clear so that matching can run over it:
-- work-relevant facts (category preferences), never a diagnosis. The
-- limitations stay sealed in candidate_limitations.
CREATE TABLE flex_profiles (
    candidate_id          TEXT PRIMARY KEY REFERENCES candidates (id),
    hours_per_week        INTEGER NOT NULL,
    days                  INTEGER NOT NULL,
    max_travel_km         INTEGER NOT NULL,
    driving_licence       BOOLEAN NOT NULL,
    own_transport         BOOLEAN NOT NULL,
    available_from        DATE,
    preferred             TEXT NOT NULL DEFAULT '',
    matchable             BOOLEAN NOT NULL DEFAULT FALSE,
    matchable_on          DATE,
    matchable_by          TEXT NOT NULL DEFAULT '',
    consent_at            TIMESTAMP,
    coach_approved_at     TIMESTAMP,
    coach_approved_by     TEXT NOT NULL DEFAULT '',
    updated_by            TEXT NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);

CREATE TABLE flex_profile_occupations (
    candidate_id      TEXT NOT NULL REFERENCES flex_profiles (candidate_id),
    code              TEXT NOT NULL,
    isco              TEXT NOT NULL,
    experience_months INTEGER NOT NULL,
    PRIMARY KEY (candidate_id, code)
);

CREATE TABLE flex_profile_skills (
    candidate_id TEXT NOT NULL REFERENCES flex_profiles (candidate_id),
    code         TEXT NOT NULL,
    PRIMARY KEY (candidate_id, code)
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
