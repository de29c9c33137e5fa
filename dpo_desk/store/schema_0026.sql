-- The list sorted by days left: the open cases by their due dates, the answered ones after them (they have
-- no days left). Sorted by the due date alone, "closed" and "answered" rows fell between "24 d left" and
-- "31 d left". The index gives that order without sorting 100,000 rows (65-72 ms without it, against 28 ms
-- by the due date's index; about 2.5 MB at 100,000 cases). The expression is the one the query writes.
CREATE INDEX cases_by_days_left ON cases ((status IN ('responded', 'closed', 'refused', 'withdrawn')), due_date, id);
