"""A case from received to closed in the app, through the workflow tabs' real dialogs (offscreen)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QDateTimeEdit, QLineEdit, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from dpo_desk.core.models import Right, Status
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case

RECEIVED = NOW - timedelta(days=12)


def fill(dialog: FieldsDialog, values: dict[str, Any]) -> None:
    for name, value in values.items():
        widget = dialog.inputs[name]
        if isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
            widget.setDateTime(QDateTime(value.year, value.month, value.day, value.hour, value.minute, 0))
        elif isinstance(widget, QDateEdit):
            widget.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
            assert widget.currentData() == value, (name, value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(", ".join(value) if isinstance(value, list) else value)


class Answers:
    """Plays the DPO at each dialog: fills the real widgets, checks OK is enabled, accepts."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.queue: list[dict[str, Any]] = []
        self.problems: list[str] = []

    def ask(self, cls: type, title: str, fields: Any, validate: Any, parent: Any = None, *, ok_text: str = "") -> Any:
        dialog = cls(title, fields, validate, parent, ok_text=ok_text)
        self.qtbot.addWidget(dialog)
        fill(dialog, self.queue.pop(0))
        self.problems.append(dialog.problem.text())
        if not dialog.ok.isEnabled():
            return None
        return dialog.values()


@pytest.fixture
def answers(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Answers]:
    player = Answers(qtbot)
    monkeypatch.setattr(FieldsDialog, "ask", classmethod(lambda cls, *a, **k: player.ask(cls, *a, **k)))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    player.warnings = warnings  # type: ignore[attr-defined]
    yield player
    assert not player.queue, "unused answers"


def on(days: int) -> date:
    return (RECEIVED + timedelta(days=days)).date()


def test_received_to_closed_in_the_app(window: MainWindow, repo: CaseRepository, answers: Answers) -> None:
    earlier = repo.add(new_case(entity="Altoros Americas LLC", received=NOW - timedelta(days=100)), actor="d", now=NOW)
    assert earlier
    case_id = repo.add(
        new_case(entity="Altoros Americas LLC", received=RECEIVED, rights=(Right.ACCESS, Right.ERASURE)),
        actor="d",
        now=NOW,
    )
    window.model.refresh()
    window.select_case(case_id)
    view = window.case_view
    assert "Identity: 0 of 2 trusted IDs recorded" in view.next_step.text()
    assert "Disclosure blocked" in view.identity_tab.gate.text()

    # Two independent ID checks.
    answers.queue += [
        {
            "evidence": "passport",
            "method": "video-call",
            "outcome": "passed",
            "checked_at": (RECEIVED + timedelta(days=1)).replace(tzinfo=None),
        },
        {
            "evidence": "account-login",
            "method": "account-login",
            "outcome": "passed",
            "checked_at": (RECEIVED + timedelta(days=1)).replace(tzinfo=None),
        },
    ]
    view.identity_tab.record_button.click()
    assert "1 of 2" in view.identity_tab.summary.text()
    view.identity_tab.record_button.click()
    assert "Disclosure allowed" in view.identity_tab.gate.text()

    # A clarification pause, answered two days later: the due date moves by two days.
    due_before = repo.get_by_id(case_id).deadlines.due
    answers.queue += [{"kind": "clarification", "start": on(2), "reason": "Which systems?"}, {"end": on(4)}]
    view.pause_button.click()
    assert "Waiting on the subject's answer (clarification)" in view.next_step.text()
    view.resume_button.click()
    assert repo.get_by_id(case_id).deadlines.due > due_before

    # The extension, with the notice sent in time.
    answers.queue.append({"reasons": "Data in six systems", "notice_sent_on": on(5)})
    view.extend_button.click()
    assert repo.get_by_id(case_id).extension is not None
    assert not view.extend_button.isEnabled()

    # A fee, announced and paid (the earlier case is the basis).
    answers.queue += [
        {
            "basis": "excessive-or-repetitive",
            "facts": "Second request in four months",
            "items": "Staff time; 2; 45\nPostage; 1; 3.50",
            "currency": "EUR",
            "announced_on": on(6),
        },
        {"state": "paid", "on": on(8)},
    ]
    view.fee_tab.fee_button.click()
    assert "93.50 EUR" in view.fee_tab.summary.text()
    view.fee_tab.answer_button.click()
    assert "paid" in view.fee_tab.summary.text()

    # Outcomes, and the erasure told to three recipients.
    answers.queue += [
        {"provided_on": on(9)},
        {"ground": "17(1)(a)", "systems": ["CRM"], "backups_beyond_use": True, "done_on": on(9)},
        {"chatbot": True},
    ]
    view.outcomes_tab.record_buttons["access"].click()
    view.outcomes_tab.record_buttons["erasure"].click()
    assert "All rights have an outcome" in view.outcomes_tab.summary.text()
    view.recipients_tab.sources_button.click()
    table = view.recipients_tab.table
    services = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert {"Drift", "HubSpot"} <= set(services)
    for row, service in enumerate(services):
        table.selectRow(row)
        if service in ("Drift", "HubSpot", "Amazon (cloud storage)"):
            answers.queue.append({"on": on(10), "channel": "e-mail"})
            view.recipients_tab.notified_button.click()
        else:
            answers.queue.append({"reason": "Shared storage we erased ourselves"})
            view.recipients_tab.not_notified_button.click()
    assert "0 recipient(s) still to notify" in view.recipients_tab.summary.text()

    for status in (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.RESPONSE_READY, Status.RESPONDED, Status.CLOSED):
        repo.change_status(case_id, status, actor="dpo", reason="", now=NOW)
    view.show_case(case_id)
    assert view.next_step.text().endswith("Nothing to do: the case is closed")
    history = [view.history.item(row, 2).text() for row in range(view.history.rowCount())]
    assert {"Identity check", "Clock paused", "Extended", "Fee", "Outcome recorded", "Art. 19 notice"} <= set(history)
    assert not answers.warnings  # type: ignore[attr-defined]


def test_an_extension_after_the_deadline_is_refused_with_a_message(
    window: MainWindow, repo: CaseRepository, answers: Answers
) -> None:
    case_id = repo.add(
        new_case(entity="Altoros Americas LLC", received=datetime(2026, 9, 1, 15, tzinfo=UTC)), actor="d", now=NOW
    )
    window.model.refresh()
    window.select_case(case_id)
    answers.queue.append({"reasons": "Complex", "notice_sent_on": date(2026, 10, 20)})
    window.case_view.extend_button.click()
    assert "the extension notice had to be sent by Thu 1 Oct 2026" in answers.problems[-1]
    assert repo.get_by_id(case_id).extension is None
