-- +goose Up
-- Rights requests carried out by the system [001; 002 art 7.2]. What a
-- rectification corrects (category and new values, sealed under the
-- candidate's key as rights/<request>/change) and what a screening screens
-- off (categories, clear: the access policy reads them), and when and by
-- whom it was carried out.
CREATE TABLE rights_changes (
    request_id  TEXT PRIMARY KEY REFERENCES rights_requests (id),
    category    TEXT NOT NULL DEFAULT '',
    categories  TEXT NOT NULL DEFAULT '',
    proposed    BLOB,
    set_by      TEXT NOT NULL,
    set_at      TIMESTAMP NOT NULL,
    applied_at  TIMESTAMP,
    applied_by  TEXT NOT NULL DEFAULT ''
);

-- Categories screened off on the candidate's request: read by every access
-- decision, so kept on the candidate row beside restricted_at.
ALTER TABLE candidates ADD COLUMN screened TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
