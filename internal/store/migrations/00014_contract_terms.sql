-- +goose Up
-- Contract terms per municipality [003 art 5, 6], one row per version: a
-- version takes effect from valid_from and is never changed afterwards, so
-- every invoice and settlement can be recomputed with the terms it used.
-- Money in cents, percentages in basis points; fee_tiers is a JSON array
-- of {"upToCents", "rateBasisPoints"} (internal/billing.Tier).
CREATE TABLE contract_terms (
    municipality_cbs       TEXT NOT NULL,
    valid_from             DATE NOT NULL,
    contract_start         DATE NOT NULL,
    contract_end           DATE,
    hourly_rate_cents      BIGINT NOT NULL CHECK (hourly_rate_cents > 0),
    premium_per_hour_cents BIGINT NOT NULL CHECK (premium_per_hour_cents >= 0),
    travel_rule            TEXT NOT NULL CHECK (travel_rule IN ('km','receipts')),
    travel_per_km_cents    BIGINT NOT NULL DEFAULT 0,
    fee_tiers              TEXT NOT NULL,
    monthly_minimum_cents  BIGINT NOT NULL DEFAULT 0,
    licences               BIGINT NOT NULL DEFAULT 0,
    licence_price_cents    BIGINT NOT NULL DEFAULT 0,
    advice_days            BIGINT NOT NULL DEFAULT 0,
    advice_day_price_cents BIGINT NOT NULL DEFAULT 0,
    vat_rate_bp            BIGINT NOT NULL,
    fee_vat_rate_bp        BIGINT NOT NULL,
    payment_days           INTEGER NOT NULL,
    settlement_days        INTEGER NOT NULL,
    note                   TEXT NOT NULL DEFAULT '',
    created_by             TEXT NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_cbs, valid_from)
);

-- The yearly maximum premium of Participatiewet art 31 lid 2 onder j,
-- indexed every year: kept by the administrator with its source, never a
-- constant in code.
CREATE TABLE premium_caps (
    year         INTEGER PRIMARY KEY,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    source       TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE premium_caps;
DROP TABLE contract_terms;
