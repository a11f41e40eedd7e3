-- +goose Up
-- The month overview and the month's invoicing total approved lines per
-- placement (issue 9, finance month page under 200 ms): an index that holds
-- every column they sum answers them without reading the table.
CREATE INDEX timesheet_lines_month_totals ON timesheet_lines (month, status, placement_id, minutes, travel_km, transit_cents, corrects_id);
DROP INDEX timesheet_lines_month;

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
