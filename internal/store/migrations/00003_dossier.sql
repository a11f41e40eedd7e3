-- +goose Up
-- The dossier [004 "Kandidaten", 001]: conversation notes, correspondence,
-- instruments, third-party references, results, and the medical segment
-- [002 art 4.3]. Title and body are sealed under the candidate's key; the
-- row holds the current version, dossier_entry_versions every superseded one.
CREATE TABLE dossier_entries (
    id           TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    kind         TEXT NOT NULL CHECK (kind IN ('conversation_note','correspondence','instrument','third_party_reference','result','diagnosis','medical_note')),
    occurred_on  DATE NOT NULL,
    version      INTEGER NOT NULL,
    ciphertext   BLOB NOT NULL,
    author_id    TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX dossier_entries_page ON dossier_entries (candidate_id, kind, occurred_on);

CREATE TABLE dossier_entry_versions (
    entry_id      TEXT NOT NULL REFERENCES dossier_entries (id),
    version       INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    occurred_on   DATE NOT NULL,
    ciphertext    BLOB NOT NULL,
    saved_by      TEXT NOT NULL,
    saved_at      TIMESTAMP NOT NULL,
    superseded_by TEXT NOT NULL,
    superseded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (entry_id, version)
);

-- Documents: the file and its name sealed under the candidate's key.
CREATE TABLE dossier_documents (
    id           TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    kind         TEXT NOT NULL CHECK (kind IN ('cv','diploma','letter','signed_agreement','other')),
    filename     BLOB NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX dossier_documents_candidate ON dossier_documents (candidate_id, uploaded_at);

-- Functional limitations: codes sealed; whether the candidate agreed to
-- share them is a clear flag the medical expert sets [002 art 5.1].
CREATE TABLE candidate_limitations (
    candidate_id        TEXT PRIMARY KEY REFERENCES candidates (id),
    ciphertext          BLOB NOT NULL,
    shared_with_consent BOOLEAN NOT NULL,
    updated_by          TEXT NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
