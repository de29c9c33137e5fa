"""Recomputing stored due dates reads only a deadline's inputs; it must store what whole cases give."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from dpo_desk.application.demo import create_demo_store
from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import Deadlines, case_deadlines
from dpo_desk.core.settings import RULES, TARGET_DAYS
from tests.conftest import TEST_KEY, desk_on, opened_copy

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("recompute") / "demo.sqlite"
    create_demo_store(path, TEST_KEY, cases=240, seed=11, now=NOW)
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    with opened_copy(demo_template, tmp_path) as opened:
        yield opened


def stored_deadlines(db: Database) -> dict[int, tuple[str, str, str]]:
    rows = db.execute("SELECT id, due_date, extension_notice_due, target_date FROM cases")
    return {row[0]: tuple(row[1:]) for row in rows}


def deadlines_of_whole_cases(desk: Desk, ids: list[int], today: date) -> dict[int, tuple[str, str, str]]:
    """What recomputing stored before it read only the columns a deadline needs: whole cases, one by one."""
    rules, target_days = desk.settings.get(RULES), desk.settings.get(TARGET_DAYS)
    return {
        case.id: as_text(case_deadlines(case.deadline_input(rules, today), target_days))
        for case in desk.workflow.cases.cases(ids)
    }


def as_text(deadlines: Deadlines) -> tuple[str, str, str]:
    return deadlines.due.isoformat(), deadlines.extension_notice_due.isoformat(), deadlines.target.isoformat()


CHANGES: list[tuple[dict[Any, Any], bool]] = [  # the settings saved, and whether every calendar moved too
    ({RULES: "ico", TARGET_DAYS: 20}, True),
    ({RULES: "eu", TARGET_DAYS: 10}, True),
    ({RULES: "ico", TARGET_DAYS: 28}, True),
    ({TARGET_DAYS: 15}, False),  # only the internal targets move
]


@pytest.mark.parametrize(("settings", "calendars_move"), CHANGES)
def test_every_stored_date_is_what_the_whole_case_gives(
    demo: tuple[Database, Path], settings: dict[Any, Any], calendars_move: bool
) -> None:
    db, path = demo
    desk = desk_on(db, path, TEST_KEY)
    repo = desk.workflow.cases
    cases = repo.cases([row[0] for row in db.execute("SELECT id FROM cases")])
    assert any(c.extension for c in cases) and any(c.open_pauses for c in cases)
    assert any(p.end for c in cases for p in c.pauses)
    desk.save_settings(settings)
    for entity in repo.register.entities() if calendars_move else []:  # without recomputing anything yet
        repo.register.set_calendar(entity.id, {"NO": "PL", "PL": "FI", "FI": "none", "none": "NO"}[entity.calendar])
    today = date(2027, 1, 15)  # later than the demo's day: open pauses have grown
    before = stored_deadlines(db)
    expected = deadlines_of_whole_cases(desk, list(before), today)
    moved = sum(expected[case_id] != before[case_id] for case_id in before)
    assert moved > 20  # the test is worth something only if many dates move

    assert repo.recompute_deadlines(today=today) == moved
    assert stored_deadlines(db) == expected
    assert repo.recompute_deadlines(today=today) == 0


def test_recomputing_some_cases_leaves_the_others(demo: tuple[Database, Path]) -> None:
    db, path = demo
    desk = desk_on(db, path, TEST_KEY)
    repo = desk.workflow.cases
    desk.save_settings({RULES: "ico", TARGET_DAYS: 15})
    before = stored_deadlines(db)
    paused = sorted({row[0] for row in db.execute("SELECT case_id FROM pauses")})
    some = paused[::2] + [case_id for case_id in before if case_id not in paused][:30]
    today = date(2027, 1, 15)
    expected = deadlines_of_whole_cases(desk, some, today)

    assert repo.recompute_deadlines(some, today=today) == sum(expected[i] != before[i] for i in some)
    assert stored_deadlines(db) == before | expected
