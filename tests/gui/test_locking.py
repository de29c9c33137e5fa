"""Locking hides every case: on Ctrl+L, after the idle time, and until the passphrase is typed."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.gui.auto_lock import IDLE_SETTING
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.workflow import Workflow
from tests.conftest import NOW, TEST_PASSPHRASE, new_case


@pytest.fixture
def with_cases(repo: CaseRepository) -> CaseRepository:
    for number in range(3):
        repo.add(new_case(name=f"Visible Person {number}"), actor="dpo", now=NOW)
    return repo


def test_ctrl_l_hides_and_clears_the_cases_until_unlock(
    qtbot: QtBot, with_cases: CaseRepository, window: MainWindow
) -> None:
    window.model.refresh()
    window.table.selectRow(0)
    assert window.case_view.case is not None
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert window.model.rowCount() == 0 and window.case_view.case is None
    assert not window.table.isVisible() and window.lock_screen.isVisible()
    assert not window.new_case_action.isEnabled() and not window.find_action.isEnabled()
    assert window.lock_action.isEnabled() and window.quit_action.isEnabled()

    qtbot.keyClicks(window.lock_screen.entry.field, TEST_PASSPHRASE)
    qtbot.mouseClick(window.lock_screen.entry.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.locked
    assert window.model.rowCount() == 3 and window.table.isVisible()
    assert window.new_case_action.isEnabled()


def test_a_wrong_passphrase_keeps_it_locked_and_each_failure_waits_longer(
    qtbot: QtBot, with_cases: CaseRepository, window: MainWindow
) -> None:
    window.lock()
    entry = window.lock_screen.entry
    qtbot.keyClicks(entry.field, "not the passphrase at all")
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)
    assert window.locked and window.model.rowCount() == 0
    assert entry.field.text() == ""  # the typed text does not stay in the widget
    assert "Wrong passphrase" in entry.message.text() and "1 s" in entry.message.text()
    assert not entry.field.isEnabled() and not entry.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: entry.field.isEnabled(), timeout=3000)
    qtbot.keyClicks(entry.field, "still not the passphrase")
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)
    assert "2 s" in entry.message.text()
    assert window.locked


def test_an_open_dialog_is_closed_by_the_lock(qtbot: QtBot, with_cases: CaseRepository, window: MainWindow) -> None:
    from PySide6.QtWidgets import QDialog

    dialog = QDialog(window)
    dialog.show()
    window.lock()
    assert not dialog.isVisible()


def test_idle_time_locks_the_window(qtbot: QtBot, with_cases: CaseRepository, window: MainWindow) -> None:
    window.idle_watcher.timer.setInterval(30)
    window.idle_watcher.timer.start()
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert window.model.rowCount() == 0


def test_a_key_press_restarts_the_idle_clock(qtbot: QtBot, window: MainWindow) -> None:
    window.idle_watcher.timer.stop()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.idle_watcher.timer.isActive()
    window.idle_watcher.timer.stop()
    QApplication.processEvents()  # repaints and timers are not activity
    assert not window.idle_watcher.timer.isActive()


def test_the_idle_minutes_are_a_setting(
    qtbot: QtBot, window: MainWindow, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.idle_watcher.timer.interval() == 10 * 60 * 1000
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args: (3, True))
    window.auto_lock_action.trigger()
    assert window.idle_watcher.timer.interval() == 3 * 60 * 1000
    assert int(settings.value(IDLE_SETTING)) == 3


def test_the_setting_is_read_at_start_and_bad_values_fall_back(
    qtbot: QtBot, repo: CaseRepository, store_path: Path, settings: QSettings, store_key: bytes
) -> None:
    settings.setValue(IDLE_SETTING, "five")
    window = MainWindow(repo, store_path, "dpo", lambda: NOW, settings, store_key)
    qtbot.addWidget(window)
    assert window.auto_lock_minutes() == 10
    settings.setValue(IDLE_SETTING, 2)
    assert window.auto_lock_minutes() == 2


def texts_on_screen(window: MainWindow) -> list[str]:
    """Every text a widget or a model of the window holds: what someone at the locked screen could reach."""
    from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QLineEdit, QPlainTextEdit, QTextEdit

    found: list[str] = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            found.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and isinstance(widget.model(), QAbstractItemModel):
            model = widget.model()
            root = QModelIndex()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
            found += [
                str(model.index(row, column).data()) for row in range(model.rowCount(root)) for column in range(columns)
            ]
    return found


def test_after_locking_no_widget_or_model_holds_case_data_and_settings_never_do(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow, settings: QSettings
) -> None:
    case_id = repo.add(
        new_case(name="Canary Lockwood", emails=("canary.lockwood@example.org",), text="CANARY-REQUEST"),
        actor="dpo",
        now=NOW,
    )
    check = IdentityCheck(Evidence.PASSPORT, Method.VIDEO_CALL, "dpo", NOW, Outcome.PASSED, note="CANARY-ID-NOTE")
    Workflow(repo.db).record_check(case_id, check, actor="dpo", now=NOW)
    repo.add_note(case_id, "CANARY-CASE-NOTE", author="dpo", now=NOW)
    window.model.refresh()
    window.table.selectRow(0)
    shown = " ".join(texts_on_screen(window))
    assert [c for c in ("Canary Lockwood", "CANARY-ID-NOTE", "CANARY-CASE-NOTE") if c not in shown] == []
    window.lock()
    leaks = [text for text in texts_on_screen(window) if "Canary" in text or "CANARY" in text or "lockwood" in text]
    assert leaks == []
    window.close()
    settings.sync()
    stored = Path(settings.fileName()).read_bytes()
    assert b"Canary" not in stored and b"CANARY" not in stored and b"lockwood" not in stored
