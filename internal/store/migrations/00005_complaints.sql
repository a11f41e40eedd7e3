-- +goose Up
-- Complaints [000 art 12; 004 "Vragen, opmerkingen en klachten"]: the texts
-- are the candidate's personal data and are sealed under the candidate's key.
CREATE TABLE complaints (
    id               TEXT PRIMARY KEY,
    candidate_id     TEXT NOT NULL REFERENCES candidates (id),
    channel          TEXT NOT NULL,
    subject          BLOB NOT NULL,
    description      BLOB NOT NULL,
    received_on      DATE NOT NULL,
    ack_due_on       DATE NOT NULL,
    acknowledged_on  DATE,
    handler_user_id  TEXT REFERENCES users (id),
    outcome_due_on   DATE NOT NULL,
    outcome          TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'upheld', 'partly_upheld', 'not_upheld', 'withdrawn')),
    outcome_text     BLOB,
    outcome_on       DATE,
    escalated_on     DATE,
    escalated_to     TEXT NOT NULL DEFAULT '' CHECK (escalated_to IN ('', 'management', 'external_committee')),
    escalation_note  BLOB,
    filed_by         TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX complaints_candidate ON complaints (candidate_id, received_on);
CREATE INDEX complaints_open ON complaints (outcome, outcome_due_on);

-- The desk's internal handling notes: never shown to the candidate.
CREATE TABLE complaint_notes (
    id            TEXT PRIMARY KEY,
    complaint_id  TEXT NOT NULL REFERENCES complaints (id),
    author_id     TEXT NOT NULL REFERENCES users (id),
    body          BLOB NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX complaint_notes_complaint ON complaint_notes (complaint_id, created_at);

-- The e-mail sender's retry schedule, and a lease so that two workers never
-- send the same message.
ALTER TABLE email_outbox ADD COLUMN next_attempt_at TIMESTAMP;
ALTER TABLE email_outbox ADD COLUMN claimed_until TIMESTAMP;

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
