-- A case's answers (its status moved to responded, refused or closed) by time: the dashboard's on-time
-- chart and the yearly report read a window of them, however many cases the store has closed before.
CREATE INDEX case_events_answers ON case_events (at) WHERE action = 'status' AND to_status IN ('responded', 'refused', 'closed');
