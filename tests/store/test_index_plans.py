"""What keeps a case's history, its audit entries, its seal and the dashboard's figures quick at 100,000 cases
(1.77 M history and audit entries): each statement reading case_events or audit searches an index, none
scans the table; each figure counted over many cases reads an index alone, not their rows."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import Scope
from dpo_desk.store import audit, backup, retention, seals
from dpo_desk.store.statistics import Statistics, answered_condition
from tests.conftest import NOW, new_case

FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)


READERS: dict[str, tuple[Callable[[Desk, Database, int], object], set[str]]] = {
    "history": (lambda desk, db, case_id: desk.cases.history(case_id), {"case_events_by_case"}),
    "audit of a case": (
        lambda desk, db, case_id: audit.case_entries(db, case_id),
        {"audit_by_case", "audit_by_letter"},
    ),
    "seal": (lambda desk, db, case_id: seals.case_state(db, case_id), {"case_events_by_case"}),
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
    text = " | ".join(plans)
    assert "SCAN case_events" not in text and "SCAN audit" not in text and "SCAN ev" not in text, text
    assert all(f"INDEX {index} " in text for index in indexes), text


def _answered_listed(db: Database) -> None:
    condition, params = answered_condition(FIRST, LAST)
    db.execute(f"SELECT count(*) FROM cases c WHERE {condition}", params).fetchall()


# Each figure counted over many cases (a year's, every case's), and the index that holds all it reads.
FIGURES: dict[str, tuple[Callable[[Database], object], str]] = {
    "answered per day": (lambda db: Statistics(db).answered_by_day(FIRST, LAST), "COVERING INDEX cases_by_answered"),
    "answered, listed": (_answered_listed, "COVERING INDEX cases_by_answered"),
    "received per month and right": (
        lambda db: Statistics(db).received_by_month_and_right(FIRST, LAST),
        "COVERING INDEX cases_by_received_date",
    ),
    "notices outstanding": (
        lambda db: Statistics(db).count(Scope.NOTICES_OUTSTANDING, FIRST),
        "INDEX recipient_notices_to_notify",
    ),
}


@pytest.mark.parametrize("figure", FIGURES)
def test_a_year_s_figure_reads_an_index_alone(desk: Desk, db: Database, figure: str) -> None:
    desk.cases.add(new_case(), actor="dpo", now=NOW)
    read, index = FIGURES[figure]
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        read(db)
    finally:
        db.conn.set_trace_callback(None)
    (sql,) = [sql for sql in dict.fromkeys(statements) if sql.lstrip().upper().startswith("SELECT")]
    steps = [row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    reads = [step for step in steps if step.split(" ")[0] in ("SCAN", "SEARCH") and "(subquery" not in step]
    assert any(index in step for step in reads), steps
    # A partial index read whole is its few entries (the notices still to send), not the table; a case row
    # is read only when an index found it.
    assert all("COVERING INDEX" in step or "INTEGER PRIMARY KEY" in step for step in reads), steps
    if any("TEMP B-TREE" in step for step in steps):  # what is sorted is the groups of a subquery, not each case
        assert any(step.startswith("SCAN (subquery") for step in steps), steps
