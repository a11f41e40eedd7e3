-- +goose Up
-- Reference data for the flex platform (issue 5; DOMAIN.md §5), loaded from
-- the publishers' files by `opstap refdata import` (docs/refdata.md). A
-- re-import replaces each set whole.

-- ESCO occupations with Dutch labels. search is the preferred and the
-- alternative labels lower-cased and accent-folded (vault.Normalise), so a
-- plain LIKE finds "cliënt" when "client" is typed, on both engines.
CREATE TABLE occupations (
    uri          TEXT PRIMARY KEY,
    code         TEXT NOT NULL,
    isco         TEXT NOT NULL,
    label        TEXT NOT NULL,
    alt_labels   TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    search       TEXT NOT NULL
);
CREATE INDEX occupations_isco ON occupations (isco);
CREATE INDEX occupations_code ON occupations (code);

-- Municipalities, identified everywhere by their CBS code.
CREATE TABLE municipalities (
    cbs_code  TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    province  TEXT NOT NULL DEFAULT ''
);

-- One row per 4-digit postcode (the first place, the mean coordinates).
CREATE TABLE postcodes (
    code4         TEXT PRIMARY KEY,
    place         TEXT NOT NULL,
    municipality  TEXT NOT NULL DEFAULT '',
    cbs_code      TEXT REFERENCES municipalities (cbs_code),
    province      TEXT NOT NULL DEFAULT '',
    lat           REAL NOT NULL,
    lon           REAL NOT NULL
);
CREATE INDEX postcodes_cbs ON postcodes (cbs_code);

-- Import history: which file (by name and SHA-256), how many rows, by whom.
CREATE TABLE refdata_imports (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('occupations', 'postcodes')),
    source       TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    imported_at  TIMESTAMP NOT NULL
);
CREATE INDEX refdata_imports_at ON refdata_imports (imported_at);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
