-- +goose Up
-- The privacy statement and the cooperation agreement handed over at the
-- start of a trajectory, and how the candidate confirmed receipt: accepted
-- in the portal, or a signed form uploaded to the dossier [000 art 4; 004
-- "Afspraken met kandidaat … bij aanvang traject"]. Kind, version, dates
-- and method are clear: they name a document of the provider, not the
-- person.
CREATE TABLE trajectory_agreements (
    id            TEXT PRIMARY KEY,
    trajectory_id TEXT NOT NULL REFERENCES trajectories (id),
    candidate_id  TEXT NOT NULL REFERENCES candidates (id),
    kind          TEXT NOT NULL,
    version       TEXT NOT NULL,
    offered_by    TEXT NOT NULL,
    offered_at    TIMESTAMP NOT NULL,
    method        TEXT NOT NULL DEFAULT '',
    document_id   TEXT, -- the signed form; no foreign key: an erasure deletes documents first
    confirmed_by  TEXT NOT NULL DEFAULT '',
    confirmed_at  TIMESTAMP,
    UNIQUE (trajectory_id, kind, version)
);
CREATE INDEX trajectory_agreements_candidate ON trajectory_agreements (candidate_id, offered_at);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
