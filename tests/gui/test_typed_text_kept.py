"""What the DPO typed into a form is never lost without their word: Escape asks before it discards, and a
form the window's lock closes gives its text back when it opens again."""

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import CASES_PAGE, MainWindow
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, TEST_PASSPHRASE, new_case

NOTE = "Called the subject back; they will send a copy of their passport"


def in_dialog(kind: type[QWidget], step: Callable[[QWidget], None]) -> None:
    """Run ``step`` on the next modal dialog of ``kind`` once it is up (an ``exec`` holds the test's thread).
    The dialog is up at the first look when the code works; the looks end after a hundred when it does not,
    so that a broken form fails its test rather than hang the suite or answer another test's dialog."""

    def look(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            try:
                step(dialog)
            except BaseException:
                dialog.reject()  # the test fails on what the step found, rather than hang on an open dialog
                raise
            if dialog.isVisible() and not isinstance(dialog, QMessageBox):
                dialog.reject()  # the step left it open: the test's assertions say what it showed
        elif left:
            QTimer.singleShot(5, lambda: look(left - 1))

    QTimer.singleShot(0, lambda: look(100))


def note_field(dialog: QWidget) -> QPlainTextEdit:
    assert isinstance(dialog, FieldsDialog)
    field = dialog.inputs["note"]
    assert isinstance(field, QPlainTextEdit)
    return field


def test_a_note_half_typed_when_the_window_locks_is_back_after_the_unlock(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow
) -> None:
    """The lock closed the form, and the note typed into it was gone."""
    case_id = repo.add(new_case(), actor="dpo", now=NOW)
    window.navigation.setCurrentRow(CASES_PAGE)
    window.model.refresh()
    window.select_case(case_id)

    def type_then_lock(dialog: QWidget) -> None:
        note_field(dialog).setPlainText(NOTE)
        window.window_lock.lock()

    in_dialog(FieldsDialog, type_then_lock)
    window.add_note_action.trigger()
    assert window.window_lock.is_locked and repo.notes(case_id) == []
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    window.window_lock.screen.entry.unlock_button.click()
    assert not window.window_lock.is_locked and window.case_view.case is not None

    seen: list[tuple[str, bool]] = []

    def look_then_record(dialog: QWidget) -> None:
        assert isinstance(dialog, FieldsDialog)
        seen.append((note_field(dialog).toPlainText(), dialog.put_back.isVisibleTo(dialog)))
        dialog.ok.click()

    in_dialog(FieldsDialog, look_then_record)
    window.add_note_action.trigger()
    assert seen == [(NOTE, True)]
    assert [note.text for note in repo.notes(case_id)] == [NOTE]

    opened_again: list[str] = []  # given back once, not every time the form opens

    def look_then_close(dialog: QWidget) -> None:
        opened_again.append(note_field(dialog).toPlainText())
        dialog.reject()

    in_dialog(FieldsDialog, look_then_close)
    window.add_note_action.trigger()
    assert opened_again == [""]


def test_what_was_typed_for_one_case_does_not_come_back_in_anothers_form(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = repo.add(new_case(name="First Person"), actor="dpo", now=NOW)
    second = repo.add(new_case(name="Second Person"), actor="dpo", now=NOW)
    window.model.refresh()
    window.select_case(first)
    in_dialog(FieldsDialog, lambda dialog: (note_field(dialog).setPlainText(NOTE), window.window_lock.lock()))
    window.add_note_action.trigger()
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    window.window_lock.screen.entry.unlock_button.click()
    assert window.statusBar().currentMessage() == (
        f"What you typed in Add note ({repo.get_by_id(first).reference}) is kept: it is back when you open that "
        "form again"
    )  # nothing said so: a DPO who never opened the form again lost the text without knowing
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.No)
    window.quit_action.trigger()
    assert window.isVisible() and "was set aside when the window locked, and is not saved" in asked[0]

    class TitleBarClose(QCloseEvent):
        """The title bar's close button: a close the platform sends (offscreen has no title bar)."""

        def spontaneous(self) -> bool:
            return True

    closing = TitleBarClose()
    window.closeEvent(closing)
    assert not closing.isAccepted() and len(asked) == 2
    window.window_lock.lock()
    window.quit_action.trigger()  # over the lock screen: no case reference
    assert asked[2].startswith("What you typed in 1 form was set aside") and "DSR-" not in asked[2]
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    window.window_lock.screen.entry.unlock_button.click()
    window.select_case(second)
    shown: list[str] = []
    in_dialog(FieldsDialog, lambda dialog: (shown.append(note_field(dialog).toPlainText()), dialog.reject()))
    window.add_note_action.trigger()
    assert shown == [""]


def test_escape_in_a_form_with_typed_text_asks_before_it_discards(qtbot: QtBot, window: MainWindow, desk: Desk) -> None:
    """Escape in New case dropped a whole typed request without a word."""
    dialog = NewCaseDialog(desk.register.entities(), lambda: NOW, lambda subject, country: ([], []), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Kari Nordmann")
    asked: list[str] = []

    def answer(button: str) -> Callable[[QWidget], None]:
        def press(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            asked.append(box.text())
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

        return press

    in_dialog(QMessageBox, answer("Keep editing"))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Close this form and lose what you typed in it?"]
    assert dialog.isVisible() and dialog.name.text() == "Kari Nordmann"

    in_dialog(QMessageBox, answer("Discard"))
    dialog.cancel()  # the Cancel button's slot
    assert len(asked) == 2 and not dialog.isVisible()


def test_escape_in_an_untouched_form_closes_it_at_once(qtbot: QtBot, window: MainWindow, desk: Desk) -> None:
    dialog = NewCaseDialog(desk.register.entities(), lambda: NOW, lambda subject, country: ([], []), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_letter_typed_on_the_question_keeps_the_form_and_the_keys_go_back_to_the_field(
    qtbot: QtBot, window: MainWindow, desk: Desk
) -> None:
    """A bare "d" (the Discard button's mnemonic) threw the form away, and after Return on the question
    the keys went nowhere until the DPO clicked into the form."""
    dialog = NewCaseDialog(desk.register.entities(), lambda: NOW, lambda subject, country: ([], []), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Kari")

    def type_on(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        # A message box clicks the button whose mnemonic is a key pressed without Alt (a moment later, as
        # it shows it pressed): with none, a letter typed on answers nothing.
        assert [button.shortcut().toString() for button in box.buttons()] == ["", ""]
        qtbot.keyClicks(box, "d")
        assert box.isVisible()
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: keep editing

    in_dialog(QMessageBox, type_on)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.name.text() == "Kari"
    assert dialog.focusWidget() is dialog.name


def test_a_choice_comes_back_by_its_name_not_by_its_row(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository
) -> None:
    """An entity added before the form opened again shifted the rows, and the case came back with another
    receiving entity than the one chosen."""

    def choose_then_lock(dialog: QWidget) -> None:
        assert isinstance(dialog, NewCaseDialog)
        dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Poland"))
        dialog.name.setText("Zofia Nowak")
        window.window_lock.lock()

    in_dialog(NewCaseDialog, choose_then_lock)
    window.new_case_action.trigger()
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    window.window_lock.screen.entry.unlock_button.click()
    desk.add_entity({"name": "Aaa First GmbH", "country": "DE", "calendar": "none", "time_zone": "Europe/Berlin"})
    shown: list[tuple[str, str]] = []
    in_dialog(NewCaseDialog, lambda dialog: shown.append((dialog.entity.currentText(), dialog.name.text())))
    window.new_case_action.trigger()
    assert shown == [("Altoros Poland", "Zofia Nowak")]


def test_ctrl_l_in_a_form_locks_the_window_and_sets_the_form_aside(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow
) -> None:
    """A modal form held the window's Ctrl+L: a DPO stepping away had to wait for the auto-lock."""
    case_id = repo.add(new_case(), actor="dpo", now=NOW)
    window.model.refresh()
    window.select_case(case_id)

    def type_then_press_ctrl_l(dialog: QWidget) -> None:
        field = note_field(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # shortcuts go to the active window
        field.setFocus()
        qtbot.keyClicks(field, "half a note")
        qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    in_dialog(FieldsDialog, type_then_press_ctrl_l)
    window.add_note_action.trigger()
    assert window.window_lock.is_locked and repo.notes(case_id) == []
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    window.window_lock.screen.entry.unlock_button.click()
    back: list[str] = []
    in_dialog(FieldsDialog, lambda dialog: back.append(note_field(dialog).toPlainText()))
    window.add_note_action.trigger()
    assert back == ["half a note"]
