-- +goose Up
-- Processor duties [003 bewerkersovereenkomst]: the register of
-- sub-processors, each commissioner's audits (at least every two years,
-- art 3 lid 1) and its contract with the return of the data and the
-- deletion after it [003 art 7.5 lid 2; bewerkers art 11]. No personal
-- data of candidates: names of companies, places, dates.
CREATE TABLE sub_processors (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    location   TEXT NOT NULL,
    since      DATE NOT NULL,
    until      DATE,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE processor_audits (
    id                  TEXT PRIMARY KEY,
    commissioner_org_id TEXT NOT NULL REFERENCES organisations (id),
    audited_on          DATE NOT NULL,
    auditor             TEXT NOT NULL,
    findings            TEXT NOT NULL DEFAULT '',
    recorded_by         TEXT NOT NULL,
    recorded_at         TIMESTAMP NOT NULL
);
CREATE INDEX processor_audits_org ON processor_audits (commissioner_org_id, audited_on);

CREATE TABLE commissioner_contracts (
    org_id       TEXT PRIMARY KEY REFERENCES organisations (id),
    started_on   DATE NOT NULL,
    ended_on     DATE,
    returned_at  TIMESTAMP,
    destroyed_at TIMESTAMP,
    destruction_run_id TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
