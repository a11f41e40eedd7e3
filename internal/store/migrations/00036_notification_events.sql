-- +goose Up
-- What happened, for the in-app list (issue 12 item 13): the kind keeps the
-- e-mail's neutral line; the event gives the in-app line its specific text
-- ("Rapportage goedgekeurd door de kandidaat"). Neither names a person.
ALTER TABLE notifications ADD COLUMN event TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE notifications DROP COLUMN event;
