-- +goose Up
-- Fingerprints of the keys the data is written under (vault.Fingerprint: a
-- MAC of a constant, never the key), so that a server with another audit
-- key or master keyring refuses to start instead of breaking the audit
-- chain or sealing data the others cannot open. kind 'audit' has version 0.
CREATE TABLE key_fingerprints (
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, version)
);

-- +goose Down
DROP TABLE key_fingerprints;
