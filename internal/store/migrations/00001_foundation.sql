-- +goose Up
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('provider','municipality','uwv','employer_commissioner','client_employer')),
    cbs_code    TEXT,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_cbs ON organisations (cbs_code) WHERE cbs_code IS NOT NULL;

CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations (id),
    email             TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    password_hash     TEXT NOT NULL DEFAULT '',
    totp_secret       BLOB,
    totp_confirmed_at TIMESTAMP,
    totp_last_step    BIGINT NOT NULL DEFAULT 0,
    oidc_subject      TEXT UNIQUE,
    language          TEXT NOT NULL DEFAULT 'nl',
    created_at        TIMESTAMP NOT NULL,
    blocked_at        TIMESTAMP,
    last_login_at     TIMESTAMP
);

CREATE TABLE grants (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL,
    access      TEXT NOT NULL CHECK (access IN ('read','write')),
    granted_by  TEXT,
    granted_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP,
    blocked_at  TIMESTAMP,
    reviewed_at TIMESTAMP NOT NULL
);
CREATE INDEX grants_user ON grants (user_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    mfa_at       TIMESTAMP,
    address      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE audit_log (
    seq           BIGINT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    at            TIMESTAMP NOT NULL,
    actor_user_id TEXT NOT NULL DEFAULT '',
    actor_role    TEXT NOT NULL DEFAULT '',
    actor_org_id  TEXT NOT NULL DEFAULT '',
    event         TEXT NOT NULL,
    candidate_id  TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_log_candidate ON audit_log (candidate_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE candidate_keys (
    candidate_id TEXT PRIMARY KEY,
    key_version  INTEGER NOT NULL,
    wrapped_key  BLOB,
    created_at   TIMESTAMP NOT NULL,
    destroyed_at TIMESTAMP
);

CREATE TABLE candidates (
    id                  TEXT PRIMARY KEY REFERENCES candidate_keys (candidate_id),
    commissioner_org_id TEXT NOT NULL REFERENCES organisations (id),
    coach_user_id       TEXT REFERENCES users (id),
    user_id             TEXT UNIQUE REFERENCES users (id),
    external_ref        TEXT NOT NULL DEFAULT '',
    postcode4           TEXT NOT NULL DEFAULT '',
    registered_on       DATE NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    restricted_at       TIMESTAMP
);
CREATE UNIQUE INDEX candidates_external_ref ON candidates (commissioner_org_id, external_ref) WHERE external_ref <> '';
CREATE INDEX candidates_org ON candidates (commissioner_org_id);
CREATE INDEX candidates_coach ON candidates (coach_user_id);

CREATE TABLE candidate_data (
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    category     TEXT NOT NULL,
    ciphertext   BLOB NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (candidate_id, category)
);

CREATE TABLE candidate_search (
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    term         TEXT NOT NULL,
    PRIMARY KEY (term, candidate_id)
);
CREATE INDEX candidate_search_candidate ON candidate_search (candidate_id);

-- Reasons stated to open a dossier that is not one's own, sealed under the
-- candidate's key, for the privacy officer.
CREATE TABLE break_glass (
    id           TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    at           TIMESTAMP NOT NULL,
    reason       BLOB NOT NULL
);
CREATE INDEX break_glass_at ON break_glass (at);
CREATE INDEX break_glass_user ON break_glass (candidate_id, user_id, at);

-- In-app notifications, and the e-mail outbox that a job sends. An e-mail
-- never carries personal or dossier data: only a neutral line and a link.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE email_outbox (
    id          TEXT PRIMARY KEY,
    to_address  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT 'nl',
    created_at  TIMESTAMP NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    sent_at     TIMESTAMP,
    failed_at   TIMESTAMP
);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, failed_at, created_at);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
