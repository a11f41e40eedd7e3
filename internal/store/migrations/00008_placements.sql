-- +goose Up
-- Flex placements (issue 5 points 5 and 6; DOMAIN.md §5, seed 003 art 4,
-- art 5 lid 4 and 6): the case manager proposes a candidate for an
-- assignment, the candidate and the employer answer, the municipality
-- confirms, and the placement ends with an outcome. Typed texts (the
-- reason of an early end, the motivation of an extension) and the
-- confirmation PDFs are sealed under the candidate's key.
CREATE TABLE placements (
    id                    TEXT PRIMARY KEY,
    assignment_id         TEXT NOT NULL REFERENCES assignments (id),
    candidate_id          TEXT NOT NULL REFERENCES candidates (id),
    status                TEXT NOT NULL CHECK (status IN ('proposed','accepted_by_candidate','accepted_by_employer','accepted','confirmed','ended','declined','cancelled')),
    first_day             DATE NOT NULL,
    last_day              DATE NOT NULL,
    hours_per_week        INTEGER NOT NULL,
    days                  INTEGER NOT NULL,
    proposed_by           TEXT NOT NULL REFERENCES users (id),
    proposed_at           TIMESTAMP NOT NULL,
    candidate_answered_at TIMESTAMP,
    employer_answered_at  TIMESTAMP,
    employer_answered_by  TEXT NOT NULL DEFAULT '',
    confirmed_by          TEXT NOT NULL DEFAULT '',
    confirmed_at          TIMESTAMP,
    end_outcome           TEXT NOT NULL DEFAULT '',
    ended_on              DATE,
    end_reason            BLOB,
    contract_kind         TEXT NOT NULL DEFAULT '',
    outflow_hours         INTEGER NOT NULL DEFAULT 0,
    ended_by              TEXT NOT NULL DEFAULT '',
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX placements_candidate ON placements (candidate_id, status);
CREATE INDEX placements_assignment ON placements (assignment_id, status);

-- Contracted hours per week from a day on; the first row starts on the
-- first day. A change that crosses 28 hours re-checks the maximum.
CREATE TABLE placement_hours (
    id             TEXT PRIMARY KEY,
    placement_id   TEXT NOT NULL REFERENCES placements (id),
    effective_on   DATE NOT NULL,
    hours_per_week INTEGER NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);
CREATE INDEX placement_hours_placement ON placement_hours (placement_id, effective_on);

-- The municipality's recorded approval of a longer placement [003 art 4 lid 2].
CREATE TABLE placement_extensions (
    id           TEXT PRIMARY KEY,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    until_day    DATE NOT NULL,
    motivation   BLOB NOT NULL,
    approved_by  TEXT NOT NULL REFERENCES users (id),
    approved_at  TIMESTAMP NOT NULL
);
CREATE INDEX placement_extensions_placement ON placement_extensions (placement_id);

-- The confirmations sent on placement [003 art 5 lid 4], one per party.
CREATE TABLE placement_documents (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    party        TEXT NOT NULL CHECK (party IN ('candidate','employer')),
    ciphertext   BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (placement_id, party)
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
