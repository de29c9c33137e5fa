-- The audit holds each entry's hash once, as 32 bytes, and the seal as 16: the previous entry's hash was
-- kept again in every entry (prev_hash) and both were hex text, 113 bytes an entry more than the facts
-- need (1.75 M entries at 100,000 cases: 200 MB). An entry's hash still covers the previous entry's hash
-- (as hex text, GENESIS before the first), so the chain verifies as before; prev_hash was only ever the
-- hash of the entry before it. Every value is copied as it was: unhex() of the same digits.

CREATE TABLE audit_compact (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,      -- UTC, ISO 8601 with Z
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,      -- case, processor, source, settings, letter, store
    entity_id    TEXT NOT NULL,
    details      TEXT NOT NULL,      -- canonical JSON
    hash         BLOB NOT NULL CHECK (length(hash) = 32),   -- SHA-256 over the previous hash (hex) and the entry
    sealed_case  INTEGER,            -- the case the entry is about (a letter's: its case)
    case_state   BLOB CHECK (case_state IS NULL OR length(case_state) = 16)  -- that case's seal
);

INSERT INTO audit_compact (seq, at, actor, action, entity, entity_id, details, hash, sealed_case, case_state)
SELECT seq, at, actor, action, entity, entity_id, details, unhex(hash), sealed_case, unhex(case_state) FROM audit
ORDER BY seq;

DROP TABLE audit;
ALTER TABLE audit_compact RENAME TO audit;

CREATE INDEX audit_by_entity ON audit (entity, entity_id);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
