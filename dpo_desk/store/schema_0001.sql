-- The first schema of a DPO Desk store. Released migrations are never edited; add a new one.

CREATE TABLE entities (
    id                    INTEGER PRIMARY KEY,
    key                   TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL UNIQUE,
    also_known_as         TEXT NOT NULL DEFAULT '',
    country               TEXT NOT NULL,            -- ISO 3166-1 alpha-2
    time_zone             TEXT NOT NULL,            -- IANA zone; receipt dates are counted in it
    calendar              TEXT NOT NULL CHECK (calendar IN ('NO', 'FI', 'PL', 'none')),
    street                TEXT NOT NULL DEFAULT '',
    postal_code           TEXT NOT NULL DEFAULT '',
    city                  TEXT NOT NULL DEFAULT '',
    address_country       TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    org_number            TEXT NOT NULL DEFAULT '',
    is_eea_representative INTEGER NOT NULL DEFAULT 0 CHECK (is_eea_representative IN (0, 1)),
    is_controller         INTEGER NOT NULL DEFAULT 1 CHECK (is_controller IN (0, 1)),
    dpo_name              TEXT NOT NULL DEFAULT '',
    dpo_email             TEXT NOT NULL DEFAULT '',
    notes                 TEXT NOT NULL DEFAULT ''
);

CREATE TABLE processors (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL UNIQUE,
    service             TEXT NOT NULL,
    legal_entity        TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL DEFAULT 'processor'
                        CHECK (role IN ('processor', 'independent-controller', 'joint-controller')),
    category            TEXT NOT NULL,
    privacy_email       TEXT NOT NULL DEFAULT '',
    postal_address      TEXT NOT NULL DEFAULT '',
    web_form_url        TEXT NOT NULL DEFAULT '',
    privacy_policy_url  TEXT NOT NULL DEFAULT '',
    dpa_url             TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    transfer_mechanism  TEXT NOT NULL DEFAULT '' CHECK (transfer_mechanism IN ('', 'adequacy', 'sccs', 'dpf', 'none')),
    data_categories     TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
    identifiers         TEXT NOT NULL DEFAULT '[]',  -- JSON list: email, cookie-id, user-id, phone
    procedure           TEXT NOT NULL DEFAULT '',
    turnaround          TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    policy_mention      TEXT NOT NULL DEFAULT '',    -- where and how the privacy policy names it
    last_reviewed       TEXT                         -- ISO date
);

CREATE TABLE sources (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL UNIQUE,
    description      TEXT NOT NULL DEFAULT '',
    data_categories  TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
    purposes         TEXT NOT NULL DEFAULT '[]',
    legal_bases      TEXT NOT NULL DEFAULT '[]',
    retention        TEXT NOT NULL,               -- as the policy words it
    retention_years  INTEGER NOT NULL CHECK (retention_years > 0),
    retention_from   TEXT NOT NULL,               -- the event the period runs from
    portable         INTEGER NOT NULL DEFAULT 0 CHECK (portable IN (0, 1)),
    policy_section   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE source_recipients (
    source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    processor_id  INTEGER NOT NULL REFERENCES processors (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, processor_id)
);

CREATE TABLE subjects (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE subject_emails (
    subject_id  INTEGER NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    email_key   TEXT NOT NULL,   -- casefolded, for matching earlier cases
    PRIMARY KEY (subject_id, email_key)
);
CREATE INDEX subject_emails_by_key ON subject_emails (email_key);

CREATE TABLE subject_phones (
    subject_id  INTEGER NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    phone       TEXT NOT NULL,
    PRIMARY KEY (subject_id, phone)
);

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    reference             TEXT NOT NULL UNIQUE,
    year                  INTEGER NOT NULL,
    seq                   INTEGER NOT NULL,
    entity_id             INTEGER NOT NULL REFERENCES entities (id),
    subject_id            INTEGER NOT NULL REFERENCES subjects (id),
    channel               TEXT NOT NULL CHECK (channel IN
                          ('email', 'web-form', 'chatbot', 'letter', 'phone', 'in-person', 'messenger')),
    received_at           TEXT NOT NULL,   -- UTC, ISO 8601 with Z
    received_tz           TEXT NOT NULL,   -- the receiving entity's zone at intake
    received_date         TEXT NOT NULL,   -- the local date of receipt: day 0 of the deadline
    rights                TEXT NOT NULL DEFAULT '',  -- derived from case_rights by triggers, for display
    subject_name          TEXT NOT NULL DEFAULT '',  -- copied from subjects by triggers, to sort by
    request_text          TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL CHECK (status IN
                          ('received', 'identity-check', 'in-progress', 'waiting-on-subject',
                           'waiting-on-fee', 'response-ready', 'responded', 'closed', 'refused',
                           'withdrawn')),
    due_date              TEXT NOT NULL,   -- stored, so that sorting 100,000 cases is an ORDER BY
    extension_notice_due  TEXT NOT NULL,
    target_date           TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX cases_by_received ON cases (received_at);
CREATE INDEX cases_by_due ON cases (due_date);
CREATE INDEX cases_by_status ON cases (status, due_date);
-- The case list sorts statuses in the order of the lifecycle; the expression must match the query's.
CREATE INDEX cases_by_status_rank ON cases ((CASE status WHEN 'received' THEN 0 WHEN 'identity-check' THEN 1 WHEN 'in-progress' THEN 2 WHEN 'waiting-on-subject' THEN 3 WHEN 'waiting-on-fee' THEN 4 WHEN 'response-ready' THEN 5 WHEN 'responded' THEN 6 WHEN 'closed' THEN 7 WHEN 'refused' THEN 8 WHEN 'withdrawn' THEN 9 END), due_date, id);
CREATE INDEX cases_by_subject_name ON cases (subject_name COLLATE NOCASE, id);
CREATE INDEX cases_by_entity ON cases (entity_id);
CREATE INDEX cases_by_subject ON cases (subject_id);

-- The rights invoked, one row each: filtering by right is an index search, not a text scan.
CREATE TABLE case_rights (
    right    TEXT NOT NULL CHECK (right IN ('access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'consent-withdrawal', 'other')),
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (right, case_id)
) WITHOUT ROWID;
CREATE INDEX case_rights_by_case ON case_rights (case_id);

CREATE TRIGGER case_rights_label_insert AFTER INSERT ON case_rights BEGIN
    UPDATE cases SET rights = (
        SELECT group_concat(right, ',') FROM (
            SELECT r.right FROM case_rights r WHERE r.case_id = new.case_id ORDER BY CASE r.right WHEN 'access' THEN 0 WHEN 'rectification' THEN 1 WHEN 'erasure' THEN 2 WHEN 'restriction' THEN 3 WHEN 'objection' THEN 4 WHEN 'portability' THEN 5 WHEN 'consent-withdrawal' THEN 6 WHEN 'other' THEN 7 END))
    WHERE id = new.case_id;
END;

CREATE TRIGGER case_rights_label_delete AFTER DELETE ON case_rights BEGIN
    UPDATE cases SET rights = coalesce((
        SELECT group_concat(right, ',') FROM (
            SELECT r.right FROM case_rights r WHERE r.case_id = old.case_id ORDER BY CASE r.right WHEN 'access' THEN 0 WHEN 'rectification' THEN 1 WHEN 'erasure' THEN 2 WHEN 'restriction' THEN 3 WHEN 'objection' THEN 4 WHEN 'portability' THEN 5 WHEN 'consent-withdrawal' THEN 6 WHEN 'other' THEN 7 END)), '')
    WHERE id = old.case_id;
END;

CREATE TRIGGER subjects_name_to_cases AFTER UPDATE OF name ON subjects BEGIN
    UPDATE cases SET subject_name = new.name WHERE subject_id = new.id;
END;

CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at           TEXT NOT NULL,   -- UTC
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,   -- 'created', 'status'
    from_status  TEXT,
    to_status    TEXT,
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_by_case ON case_events (case_id, at);

CREATE TABLE notes (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    author   TEXT NOT NULL,
    text     TEXT NOT NULL CHECK (length(trim(text)) > 0)
);
CREATE INDEX notes_by_case ON notes (case_id, at);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Full-text search over what the DPO types to find a case. Triggers keep it in step with
-- cases, subjects and e-mails, so no write path can forget it.
CREATE VIRTUAL TABLE case_search USING fts5 (
    reference, subject_name, emails, request_text,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT new.id, new.reference, s.name,
           (SELECT group_concat(email, ' ') FROM subject_emails WHERE subject_id = s.id),
           new.request_text
    FROM subjects s WHERE s.id = new.subject_id;
END;

CREATE TRIGGER cases_search_update AFTER UPDATE OF reference, subject_id, request_text ON cases BEGIN
    DELETE FROM case_search WHERE rowid = old.id;
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT new.id, new.reference, s.name,
           (SELECT group_concat(email, ' ') FROM subject_emails WHERE subject_id = s.id),
           new.request_text
    FROM subjects s WHERE s.id = new.subject_id;
END;

CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
    DELETE FROM case_search WHERE rowid = old.id;
END;

CREATE TRIGGER subjects_search_update AFTER UPDATE OF name ON subjects BEGIN
    UPDATE case_search SET subject_name = new.name
    WHERE rowid IN (SELECT id FROM cases WHERE subject_id = new.id);
END;

CREATE TRIGGER subject_emails_search_insert AFTER INSERT ON subject_emails BEGIN
    UPDATE case_search
    SET emails = (SELECT group_concat(email, ' ') FROM subject_emails WHERE subject_id = new.subject_id)
    WHERE rowid IN (SELECT id FROM cases WHERE subject_id = new.subject_id);
END;

CREATE TRIGGER subject_emails_search_delete AFTER DELETE ON subject_emails BEGIN
    UPDATE case_search
    SET emails = (SELECT group_concat(email, ' ') FROM subject_emails WHERE subject_id = old.subject_id)
    WHERE rowid IN (SELECT id FROM cases WHERE subject_id = old.subject_id);
END;
