-- An entry about a case seals the case's rows as the change left them (store/seals.py), so that verify
-- sees a change made behind DPO Desk's back. The entry's hash covers both columns when they are set.
ALTER TABLE audit ADD COLUMN sealed_case INTEGER;   -- the case the entry is about (a letter's: its case)
ALTER TABLE audit ADD COLUMN case_state TEXT;       -- the seal of that case's rows just after the change

-- Sealing reads a case's rows in every table that holds them, at each change: by index, not by a scan.
CREATE INDEX fee_items_by_case ON fee_items (case_id);
CREATE INDEX mail_imports_by_case ON mail_imports (case_id);
