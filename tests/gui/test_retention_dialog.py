"""The retention dialog previews, asks once, and purges exactly the listed cases."""

from datetime import UTC, date, datetime

import pytest
from pytestqt.qtbot import QtBot

from dpo_desk.core.models import Status
from dpo_desk.gui import retention_dialog as module
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case


@pytest.fixture
def ended_long_ago(repo: CaseRepository) -> int:
    day = datetime(2022, 3, 1, 10, tzinfo=UTC)
    case_id = repo.add(new_case(received=day), actor="dpo", now=day)
    repo.change_status(case_id, Status.WITHDRAWN, actor="dpo", reason="withdrawn", now=day)
    repo.add(new_case(name="Still Open"), actor="dpo", now=NOW)
    return case_id


def dialog(qtbot: QtBot, repo: CaseRepository, window: MainWindow) -> module.RetentionDialog:
    shown = module.RetentionDialog(repo.db, "dpo", lambda: NOW, lambda: date(2026, 11, 29), window)
    qtbot.addWidget(shown)
    return shown


def test_preview_then_purge(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow, ended_long_ago: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = dialog(qtbot, repo, window)
    assert shown.table.rowCount() == 1
    assert shown.table.item(0, 0).text() == repo.get_by_id(ended_long_ago).reference
    assert shown.purge_button.text() == "&Purge 1 case(s)…"
    monkeypatch.setattr(module, "confirm_purge", lambda parent, count: False)
    shown.purge_button.click()
    assert repo.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 2

    monkeypatch.setattr(module, "confirm_purge", lambda parent, count: True)
    shown.purge_button.click()
    assert repo.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    assert shown.table.rowCount() == 0 and not shown.purge_button.isEnabled()
    assert repo.db.execute("SELECT count(*) FROM audit WHERE action = 'retention-purge'").fetchone()[0] == 1


def test_a_longer_period_empties_the_list(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow, ended_long_ago: int
) -> None:
    shown = dialog(qtbot, repo, window)
    shown.months.setValue(120)
    assert shown.table.rowCount() == 0
    assert shown.summary.text() == "No case is past the retention period."
