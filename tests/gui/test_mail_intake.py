"""Dropping an e-mail on the window opens the new-case dialog filled in from it; nothing is created unconfirmed."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import Right
from dpo_desk.gui import mail_import
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.store.cases import CaseRepository

MAIL = Path(__file__).parents[1] / "data" / "mail"
NOW_TEST = datetime(2026, 11, 29, 12, tzinfo=UTC)


def drop(window: MainWindow, *paths: Path) -> None:
    """What a mail program's drag ends in: enter, then drop (delivered to the handlers, as Qt would)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, buttons, modifiers)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, buttons, modifiers)
    window.dropEvent(event)
    assert event.isAccepted()


@pytest.fixture
def dialogs(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> list[NewCaseDialog]:
    """Every prefilled dialog, looked at and then accepted as the DPO would."""
    seen: list[NewCaseDialog] = []

    def ask(cls, entities, now, earlier, draft, same_sender, duplicates, parent=None):
        dialog = cls(entities, now, earlier, parent)
        qtbot.addWidget(dialog)
        dialog.prefill(draft, same_sender, duplicates)
        seen.append(dialog)
        dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Poland"))  # shared address: the DPO chooses
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.value(), dialog.linked_case()

    monkeypatch.setattr(NewCaseDialog, "ask_for_mail", classmethod(ask))
    return seen


def test_dropping_an_outlook_msg_opens_the_prefilled_dialog(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository, dialogs: list[NewCaseDialog]
) -> None:
    with qtbot.waitSignal(window.case_created) as created:
        drop(window, MAIL / "31-pl-outlook.msg")
    dialog = dialogs[0]
    assert dialog.windowTitle() == "New case from e-mail"
    assert dialog.name.text() == "Jan Kowalski" and dialog.emails.text() == "jan.kowalski.31@example.com"
    assert dialog.rights[Right.ERASURE].isChecked() and not dialog.rights[Right.ACCESS].isChecked()
    assert "Żądanie usunięcia danych" in dialog.text.toPlainText()
    assert "Erasure: \u201cusunięcia\u201d" in dialog.mail_info.text()
    assert "1 attachment will be kept" in dialog.mail_info.text()
    assert dialog.received.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-06-10 10:31"  # Warsaw time
    case = repo.get(created.args[0])
    assert case.subject.emails == ("jan.kowalski.31@example.com",)
    assert desk.attachments(case.id)[0].name == "dowód skan zaczerniony.pdf"


def test_a_known_sender_is_offered_and_a_repeat_message_flagged(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, dialogs: list[NewCaseDialog], db: Database
) -> None:
    with qtbot.waitSignal(window.case_created):
        window.mail_import.import_files([MAIL / "01-en-mozilla.eml"])
    with qtbot.waitSignal(window.case_created):
        window.mail_import.import_files([MAIL / "30-en-duplicate-of-01.eml"])
    second = dialogs[1]
    assert second.link_subject.isVisibleTo(second) and not second.link_subject.isChecked()
    assert "DSR-2026-0001" in second.link_subject.text() and "can be forged" in second.link_subject.text()
    assert "was imported before: DSR-2026-0001" in second.mail_info.text()
    subjects = {row[0] for row in db.execute("SELECT subject_id FROM cases")}
    assert len(subjects) == 2  # not linked unless the DPO ticks it


def test_a_file_that_is_not_mail_is_refused_and_quarantined(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_path: Path, db: Database
) -> None:
    bad = tmp_path / "photo.eml"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    monkeypatch.setattr(mail_import, "ask_mail_path", lambda parent: bad)
    window.import_mail_action.trigger()
    assert warnings and warnings[0].startswith("photo.eml: ") and "Quarantined files" in warnings[0]
    assert db.execute("SELECT file_name FROM quarantine").fetchall() == [("photo.eml",)]
    assert window.model.rowCount() == 0


def test_without_a_guess_the_dpo_must_choose_the_entity(qtbot: QtBot, desk: Desk) -> None:
    from dpo_desk.mail.draft import draft_from
    from dpo_desk.mail.parse import read_mail

    draft = draft_from(read_mail(MAIL / "12-fi-apple.eml"), desk.register.entities())
    dialog = NewCaseDialog(desk.register.entities(), lambda: NOW_TEST, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    dialog.prefill(draft, [], [])
    assert dialog.entity.currentText() == "Choose the receiving entity…"
    assert not dialog.ok.isEnabled() and dialog.problem.text().startswith("Entity: choose the entity")
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Finland Oy"))
    assert dialog.ok.isEnabled()
    assert dialog.received.dateTime().toString("HH:mm") == "10:12"  # 09:12 +02:00 is 10:12 in Helsinki


@pytest.fixture
def summaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *rest: shown.append(text))
    return shown


def test_dropping_several_mails_imports_each_one_dialog_after_another(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, dialogs: list[NewCaseDialog], summaries: list[str]
) -> None:
    # Only the first of the files dropped was imported.
    names = ("01-en-mozilla.eml", "12-fi-apple.eml", "31-pl-outlook.msg")
    drop(window, *(MAIL / name for name in names))
    qtbot.waitUntil(lambda: summaries != [])
    assert [dialog.emails.text() for dialog in dialogs] == [
        "john.doe.1@example.com",
        "matti.meikalainen.12@example.com",
        "jan.kowalski.31@example.com",
    ]
    assert window.model.rowCount() == 3
    assert summaries == ["3 of 3 e-mails imported, 0 skipped."]


def test_a_dialog_cancelled_or_a_file_refused_skips_that_file_only(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summaries: list[str]
) -> None:
    bad = tmp_path / "photo.eml"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    asked: list[str] = []

    def ask(cls, entities, now, earlier, draft, same_sender, duplicates, parent=None):
        asked.append(draft.mail.sender_address)
        if len(asked) == 1:
            return None  # the DPO cancels the first dialog
        dialog = cls(entities, now, earlier, parent)
        qtbot.addWidget(dialog)
        dialog.prefill(draft, same_sender, duplicates)
        dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Finland Oy"))
        return dialog.value(), None

    monkeypatch.setattr(NewCaseDialog, "ask_for_mail", classmethod(ask))
    drop(window, MAIL / "01-en-mozilla.eml", bad, MAIL / "12-fi-apple.eml")
    qtbot.waitUntil(lambda: summaries != [])
    assert asked == ["john.doe.1@example.com", "matti.meikalainen.12@example.com"]
    assert len(warnings) == 1 and warnings[0].startswith("photo.eml: ")
    assert window.model.rowCount() == 1
    assert summaries == [
        "1 of 3 e-mails imported, 2 skipped.\n"
        "Skipped: 01-en-mozilla.eml (cancelled); photo.eml (not an e-mail DPO Desk can read)."
    ]


PASTED_MAIL = """From: Kari Ødegård <kari.odegard@example.no>
To: dpo@altoros.com
Subject: Innsyn

Hei, jeg ber om innsyn i personopplysningene mine. Ærlig talt!
"""
PASTED_LETTER = """Dear Data Protection Officer,

I no longer use your services. Please delete all the personal data you hold about me.

Yours faithfully
"""


def paste(window: MainWindow, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    window.paste_case_action.trigger()


def test_paste_as_new_case_is_ctrl_shift_v_in_the_file_menu(window: MainWindow) -> None:
    assert window.paste_case_action.shortcut() == QKeySequence("Ctrl+Shift+V")
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu is not None and window.paste_case_action in file_menu.actions()


def test_a_pasted_mail_opens_as_an_imported_mail_does(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, dialogs: list[NewCaseDialog]
) -> None:
    with qtbot.waitSignal(window.case_created) as created:
        paste(window, PASTED_MAIL)
    dialog = dialogs[0]
    assert dialog.name.text() == "Kari Ødegård" and dialog.emails.text() == "kari.odegard@example.no"
    assert "Ærlig talt!" in dialog.text.toPlainText()  # the clipboard's text is Unicode, not ASCII
    assert dialog.rights[Right.ACCESS].isChecked()
    assert "the received time is the time it was pasted" in dialog.mail_info.text()
    assert repo.get(created.args[0]).subject.emails == ("kari.odegard@example.no",)


def test_pasted_text_becomes_the_request_with_no_sender_or_entity_invented(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[NewCaseDialog] = []

    def ask(cls, entities, now, earlier, draft, parent=None):
        dialog = cls(entities, now, earlier, parent)
        qtbot.addWidget(dialog)
        dialog.prefill_text(draft)
        seen.append(dialog)
        assert dialog.name.text() == "" and dialog.emails.text() == "" and dialog.entity.currentData() is None
        assert not dialog.ok.isEnabled()
        dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Norge AS"))
        dialog.name.setText("Ola Nordmann")
        dialog.address.setPlainText("Testveien 1\n0150 Oslo")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.value()

    monkeypatch.setattr(NewCaseDialog, "ask_for_text", classmethod(ask))
    with qtbot.waitSignal(window.case_created) as created:
        paste(window, "\n" + PASTED_LETTER)
    dialog = seen[0]
    assert dialog.windowTitle() == "New case from pasted text"
    assert dialog.text.toPlainText() == PASTED_LETTER.strip()
    assert [right for right, box in dialog.rights.items() if box.isChecked()] == [Right.ERASURE]
    assert "Erasure: \u201cdelete\u201d" in dialog.mail_info.text()
    case = repo.get(created.args[0])
    assert case.subject.name == "Ola Nordmann" and case.text == PASTED_LETTER.strip()


def test_an_empty_clipboard_starts_no_case(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    monkeypatch.setattr(NewCaseDialog, "ask_for_text", classmethod(lambda *args: pytest.fail("no dialog")))
    paste(window, "  \n ")
    assert warnings == ["The clipboard holds no text to start a case from"]
    assert window.model.rowCount() == 0
