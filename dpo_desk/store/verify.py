"""Checking a store: SQLite's own integrity and foreign-key checks, the audit chain (against an anchor), and
every case's rows against the seal of its newest audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from dpo_desk.store.driver import sqlite

from sqlite_utils import Database

from dpo_desk.store.audit import APPEND_ONLY, Anchor, dated_back, has_seals, head, verify_chain
from dpo_desk.store.seals import broken_seals

SQLITE_READONLY = 8  # the result code of a write refused on a read-only connection


@dataclass(frozen=True, slots=True)
class Report:
    integrity: list[str]
    foreign_keys: list[str]
    audit: list[str]
    entries: int
    head: Anchor
    times: list[str] = field(default_factory=list)  # entries dated before the one before them: the clock
    cases: list[str] = field(default_factory=list)  # cases not as their newest audit entry left them
    sealed: bool = True  # False for a store made before seals (a backup not yet migrated)

    @property
    def ok(self) -> bool:
        # A clock that ran behind is flagged, not failed: the chain, not the times, shows the order.
        return not (self.integrity or self.foreign_keys or self.audit or self.cases)

    def lines(self) -> list[str]:
        return [
            f"integrity: {'ok' if not self.integrity else '; '.join(self.integrity)}",
            f"foreign keys: {'ok' if not self.foreign_keys else '; '.join(self.foreign_keys)}",
            f"audit: {self.entries:,} {'entry' if self.entries == 1 else 'entries'}, "
            + ("chain intact" if not self.audit else f"{len(self.audit)} problem(s): " + "; ".join(self.audit)),
            "cases: "
            + (
                "not sealed in this store's version"
                if not self.sealed
                else "as their audit entries left them"
                if not self.cases
                else f"{len(self.cases)} problem(s): " + "; ".join(self.cases[:20])
            ),
            "times: "
            + (
                "in order"
                if not self.times
                else f"{len(self.times):,} entry(ies) dated back: " + "; ".join(self.times[:5])
            ),
            f"anchor: {self.head.text()}",
        ]


def verify(db: Database, anchor: Anchor | None = None) -> Report:
    try:
        return _checks(db, anchor)
    except sqlite.DatabaseError as error:  # damage bad enough that a check cannot even finish
        return Report([f"the check stopped: {error}"], [], ["not checked"], 0, Anchor(0, ""))


def _checks(db: Database, anchor: Anchor | None) -> Report:
    # SQLCipher's check of every page's HMAC catches a changed byte anywhere, even in free pages.
    integrity = [f"page check: {row[0]}" for row in db.execute("PRAGMA cipher_integrity_check")]
    integrity += [row[0] for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    integrity += _search_index(db)
    foreign_keys = [
        f"{table} row {rowid} points to a missing {parent}"
        for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check")
    ]
    entries = int(db.execute("SELECT count(*) FROM audit").fetchone()[0])
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    guards = [f"the trigger {name} is missing: the audit can be changed" for name in APPEND_ONLY if name not in present]
    sealed = has_seals(db)
    cases = broken_seals(db) if sealed else []
    chain = guards + verify_chain(db, anchor)
    return Report(integrity, foreign_keys, chain, entries, head(db), dated_back(db), cases, sealed)


def _search_index(db: Database) -> list[str]:
    """The search index holds the words of the cases' text and no others (none of an erased case's):
    integrity_check does not compare an index with the text it reads from elsewhere (migration 0019)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_search_text'").fetchone() is None:
        return []  # a store from before 0019: integrity_check compared the index with its own copy
    db.execute("SAVEPOINT search_check")
    try:
        db.execute("INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)")
    except sqlite.DatabaseError as error:
        # The check is an INSERT that writes nothing, refused on a connection that only reads.
        if getattr(error, "sqlite_errorcode", None) == SQLITE_READONLY:
            return []
        return [f"search index: not the words of the cases' text ({error})"]
    finally:
        db.execute("ROLLBACK TO search_check")
        db.execute("RELEASE search_check")
    return []
