"""Retention: cases closed, refused or withdrawn longer ago than the retention period leave the store.

The DPO sees the list first; the purge deletes exactly that list (a case reopened since is refused), leaves
one audit entry per case (ids and reference, no content), and scrubs what SQLite would otherwise keep of the
deleted text: freed pages are zeroed (secure_delete, set at open), the search index is rebuilt, and the WAL is
truncated. Backups made before the purge still hold the cases until they are rotated out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.store import audit
from dpo_desk.store.db import write_transaction

DEFAULT_MONTHS = 36
MONTHS_RANGE = (1, 240)
SETTING = "retention_months"
FINAL_STATUSES = ("closed", "refused", "withdrawn")


@dataclass(frozen=True, slots=True)
class ExpiredCase:
    case_id: int
    reference: str
    status: str
    ended_on: date
    letters: int  # letter files saved outside the store, which the purge cannot reach


def load_months(db: Database) -> int:
    row = db.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    return int(row[0]) if row else DEFAULT_MONTHS


def save_months(db: Database, months: int, *, actor: str, now: datetime) -> None:
    low, high = MONTHS_RANGE
    if not low <= months <= high:
        raise InputError(f"retention: {months} months; choose between {low} and {high}")
    with write_transaction(db):
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (SETTING, str(months)))
        audit.record(
            db, actor=actor, action="retention-period", entity="settings", entity_id="retention",
            details={"months": months}, now=now,
        )  # fmt: skip


def expired_cases(db: Database, *, today: date, months: int) -> list[ExpiredCase]:
    """Cases whose final status is older than ``months`` calendar months, the longest ended first."""
    cutoff = today - relativedelta(months=months)
    marks = ", ".join("?" for _ in FINAL_STATUSES)
    rows = db.execute(
        f"SELECT cases.id, cases.reference, cases.status, max(substr(events.at, 1, 10)) AS ended,"
        f" (SELECT count(*) FROM letters WHERE letters.case_id = cases.id)"
        f" FROM cases JOIN case_events AS events ON events.case_id = cases.id AND events.to_status = cases.status"
        f" WHERE cases.status IN ({marks}) GROUP BY cases.id HAVING ended < ? ORDER BY ended, cases.id",
        (*FINAL_STATUSES, cutoff.isoformat()),
    )
    return [ExpiredCase(row[0], row[1], row[2], date.fromisoformat(row[3]), row[4]) for row in rows]


def purge(db: Database, case_ids: Sequence[int], *, today: date, months: int, actor: str, now: datetime) -> list[str]:
    """Delete the previewed cases (all or none); returns their references."""
    with write_transaction(db):
        expired = {case.case_id: case for case in expired_cases(db, today=today, months=months)}
        not_expired = [str(case_id) for case_id in case_ids if case_id not in expired]
        if not_expired:
            raise RefusedError(f"cases {', '.join(not_expired)} are not past retention (any more); nothing purged")
        for case_id in case_ids:
            case = expired[case_id]
            subject_id = db.execute("SELECT subject_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
            db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            db.execute(
                "DELETE FROM subjects WHERE id = ? AND NOT EXISTS (SELECT 1 FROM cases WHERE subject_id = ?)",
                (subject_id, subject_id),
            )
            audit.record(
                db, actor=actor, action="retention-purge", entity="case", entity_id=case_id,
                details={"reference": case.reference, "ended_on": case.ended_on.isoformat(), "months": months},
                now=now,
            )  # fmt: skip
    # The search index keeps deleted words in its segments until they are merged; then the WAL is emptied.
    db.execute("INSERT INTO case_search (case_search) VALUES ('optimize')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [expired[case_id].reference for case_id in case_ids]
