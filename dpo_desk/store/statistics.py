"""What the dashboard, the reminders, the yearly report and the register of requests count: SQL aggregates.

A case is *answered* on the day (in its entity's zone) its status first moved to responded, refused or
closed; *on time* when that day is not after its due date. That day is stored with the case
(``cases.answered_on``, kept by :func:`refresh_answered_on`), as its due date is. The counts below run over
indexed ranges (open cases, a year's receipts, a window of answers), each read from an index alone, so the
dashboard does not slow down as closed cases pile up. The same conditions filter the case list
(:func:`scope_condition`), so a figure clicked shows exactly the cases it counted.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from dpo_desk.core.models import OPEN_STATUSES, Answer, Scope, Status
from dpo_desk.core.next_step import NOTICE_WARNING_DAYS

ANSWERING = (Status.RESPONDED.value, Status.REFUSED.value, Status.CLOSED.value)
DUE_THIS_WEEK_DAYS = 7  # "due this week": today and the six days after it
_OPEN = ", ".join(f"'{status.value}'" for status in OPEN_STATUSES)
_ANSWERING = ", ".join(f"'{status}'" for status in ANSWERING)


def local_date(at: str | None, zone: str | None) -> str | None:
    """SQL function ``local_date(at, zone)``: the day of a UTC time stamp in a zone, ISO 8601."""
    if at is None or zone is None:
        return None
    return datetime.fromisoformat(at).astimezone(_zone(zone)).date().isoformat()


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def register_functions(connection: Any) -> None:
    connection.create_function("local_date", 2, local_date, deterministic=True)


def scope_condition(scope: Scope, today: date) -> tuple[str, list[Any]]:
    """The WHERE condition on cases ``c`` for a dashboard figure; it is also the list's filter."""
    soon = (today + timedelta(days=DUE_THIS_WEEK_DAYS - 1)).isoformat()
    notice_by = (today + timedelta(days=NOTICE_WARNING_DAYS)).isoformat()
    conditions: dict[Scope, tuple[str, list[Any]]] = {
        Scope.ALL: ("1", []),
        Scope.OPEN: (f"c.status IN ({_OPEN})", []),
        Scope.OVERDUE: (f"c.status IN ({_OPEN}) AND c.due_date < ?", [today.isoformat()]),
        Scope.DUE_SOON: (f"c.status IN ({_OPEN}) AND c.due_date BETWEEN ? AND ?", [today.isoformat(), soon]),
        Scope.PAUSED: (
            f"c.status IN ({_OPEN}) AND c.id IN (SELECT case_id FROM pauses WHERE end_date IS NULL)",
            [],
        ),
        Scope.EXTENSION_NOTICE_DUE: (
            f"c.status IN ({_OPEN}) AND c.extension_notice_sent_on IS NULL"
            " AND c.extension_notice_due BETWEEN ? AND ? AND c.due_date >= ?",
            [today.isoformat(), notice_by, today.isoformat()],
        ),
        Scope.NOTICES_OUTSTANDING: (
            "c.id IN (SELECT case_id FROM recipient_notices WHERE state = 'to-notify')",
            [],
        ),
    }
    return conditions[scope]


_HOW = {
    Answer.ON_TIME: " AND c.answered_on <= c.due_date AND c.extension_notice_sent_on IS NULL",
    Answer.ON_TIME_EXTENDED: " AND c.answered_on <= c.due_date AND c.extension_notice_sent_on IS NOT NULL",
    Answer.LATE: " AND c.answered_on > c.due_date",
}


def answered_condition(first: date, last: date, how: Answer | None = None) -> tuple[str, list[Any]]:
    """Cases ``c`` first answered between ``first`` and ``last`` (local days, both included), and ``how``."""
    return f"c.answered_on BETWEEN ? AND ?{_HOW[how] if how else ''}", [first.isoformat(), last.isoformat()]


def refresh_answered_on(db: Database, case_id: int) -> None:
    """Store the day the case was first answered, read from its history in its zone; part of the caller's
    transaction, after each answer recorded and each change of the zone its receipt is read in."""
    db.execute(
        "UPDATE cases SET answered_on = local_date((SELECT min(at) FROM case_events WHERE case_id = cases.id"
        f" AND action = 'status' AND to_status IN ({_ANSWERING})), received_tz) WHERE id = ?",
        (case_id,),
    )


def _utc(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class AnsweredDay:
    """The cases first answered on one day: how many, and how many of them on time."""

    day: date
    answered: int
    on_time: int  # within the first term
    on_time_extended: int  # within the extended term


class Statistics:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, scope: Scope, today: date) -> int:
        condition, params = scope_condition(scope, today)
        return int(self._db.execute(f"SELECT count(*) FROM cases c WHERE {condition}", params).fetchone()[0])

    def counts(self, scopes: Sequence[Scope], today: date) -> dict[Scope, int]:
        return {scope: self.count(scope, today) for scope in scopes}

    def next_deadlines(self, today: date, limit: int) -> list[int]:
        """The open cases due soonest, overdue first (the cases_by_status index gives them in order)."""
        rows = self._db.execute(
            f"SELECT c.id FROM cases c WHERE c.status IN ({_OPEN}) ORDER BY c.due_date, c.id LIMIT ?", (limit,)
        )
        return [row[0] for row in rows]

    def received_by_month_and_right(self, first: date, last: date) -> dict[tuple[str, str], int]:
        """(YYYY-MM, right) → requests received between the two days (a case of two rights counts for each)."""
        # By rights label (the case's rights, kept by the triggers on case_rights) from the index alone:
        # counted by day in the index's order first, so that only those few thousand groups are sorted by
        # month, not every case.
        rows = self._db.execute(
            "SELECT substr(received_date, 1, 7), rights, sum(received) FROM (SELECT received_date, rights,"
            " count(*) AS received FROM cases WHERE received_date BETWEEN ? AND ? GROUP BY received_date, rights)"
            " GROUP BY 1, 2",
            (first.isoformat(), last.isoformat()),
        )
        received: dict[tuple[str, str], int] = {}
        for month, rights, count in rows:
            for right in rights.split(",") if rights else ():
                received[month, right] = received.get((month, right), 0) + count
        return received

    def answered_by_day(self, first: date, last: date) -> list[AnsweredDay]:
        """Each day between the two local days on which cases were first answered, in order."""
        rows = self._db.execute(
            "SELECT answered_on, count(*),"
            " sum(answered_on <= due_date AND NOT (extension_notice_sent_on IS NOT NULL)),"
            " sum(answered_on <= due_date AND (extension_notice_sent_on IS NOT NULL))"
            " FROM cases WHERE answered_on BETWEEN ? AND ? GROUP BY answered_on ORDER BY answered_on",
            (first.isoformat(), last.isoformat()),
        )  # the extension written as the index cases_by_answered holds it, so that the rows are not read
        return [AnsweredDay(date.fromisoformat(day), *counts) for day, *counts in rows]

    def received(self, first: date, last: date, entity_id: int | None = None) -> list[dict[str, Any]]:
        """The cases received between the two local days: what the yearly report and the register count."""
        sql = (
            "SELECT c.id, c.reference, c.entity_id, e.name AS entity, c.channel, c.received_date, c.rights,"
            " (SELECT group_concat(r.right, ',') FROM case_rights r WHERE r.case_id = c.id) AS right_keys,"
            " c.status, c.due_date, c.extension_notice_sent_on IS NOT NULL AS extended,"
            " c.answered_on,"
            " f.basis AS fee_basis, f.state AS fee_state, rf.grounds AS refusal_grounds, rf.partial AS refusal_partial,"
            " d.status AS identity_decision,"
            " (SELECT count(*) FROM identity_checks ic WHERE ic.case_id = c.id AND ic.outcome = 'failed')"
            " AS failed_checks,"
            " (SELECT count(*) FROM identity_checks ic WHERE ic.case_id = c.id AND ic.outcome = 'passed')"
            " AS passed_checks,"
            " (SELECT count(*) FROM recipient_notices n WHERE n.case_id = c.id"
            " AND n.state IN ('notified', 'confirmed')) AS notices_sent,"
            " (SELECT count(*) FROM recipient_notices n WHERE n.case_id = c.id AND n.state = 'to-notify')"
            " AS notices_open"
            " FROM cases c JOIN entities e ON e.id = c.entity_id"
            " LEFT JOIN fees f ON f.case_id = c.id LEFT JOIN refusals rf ON rf.case_id = c.id"
            " LEFT JOIN identity_decisions d ON d.case_id = c.id"
            " WHERE c.received_at >= ? AND c.received_at < ? AND c.received_date BETWEEN ? AND ?"
        )
        params: list[Any] = [_utc(first - timedelta(days=1)), _utc(last + timedelta(days=2))]
        params += [first.isoformat(), last.isoformat()]
        if entity_id is not None:
            sql += " AND c.entity_id = ?"
            params.append(entity_id)
        return list(self._db.query(sql + " ORDER BY c.received_at, c.id", params))
