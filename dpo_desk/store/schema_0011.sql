-- Processor sheets cite their sources: for each filled contact field the published document it came
-- from (its URL, the date it bears, when it was read), and for each field no document gave, what was
-- searched. Both are JSON objects keyed by field name.

ALTER TABLE processors ADD COLUMN sources_cited TEXT NOT NULL DEFAULT '{}';
ALTER TABLE processors ADD COLUMN not_published TEXT NOT NULL DEFAULT '{}';
