-- Subject data collection: the files source systems exported, imported into a case, and the records of
-- them kept for the subject's access copy and portability bundle. The file itself is kept only on request.

CREATE TABLE data_imports (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    source        TEXT NOT NULL,                 -- a register source's key, or a custom source's
    source_name   TEXT NOT NULL,                 -- as shown: the register's name, or the custom name
    portable      INTEGER NOT NULL CHECK (portable IN (0, 1)),  -- provided or observed data (Art. 20)
    not_portable  TEXT NOT NULL DEFAULT '[]',    -- JSON list of fields the DPO flagged as inferred
    category      TEXT NOT NULL DEFAULT '',
    file_name     TEXT NOT NULL,                 -- provenance: never used as a name on disk
    file_sha256   TEXT NOT NULL,
    file_bytes    INTEGER NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('csv', 'json', 'jsonl', 'eml', 'mbox')),
    encoding      TEXT NOT NULL DEFAULT '',
    delimiter     TEXT NOT NULL DEFAULT '',
    records_read  INTEGER NOT NULL,              -- rows in the file, matched or not
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    file_content  BLOB                           -- the source file, only when the DPO asked to keep it
);
CREATE INDEX data_imports_by_case ON data_imports (case_id);

CREATE TABLE data_records (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES data_imports (id) ON DELETE CASCADE,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    place       TEXT NOT NULL,                   -- where in the file: "line 12"
    matched_by  TEXT NOT NULL DEFAULT '',        -- "e-mail in Email"; '' when the DPO took an unmatched row
    state       TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    fields      TEXT NOT NULL,                   -- JSON list of [name, value], in the file's order
    decided_at  TEXT,
    decided_by  TEXT
);
CREATE INDEX data_records_by_case ON data_records (case_id, import_id);

CREATE TABLE data_exports (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('access', 'portability')),
    file        TEXT NOT NULL,                   -- absolute path written
    sha256      TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    made_at     TEXT NOT NULL,
    made_by     TEXT NOT NULL
);
CREATE INDEX data_exports_by_case ON data_exports (case_id);
