"""Retention: cases closed, refused or withdrawn longer ago than the retention period leave the store,
purged whole or anonymised (kept for the statistics: entity, channel, rights, dates, status, outcomes'
kinds and dates, fee amounts, letters sent; without who asked, what they wrote, or any free text).

The DPO sees the list first; either action takes exactly that list (a case reopened since is refused),
leaves one audit entry per case (ids and reference, no content), and scrubs what SQLite would otherwise keep
of the removed text: freed pages are zeroed (secure_delete, set at open), the search index is rebuilt, and
the WAL is truncated. Backups made before still hold the cases until they are rotated out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from dpo_desk.core.errors import RefusedError
from dpo_desk.store import audit
from dpo_desk.store.transactions import write_transaction

FINAL_STATUSES = ("closed", "refused", "withdrawn")
ANONYMISED = "(anonymised)"
# Free text a case keeps besides its subject and request: (table, column, what replaces it). Columns that
# must not be empty get the marker; the document reference may hold at most four characters.
FREE_TEXT = (
    ("case_events", "reason", ""),
    ("identity_checks", "note", ""),
    ("identity_checks", "reference", ""),
    ("identity_decisions", "reason", ANONYMISED),
    ("pauses", "reason", ANONYMISED),
    ("fees", "facts", ANONYMISED),
    ("fees", "earlier_cases", "[]"),  # references that tie the case to the same person's others
    ("fee_items", "description", ANONYMISED),
    ("refusals", "reasons", ANONYMISED),
    ("refusals", "other_ground", ""),
    ("recipient_notices", "reason", ""),
    ("mail_imports", "message_id", ""),
    ("mail_imports", "sender", ""),
    ("data_exports", "file", ""),  # a path the DPO chose may name the subject; the export's facts stay
)
# The subject's data collected into the case goes with its imports (file names, kept files) and records.
DROPPED = ("notes", "attachments", "data_records", "data_imports")
LEGAL_REFERENCES = frozenset({"ground", "exception"})  # such as "17(1)(a)"


@dataclass(frozen=True, slots=True)
class ExpiredCase:
    case_id: int
    reference: str
    status: str
    ended_on: date
    letters: int  # letter files saved outside the store, which the purge cannot reach


class Retention:
    """The ended cases past the retention period of one store, and purging or anonymising them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def expired(self, *, today: date, months: int) -> list[ExpiredCase]:
        return expired_cases(self._db, today=today, months=months)

    def purge(self, case_ids: Sequence[int], *, today: date, months: int, actor: str, now: datetime) -> list[str]:
        return purge(self._db, case_ids, today=today, months=months, actor=actor, now=now)

    def anonymise(self, case_ids: Sequence[int], *, today: date, months: int, actor: str, now: datetime) -> list[str]:
        return anonymise(self._db, case_ids, today=today, months=months, actor=actor, now=now)


def expired_cases(db: Database, *, today: date, months: int) -> list[ExpiredCase]:
    """Cases whose final status is older than ``months`` calendar months, the longest ended first. An
    anonymised case is not among them: it is kept for the statistics, and anonymising it again (or purging
    it later) would undo that choice."""
    cutoff = today - relativedelta(months=months)
    marks = ", ".join("?" for _ in FINAL_STATUSES)
    rows = db.execute(
        f"SELECT cases.id, cases.reference, cases.status, max(substr(events.at, 1, 10)) AS ended,"
        f" (SELECT count(*) FROM letters WHERE letters.case_id = cases.id)"
        f" FROM cases JOIN case_events AS events ON events.case_id = cases.id AND events.to_status = cases.status"
        f" WHERE cases.status IN ({marks}) AND cases.subject_name != ?"
        f" GROUP BY cases.id HAVING ended < ? ORDER BY ended, cases.id",
        (*FINAL_STATUSES, ANONYMISED, cutoff.isoformat()),
    )
    return [ExpiredCase(row[0], row[1], row[2], date.fromisoformat(row[3]), row[4]) for row in rows]


def purge(db: Database, case_ids: Sequence[int], *, today: date, months: int, actor: str, now: datetime) -> list[str]:
    """Delete the previewed cases (all or none); returns their references."""
    return _apply(db, case_ids, _purge_one, "retention-purge", today=today, months=months, actor=actor, now=now)


def anonymise(
    db: Database, case_ids: Sequence[int], *, today: date, months: int, actor: str, now: datetime
) -> list[str]:
    """Keep the previewed cases without their subjects' details or any free text (all or none); returns
    their references."""
    return _apply(db, case_ids, _anonymise_one, "retention-anonymise", today=today, months=months, actor=actor, now=now)


def _apply(
    db: Database,
    case_ids: Sequence[int],
    action: Callable[[Database, int], None],
    audit_action: str,
    *,
    today: date,
    months: int,
    actor: str,
    now: datetime,
) -> list[str]:
    with write_transaction(db):
        expired = {case.case_id: case for case in expired_cases(db, today=today, months=months)}
        not_expired = [str(case_id) for case_id in case_ids if case_id not in expired]
        if not_expired:
            raise RefusedError(f"cases {', '.join(not_expired)} are not past retention (any more); nothing changed")
        for case_id in case_ids:
            case = expired[case_id]
            action(db, case_id)
            audit.record(
                db, actor=actor, action=audit_action, entity="case", entity_id=case_id,
                details={"reference": case.reference, "ended_on": case.ended_on.isoformat(), "months": months},
                now=now,
            )  # fmt: skip
    # The search index keeps removed words in its segments until they are merged; then the WAL is emptied.
    db.execute("INSERT INTO case_search (case_search) VALUES ('optimize')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [expired[case_id].reference for case_id in case_ids]


def _purge_one(db: Database, case_id: int) -> None:
    subject_id = db.execute("SELECT subject_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    _drop_subject_if_unused(db, subject_id)


def _anonymise_one(db: Database, case_id: int) -> None:
    subject_id = db.execute("SELECT subject_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    anonymous = db.execute(
        "INSERT INTO subjects (name, address, created_at) SELECT ?, '', created_at FROM subjects WHERE id = ?"
        " RETURNING id",
        (ANONYMISED, subject_id),
    ).fetchone()[0]
    db.execute(
        "UPDATE cases SET subject_id = ?, subject_name = ?, request_text = '',"
        " extension_reasons = CASE WHEN extension_reasons IS NULL THEN NULL ELSE ? END WHERE id = ?",
        (anonymous, ANONYMISED, ANONYMISED, case_id),
    )
    for table, column, replacement in FREE_TEXT:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE case_id = ?", (replacement, case_id))
    for table in DROPPED:
        db.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
    for kind, details in db.execute("SELECT kind, details FROM outcomes WHERE case_id = ?", (case_id,)).fetchall():
        db.execute(
            "UPDATE outcomes SET details = ? WHERE case_id = ? AND kind = ?",
            (json.dumps(_outcome_without_text(json.loads(details))), case_id, kind),
        )
    _drop_subject_if_unused(db, subject_id)


def _outcome_without_text(details: dict[str, Any]) -> dict[str, Any]:
    """Dates, flags and legal grounds stay (they are the statistics); any other text may describe the
    subject (a corrected job title, the consents they had given), so it goes."""
    kept: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, str):
            kept[key] = value if key.endswith("_on") or key in LEGAL_REFERENCES else ""
        elif isinstance(value, list):
            kept[key] = []
        else:
            kept[key] = value
    return kept


def _drop_subject_if_unused(db: Database, subject_id: int) -> None:
    db.execute(
        "DELETE FROM subjects WHERE id = ? AND NOT EXISTS (SELECT 1 FROM cases WHERE subject_id = ?)",
        (subject_id, subject_id),
    )
