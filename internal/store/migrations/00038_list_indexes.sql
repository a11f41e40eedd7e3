-- +goose Up
-- Lists that scale (issue 12 item 12): each index holds what a list's page
-- query filters and orders on, so that the count and the page's ids are
-- read from the index instead of the rows (BenchmarkListPage, 10,000 rows,
-- docs/benchmarks.md). The case manager's assignments, by start and title:
CREATE INDEX assignments_list ON assignments (municipality_cbs, start_on, title, id);
-- placements, reached through their assignment, by first day:
CREATE INDEX placements_list ON placements (assignment_id, first_day, proposed_at, id, status);
-- the complaints desk's queue (open, acknowledged, the deadlines, receipt):
CREATE INDEX complaints_queue ON complaints (outcome, acknowledged_on, ack_due_on, outcome_due_on, received_on, id, candidate_id);
-- the privacy officer's queue; rights_requests_queue is its prefix.
CREATE INDEX rights_requests_list ON rights_requests (status, due_on, received_on, id, candidate_id);
DROP INDEX rights_requests_queue;

-- +goose Down
CREATE INDEX rights_requests_queue ON rights_requests (status, due_on);
DROP INDEX rights_requests_list;
DROP INDEX complaints_queue;
DROP INDEX placements_list;
DROP INDEX assignments_list;
