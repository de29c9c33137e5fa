-- Letters that say only what is recorded: the day a letter is dated, when a fee must be answered,
-- which entity addresses may not be printed yet, and a drafting note moved out of a retention period.

ALTER TABLE letters ADD COLUMN dated_on TEXT;   -- the date the letter bears (the day it was sent)
UPDATE letters SET dated_on = substr(created_at, 1, 10) WHERE dated_on IS NULL;

ALTER TABLE fees ADD COLUMN answer_by TEXT;     -- the date the subject is asked to answer by

-- A postal address the register itself says must be replaced (the policy's old Minsk address of
-- Altoros Poland): no letter prints it until the DPO gives the right one.
ALTER TABLE entities ADD COLUMN address_to_replace INTEGER NOT NULL DEFAULT 0
    CHECK (address_to_replace IN (0, 1));
UPDATE entities SET address_to_replace = 1 WHERE key = 'altoros-poland' AND city = 'Minsk';

-- A drafting note in a retention period (the policy has two versions of section 6.4) goes to the
-- source's policy reference, which only the DPO reads: letters print 'retention' as it stands.
UPDATE sources
   SET retention = '10 years from the last event you have been registered',
       policy_section = '§6.4 (a later copy of §6.4 says 6 years from the last service delivery; confirm which applies)'
 WHERE key = 'customers' AND retention LIKE '%another copy%';

-- An Art. 19 notice is one letter to one recipient: which one (its processor key).
ALTER TABLE letters ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
