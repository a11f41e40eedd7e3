-- +goose Up
-- Disclosures required by law [000 art 6; 003 bewerkers art 4.2; 004]:
-- who asked, on which legal basis, how that was verified, what left, and
-- whether the commissioner and the candidate were informed. Ground,
-- categories and dates are clear (the register counts and sorts by them).
-- Every text is sealed under the candidate's key (disclosure/<id>): even
-- who asked about a candidate and why says something about them (a police
-- or fraud inquiry). An erasure deletes the sealed texts; the row stays
-- as proof that the duty was met (AVG art 5(2)).
CREATE TABLE disclosures (
    id                     TEXT PRIMARY KEY,
    candidate_id           TEXT NOT NULL REFERENCES candidates (id),
    avg_ground             TEXT NOT NULL,
    categories             TEXT NOT NULL,
    disclosed_on           DATE NOT NULL,
    controller_informed_on DATE,
    candidate_informed_on  DATE,
    candidate_withheld     BOOLEAN NOT NULL,
    sealed                 BLOB,
    recorded_by            TEXT NOT NULL,
    recorded_at            TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);
CREATE INDEX disclosures_candidate ON disclosures (candidate_id, disclosed_on);
CREATE INDEX disclosures_disclosed ON disclosures (disclosed_on);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
