-- +goose Up
-- A payout batch is paid when the bank has executed it, which finance
-- records (issue 9): until then its payments' paid_at stays NULL and the
-- candidates' data cannot be erased (running financial obligations).
-- Batches made before this migration were recorded as paid on their
-- execution date, and stay so.
ALTER TABLE payout_batches ADD COLUMN paid_on DATE;
ALTER TABLE payout_batches ADD COLUMN paid_recorded_by TEXT;
UPDATE payout_batches SET paid_on = execution_date;

-- +goose Down
-- Undoes only the added columns; re-applied, they are filled from the
-- execution date again. Needed by the tests that step back over this version.
ALTER TABLE payout_batches DROP COLUMN paid_recorded_by;
ALTER TABLE payout_batches DROP COLUMN paid_on;
