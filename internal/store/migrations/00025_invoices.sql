-- +goose Up
-- Invoices (issue 9 items 3 and 5; seed 003 art 5 lid 8, art 6.1, 6.2).
--
-- billing_parties: what an e-invoice needs of an organisation beyond its
-- name (KvK number or OIN, VAT number, address, IBAN for the provider),
-- kept by finance; the provider's own row is the seller.
CREATE TABLE billing_parties (
    org_id          TEXT PRIMARY KEY REFERENCES organisations (id),
    legal_id        TEXT NOT NULL,
    legal_scheme    TEXT NOT NULL CHECK (legal_scheme IN ('0106','0190')),
    vat_number      TEXT NOT NULL DEFAULT '',
    street          TEXT NOT NULL,
    house_number    TEXT NOT NULL DEFAULT '',
    postal_code     TEXT NOT NULL,
    city            TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    iban            TEXT NOT NULL DEFAULT '',
    buyer_reference TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- The last number given per series and year. Issuing increments it in the
-- same transaction that inserts the invoice, so a number is used exactly
-- once and a rolled-back issue leaves no gap.
CREATE TABLE invoice_numbers (
    series TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   BIGINT NOT NULL,
    PRIMARY KEY (series, year)
);

-- An issued invoice or credit note, never updated: document holds the
-- issued record as JSON (parties, lines with the candidate's name on an
-- employer invoice), pdf and ubl the files sent. A month's invoice exists
-- once per kind, municipality and buyer (issuing is idempotent); after a
-- credit note cancels it, a new one takes the next round. A credit note
-- refers to the invoice it corrects.
CREATE TABLE invoices (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    series           TEXT NOT NULL,
    year             INTEGER NOT NULL,
    seq              BIGINT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('employer','municipality','credit_note')),
    month            TEXT NOT NULL,
    municipality_cbs TEXT NOT NULL,
    buyer_org_id     TEXT NOT NULL REFERENCES organisations (id),
    issue_date       DATE NOT NULL,
    due_date         DATE,
    net_cents        BIGINT NOT NULL,
    vat_cents        BIGINT NOT NULL,
    gross_cents      BIGINT NOT NULL,
    corrects_id      TEXT REFERENCES invoices (id),
    document         TEXT NOT NULL,
    pdf              BLOB NOT NULL,
    ubl              BLOB NOT NULL,
    issued_by        TEXT NOT NULL,
    issued_at        TIMESTAMP NOT NULL,
    round            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (series, year, seq)
);
CREATE UNIQUE INDEX invoices_once_a_month ON invoices (kind, month, municipality_cbs, buyer_org_id, round) WHERE corrects_id IS NULL;
CREATE UNIQUE INDEX invoices_one_credit ON invoices (corrects_id) WHERE corrects_id IS NOT NULL;
CREATE INDEX invoices_month ON invoices (month, municipality_cbs);
CREATE INDEX invoices_buyer ON invoices (buyer_org_id, issue_date);

-- The lines of an issued invoice, for figures and controllers: amounts and
-- the candidate by pseudonymous id only. Kept under the statutory retention
-- (AWR art 52), untouched by a candidate's erasure.
CREATE TABLE invoice_lines (
    invoice_id       TEXT NOT NULL REFERENCES invoices (id),
    pos              INTEGER NOT NULL,
    placement_id     TEXT,
    candidate_id     TEXT,
    minutes          BIGINT NOT NULL DEFAULT 0,
    quantity         BIGINT NOT NULL DEFAULT 0,
    unit_price_cents BIGINT NOT NULL,
    net_cents        BIGINT NOT NULL,
    vat_bp           BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, pos)
);
CREATE INDEX invoice_lines_candidate ON invoice_lines (candidate_id);

-- Payment received, recorded by finance; one per invoice, never changed.
CREATE TABLE invoice_payments (
    invoice_id  TEXT PRIMARY KEY REFERENCES invoices (id),
    paid_on     DATE NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
