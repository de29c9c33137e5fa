-- Files refused at import, kept for the DPO to inspect: inside the encrypted store, never beside it.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,      -- UTC, ISO 8601 with Z
    file_name   TEXT NOT NULL,      -- as it was on disk; never used to name a file
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    content     BLOB NOT NULL       -- empty when the file was too large to keep
);
