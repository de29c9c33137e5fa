"""Tampering with case data shows: each audit entry about a case seals its rows, and verify recomputes them.

The tampering is what someone holding the key can do with any SQLCipher client: change rows behind the
app's back, without touching the audit log.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from dpo_desk.application.demo import create_demo_store
from dpo_desk.application.desk import Desk
from dpo_desk.cli import main
from dpo_desk.store.migrations import migrations
from dpo_desk.store.verify import verify
from tests.conftest import TEST_KEY, desk_on, new_case, opened_copy

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
FIRST = "(SELECT min(id) FROM cases)"
UNDECIDED = "(SELECT min(id) FROM cases WHERE id NOT IN (SELECT case_id FROM identity_decisions))"

TAMPERING = {
    "request text changed": (f"UPDATE cases SET request_text = request_text || ' and more' WHERE id = {FIRST}", FIRST),
    "status changed": (f"UPDATE cases SET status = 'closed' WHERE id = {FIRST}", FIRST),
    "subject renamed": (f"UPDATE subjects SET name = 'Someone Else' WHERE id = (SELECT subject_id FROM cases WHERE id = {FIRST})", FIRST),  # noqa: E501
    "identity decision inserted": (f"INSERT INTO identity_decisions (case_id, status, reason, decided_by, decided_at) VALUES ({UNDECIDED}, 'not-required', 'known to us', 'mallory', '2026-11-01T09:00:00Z')", UNDECIDED),  # noqa: E501
    "e-mail address added": (f"INSERT INTO subject_emails (subject_id, email, email_key) SELECT subject_id, 'x@example.com', 'x@example.com' FROM cases WHERE id = {FIRST}", FIRST),  # noqa: E501
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seals") / "demo.sqlite"
    create_demo_store(path, TEST_KEY, cases=40, seed=3, now=NOW)
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    with opened_copy(demo_template, tmp_path) as opened:
        yield opened


def reference_of(db: Database, case_query: str) -> str:
    return str(db.execute(f"SELECT reference FROM cases WHERE id = {case_query}").fetchone()[0])


def test_a_store_changed_only_by_dpo_desk_passes(demo: tuple[Database, Path]) -> None:
    db, _ = demo
    report = verify(db)
    assert report.ok and report.cases == []
    assert "cases: as their audit entries left them" in report.lines()


@pytest.mark.parametrize("what", sorted(TAMPERING))
def test_a_change_behind_the_apps_back_names_the_case(demo: tuple[Database, Path], what: str) -> None:
    db, _ = demo
    statement, case_query = TAMPERING[what]
    reference = reference_of(db, case_query)
    db.execute(statement)
    report = verify(db)
    assert not report.ok
    assert len(report.cases) == 1
    assert report.cases[0].startswith(f"case {reference} was changed outside DPO Desk after audit entry ")


def test_a_case_added_or_deleted_behind_the_apps_back_shows(demo: tuple[Database, Path]) -> None:
    db, _ = demo
    first_id = db.execute(f"SELECT {FIRST}").fetchone()[0]
    db.execute(
        "INSERT INTO cases (reference, year, seq, entity_id, subject_id, channel, received_at, received_tz,"
        " received_date, status, due_date, extension_notice_due, target_date, created_at, updated_at)"
        " SELECT 'DSR-2026-9999', year, 9999, entity_id, subject_id, channel, received_at, received_tz,"
        " received_date, status, due_date, extension_notice_due, target_date, created_at, updated_at"
        f" FROM cases WHERE id = {first_id}"
    )
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute(f"DELETE FROM cases WHERE id = {first_id}")
    assert verify(db).cases == [
        f"case id {first_id} was deleted outside DPO Desk after audit entry {_newest_entry_of(db, first_id)}",
        "case DSR-2026-9999 is in no audit entry: it was added outside DPO Desk",
    ]


def _newest_entry_of(db: Database, case_id: int) -> int:
    return int(db.execute("SELECT max(seq) FROM audit WHERE sealed_case = ?", (case_id,)).fetchone()[0])


def test_the_command_line_reports_the_change_and_exits_1(
    desk: Desk, db: Database, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = desk.workflow.cases.add(new_case(), actor="alice", now=NOW)
    reference = reference_of(db, str(case_id))
    assert main(["--store", str(store_path), "verify"]) == 0
    assert "cases: as their audit entries left them" in capsys.readouterr().out
    db.execute("UPDATE cases SET request_text = 'something else' WHERE id = ?", (case_id,))
    assert main(["--store", str(store_path), "verify"]) == 1
    assert f"cases: 1 problem(s): case {reference} was changed outside DPO Desk after audit entry" in (
        capsys.readouterr().out
    )


def test_what_dpo_desk_itself_does_keeps_the_seals(demo: tuple[Database, Path]) -> None:
    """Refreshing stored due dates, vacuuming and a migration adding a column change no case's facts."""
    db, path = demo
    desk = desk_on(db, path, TEST_KEY)
    assert desk.workflow.cases.recompute_deadlines(today=date(2027, 3, 1)) > 0
    db.execute("VACUUM")
    db.execute("ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")
    db.execute("ALTER TABLE letters ADD COLUMN pages INTEGER")
    assert verify(db).cases == []


def test_an_audited_change_moves_the_seal_along(demo: tuple[Database, Path]) -> None:
    db, path = demo
    desk = desk_on(db, path, TEST_KEY)
    case_id = desk.workflow.cases.add(new_case(), actor="alice", now=NOW)
    desk.workflow.cases.add_note(case_id, "called back", author="alice", now=NOW)
    assert verify(db).cases == []
    db.execute("UPDATE notes SET text = 'never called' WHERE case_id = ?", (case_id,))
    assert len(verify(db).cases) == 1


def test_an_upgraded_store_seals_the_cases_it_holds() -> None:
    """Migration 0013 seals every case already stored, and the entries before it keep their hashes."""
    db = Database(memory=True)
    migrations.apply(db, stop_before="0013_case_seals")
    db.execute("INSERT INTO subjects (name, created_at) VALUES ('Kari Nordmann', '2026-01-05T10:00:00Z')")
    db.execute(
        "INSERT INTO cases (reference, year, seq, entity_id, subject_id, channel, received_at, received_tz,"
        " received_date, status, due_date, extension_notice_due, target_date, created_at, updated_at)"
        " VALUES ('DSR-2026-0001', 2026, 1, (SELECT min(id) FROM entities), 1, 'letter', '2026-01-05T10:00:00Z',"
        " 'Europe/Oslo', '2026-01-05', 'received', '2026-02-05', '2026-02-05', '2026-01-26',"
        " '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')"
    )
    migrations.apply(db)
    assert verify(db).ok
    assert db.execute("SELECT action, sealed_case FROM audit ORDER BY seq DESC LIMIT 1").fetchone() == (
        "case-sealed",
        1,
    )
    db.execute("UPDATE cases SET request_text = 'changed' WHERE id = 1")
    assert verify(db).cases == ["case DSR-2026-0001 was changed outside DPO Desk after audit entry 1"]
