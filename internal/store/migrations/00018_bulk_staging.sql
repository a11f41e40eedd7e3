-- +goose Up
-- A bulk registration is staged in short transactions, so that other
-- requests go on meanwhile, and then made visible all at once by one
-- transaction that copies the staged rows (store.RegisterBulk). The staged
-- rows are sealed exactly as the real ones; the wrapped data keys are never
-- staged. An upload that a crash interrupted is cleared by the expire job.
CREATE TABLE bulk_uploads (
    id         TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL
);

CREATE TABLE bulk_stage_candidates (
    upload_id           TEXT NOT NULL,
    id                  TEXT NOT NULL,
    commissioner_org_id TEXT NOT NULL,
    coach_user_id       TEXT,
    external_ref        TEXT NOT NULL,
    postcode4           TEXT NOT NULL,
    registered_on       DATE NOT NULL,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX bulk_stage_candidates_upload ON bulk_stage_candidates (upload_id);

CREATE TABLE bulk_stage_candidate_data (
    upload_id    TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    category     TEXT NOT NULL,
    ciphertext   BLOB NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL
);
CREATE INDEX bulk_stage_candidate_data_upload ON bulk_stage_candidate_data (upload_id);

CREATE TABLE bulk_stage_candidate_search (
    upload_id    TEXT NOT NULL,
    term         TEXT NOT NULL,
    candidate_id TEXT NOT NULL
);
CREATE INDEX bulk_stage_candidate_search_upload ON bulk_stage_candidate_search (upload_id);

-- +goose Down
DROP TABLE bulk_stage_candidate_search;
DROP TABLE bulk_stage_candidate_data;
DROP TABLE bulk_stage_candidates;
DROP TABLE bulk_uploads;
