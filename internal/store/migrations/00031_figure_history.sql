-- +goose Up
-- The history a municipality brings when it moves to Opstap (issue 10 item
-- 3; docs/history-import.md) is written into the facts tables of migration
-- 00028 under ids of the form history:<cbs>:<reference>. Trajectory ends
-- are read from the trajectories of Opstap; the imported ones, which have no
-- trajectory, are kept here, with every reason (only regular work counts in
-- the figures today).
CREATE TABLE figure_trajectory_ends (
    candidate_id     TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    municipality_cbs TEXT NOT NULL,
    ended_on         DATE NOT NULL,
    reason           TEXT NOT NULL,
    PRIMARY KEY (candidate_id, seq)
);
CREATE INDEX figure_trajectory_ends_municipality ON figure_trajectory_ends (municipality_cbs, ended_on);

-- +goose Down
SELECT 'down migrations are not supported: restore a backup';
