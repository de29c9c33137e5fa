-- A case's attachments come from its mail, or the DPO attaches a file by hand (a letter's scan, a form).
-- A mail's attachments keep added_at NULL: they came in with the mail, at its mail_imports.imported_at.
-- Both columns hold their defaults on every row already stored, so no case's seal changes.
ALTER TABLE attachments ADD COLUMN source TEXT NOT NULL DEFAULT 'mail' CHECK (source IN ('mail', 'hand'));
ALTER TABLE attachments ADD COLUMN added_at TEXT;
