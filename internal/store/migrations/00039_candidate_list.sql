-- +goose Up
-- The candidate list counts and pages (issue 12 item 12): a municipality's,
-- a coach's and the provider's candidates in the order of registration,
-- with what the count leaves out (a restriction of processing) in the
-- index, so that the count and the page's ids are read from it instead of
-- sorting the rows: a page's ids at offset 5,000 of a municipality's 10,000
-- took 47 ms without and 1 ms with it on SQLite. The first two replace the
-- indexes that are their first column.
CREATE INDEX candidates_list ON candidates (commissioner_org_id, created_at, id, restricted_at);
CREATE INDEX candidates_list_coach ON candidates (coach_user_id, created_at, id, restricted_at);
CREATE INDEX candidates_list_all ON candidates (created_at, id, restricted_at);
DROP INDEX candidates_org;
DROP INDEX candidates_coach;

-- +goose Down
CREATE INDEX candidates_coach ON candidates (coach_user_id);
CREATE INDEX candidates_org ON candidates (commissioner_org_id);
DROP INDEX candidates_list_all;
DROP INDEX candidates_list_coach;
DROP INDEX candidates_list;
