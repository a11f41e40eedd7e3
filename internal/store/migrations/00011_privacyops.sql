-- +goose Up
-- Access reviews [003 bewerkers art 5]: each re-attestation or block of a
-- grant, for the review history that a commissioner's audit package shows.
CREATE TABLE grant_reviews (
    id         TEXT PRIMARY KEY,
    grant_id   TEXT NOT NULL REFERENCES grants (id),
    outcome    TEXT NOT NULL CHECK (outcome IN ('reattested','blocked','blocked_overdue')),
    by_user_id TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX grant_reviews_grant ON grant_reviews (grant_id, at);

-- When the admins were last told that a grant is due, so the daily job
-- tells them once per review cycle, not every day.
CREATE TABLE grant_review_notices (
    grant_id    TEXT PRIMARY KEY REFERENCES grants (id),
    notified_at TIMESTAMP NOT NULL
);

-- The breach register [AVG art 33/34; 003 bewerkers art 5]. Description,
-- measures and how the people were told may name people: sealed with the
-- keyring's system key (breach/<id>).
CREATE TABLE breaches (
    id               TEXT PRIMARY KEY,
    discovered_at    TIMESTAMP NOT NULL,
    sealed           BLOB NOT NULL,
    categories       TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('suspected','confirmed','not_a_breach','closed')),
    ap_notified_at   TIMESTAMP,
    ap_reference     TEXT NOT NULL DEFAULT '',
    subjects_told_on DATE,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX breaches_discovered ON breaches (discovered_at);

CREATE TABLE breach_candidates (
    breach_id    TEXT NOT NULL REFERENCES breaches (id),
    candidate_id TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    added_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (breach_id, candidate_id)
);
CREATE INDEX breach_candidates_candidate ON breach_candidates (candidate_id);

-- Controllers (commissioners) informed of a breach that touched their
-- candidates [003 bewerkers art 5].
CREATE TABLE breach_controllers (
    breach_id   TEXT NOT NULL REFERENCES breaches (id),
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    informed_at TIMESTAMP NOT NULL,
    informed_by TEXT NOT NULL,
    PRIMARY KEY (breach_id, org_id)
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
