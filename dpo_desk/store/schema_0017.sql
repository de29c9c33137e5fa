-- The language a case's letters are written in (a folder of letters/templates). '' on every case stored
-- before: its letters follow the receiving office's language. The default keeps every case's seal.
ALTER TABLE cases ADD COLUMN letter_lang TEXT NOT NULL DEFAULT '';
