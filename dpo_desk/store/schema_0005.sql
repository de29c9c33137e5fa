-- The letter register: every letter generated, with its fingerprint. Passwords live in the OS keyring only.

CREATE TABLE letters (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    lang          TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    protected     INTEGER NOT NULL CHECK (protected IN (0, 1)),
    file          TEXT NOT NULL,   -- where it was written; the name comes from ids, never from subject input
    printed_at    TEXT,
    sent_at       TEXT,
    sent_channel  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letters_by_case ON letters (case_id, created_at);
