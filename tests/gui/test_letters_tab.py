"""The Letters tab and the batch of acknowledgements, driven offscreen."""

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from dpo_desk.application import actions
from dpo_desk.application.desk import Desk
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import CaseQuery, Right, Status
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.letters_tab import PasswordDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, TEST_PASSPHRASE, fill_sheets, new_case


def kind_item(window: MainWindow, kind: LetterKind):
    combo = window.case_view.page.letters_tab.kind
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    return model.item(combo.findData(kind.value))


def test_kinds_that_do_not_fit_are_disabled_with_the_reason(window: MainWindow, repo: CaseRepository) -> None:
    case_id = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    assert kind_item(window, LetterKind.ACKNOWLEDGEMENT).isEnabled()
    access = kind_item(window, LetterKind.ACCESS_RESPONSE)
    assert not access.isEnabled() and access.toolTip().startswith("Say which sources the subject's data came from")
    assert kind_item(window, LetterKind.FEE_NOTICE).toolTip() == "Record the fee decision first"


def test_a_protected_letter_shows_its_password_once(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    received = NOW - timedelta(days=3)
    case_id = repo.add(new_case(received=received, rights=(Right.ACCESS,)), actor="d", now=NOW)
    workflow = desk.workflow
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        check = IdentityCheck(evidence, method, "d", received + timedelta(hours=1), Outcome.PASSED)
        workflow.record_check(case_id, check, actor="d", now=NOW)
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="d", now=NOW)
    fill_sheets(desk)
    window.model.refresh()
    window.select_case(case_id)
    shown: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        PasswordDialog, "show_password", classmethod(lambda cls, p, k, parent=None: shown.append((p, k)))
    )
    tab = window.case_view.page.letters_tab
    tab.kind.setCurrentIndex(tab.kind.findData(LetterKind.ACCESS_RESPONSE.value))
    assert tab.generate_button.isEnabled()
    tab.generate_button.click()
    assert len(shown) == 1 and shown[0][1] is True
    assert tab.table.rowCount() == 1 and tab.table.item(0, 5).text() == "yes"
    record = desk.letters.letters(case_id)[0]
    assert record.file.parent.name == "DSR-2026-0001" and record.file.name.startswith("DSR-2026-0001-access")
    text = subprocess.run(
        ["pdftotext", "-upw", shown[0][0], str(record.file), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Article 15" in text

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(lambda cls, *a, **k: {"channel": "post"}))
    tab.table.selectRow(0)
    tab.sent_button.click()
    assert "by post" in tab.table.item(0, 6).text()
    tab.password_button.click()
    assert shown[-1] == (shown[0][0], True)  # shown again from the keyring


def test_show_password_is_offered_only_for_a_protected_letter(window: MainWindow, repo: CaseRepository) -> None:
    case_id = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    tab = window.case_view.page.letters_tab
    assert not tab.password_button.isEnabled() and tab.password_button.toolTip() == "Generate a letter first"
    tab.generate_button.click()  # the acknowledgement, which has no password
    assert tab.open_button.isEnabled() and tab.sent_button.isEnabled()
    assert not tab.password_button.isEnabled()
    assert tab.password_button.toolTip().endswith("has no password: it is not protected")
    assert tab.password_button.toolTip().startswith("The acknowledgement of ")


def test_acknowledgements_in_a_batch(qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository) -> None:
    for offset in range(4):
        repo.add(new_case(received=datetime(2026, 11, 20 + offset, 9, tzinfo=UTC)), actor="d", now=NOW)
    window.model.refresh()
    window.table.selectAll()
    with qtbot.waitSignal(window.batch_finished, timeout=20000) as finished:
        window.acknowledge_action.trigger()
    assert finished.args == [4]
    assert all(len(desk.letters.letters(case_id)) == 1 for case_id in range(1, 5))
    assert "4 of 4 acknowledgement(s) written" in window.statusBar().currentMessage()


def test_a_batch_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel stops the batch at the next letter; the letters written before it stay. The synchronous runner
    makes the moment exact: Cancel is pressed while the third letter's progress is shown."""
    for offset in range(6):
        repo.add(new_case(received=datetime(2026, 11, 20 + offset, 9, tzinfo=UTC)), actor="d", now=NOW)
    window.model.refresh()
    window.table.selectAll()
    labels: list[str] = []
    show = QProgressDialog.setLabelText

    def shown_then_cancelled(dialog: QProgressDialog, text: str) -> None:
        show(dialog, text)
        labels.append(text)
        if len(labels) == 3:
            dialog.canceled.emit()  # what its Cancel button does

    monkeypatch.setattr(QProgressDialog, "setLabelText", shown_then_cancelled)
    with qtbot.waitSignal(window.batch_finished, timeout=10000) as finished:
        window.acknowledge_action.trigger()
    assert finished.args == [2]
    assert sum(len(desk.letters.letters(case_id)) for case_id in range(1, 7)) == 2
    assert "2 of 6 acknowledgement(s) written before Cancel" in window.statusBar().currentMessage()
    assert labels[:2] == ["Writing acknowledgements: 1 of 6…", "Writing acknowledgements: 2 of 6…"]


def test_a_letter_that_would_promise_a_passed_date_asks_the_day_it_was_sent(
    window: MainWindow, desk: Desk, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    received = NOW - timedelta(days=60)
    case_id = repo.add(new_case(received=received), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    asked: list[str] = []
    sent = received.date() + timedelta(days=2)

    def ask(cls: object, title: str, fields: list, form: object, validate: object, parent: object = None, **k: object):
        asked.append(str(k.get("note", "")))
        return {"sent_on": sent} if len(asked) == 1 else None

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    tab = window.case_view.page.letters_tab
    tab.generate_button.click()
    assert asked[0].endswith("which has passed; give the day the letter was actually sent")  # no --date here
    [record] = desk.letters.letters(case_id)
    assert record.dated_on == sent and tab.table.item(0, 2).text() == f"{sent:%Y-%m-%d}"


def test_preview_lays_the_letter_out_on_the_preview_printer(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's printer came from Qt, and PySide6 refused it as a text layout's device: Preview failed."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    case_id = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    painted: list[int] = []

    def shown(dialog: QPrintPreviewDialog) -> int:
        dialog.paintRequested.connect(lambda printer: painted.append(printer.logicalDpiY()))
        dialog.show()
        qtbot.waitUntil(lambda: bool(painted))
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", shown)
    window.case_view.page.letters_tab.preview_button.click()
    assert painted


def test_a_batch_skips_the_cases_whose_state_does_not_allow_the_letter(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository
) -> None:
    ids = [repo.add(new_case(received=datetime(2026, 11, 20 + n, 9, tzinfo=UTC)), actor="d", now=NOW) for n in range(4)]
    for withdrawn in ids[:2]:
        repo.change_status(withdrawn, Status.WITHDRAWN, actor="d", reason="the subject withdrew", now=NOW)
    why = desk.letters.why_not(ids[0], LetterKind.ACKNOWLEDGEMENT)
    assert why.startswith("the case is withdrawn")
    window.filters.show_only(CaseQuery())  # every case, the withdrawn one too
    window.table.selectAll()
    with qtbot.waitSignal(window.batch_finished, timeout=20000) as finished:
        window.acknowledge_action.trigger()
    assert finished.args == [2]
    assert [len(desk.letters.letters(case_id)) for case_id in ids] == [0, 0, 1, 1]
    assert window.statusBar().currentMessage() == f"2 of 4 acknowledgement(s) written; 2 skipped: {why} (2)"


def test_print_writes_the_letter_into_the_register_and_prints_that_document(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Ctrl+P printed an acknowledgement nobody had generated: no letter in the list, nothing in the audit.
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    case_id = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    paper = tmp_path / "paper.pdf"

    def to_a_file(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(paper))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", to_a_file)
    assert window.print_letter_action.isEnabled()
    assert "Write the acknowledgement into the case's letters, and print it" in window.print_letter_action.toolTip()
    window.print_letter_action.trigger()
    (letter,) = desk.letters.letters(case_id)
    assert letter.kind is LetterKind.ACKNOWLEDGEMENT
    actions = [(e.action, e.entity_id) for e in desk.audit.of_case(case_id)]
    assert ("letter-printed", str(letter.id)) in actions
    printed = subprocess.run(["pdftotext", str(paper), "-"], capture_output=True, text=True, check=True).stdout
    assert repo.get_by_id(case_id).reference in printed and "Your request has been received" in printed


def test_a_case_shown_opens_on_the_letter_it_calls_for_and_keeps_the_dpos_pick(
    window: MainWindow, desk: Desk, repo: CaseRepository
) -> None:
    """The tab opened on Acknowledgement for every case, one ready for its access response too."""
    received = NOW - timedelta(days=3)
    ready = repo.add(new_case(received=received, rights=(Right.ACCESS,)), actor="d", now=NOW)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        check = IdentityCheck(evidence, method, "d", received + timedelta(hours=1), Outcome.PASSED)
        desk.workflow.record_check(ready, check, actor="d", now=NOW)
    desk.outcomes.set_sources(ready, ["chatbot"], actor="d", now=NOW)
    fill_sheets(desk)
    for status in (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.RESPONSE_READY):
        repo.change_status(ready, status, actor="d", reason="", now=NOW)
    fresh = repo.add(new_case(name="Just Arrived", received=received), actor="d", now=NOW)
    window.model.refresh()

    window.select_case(ready)
    tab = window.case_view.page.letters_tab
    assert tab.kind.currentData() == LetterKind.ACCESS_RESPONSE.value and tab.generate_button.isEnabled()
    tab.kind.setCurrentIndex(tab.kind.findData(LetterKind.ACKNOWLEDGEMENT.value))
    window.case_view.show_case(ready)  # the same case read again, as after an action: the pick stays
    assert tab.kind.currentData() == LetterKind.ACKNOWLEDGEMENT.value

    window.select_case(fresh)
    assert tab.kind.currentData() == LetterKind.ACKNOWLEDGEMENT.value
    tab.generate_button.click()
    window.select_case(ready)
    window.select_case(fresh)  # acknowledged now, and nothing else allowed yet: the first allowed
    assert tab.kind.currentData() == LetterKind.ACKNOWLEDGEMENT.value


def test_a_case_ready_for_a_response_it_cannot_have_yet_opens_on_it_with_the_reason(
    window: MainWindow, desk: Desk, repo: CaseRepository
) -> None:
    """It opened on Acknowledgement, with no word of why the access response was not offered."""
    case_id = repo.add(new_case(received=NOW - timedelta(days=3), rights=(Right.ACCESS,)), actor="d", now=NOW)
    for status in (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.RESPONSE_READY):
        repo.change_status(case_id, status, actor="d", reason="identity by the account", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    tab = window.case_view.page.letters_tab
    assert tab.kind.currentData() == LetterKind.ACCESS_RESPONSE.value
    assert not tab.generate_button.isEnabled()
    assert "not now: say which sources the subject's data came from" in tab.summary.text()


def test_a_case_that_allows_no_letter_does_not_show_the_last_cases_pick(
    window: MainWindow, desk: Desk, repo: CaseRepository
) -> None:
    """A withdrawn case showed "Refusal — not now: record the refusal first", the kind of the case before."""
    open_case = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    withdrawn = repo.add(new_case(name="Changed Mind", received=NOW - timedelta(days=3)), actor="d", now=NOW)
    repo.change_status(withdrawn, Status.WITHDRAWN, actor="d", reason="the subject withdrew", now=NOW)
    window.model.refresh()
    window.select_case(open_case)
    tab = window.case_view.page.letters_tab
    tab.kind.setCurrentIndex(tab.kind.findData(LetterKind.FEE_NOTICE.value))
    window.select_case(withdrawn)
    assert tab.kind.currentData() == LetterKind.ACKNOWLEDGEMENT.value
    assert "not now: the case is withdrawn" in tab.summary.text()


def test_an_extension_notice_is_not_offered_once_the_case_is_answered(desk: Desk, repo: CaseRepository) -> None:
    """A closed case offered (only) an extension notice dated today: a notice of more time for a request
    answered already."""
    case_id = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    actions.EXTEND.run(desk, case_id, {"reasons": "data in six systems", "notice_sent_on": NOW.date()})
    assert desk.letters.available(desk.state(case_id))[LetterKind.EXTENSION_NOTICE] == ""
    repo.change_status(case_id, Status.CLOSED, actor="d", reason="answered by phone", now=NOW)
    reason = desk.letters.available(desk.state(case_id))[LetterKind.EXTENSION_NOTICE]
    assert reason == "the case is closed: an extension notice is for a request still open"


def test_the_letter_chosen_for_a_case_stays_chosen_across_the_lock(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository
) -> None:
    case_id = repo.add(new_case(received=NOW - timedelta(days=3)), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    tab = window.case_view.page.letters_tab
    tab.kind.setCurrentIndex(tab.kind.findData(LetterKind.FEE_NOTICE.value))
    window.window_lock.lock()
    qtbot.keyClicks(window.window_lock.screen.entry.field, TEST_PASSPHRASE)
    window.window_lock.screen.entry.unlock_button.click()
    assert window.case_view.case is not None and window.case_view.case.id == case_id
    assert tab.kind.currentData() == LetterKind.FEE_NOTICE.value
