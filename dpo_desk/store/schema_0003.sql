-- The case workflow: identity checks and decisions, pauses of the clock, the extension.

CREATE TABLE identity_checks (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    evidence         TEXT NOT NULL,
    method           TEXT NOT NULL,
    checked_by       TEXT NOT NULL,
    checked_at       TEXT NOT NULL,                  -- UTC
    outcome          TEXT NOT NULL CHECK (outcome IN ('passed', 'failed')),
    reference        TEXT NOT NULL DEFAULT '' CHECK (length(reference) <= 4),  -- never a document number
    copy_deleted_on  TEXT,                           -- ISO date, for copies received
    note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX identity_checks_by_case ON identity_checks (case_id);

-- "No check needed" (with its reason) or "identity could not be established" (Art. 11(2)).
CREATE TABLE identity_decisions (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('not-required', 'failed')),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL
);

CREATE TABLE pauses (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('identity', 'clarification', 'fee')),
    start_date  TEXT NOT NULL,   -- the day the controller asked
    end_date    TEXT,            -- the day the answer arrived; NULL while waiting
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX pauses_by_case ON pauses (case_id);
-- At most one open pause of each kind per case.
CREATE UNIQUE INDEX pauses_open_once ON pauses (case_id, kind) WHERE end_date IS NULL;

ALTER TABLE cases ADD COLUMN extension_reasons TEXT;
ALTER TABLE cases ADD COLUMN extension_notice_sent_on TEXT;
