-- +goose Up
-- Consents, reports with versions and the record of every sharing
-- (DOMAIN.md §3 "Consent and sharing"). Texts typed by people (purpose,
-- report content, comments, explanations, notes) are sealed under the
-- candidate's key.

-- A consent is never overwritten: each give or withdraw is a new row, and
-- the current state of a topic is the row with the highest version.
CREATE TABLE consents (
    id           TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    topic        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    given        BOOLEAN NOT NULL,
    purpose_ct   BLOB NOT NULL,
    method       TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    UNIQUE (candidate_id, topic, version)
);

CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    candidate_id    TEXT NOT NULL REFERENCES candidates (id),
    kind            TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX reports_candidate ON reports (candidate_id, created_at);

CREATE TABLE report_versions (
    report_id    TEXT NOT NULL REFERENCES reports (id),
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    content_ct   BLOB NOT NULL,
    health_data  BOOLEAN NOT NULL,
    written_by   TEXT NOT NULL,
    written_at   TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    decided_at   TIMESTAMP,
    comment_ct   BLOB,
    PRIMARY KEY (report_id, version)
);

CREATE TABLE sharings (
    id             TEXT PRIMARY KEY,
    candidate_id   TEXT NOT NULL REFERENCES candidates (id),
    report_id      TEXT REFERENCES reports (id),
    version        INTEGER,
    org_id         TEXT NOT NULL REFERENCES organisations (id),
    kind           TEXT NOT NULL,
    legal_ground   TEXT NOT NULL,
    avg_article    TEXT NOT NULL,
    explanation_ct BLOB,
    note_ct        BLOB,
    shared_by      TEXT NOT NULL,
    shared_at      TIMESTAMP NOT NULL
);
CREATE INDEX sharings_org ON sharings (org_id, shared_at);
CREATE INDEX sharings_candidate ON sharings (candidate_id, shared_at);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
