"""Starting on a damaged store: the app offers the latest backup and keeps the damaged file."""

import os
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.application.stores import open_desk
from dpo_desk.gui import app
from dpo_desk.gui.backups import StoreCheck
from dpo_desk.store.db import open_store
from dpo_desk.store.opening import remove_crash_leftovers
from tests.conftest import NOW, Template, daily_backup, desk_on, new_case


@pytest.fixture
def damaged_store_with_backup(desk: Desk, store_path: Path) -> Path:
    desk.add_case(new_case(name="In The Backup"))
    daily_backup(desk, NOW.date())
    desk.close()
    store_path.write_bytes(store_path.read_bytes()[:6000])
    return store_path


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: shown.append(args[2]) or button)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    return shown


def opened(path: Path) -> Desk | None:
    return open_desk(path, app.DialogUnlocker(SynchronousRunner()), actor="dpo", clock=lambda: NOW)


def test_yes_restores_the_latest_backup(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, damaged_store_with_backup: Path
) -> None:
    shown = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    desk = opened(damaged_store_with_backup)
    assert desk is not None
    try:
        assert [case.subject.name for case in desk.cases.cases([1])] == ["In The Backup"]
    finally:
        desk.close()
    assert "damaged" in shown[0] and "daily-2026-11-29.sqlite" in shown[0]
    assert "kept as store.sqlite.damaged-" in shown[1]
    assert len(list(damaged_store_with_backup.parent.glob("store.sqlite.damaged-*"))) == 1


def test_no_leaves_everything_as_it_was(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, damaged_store_with_backup: Path
) -> None:
    before = damaged_store_with_backup.read_bytes()
    answer(monkeypatch, QMessageBox.StandardButton.No)
    assert opened(damaged_store_with_backup) is None
    assert damaged_store_with_backup.read_bytes() == before
    assert not list(damaged_store_with_backup.parent.glob("*.damaged-*"))


def test_without_a_backup_the_message_says_so(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, store_path: Path, store_key: bytes
) -> None:
    store_path.write_bytes(b"")
    shown = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert opened(store_path) is None
    assert "empty (0 bytes)" in shown[0] and "No backup was found" in shown[0]


def test_the_background_check_reports_damage_the_open_did_not_see(
    qtbot: QtBot, desk: Desk, store_path: Path, store_key: bytes
) -> None:
    for number in range(40):
        desk.add_case(new_case(name=f"Subject {number}", text="x " * 300))
    desk.close()
    data = bytearray(store_path.read_bytes())
    data[-4096 * 3 : -4096 * 2] = bytes(4096)  # a page near the end, which opening does not read
    store_path.write_bytes(bytes(data))
    with open_store(store_path, store_key, create=False) as db:
        check = StoreCheck(desk_on(db, store_path, store_key), SynchronousRunner())
        damaged: list[str] = []
        check.damaged.connect(damaged.append)
        check.start()
    assert damaged and damaged[0]


def test_the_background_check_is_quiet_on_a_healthy_store(qtbot: QtBot, desk: Desk) -> None:
    check = StoreCheck(desk, SynchronousRunner())
    damaged: list[str] = []
    check.damaged.connect(damaged.append)
    check.start()
    assert damaged == []


def test_half_written_files_a_crash_left_are_removed_at_start_when_old(tmp_path: Path, template: Template) -> None:
    store = tmp_path / "store.sqlite"
    old, young = time.time() - 2 * 3600, time.time() - 60
    planted = {
        tmp_path / "letters" / "DSR-2026-0001" / ".DSR-2026-0001-acknowledgement-1.pdf.part": old,
        tmp_path / "letters" / "DSR-2026-0001" / ".DSR-2026-0001-access-response-2.pdf.part.final": old,
        tmp_path / "backups" / ".daily-2026-11-28.sqlite.part": old,
        tmp_path / ".store.sqlite.key.part": old,
        tmp_path / "letters" / "DSR-2026-0002" / ".DSR-2026-0002-acknowledgement-1.pdf.part": young,
        tmp_path / ".someone-elses-download.part": old,  # not DPO Desk's: left alone
    }
    for path, mtime in planted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
        os.utime(path, (mtime, mtime))
    removed = remove_crash_leftovers(store)
    assert sorted(path.name for path in removed) == [
        ".DSR-2026-0001-access-response-2.pdf.part.final",
        ".DSR-2026-0001-acknowledgement-1.pdf.part",
        ".daily-2026-11-28.sqlite.part",
        ".store.sqlite.key.part",
    ]
    assert sorted(path.name for path in planted if path.exists()) == [
        ".DSR-2026-0002-acknowledgement-1.pdf.part",
        ".someone-elses-download.part",
    ]


def test_opening_removes_what_a_crash_left(
    tmp_path: Path, store_path: Path, store_key: bytes, template: Template
) -> None:
    """Both the app and the command line open through the same call, so both clean up."""
    template.copy_store(store_path)
    stale = store_path.parent / "backups" / ".daily-2026-11-28.sqlite.part"
    stale.parent.mkdir()
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    desk = opened(store_path)
    assert desk is not None and not stale.exists()
    desk.close()


def test_work_that_must_finish_is_not_stopped_by_closing_its_progress_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing "Making the demo cases…" once cancelled the demo and left an empty store for good."""
    from PySide6.QtWidgets import QProgressDialog

    from dpo_desk.application.jobs import Task
    from dpo_desk.gui.background import wait_for

    def work(task: Task[str]) -> str:
        for number in range(3):
            task.progress(number, 3)
        return "finished"

    shown = QProgressDialog.setValue

    def closed_at_once(dialog: QProgressDialog, value: int) -> None:
        shown(dialog, value)
        dialog.canceled.emit()  # what closing it (or the lock closing every dialog) does

    monkeypatch.setattr(QProgressDialog, "setValue", closed_at_once)
    assert wait_for(SynchronousRunner(), Task("must finish", work), "Working…") == "finished"


def test_work_that_reports_no_progress_still_shows_its_dialog_after_a_moment(qtbot: QtBot) -> None:
    """A purge of thousands of cases ran without its dialog: the window took clicks meanwhile (issue 21)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from dpo_desk.application.jobs import Task
    from dpo_desk.gui.background import WAIT_BEFORE_SHOWING_MS, wait_for
    from tests.gui.held import HeldRunner

    held = HeldRunner()
    shown: list[bool] = []

    def look_then_finish() -> None:
        dialogs = [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, QProgressDialog)]
        shown.extend(dialog.isVisible() for dialog in dialogs if dialog.labelText() == "Purging in a test…")
        held.finish(0)

    # Due well after the dialog's own timer: the event loop runs timers in the order they fall due.
    QTimer.singleShot(WAIT_BEFORE_SHOWING_MS + 600, look_then_finish)
    assert wait_for(held, Task("quiet", lambda task: "done"), "Purging in a test…") == "done"
    assert shown == [True]
