"""The case store: one SQLite file, reached through sqlite-utils. No Qt here."""
