-- The audit log: append-only, hash-chained. Each entry holds the previous entry's hash; its own hash
-- covers the canonical JSON of seq, time, actor, action, entity, id and details (ids only, never content).

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,      -- UTC, ISO 8601 with Z
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,      -- case, processor, source, settings, letter, store
    entity_id  TEXT NOT NULL,
    details    TEXT NOT NULL,      -- canonical JSON
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
