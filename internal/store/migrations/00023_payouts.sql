-- +goose Up
-- Premium payouts (issue 9 item 4; seed 003 art 5 lid 3, 9; Participatiewet
-- art 31 lid 2 onder j, lid 7). A batch is one pain.001 file; a payment is
-- one candidate's transfer in it; an accrual is a candidate's premium and
-- travel of one closed month, paid by exactly one payment: its primary key
-- makes paying it twice impossible, also for two batches made at once.
-- Money records under the statutory retention: they survive a candidate's
-- erasure under the pseudonymous id; the payee's name, IBAN and address are
-- sealed under the candidate's key and go with it.
CREATE TABLE payout_batches (
    id             TEXT PRIMARY KEY,
    message_id     TEXT NOT NULL UNIQUE,
    through_month  TEXT NOT NULL,
    execution_date DATE NOT NULL,
    debtor_name    TEXT NOT NULL,
    debtor_iban    TEXT NOT NULL,
    debtor_bic     TEXT NOT NULL DEFAULT '',
    payments       INTEGER NOT NULL,
    total_cents    BIGINT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT NOT NULL
);

CREATE TABLE premium_payments (
    id               TEXT PRIMARY KEY,
    batch_id         TEXT NOT NULL REFERENCES payout_batches (id),
    seq              INTEGER NOT NULL,
    candidate_id     TEXT NOT NULL REFERENCES candidates (id),
    municipality_cbs TEXT NOT NULL,
    year             INTEGER NOT NULL,
    premium_cents    BIGINT NOT NULL,
    travel_cents     BIGINT NOT NULL,
    excess_cents     BIGINT NOT NULL,
    amount_cents     BIGINT NOT NULL,
    creditor         BLOB,
    paid_at          DATE,
    UNIQUE (batch_id, seq)
);
CREATE INDEX premium_payments_candidate ON premium_payments (candidate_id, year);
CREATE INDEX premium_payments_municipality ON premium_payments (municipality_cbs);

CREATE TABLE premium_accruals (
    candidate_id    TEXT NOT NULL REFERENCES candidates (id),
    month           TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    premium_minutes INTEGER NOT NULL,
    premium_cents   BIGINT NOT NULL,
    travel_cents    BIGINT NOT NULL,
    payment_id      TEXT NOT NULL REFERENCES premium_payments (id),
    PRIMARY KEY (candidate_id, month)
);
CREATE INDEX premium_accruals_payment ON premium_accruals (payment_id);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
