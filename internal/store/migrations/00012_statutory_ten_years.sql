-- +goose Up
-- The provider's own privacy regulation keeps data under a statutory duty
-- ten years [001 "Termijn bewaren gegevens"]; tax law asks at least seven
-- (AWR art 52). The default becomes ten unless an operator changed it.
UPDATE retention_rules SET years = 10, note = '10 years (the provider''s privacy regulation, seed 001); AWR art. 52: at least 7'
 WHERE id = 'default-statutory' AND updated_by = 'system' AND years = 7;

-- +goose Down
UPDATE retention_rules SET years = 7, note = 'AWR art 52: 7 years; the seed names 10'
 WHERE id = 'default-statutory' AND updated_by = 'system' AND years = 10;
