-- +goose Up
-- A closed month's facts, frozen (issue 10 item 7; docs/figures.md
-- "Reproducible"): the first time a municipality's figures are read for a
-- month finance has closed, the facts that month's figures count are kept
-- here as they were, with the definitions' version and the close they
-- belong to (closed_at). From then on the month counts from its snapshot,
-- so its report shows the same figures next year, whatever is corrected
-- later. A month reopened counts live again; closed anew (another
-- closed_at), it is frozen anew. Pseudonymous ids only, like the facts.
CREATE TABLE figure_snapshots (
    municipality_cbs   TEXT NOT NULL,
    month              TEXT NOT NULL,
    definition_version TEXT NOT NULL,
    closed_at          TIMESTAMP NOT NULL,
    frozen_at          TIMESTAMP NOT NULL,
    facts              TEXT NOT NULL,
    PRIMARY KEY (municipality_cbs, month)
);

-- +goose Down
-- Snapshots are derived from the facts; dropping them loses no source data
-- (a later version freezes closed months again). Needed by the tests that
-- step back over this version to check an earlier migration.
DROP TABLE figure_snapshots;
