-- The dashboard's figures, each read from an index alone: at 100,000 cases they took 0.8-1.1 s (1.7-1.9 s
-- shown from a worker thread), most of it reading each case's row or history for a year of cases.
--
-- The day each case was first answered, in its zone, stored with it as its due date is (derived, not sealed;
-- kept by statistics.refresh_answered_on). The quarters found each case's first answer in the history and
-- read its day in its zone in Python, 82,000 times for four quarters: 0.4-0.6 s, now 11-25 ms. The column
-- adds 1.1 MB to cases and its index 2.7 MB; the history's two indexes of answers it replaces (4.8 and
-- 5.6 MB) are read no more.
ALTER TABLE cases ADD COLUMN answered_on TEXT;
UPDATE cases SET answered_on = local_date((SELECT min(at) FROM case_events WHERE case_id = cases.id
    AND action = 'status' AND to_status IN ('responded', 'refused', 'closed')), received_tz);
CREATE INDEX cases_by_answered ON cases (answered_on, due_date, extension_notice_sent_on IS NOT NULL)
WHERE answered_on IS NOT NULL;
DROP INDEX case_events_answers;
DROP INDEX case_events_first_answer;
-- The requests received per month and right: 115-150 ms through each case's row and its rights, now
-- 13-19 ms by day and rights label, read from this index in its order (3.4 MB).
CREATE INDEX cases_by_received_date ON cases (received_date, rights);
-- The cases with a recipient still to notify: 33-120 ms reading all 584,000 notices, most long sent; this
-- index holds only those to send (none in the demo: one page).
CREATE INDEX recipient_notices_to_notify ON recipient_notices (case_id) WHERE state = 'to-notify';
