"""Locking hides every case: on Ctrl+L, after the idle time, and until the passphrase is typed."""

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMenu, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.settings import AUTO_LOCK_MINUTES
from dpo_desk.gui import locking
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import CASES_PAGE, OLD_AUTO_LOCK_KEY, MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, TEST_PASSPHRASE, new_case


@pytest.fixture
def with_cases(repo: CaseRepository) -> CaseRepository:
    for number in range(3):
        repo.add(new_case(name=f"Visible Person {number}"), actor="dpo", now=NOW)
    return repo


def test_ctrl_l_hides_and_clears_the_cases_until_unlock(
    qtbot: QtBot, with_cases: CaseRepository, window: MainWindow
) -> None:
    window.navigation.setCurrentRow(CASES_PAGE)
    window.model.refresh()
    window.table.selectRow(0)
    assert window.case_view.case is not None
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.window_lock.is_locked
    assert window.model.rowCount() == 0 and window.case_view.case is None
    assert not window.table.isVisible() and window.window_lock.screen.isVisible()
    assert not window.new_case_action.isEnabled() and not window.find_action.isEnabled()
    assert window.lock_action.isEnabled() and window.quit_action.isEnabled()
    assert window.count_label.text() == ""  # it read "0 of 3 cases"

    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    qtbot.mouseClick(window.window_lock.screen.entry.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.window_lock.is_locked
    assert window.model.rowCount() == 3 and window.table.isVisible()
    assert window.new_case_action.isEnabled() and window.count_label.text() == "3 cases"


def test_a_wrong_passphrase_keeps_it_locked_and_each_failure_waits_longer(
    qtbot: QtBot, with_cases: CaseRepository, window: MainWindow
) -> None:
    window.window_lock.lock()
    entry = window.window_lock.screen.entry
    qtbot.keyClicks(entry.field, "not the passphrase at all")
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)
    assert window.window_lock.is_locked and window.model.rowCount() == 0
    assert entry.field.text() == ""  # the typed text does not stay in the widget
    assert "Wrong passphrase" in entry.message.text() and "1 s" in entry.message.text()
    assert entry.field.isEnabled() and not entry.unlock_button.isEnabled()  # the field keeps Enter
    qtbot.keyClicks(entry.field, TEST_PASSPHRASE)
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)  # during the wait: not tried, not counted
    assert window.window_lock.is_locked and entry.failures == 1
    entry.field.clear()
    qtbot.waitUntil(entry.unlock_button.isEnabled, timeout=3000)
    qtbot.keyClicks(entry.field, "still not the passphrase")
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)
    assert "2 s" in entry.message.text()
    assert window.window_lock.is_locked


def test_an_open_dialog_is_closed_by_the_lock(qtbot: QtBot, with_cases: CaseRepository, window: MainWindow) -> None:
    from PySide6.QtWidgets import QDialog

    dialog = QDialog(window)
    dialog.show()
    window.window_lock.lock()
    assert not dialog.isVisible()


def test_idle_time_locks_the_window(qtbot: QtBot, with_cases: CaseRepository, window: MainWindow) -> None:
    window.window_lock.idle_watcher.timer.setInterval(30)
    window.window_lock.idle_watcher.timer.start()
    qtbot.waitUntil(lambda: window.window_lock.is_locked, timeout=3000)
    assert window.model.rowCount() == 0


def focused(qtbot: QtBot, widget: QWidget) -> QWindow:
    """The top-level window of ``widget``, once it has the focus: where the platform delivers keys first."""
    widget.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is widget.windowHandle(), timeout=3000)
    window = widget.windowHandle()
    assert window is not None
    return window


def test_a_key_press_restarts_the_idle_clock(qtbot: QtBot, window: MainWindow) -> None:
    shown = focused(qtbot, window)
    window.window_lock.idle_watcher.timer.stop()
    QTest.keyClick(shown, Qt.Key.Key_Down)
    assert window.window_lock.idle_watcher.timer.isActive()
    window.window_lock.idle_watcher.timer.stop()
    QApplication.processEvents()  # repaints and timers are not activity
    assert not window.window_lock.idle_watcher.timer.isActive()


def test_typing_in_a_dialog_keeps_the_window_unlocked(qtbot: QtBot, window: MainWindow) -> None:
    focused(qtbot, window)
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    typed_in = focused(qtbot, dialog)
    window.window_lock.idle_watcher.timer.stop()
    QTest.keyClick(typed_in, Qt.Key.Key_A)
    assert field.text() == "a" and window.window_lock.idle_watcher.timer.isActive()
    dialog.reject()


class CountedTypes(frozenset[QEvent.Type]):
    """The idle clock's activity types, counting how often the clock is asked about an event."""

    def __init__(self, kinds: frozenset[QEvent.Type]) -> None:
        super().__init__()
        self.asked = 0

    def __contains__(self, kind: object) -> bool:
        self.asked += 1
        return super().__contains__(kind)


def test_the_idle_clock_is_not_asked_about_every_widgets_events(
    qtbot: QtBot, with_cases: CaseRepository, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Input reaches a window before its widgets; a filter on the whole application ran Python for every
    paint, layout and timer of every widget (4 ms of each case opened at 100,000 cases)."""
    shown = focused(qtbot, window)
    counted = CountedTypes(locking.ACTIVITY)
    monkeypatch.setattr(locking, "ACTIVITY", counted)
    window.navigation.setCurrentRow(CASES_PAGE)
    window.model.refresh()
    window.table.selectRow(0)
    window.case_view.repaint()
    assert window.case_view.case is not None and counted.asked == 0
    QTest.keyClick(shown, Qt.Key.Key_Down)
    assert counted.asked > 0 and window.window_lock.idle_watcher.timer.isActive()


def test_the_idle_minutes_are_an_audited_store_setting(
    qtbot: QtBot, window: MainWindow, desk: Desk, db: Database, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.window_lock.idle_watcher.timer.interval() == 10 * 60 * 1000

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        minutes = dialog.inputs["auto_lock_minutes"]
        assert (minutes.minimum(), minutes.maximum(), minutes.value()) == (1, 240, 10)
        assert minutes.text() == "10 idle minutes"
        minutes.setValue(1)
        assert minutes.text() == "1 idle minute"  # it read "1 idle minutes"
        minutes.setValue(3)
        assert minutes.text() == "3 idle minutes"
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    window.auto_lock_action.trigger()
    assert window.window_lock.idle_watcher.timer.interval() == 3 * 60 * 1000
    assert desk.settings.get(AUTO_LOCK_MINUTES) == 3
    last = db.execute("SELECT action, entity_id FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert last == ("setting", "auto_lock_minutes")
    assert settings.allKeys() == []  # a security control is not this computer's to keep


def test_minutes_once_kept_on_this_computer_move_into_the_store(
    qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner
) -> None:
    settings.setValue(OLD_AUTO_LOCK_KEY, 5)
    window = MainWindow(desk, settings, runner)
    qtbot.addWidget(window)
    assert desk.settings.get(AUTO_LOCK_MINUTES) == 5
    assert window.window_lock.idle_watcher.timer.interval() == 5 * 60 * 1000
    assert not settings.contains(OLD_AUTO_LOCK_KEY)
    settings.setValue(OLD_AUTO_LOCK_KEY, "five")  # a value no version wrote: the store's stands
    qtbot.addWidget(MainWindow(desk, settings, runner))
    assert desk.settings.get(AUTO_LOCK_MINUTES) == 5 and not settings.contains(OLD_AUTO_LOCK_KEY)
    settings.setValue(OLD_AUTO_LOCK_KEY, 100000)  # out of bounds: the window still opens, the store's stands
    qtbot.addWidget(MainWindow(desk, settings, runner))
    assert desk.settings.get(AUTO_LOCK_MINUTES) == 5 and not settings.contains(OLD_AUTO_LOCK_KEY)


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
    qtbot: QtBot, repo: CaseRepository, desk: Desk, window: MainWindow, settings: QSettings
) -> None:
    case_id = repo.add(
        new_case(name="Canary Lockwood", emails=("canary.lockwood@example.org",), text="CANARY-REQUEST"),
        actor="dpo",
        now=NOW,
    )
    check = IdentityCheck(Evidence.PASSPORT, Method.VIDEO_CALL, "dpo", NOW, Outcome.PASSED, note="CANARY-ID-NOTE")
    desk.workflow.record_check(case_id, check, actor="dpo", now=NOW)
    repo.add_note(case_id, "CANARY-CASE-NOTE", author="dpo", now=NOW)
    window.model.refresh()
    window.table.selectRow(0)
    shown = " ".join(texts_on_screen(window))
    assert [c for c in ("Canary Lockwood", "CANARY-ID-NOTE", "CANARY-CASE-NOTE") if c not in shown] == []
    window.window_lock.lock()
    leaks = [text for text in texts_on_screen(window) if "Canary" in text or "CANARY" in text or "lockwood" in text]
    assert leaks == []
    window.close()
    settings.sync()
    stored = Path(settings.fileName()).read_bytes()
    assert b"Canary" not in stored and b"CANARY" not in stored and b"lockwood" not in stored


MAIL = Path(__file__).parents[1] / "data" / "mail"


def test_what_a_task_reports_while_locked_waits_for_the_unlock(
    qtbot: QtBot, with_cases: CaseRepository, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that ends, or a mail read, while the window locks must not put case data behind the lock."""
    from dpo_desk.gui.new_case_dialog import NewCaseDialog

    reviewed: list[str] = []
    monkeypatch.setattr(
        NewCaseDialog, "ask_for_mail", classmethod(lambda cls, *args: reviewed.append(args[3].mail.subject))
    )
    window.window_lock.lock()
    window.batch.finished.emit(1, "1 of 1 acknowledgement(s) written")
    window.mail_import.import_files([MAIL / "01-en-mozilla.eml"])  # read in a task that ends at once here
    assert window.model.rowCount() == 0 and reviewed == []
    assert "acknowledgement" not in window.statusBar().currentMessage()
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    qtbot.keyClick(window.window_lock.screen.entry.field, Qt.Key.Key_Return)
    assert not window.window_lock.is_locked and window.model.rowCount() == 3
    assert len(reviewed) == 1  # the mail's case is offered now
    assert window.statusBar().currentMessage() == "1 of 1 acknowledgement(s) written"


def test_a_copied_letter_password_leaves_the_clipboard_at_lock_and_after_a_minute(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The password stayed on the clipboard, shared with every program, after Lock."""
    from PySide6.QtGui import QGuiApplication

    from dpo_desk.gui import secret_clipboard
    from dpo_desk.gui.letters_tab import PasswordDialog

    clipboard = QGuiApplication.clipboard()
    dialog = PasswordDialog("k7dq-m2xp-a2b3-c4d5-e6f7", in_keyring=True, parent=window)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "k7dq-m2xp-a2b3-c4d5-e6f7"
    window.window_lock.lock()
    assert clipboard.text() == ""
    monkeypatch.setattr(secret_clipboard, "CLEAR_AFTER_MS", 20)
    secret_clipboard.copy_secret("another-password")
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2000)
    secret_clipboard.copy_secret("third-password")
    clipboard.setText("what the DPO copied since")  # not the secret: left alone
    secret_clipboard.forget_secret()
    assert clipboard.text() == "what the DPO copied since"


# Offscreen, Qt says it cannot raise a popup or grab the keyboard for it: the menu is shown all the same.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
def test_a_menu_open_at_the_lock_is_closed(qtbot: QtBot, with_cases: CaseRepository, window: MainWindow) -> None:
    """Only dialogs were closed: a menu or a list dropped open stayed over the lock screen."""
    menu = QMenu(window)
    menu.addAction("Open DSR-2026-0001")
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    assert QApplication.activePopupWidget() is menu
    window.window_lock.lock()
    assert not menu.isVisible() and QApplication.activePopupWidget() is None
