-- Requests imported from e-mail: their attachments (inside the store) and their Message-IDs.

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,   -- as the mail gave it; never used as a file name on disk
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL
);
CREATE INDEX attachments_by_case ON attachments (case_id);

CREATE TABLE mail_imports (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL,
    sender      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX mail_imports_by_message ON mail_imports (message_id);
