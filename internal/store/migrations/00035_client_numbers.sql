-- +goose Up
-- A candidate's client number (cliëntnummer): a short number that pages
-- read by staff who do not read names (finance, the complaints desk) and
-- staff forms use instead of the internal id (issue 12 item 9). Numbers
-- come from a counter row that a registration updates in its own
-- transaction, so concurrent registrations queue on it and never take the
-- same number; a registration that rolls back gives its numbers back.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
ALTER TABLE candidates ADD COLUMN client_number BIGINT;
UPDATE candidates SET client_number = r.n
  FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM candidates) AS r
 WHERE r.id = candidates.id;
CREATE UNIQUE INDEX candidates_client_number ON candidates (client_number);
-- The rows a registration has inserted and not yet numbered: only its own.
CREATE INDEX candidates_unnumbered ON candidates (created_at, id) WHERE client_number IS NULL;
INSERT INTO counters (name, value) SELECT 'candidate_number', COALESCE(MAX(client_number), 0) FROM candidates;

-- +goose Down
DROP INDEX candidates_unnumbered;
DROP INDEX candidates_client_number;
ALTER TABLE candidates DROP COLUMN client_number;
DROP TABLE counters;
