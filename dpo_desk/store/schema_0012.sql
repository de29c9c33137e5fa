-- A person is recognised again by phone (E.164) and by name with postal address, not only by e-mail; the
-- subject may be a child; the suppression list keeps phone numbers too.
ALTER TABLE subject_phones ADD COLUMN phone_key TEXT;  -- E.164; NULL for a number stored before it was checked
CREATE INDEX subject_phones_by_key ON subject_phones (phone_key);

ALTER TABLE subjects ADD COLUMN name_key TEXT NOT NULL DEFAULT '';    -- casefolded words: a hint only
ALTER TABLE subjects ADD COLUMN postal_key TEXT NOT NULL DEFAULT '';  -- name and address; '' without both
ALTER TABLE subjects ADD COLUMN birth_date TEXT;                      -- YYYY-MM-DD, when known
ALTER TABLE subjects ADD COLUMN child INTEGER NOT NULL DEFAULT 0 CHECK (child IN (0, 1));
CREATE INDEX subjects_by_name_key ON subjects (name_key);
CREATE INDEX subjects_by_postal_key ON subjects (postal_key);

ALTER TABLE suppression RENAME COLUMN email_hash TO identifier_hash;
ALTER TABLE suppression ADD COLUMN kind TEXT NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'phone'));
