-- +goose Up
-- Idempotency-Key on API writes (issue 13 item 11, docs/api.md). The first
-- request with a key claims the row (in flight: status NULL); its answer is
-- stored when it completes with a status below 500, so that a retry with the
-- same key and body gets the same answer without running again. The unique
-- (user_id, key_hash) lets exactly one of two concurrent requests run. The
-- key is kept as its SHA-256 (a client may choose a key that names
-- something); the fingerprint is the SHA-256 of the query and the body. The
-- answer may hold personal data: it is sealed under the master key (vault
-- SealSystem, associated data "idempotency/<id>"). The expire job deletes a
-- row 24 hours after created_at.
CREATE TABLE idempotency_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    key_hash     BLOB NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    fingerprint  BLOB,
    status       INTEGER,
    response     BLOB,
    created_at   TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    UNIQUE (user_id, key_hash)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
