"""What keeps a case's history, its audit entries, its seal and the answer statistics quick at 100,000 cases
(1.77 M history and audit entries): each statement reading case_events or audit searches an index, none
scans the table."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.store import audit, backup, retention, seals
from dpo_desk.store.statistics import Statistics, answered_condition
from tests.conftest import NOW, new_case

FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)
ANSWERS_SCAN = "SCAN case_events USING INDEX case_events_first_answer"


def _answered_count(db: Database) -> None:
    condition, params = answered_condition(FIRST, LAST)
    db.execute(f"SELECT count(*) FROM cases c WHERE {condition}", params).fetchall()


READERS: dict[str, tuple[Callable[[Desk, Database, int], object], set[str]]] = {
    "history": (lambda desk, db, case_id: desk.cases.history(case_id), {"case_events_by_case"}),
    "audit of a case": (
        lambda desk, db, case_id: audit.case_entries(db, case_id),
        {"audit_by_case", "audit_by_letter"},
    ),
    "seal": (lambda desk, db, case_id: seals.case_state(db, case_id), {"case_events_by_case"}),
    "answered": (lambda desk, db, case_id: list(Statistics(db).answered(FIRST, LAST)), {"case_events_first_answer"}),
    "answered count": (
        lambda desk, db, case_id: _answered_count(db),
        {"case_events_answers", "case_events_first_answer"},
    ),
    "report": (lambda desk, db, case_id: Statistics(db).received(FIRST, LAST), {"case_events_first_answer"}),
    "expired": (
        lambda desk, db, case_id: retention.expired_cases(db, today=NOW.date(), months=36),
        {"case_events_by_case"},
    ),
    # After each day's first backup, on the window's thread: which backups are the oldest to let go.
    "backups made": (lambda desk, db, case_id: backup._in_order_made(db, []), {"audit_backups"}),
}


@pytest.mark.parametrize("reader", READERS)
def test_reading_history_and_audit_searches_an_index(desk: Desk, db: Database, reader: str) -> None:
    case_id = desk.cases.add(new_case(), actor="dpo", now=NOW)
    read, indexes = READERS[reader]
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        read(desk, db, case_id)
    finally:
        db.conn.set_trace_callback(None)
    plans = [
        " | ".join(row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in dict.fromkeys(statements)
        if sql.lstrip().upper().startswith("SELECT") and ("case_events" in sql or "FROM audit" in sql)
    ]
    assert plans
    # The one scan allowed: of the answers' own index (one entry per answer, 8% of the history), read
    # without the rows, for each case's first answer.
    text = " | ".join(plans).replace(ANSWERS_SCAN, "READ INDEX case_events_first_answer")
    assert "SCAN case_events" not in text and "SCAN audit" not in text and "SCAN ev" not in text, text
    assert all(f"INDEX {index} " in text for index in indexes), text
