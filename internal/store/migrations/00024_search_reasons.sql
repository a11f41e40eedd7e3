-- +goose Up
-- A search over candidates the searcher may not open needs a stated reason
-- (issue 8 point 3). It is kept per candidate the search revealed, sealed
-- under that candidate's key like an opening's reason, and marked apart: a
-- search shows names only, it does not open the file.
ALTER TABLE break_glass ADD COLUMN kind TEXT NOT NULL DEFAULT 'open';

-- +goose Down
ALTER TABLE break_glass DROP COLUMN kind;
