"""Edit → Suppression list: a check by typing, and an export for the marketing tool."""

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import Right
from dpo_desk.gui import suppression_dialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.suppression_dialog import SuppressionDialog
from tests.conftest import NOW, new_case


@pytest.fixture
def objector(desk: Desk) -> None:
    case_id = desk.cases.add(new_case(emails=(), phones=("912 34 567",), rights=(Right.OBJECTION,)), actor="d", now=NOW)
    desk.outcomes.record_outcome(case_id, "objection", {"direct_marketing": True, "done_on": "2026-11-01"}, actor="d",
                                 now=NOW)  # fmt: skip


@pytest.mark.usefixtures("objector")
def test_a_phone_typed_and_checked_with_its_country(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.suppression_action in window.menuBar().actions()[1].menu().actions()
    dialog = SuppressionDialog(desk, window)
    qtbot.addWidget(dialog)
    dialog.open()  # window-modal, as from the Edit menu
    assert dialog.focusWidget() is dialog.identifier
    qtbot.keyClicks(dialog.identifier, "91234567")
    qtbot.keyClick(dialog.identifier, Qt.Key.Key_Return)
    assert "E-mail or phone: '91234567' is not a phone number" in dialog.finding.text()  # no country: which one?
    dialog.country.setCurrentIndex(dialog.country.findData("NO"))
    qtbot.keyClick(dialog.identifier, Qt.Key.Key_Return)
    assert "<b>is on the suppression list</b>, since 2026-11-29 (phone)" in dialog.finding.text()
    dialog.country.setCurrentIndex(dialog.country.findData("PL"))
    qtbot.keyClick(dialog.identifier, Qt.Key.Key_Return)
    assert "<b>not</b> on the suppression list" in dialog.finding.text()
    assert dialog.isVisible()  # Enter checked; it closed the dialog too while Close was its default button
    target = tmp_path / "for-marketing.json"
    monkeypatch.setattr(suppression_dialog, "ask_export_path", lambda parent: target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert len(json.loads(target.read_text())["suppression_list"]["entries"]) == 1
    assert "Wrote 1 entry to" in dialog.finding.text()


def test_an_empty_list_has_nothing_to_export(qtbot: QtBot, window: MainWindow, desk: Desk) -> None:
    dialog = SuppressionDialog(desk, window)
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled() and "empty" in dialog.export_button.toolTip()
