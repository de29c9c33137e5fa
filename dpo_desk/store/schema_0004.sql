-- Decisions and outcomes of a case: fee, refusal, per-right outcomes, Art. 19 recipients, suppression.

CREATE TABLE fees (
    case_id        INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    basis          TEXT NOT NULL CHECK (basis IN ('manifestly-unfounded', 'excessive-or-repetitive', 'further-copy')),
    facts          TEXT NOT NULL CHECK (length(trim(facts)) > 0),
    earlier_cases  TEXT NOT NULL DEFAULT '[]',   -- JSON list of references
    currency       TEXT NOT NULL,
    announced_on   TEXT NOT NULL,                -- the subject was told before any charge
    state          TEXT NOT NULL CHECK (state IN ('announced', 'accepted', 'paid', 'waived', 'withdrawn')),
    settled_on     TEXT
);

CREATE TABLE fee_items (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES fees (case_id) ON DELETE CASCADE,
    description  TEXT NOT NULL,
    quantity     TEXT NOT NULL,   -- decimal as text: money is never a float
    unit_cost    TEXT NOT NULL
);

CREATE TABLE refusals (
    case_id       INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    partial       INTEGER NOT NULL CHECK (partial IN (0, 1)),
    grounds       TEXT NOT NULL,   -- JSON list
    other_ground  TEXT NOT NULL DEFAULT '',
    reasons       TEXT NOT NULL CHECK (length(trim(reasons)) > 0),
    decided_on    TEXT NOT NULL
);

CREATE TABLE outcomes (
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,   -- a right, or 'child-deletion'
    details      TEXT NOT NULL,   -- JSON, checked per kind by the core
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, kind)
);

-- Objections to direct marketing: only what is needed to honour them.
CREATE TABLE suppression (
    email_hash  TEXT PRIMARY KEY,   -- salted SHA-256 of the casefolded e-mail
    added_on    TEXT NOT NULL
);

-- The register's sources this subject's data came from: they propose the Art. 19 recipients.
CREATE TABLE case_sources (
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    PRIMARY KEY (case_id, source_id)
);

CREATE TABLE recipient_notices (
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    processor_id  INTEGER NOT NULL REFERENCES processors (id),
    state         TEXT NOT NULL CHECK (state IN ('to-notify', 'notified', 'confirmed', 'not-notified')),
    notified_on   TEXT,
    channel       TEXT NOT NULL DEFAULT '',
    confirmed_on  TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, processor_id)
);

ALTER TABLE cases ADD COLUMN recipients_told_on TEXT;   -- the subject was told who the recipients are
