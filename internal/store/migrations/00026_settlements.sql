-- +goose Up
-- Half-year settlements with the municipalities (issue 9 item 6; seed 003
-- art 6.1 lid 5, 6.2 lid 4). A settlement is drawn up once per
-- municipality and half year, when its six months are closed, and is never
-- changed: document holds the statement (figures per month and per
-- candidate, under pseudonymous candidate ids, no names) as it was drawn
-- up. Names are looked up through the access policy each time it is shown,
-- so an erased candidate appears by pseudonym. Kept under the statutory
-- retention like invoices.
CREATE TABLE settlements (
    id               TEXT PRIMARY KEY,
    municipality_cbs TEXT NOT NULL,
    half_year        TEXT NOT NULL,
    revenue_cents    BIGINT NOT NULL,
    balance_cents    BIGINT NOT NULL,
    due_date         DATE NOT NULL,
    document         TEXT NOT NULL,
    drawn_up_by      TEXT NOT NULL,
    drawn_up_at      TIMESTAMP NOT NULL,
    UNIQUE (municipality_cbs, half_year)
);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
