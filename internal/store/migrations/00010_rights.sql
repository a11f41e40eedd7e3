-- +goose Up
-- Data subject rights requests [001; 002 art 7; 004 "Inzagerecht"]. Texts a
-- person typed (the request, the extension reason, the answer) are sealed
-- under the candidate's key, so erasing the candidate shreds them too.
CREATE TABLE rights_requests (
    id               TEXT PRIMARY KEY,
    candidate_id     TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('access','rectification','restriction','erasure','objection','screening')),
    status           TEXT NOT NULL CHECK (status IN ('received','in_progress','granted','partly_granted','refused','withdrawn')),
    description      BLOB,
    received_on      DATE NOT NULL,
    due_on           DATE NOT NULL,
    extended_at      TIMESTAMP,
    extended_by      TEXT NOT NULL DEFAULT '',
    extension_reason BLOB,
    handler_user_id  TEXT REFERENCES users (id),
    answer           BLOB,
    answered_on      DATE,
    answered_by      TEXT NOT NULL DEFAULT '',
    filed_by         TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX rights_requests_candidate ON rights_requests (candidate_id, received_on);
CREATE INDEX rights_requests_queue ON rights_requests (status, due_on);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
