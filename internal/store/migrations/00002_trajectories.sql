-- +goose Up
-- Trajectories and the cooperation rules (DOMAIN.md §2, seed 000 arts 7–11).
-- Status, kind, end reason, contract kind and hours are clear: commissioners
-- read them and the figures count them. Every free text (notes, reasons,
-- locations) is sealed under the candidate's data key. No money columns:
-- no costs are charged to the candidate [000 art 3].
CREATE TABLE trajectories (
    id                 TEXT PRIMARY KEY,
    candidate_id       TEXT NOT NULL REFERENCES candidates (id),
    kind               TEXT NOT NULL,
    status             TEXT NOT NULL,
    coach_user_id      TEXT REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL,
    created_by         TEXT NOT NULL,
    status_changed_at  TIMESTAMP NOT NULL,
    suspension_ground  TEXT NOT NULL DEFAULT '',
    end_reason         TEXT NOT NULL DEFAULT '',
    contract_kind      TEXT NOT NULL DEFAULT '',
    hours_per_week     INTEGER NOT NULL DEFAULT 0,
    ended_on           DATE,
    end_note           BLOB
);
CREATE INDEX trajectories_candidate ON trajectories (candidate_id, created_at);
-- At most one open trajectory per candidate.
CREATE UNIQUE INDEX trajectories_open ON trajectories (candidate_id) WHERE status <> 'ended';

CREATE TABLE trajectory_events (
    id            TEXT PRIMARY KEY,
    trajectory_id TEXT NOT NULL REFERENCES trajectories (id),
    at            TIMESTAMP NOT NULL,
    actor_user_id TEXT NOT NULL DEFAULT '',
    event         TEXT NOT NULL,
    from_status   TEXT NOT NULL DEFAULT '',
    to_status     TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    note          BLOB
);
CREATE INDEX trajectory_events_trajectory ON trajectory_events (trajectory_id, at);

CREATE TABLE trajectory_appointments (
    id            TEXT PRIMARY KEY,
    trajectory_id TEXT NOT NULL REFERENCES trajectories (id),
    starts_at     TIMESTAMP NOT NULL,
    kind          TEXT NOT NULL,
    location      BLOB NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX trajectory_appointments_trajectory ON trajectory_appointments (trajectory_id, starts_at);

CREATE TABLE trajectory_absences (
    appointment_id TEXT PRIMARY KEY REFERENCES trajectory_appointments (id),
    reason         BLOB NOT NULL,
    reported_at    TIMESTAMP NOT NULL,
    reported_by    TEXT NOT NULL,
    by_candidate   BOOLEAN NOT NULL,
    late           BOOLEAN NOT NULL
);

CREATE TABLE trajectory_noncompliance (
    id            TEXT PRIMARY KEY,
    trajectory_id TEXT NOT NULL REFERENCES trajectories (id),
    kind          TEXT NOT NULL,
    note          BLOB,
    recorded_at   TIMESTAMP NOT NULL,
    recorded_by   TEXT NOT NULL,
    measure_taken TEXT NOT NULL DEFAULT ''
);
CREATE INDEX trajectory_noncompliance_trajectory ON trajectory_noncompliance (trajectory_id, recorded_at);

CREATE TABLE trajectory_noncompliance_steps (
    noncompliance_id TEXT NOT NULL REFERENCES trajectory_noncompliance (id),
    step             TEXT NOT NULL,
    at               TIMESTAMP NOT NULL,
    by_user_id       TEXT NOT NULL,
    deadline         DATE,
    measure          TEXT NOT NULL DEFAULT '',
    note             BLOB,
    PRIMARY KEY (noncompliance_id, step)
);

-- Talks about the intent to suspend [000 art 11]; a suspension uses them up.
CREATE TABLE trajectory_suspension_talks (
    id            TEXT PRIMARY KEY,
    trajectory_id TEXT NOT NULL REFERENCES trajectories (id),
    party         TEXT NOT NULL,
    discussed_on  DATE NOT NULL,
    note          BLOB,
    recorded_at   TIMESTAMP NOT NULL,
    recorded_by   TEXT NOT NULL,
    used_at       TIMESTAMP
);
CREATE INDEX trajectory_suspension_talks_trajectory ON trajectory_suspension_talks (trajectory_id);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
