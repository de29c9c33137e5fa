-- The search index keeps its words, not a second copy of the text it finds cases by: that text is read from
-- the cases, their subjects and their e-mails (the view case_search_text), where it is stored anyway. The
-- index's own copy was 158 bytes a case (16 MB at 100,000 cases).
--
-- An external-content index is kept in step by its triggers alone, and removing a case's words from it
-- takes the text it was indexed with: each trigger below gives the 'delete' command the text as it was
-- before the change (the view's row, with the changed row's old values), then indexes the view's new row.
-- A 'delete' given any other text would leave words behind; verify compares the index with the view.

DROP TRIGGER cases_search_insert;
DROP TRIGGER cases_search_update;
DROP TRIGGER cases_search_delete;
DROP TRIGGER subjects_search_update;
DROP TRIGGER subject_emails_search_insert;
DROP TRIGGER subject_emails_search_delete;
DROP TABLE case_search;

CREATE VIEW case_search_text AS
SELECT c.id, c.reference, s.name AS subject_name,
       (SELECT group_concat(e.email, ' ') FROM subject_emails e WHERE e.subject_id = s.id) AS emails,
       c.request_text
FROM cases c JOIN subjects s ON s.id = c.subject_id;

CREATE VIRTUAL TABLE case_search USING fts5 (
    reference, subject_name, emails, request_text,
    tokenize = 'unicode61 remove_diacritics 2',
    content = 'case_search_text', content_rowid = 'id'
);
INSERT INTO case_search (case_search) VALUES ('rebuild');

CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT id, reference, subject_name, emails, request_text FROM case_search_text WHERE id = new.id;
END;

CREATE TRIGGER cases_search_update AFTER UPDATE OF reference, subject_id, request_text ON cases BEGIN
    INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)
    SELECT 'delete', old.id, old.reference, s.name,
           (SELECT group_concat(e.email, ' ') FROM subject_emails e WHERE e.subject_id = s.id), old.request_text
    FROM subjects s WHERE s.id = old.subject_id;
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT id, reference, subject_name, emails, request_text FROM case_search_text WHERE id = new.id;
END;

CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
    INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)
    SELECT 'delete', old.id, old.reference, s.name,
           (SELECT group_concat(e.email, ' ') FROM subject_emails e WHERE e.subject_id = s.id), old.request_text
    FROM subjects s WHERE s.id = old.subject_id;
END;

CREATE TRIGGER subjects_search_update AFTER UPDATE OF name ON subjects BEGIN
    INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)
    SELECT 'delete', c.id, c.reference, old.name,
           (SELECT group_concat(e.email, ' ') FROM subject_emails e WHERE e.subject_id = old.id), c.request_text
    FROM cases c WHERE c.subject_id = old.id;
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT id, reference, subject_name, emails, request_text FROM case_search_text
    WHERE id IN (SELECT id FROM cases WHERE subject_id = new.id);
END;

-- A subject's e-mails before the change: those there now but the row inserted, with the row deleted.
CREATE TRIGGER subject_emails_search_insert AFTER INSERT ON subject_emails BEGIN
    INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)
    SELECT 'delete', c.id, c.reference, s.name,
           (SELECT group_concat(e.email, ' ') FROM subject_emails e
            WHERE e.subject_id = s.id AND e.email_key IS NOT new.email_key), c.request_text
    FROM cases c JOIN subjects s ON s.id = c.subject_id WHERE c.subject_id = new.subject_id;
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT id, reference, subject_name, emails, request_text FROM case_search_text
    WHERE id IN (SELECT id FROM cases WHERE subject_id = new.subject_id);
END;

CREATE TRIGGER subject_emails_search_delete AFTER DELETE ON subject_emails BEGIN
    INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)
    SELECT 'delete', c.id, c.reference, s.name,
           (SELECT group_concat(email, ' ') FROM (
                SELECT e.email FROM subject_emails e WHERE e.subject_id = s.id UNION ALL SELECT old.email)),
           c.request_text
    FROM cases c JOIN subjects s ON s.id = c.subject_id WHERE c.subject_id = old.subject_id;
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT id, reference, subject_name, emails, request_text FROM case_search_text
    WHERE id IN (SELECT id FROM cases WHERE subject_id = old.subject_id);
END;

-- Not written by DPO Desk (an e-mail is added or removed, never edited), but kept in step like the others:
-- the e-mails of the subject it left and of the one it joined, before the change.
CREATE TRIGGER subject_emails_search_change AFTER UPDATE OF subject_id, email, email_key ON subject_emails BEGIN
    INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)
    SELECT 'delete', c.id, c.reference, s.name,
           (SELECT group_concat(email, ' ') FROM (
                SELECT e.email FROM subject_emails e
                WHERE e.subject_id = s.id AND NOT (e.subject_id = new.subject_id AND e.email_key IS new.email_key)
                UNION ALL SELECT old.email WHERE old.subject_id = s.id)),
           c.request_text
    FROM cases c JOIN subjects s ON s.id = c.subject_id WHERE c.subject_id IN (old.subject_id, new.subject_id);
    INSERT INTO case_search (rowid, reference, subject_name, emails, request_text)
    SELECT id, reference, subject_name, emails, request_text FROM case_search_text
    WHERE id IN (SELECT id FROM cases WHERE subject_id IN (old.subject_id, new.subject_id));
END;
