"""What the dashboard, the reminders, the yearly report and the register of requests count: SQL aggregates.

A case is *answered* on the day (in its entity's zone) its status first moved to responded, refused or
closed; *on time* when that day is not after its due date. The counts below run over indexed ranges (open
cases, a year's receipts, a window of answers), so the dashboard does not slow down as closed cases pile
up. The same conditions filter the case list (:func:`scope_condition`), so a figure clicked shows exactly
the cases it counted.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
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

# The first answer of a case: no answering event of the case before it (two in one second: the first written).
_FIRST_ANSWER = (
    f"ev.action = 'status' AND ev.to_status IN ({_ANSWERING}) AND NOT EXISTS (SELECT 1 FROM case_events e2"
    f" WHERE e2.case_id = ev.case_id AND e2.action = 'status' AND e2.to_status IN ({_ANSWERING})"
    " AND (e2.at < ev.at OR (e2.at = ev.at AND e2.id < ev.id)))"
)


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
    Answer.ON_TIME: " AND local_date(ev.at, a.received_tz) <= a.due_date AND a.extension_notice_sent_on IS NULL",
    Answer.ON_TIME_EXTENDED: (
        " AND local_date(ev.at, a.received_tz) <= a.due_date AND a.extension_notice_sent_on IS NOT NULL"
    ),
    Answer.LATE: " AND local_date(ev.at, a.received_tz) > a.due_date",
}


def answered_condition(first: date, last: date, how: Answer | None = None) -> tuple[str, list[Any]]:
    """Cases ``c`` first answered between ``first`` and ``last`` (local days, both included), and ``how``."""
    # The UTC range is a day wider on each side, for the index; local_date then decides.
    return (
        f"c.id IN (SELECT ev.case_id FROM case_events ev JOIN cases a ON a.id = ev.case_id WHERE {_FIRST_ANSWER}"
        " AND ev.at >= ? AND ev.at < ? AND local_date(ev.at, a.received_tz) BETWEEN ? AND ?"
        f"{_HOW[how] if how else ''})",
        [_utc(first - timedelta(days=1)), _utc(last + timedelta(days=2)), first.isoformat(), last.isoformat()],
    )


def _utc(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Answered:
    """One case answered: when, and against which due date."""

    case_id: int
    answered_on: date
    due: date
    extended: bool

    @property
    def on_time(self) -> bool:
        return self.answered_on <= self.due


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
        rows = self._db.execute(
            "SELECT substr(c.received_date, 1, 7), r.right, count(*) FROM cases c"
            " JOIN case_rights r ON r.case_id = c.id WHERE c.received_at >= ? AND c.received_at < ?"
            " AND c.received_date BETWEEN ? AND ? GROUP BY 1, 2",
            (_utc(first - timedelta(days=1)), _utc(last + timedelta(days=2)), first.isoformat(), last.isoformat()),
        )
        return {(month, right): count for month, right, count in rows}

    def answered(self, first: date, last: date) -> Iterator[Answered]:
        """Every case first answered between the two local days."""
        # Each case's first answer from the index of answers alone (schema_0021.sql), then its case.
        rows = self._db.execute(
            "SELECT c.id, local_date(a.at, c.received_tz), c.due_date, c.extension_notice_sent_on IS NOT NULL"
            " FROM (SELECT case_id, min(at) AS at FROM case_events"
            f" WHERE action = 'status' AND to_status IN ({_ANSWERING}) GROUP BY case_id) a"
            " JOIN cases c ON c.id = a.case_id WHERE a.at >= ? AND a.at < ?",
            (_utc(first - timedelta(days=1)), _utc(last + timedelta(days=2))),
        )
        for case_id, answered, due, extended in rows:
            answered_on = date.fromisoformat(answered)
            if first <= answered_on <= last:
                yield Answered(case_id, answered_on, date.fromisoformat(due), bool(extended))

    def received(self, first: date, last: date, entity_id: int | None = None) -> list[dict[str, Any]]:
        """The cases received between the two local days: what the yearly report and the register count."""
        sql = (
            "SELECT c.id, c.reference, c.entity_id, e.name AS entity, c.channel, c.received_date, c.rights,"
            " (SELECT group_concat(r.right, ',') FROM case_rights r WHERE r.case_id = c.id) AS right_keys,"
            " c.status, c.due_date, c.extension_notice_sent_on IS NOT NULL AS extended,"
            " (SELECT local_date(ev.at, c.received_tz) FROM case_events ev WHERE ev.case_id = c.id"
            f" AND {_FIRST_ANSWER}) AS answered_on,"
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
