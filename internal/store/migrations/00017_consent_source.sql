-- +goose Up
-- Written consent [001]: a paper consent names the signed form uploaded to
-- the dossier. One source of truth for the visibility of a flex profile:
-- the candidate's share_cv_with_employers consent; the flex profile's own
-- copy goes (a candidate who agreed only there agrees again).
ALTER TABLE consents ADD COLUMN form_document_id TEXT;
ALTER TABLE flex_profiles DROP COLUMN consent_at;

-- +goose Down
ALTER TABLE flex_profiles ADD COLUMN consent_at TIMESTAMP;
ALTER TABLE consents DROP COLUMN form_document_id;
