"""Quarantined files in the app: listed with their reason, saved out on request (audited)."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.core.settings import BACKUPS_KEPT
from dpo_desk.gui import quarantine_dialog
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.quarantine_dialog import QuarantineDialog


def test_a_quarantined_file_is_listed_and_saved_on_request(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = tmp_path / "scan.eml"
    refused.write_bytes(b"\x89PNG not mail")
    desk.quarantine(refused, "scan.eml: no e-mail headers found")
    dialog = QuarantineDialog(desk, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "scan.eml"
    assert "no e-mail headers" in dialog.table.item(0, 3).text()
    assert not dialog.save_button.isEnabled()
    dialog.table.selectRow(0)
    target = tmp_path / "out" / "inspect.bin"
    target.parent.mkdir()
    monkeypatch.setattr(quarantine_dialog, "ask_save_path", lambda parent, quarantine_id: target)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == b"\x89PNG not mail"
    assert desk.audit.latest(1)[0].action == "quarantine-saved"


def test_the_number_of_backups_kept_is_chosen_in_the_menu(
    window: MainWindow, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FieldsDialog, "ask", classmethod(lambda cls, *args, **options: {"backups_kept": 30}))
    window.backups_action.trigger()
    assert desk.settings.get(BACKUPS_KEPT) == 30
