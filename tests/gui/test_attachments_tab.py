"""The Attachments tab, driven offscreen: a case's files listed, opened with the desktop and saved out (audited),
a file attached by hand, and every refusal in one line."""

import json
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application import attachments
from dpo_desk.application.desk import Desk
from dpo_desk.core.models import Status
from dpo_desk.gui.attachments_tab import AttachmentsTab
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.parse import read_mail
from tests.conftest import NOW, new_case

MAIL = Path(__file__).parents[1] / "data" / "mail"
SCAN = "dowód skan zaczerniony.pdf"


@pytest.fixture
def mail_case(window: MainWindow, desk: Desk) -> int:
    draft = draft_from(read_mail(MAIL / "31-pl-outlook.msg"), desk.register.entities())
    case_id, _ = desk.add_case_from_draft(draft, entity_name="Altoros Poland", rights=draft.rights)
    window.model.refresh()
    window.select_case(case_id)
    return case_id


@pytest.fixture
def tab(window: MainWindow) -> AttachmentsTab:
    view = window.case_view
    view.page.tabs.setCurrentWidget(view.page.attachments_tab)
    return view.page.attachments_tab


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What the desktop was asked to open; it opens everything."""
    urls: list[Path] = []

    def open_url(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return urls


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    return shown


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(tab: AttachmentsTab) -> list[list[str]]:
    table = tab.table
    return [
        [table.item(row, column).text() for column in range(table.columnCount())] for row in range(table.rowCount())
    ]


def events(desk: Desk, case_id: int, action: str) -> list[str]:
    return [event.reason for event in desk.cases.history(case_id) if event.action == action]


def audit_details(db: Database, action: str) -> list[dict[str, object]]:
    return [json.loads(row[0]) for row in db.execute("SELECT details FROM audit WHERE action = ?", (action,))]


def test_the_case_view_lists_a_mails_attachments(tab: AttachmentsTab, mail_case: int) -> None:
    # Attachments were kept from a mail, but no view listed them.
    assert cells(tab) == [
        [SCAN, "application/pdf", "28 bytes", "2026-11-29 13:00 CET", "the e-mail"]
    ]  # the entity's time, and says so
    assert "1 attachment, kept inside" in tab.summary.text()
    assert not tab.open_button.isEnabled() and tab.open_button.toolTip() == "Select an attachment first"


def test_open_hands_a_private_copy_to_the_desktop_and_records_it(
    qtbot: QtBot, tab: AttachmentsTab, mail_case: int, desk: Desk, db: Database, opened: list[Path]
) -> None:
    tab.table.selectRow(0)
    assert tab.open_button.isEnabled()
    click(qtbot, tab.open_button)
    assert len(opened) == 1 and opened[0].name == SCAN
    attachment, content = desk.attachment_content(mail_case, desk.attachments(mail_case)[0].id)
    assert opened[0].read_bytes() == content
    assert stat.S_IMODE(opened[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(opened[0].parent.parent.stat().st_mode) == 0o700  # this session's own folder
    assert events(desk, mail_case, "attachment-opened") == [f"{SCAN} opened"]
    assert audit_details(db, "attachment-opened") == [{"attachment": attachment.id}]  # the id, not the name
    assert tab.window().statusBar().currentMessage() == f"Opened {SCAN}"
    desk.close()
    assert not opened[0].exists()  # the copy goes with the session


def test_nothing_is_recorded_when_no_program_opens_the_file(
    qtbot: QtBot, tab: AttachmentsTab, mail_case: int, desk: Desk, monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:  # fmt: skip
    handed: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: handed.append(Path(url.toLocalFile())) and False)
    tab.table.selectRow(0)
    click(qtbot, tab.open_button)
    assert warnings == [
        f"No program on this computer opened {SCAN} (application/pdf); save it out and open it from there"
    ]
    assert not handed[0].exists() and events(desk, mail_case, "attachment-opened") == []


def test_save_as_writes_the_attachment_where_the_dpo_chose_and_records_it(
    qtbot: QtBot, tab: AttachmentsTab, mail_case: int, desk: Desk, db: Database, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, warnings: list[str],
) -> None:  # fmt: skip
    target = tmp_path / "out" / "scan.pdf"
    target.parent.mkdir()
    suggested: list[str] = []

    def ask(parent: object, caption: str, name: str, *rest: object) -> tuple[str, str]:
        suggested.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    tab.table.selectRow(0)
    click(qtbot, tab.save_button)
    assert [Path(name).name for name in suggested] == [SCAN]  # in the folder last saved to, or Documents
    _, content = desk.attachment_content(mail_case, desk.attachments(mail_case)[0].id)
    assert target.read_bytes() == content and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert events(desk, mail_case, "attachment-saved") == [f"{SCAN} saved out as {target}"]
    assert audit_details(db, "attachment-saved") == [{"attachment": desk.attachments(mail_case)[0].id}]
    tab.table.selectRow(0)
    click(qtbot, tab.save_button)  # the same name again: never over a file
    assert warnings == [f"{target} already exists; saving an attachment never overwrites a file, choose a new name"]
    assert len(events(desk, mail_case, "attachment-saved")) == 1


def test_a_changed_attachment_is_refused_not_given_out(
    qtbot: QtBot, tab: AttachmentsTab, mail_case: int, desk: Desk, db: Database, opened: list[Path],
    warnings: list[str],
) -> None:  # fmt: skip
    db.execute(
        "UPDATE attachments SET content = ? WHERE case_id = ?", (b"%PDF-1.4 not what came" + bytes(6), mail_case)
    )
    tab.table.selectRow(0)
    click(qtbot, tab.open_button)
    assert opened == []
    assert len(warnings) == 1 and "does not match the SHA-256 recorded when it was added" in warnings[0]
    assert events(desk, mail_case, "attachment-opened") == []


def test_attach_file_adds_one_by_hand_audited(
    qtbot: QtBot, window: MainWindow, tab: AttachmentsTab, desk: Desk, db: Database, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    case_id = desk.add_case(new_case())
    window.model.refresh()
    window.select_case(case_id)
    letter = tmp_path / "signed letter.pdf"
    letter.write_bytes(b"%PDF-1.7 the subject's signed letter")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(letter), ""))
    assert cells(tab) == [] and tab.attach_button.isEnabled()
    click(qtbot, tab.attach_button)
    assert cells(tab) == [
        ["signed letter.pdf", "application/pdf", "36 bytes", "2026-11-29 13:00 CET", "attached by hand"]
    ]
    [added] = desk.attachments(case_id)
    assert added.by_hand and desk.attachment_content(case_id, added.id)[1] == letter.read_bytes()
    assert events(desk, case_id, "attachment-added") == ["signed letter.pdf (36 bytes) attached by hand"]
    assert audit_details(db, "attachment-added") == [{"attachment": added.id}]
    assert desk.verify().ok  # the case's seal covers the new row


def test_a_file_too_large_or_not_there_is_refused_in_one_line(
    qtbot: QtBot, window: MainWindow, tab: AttachmentsTab, desk: Desk, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, warnings: list[str],
) -> None:  # fmt: skip
    case_id = desk.add_case(new_case())
    window.model.refresh()
    window.select_case(case_id)
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(2 * 1024 * 1024 + 1))
    monkeypatch.setattr(attachments, "MAX_BYTES", 2 * 1024 * 1024)
    chosen = [big, tmp_path / "gone.pdf"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(chosen.pop(0)), ""))
    click(qtbot, tab.attach_button)
    click(qtbot, tab.attach_button)
    assert warnings == [
        f"{big}: larger than the 2 MB limit for an attachment; nothing attached",
        f"{tmp_path / 'gone.pdf'}: not a file; choose a file to attach",
    ]
    assert desk.attachments(case_id) == [] and events(desk, case_id, "attachment-added") == []


def test_a_closed_case_takes_no_attachment_but_still_opens_them(
    qtbot: QtBot, window: MainWindow, tab: AttachmentsTab, mail_case: int, desk: Desk, opened: list[Path]
) -> None:
    desk.cases.change_status(mail_case, Status.WITHDRAWN, actor="dpo", reason="subject withdrew", now=NOW)
    window.select_case(mail_case)
    window.case_view.show_case(mail_case)
    assert not tab.attach_button.isEnabled()
    assert tab.attach_button.toolTip() == (
        "The case is withdrawn: reopen it (move it back to in progress) to change it"
    )
    tab.table.selectRow(0)
    click(qtbot, tab.open_button)
    assert [path.name for path in opened] == [SCAN]
