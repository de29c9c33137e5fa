"""A case from received to closed in the app, through the workflow tabs' real dialogs (offscreen)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QItemSelectionModel, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from dpo_desk.application import actions
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right, Status
from dpo_desk.gui.fields_dialog import Choices, FieldsDialog, OptionalDate
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case

RECEIVED = NOW - timedelta(days=12)


def fill(dialog: FieldsDialog, values: dict[str, Any]) -> None:
    for name, value in values.items():
        widget = dialog.inputs[name]
        if isinstance(widget, OptionalDate):
            widget.given.setChecked(value is not None)
            if value is not None:
                widget.date.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(widget, Choices):
            chosen = value if isinstance(value, list) else [value]
            for row in range(widget.count()):
                item = widget.item(row)
                value_of = item.data(Qt.ItemDataRole.UserRole)
                widget.set_checked(value_of, value_of in chosen)
        elif isinstance(widget, QSpinBox):
            widget.setValue(value)
        elif isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
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

    def ask(
        self, cls: type, title: str, fields: Any, form: Any, validate: Any, parent: Any = None, **options: Any
    ) -> Any:
        dialog = cls(title, fields, form, validate, parent, **options)
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
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
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
    assert "Check identity (0 of 2 trusted IDs recorded)" in view.page.next_step.text()
    assert "Disclosure blocked" in view.page.identity_tab.gate.text()

    # Two independent ID checks.
    answers.queue += [
        {
            "evidence": "passport",
            "method": "video-call",
            "outcome": "passed",
            "checked_at": (RECEIVED + timedelta(days=1)).astimezone(),
        },
        {
            "evidence": "account-login",
            "method": "account-login",
            "outcome": "passed",
            "checked_at": (RECEIVED + timedelta(days=1)).astimezone(),
        },
    ]
    view.page.identity_tab.record_button.click()
    assert "1 of 2" in view.page.identity_tab.summary.text()
    view.page.identity_tab.record_button.click()
    assert "Disclosure allowed" in view.page.identity_tab.gate.text()

    # A clarification pause, answered two days later: the due date moves by two days.
    due_before = repo.get_by_id(case_id).deadlines.due
    answers.queue += [{"kind": "clarification", "start": on(2), "reason": "Which systems?"}, {"end": on(4)}]
    view.page.deadline_tab.pause_button.click()
    assert "Waiting on the subject's answer (clarification)" in view.page.next_step.text()
    assert repo.get_by_id(case_id).status is Status.WAITING_ON_SUBJECT  # the status follows the pause
    view.page.deadline_tab.resume_button.click()
    assert repo.get_by_id(case_id).deadlines.due > due_before
    assert repo.get_by_id(case_id).status is Status.IN_PROGRESS  # and the answer

    # The extension, with the notice sent in time.
    answers.queue.append({"reasons": "Data in six systems", "notice_sent_on": on(5)})
    view.page.deadline_tab.extend_button.click()
    assert repo.get_by_id(case_id).extension is not None
    assert not view.page.deadline_tab.extend_button.isEnabled()
    assert (
        view.page.deadline_tab.extend_button.toolTip()
        == "The case is already extended; the period can be extended only once"
    )

    # A fee, announced and paid (the earlier case is the basis).
    answers.queue += [
        {
            "basis": "excessive-or-repetitive",
            "facts": "Second request in four months",
            "items": "Staff time; 2; 45\nPostage; 1; 3.50",
            "currency": "EUR",
            "announced_on": on(6),
            "answer_by": on(20),
        },
        {"state": "paid", "on": on(8)},
    ]
    view.page.fee_tab.fee_button.click()
    assert "93.50 EUR" in view.page.fee_tab.summary.text()
    assert repo.get_by_id(case_id).status is Status.WAITING_ON_FEE
    view.page.fee_tab.answer_button.click()
    assert "paid" in view.page.fee_tab.summary.text()
    assert repo.get_by_id(case_id).status is Status.IN_PROGRESS
    # No refusal is owed; only the day by which one would have to be told ("A refusal is due by" said otherwise).
    assert view.page.fee_tab.refusal.text().startswith("No refusal. A refusal must reach the subject by ")

    # Outcomes, and the erasure told to three recipients.
    answers.queue += [
        {"provided_on": on(9)},
        {"ground": "17(1)(a)", "systems": ["CRM"], "backups_beyond_use": True, "done_on": on(9)},
        {"sources": ["chatbot"]},
    ]
    view.page.outcomes_tab.record_buttons["access"].click()
    view.page.outcomes_tab.record_buttons["erasure"].click()
    assert "All rights have an outcome" in view.page.outcomes_tab.summary.text()
    outcomes = view.page.outcomes_tab.table
    shown = {outcomes.item(row, 0).text(): outcomes.item(row, 1).text() for row in range(outcomes.rowCount())}
    # In the form's words, not as Python prints a dict ("systems: ['CRM']; backups_beyond_use: True").
    assert shown["Erasure"] == (
        f"Art. 17(1) ground: 17(1)(a); Systems erased: CRM; Backups: yes; Done on: {on(9).isoformat()}"
    )
    view.page.recipients_tab.sources_button.click()
    table = view.page.recipients_tab.table
    services = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert {"Drift", "HubSpot"} <= set(services)
    for row, service in enumerate(services):
        table.selectRow(row)
        if service in ("Drift", "HubSpot", "Amazon (cloud storage)"):
            answers.queue.append({"on": on(10), "channel": "e-mail"})
            view.page.recipients_tab.notified_button.click()
        else:
            answers.queue.append({"reason": "Shared storage we erased ourselves"})
            view.page.recipients_tab.not_notified_button.click()
    assert "0 recipient(s) still to notify" in view.page.recipients_tab.summary.text()

    for status in (Status.RESPONSE_READY, Status.RESPONDED, Status.CLOSED):
        repo.change_status(case_id, status, actor="dpo", reason="", now=NOW)
    view.show_case(case_id)
    assert view.page.next_step.text().endswith("Nothing to do: the case is closed")
    history = [view.page.history.item(row, 2).text() for row in range(view.page.history.rowCount())]
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
    window.case_view.page.deadline_tab.extend_button.click()
    assert "the extension notice had to be sent by Thu 1 Oct 2026" in answers.problems[-1]
    assert repo.get_by_id(case_id).extension is None


def test_a_closed_case_viewed_first_leaves_no_button_of_an_open_case_disabled(
    window: MainWindow, repo: CaseRepository
) -> None:
    """Every action button follows the case shown: the closed case's reasons never stay on an open case."""
    closed = repo.add(new_case(received=RECEIVED, rights=(Right.ACCESS, Right.ERASURE)), actor="d", now=NOW)
    repo.change_status(closed, Status.WITHDRAWN, actor="d", reason="the subject withdrew", now=NOW)
    repo.change_status(closed, Status.CLOSED, actor="d", reason="", now=NOW)
    open_case = repo.add(new_case(received=RECEIVED, rights=(Right.ACCESS, Right.ERASURE)), actor="d", now=NOW)
    window.model.refresh()
    view = window.case_view
    window.select_case(closed)
    buttons = view.page.action_buttons()
    assert len(buttons) == 28  # every declared case action has its button
    for button in buttons:
        if button.action.name in ("status", "note"):
            assert button.isEnabled(), button.action.name
        else:
            assert not button.isEnabled(), button.action.name
            assert button.toolTip() == "The case is closed: reopen it (move it back to in progress) to change it"

    window.select_case(open_case)
    enabled = {button.action.name: button.isEnabled() for button in view.page.action_buttons()}
    tips = {button.action.name: button.toolTip() for button in view.page.action_buttons()}
    assert {name for name, on in enabled.items() if on} == {
        "status", "note", "identity-check", "identity-waive", "identity-fail", "identity-doubt", "pause", "extend",
        "fee", "refuse", "outcome-access", "outcome-erasure", "outcome-child-deletion", "sources",
    }  # fmt: skip
    assert not any("closed" in tip for tip in tips.values())
    assert tips["identity-answer"] == "No request for identity information is open"
    assert tips["resume"] == "No pause of the clock is open"
    assert tips["copies-deleted"] == "No received copy of an ID document is kept"
    assert tips["fee-answer"] == "The case has no fee decision"
    assert tips["outcome-rectification"] == "The case does not invoke rectification"
    assert tips["recipient-notified"].startswith("The case has no recipients to notify")
    assert tips["recipient-confirmed"] == "No recipient is recorded as notified yet"
    assert tips["identity-check"] == "Record one identity check"
    # The Case menu says the same as the buttons.
    assert window.change_status_action.isEnabled() and window.add_note_action.isEnabled()


def test_the_problem_line_of_a_form_never_covers_a_field(qtbot: QtBot, desk: Any, repo: CaseRepository) -> None:
    case_id = repo.add(new_case(), actor="d", now=NOW)
    form = desk.form(desk.state(case_id))
    action = actions.IDENTITY_CHECK
    dialog = FieldsDialog(action.title, action.fields, form, lambda values: action.check(values, form))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.inputs["reference"].setText("1234567")  # a problem of two lines
    QCoreApplication.processEvents()
    assert dialog.problem.text().startswith("Reference: keep at most 4 characters")
    problem = QRect(dialog.problem.mapTo(dialog, QPoint(0, 0)), dialog.problem.size())
    for name, widget in dialog.inputs.items():
        assert not QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size()).intersects(problem), name


def test_the_identity_tab_says_which_checks_count_and_why_one_does_not(
    window: MainWindow, desk: Any, repo: CaseRepository
) -> None:
    case_id = repo.add(new_case(received=RECEIVED), actor="d", now=NOW)
    for evidence in (Evidence.PASSPORT, Evidence.NATIONAL_ID):
        check = IdentityCheck(evidence, Method.SIGHTED_IN_PERSON, "d", RECEIVED + timedelta(hours=1), Outcome.PASSED)
        desk.workflow.record_check(case_id, check, actor="d", now=NOW)
    window.model.refresh()
    window.open_case(case_id)
    table = window.case_view.page.identity_tab.checks
    counts = [table.horizontalHeaderItem(column).text() for column in range(table.columnCount())].index("Counts")
    assert [table.item(row, counts).text() for row in range(table.rowCount())] == [
        "yes",
        "no: checked sighted in person, as the passport was",
    ]
    assert "each another kind of ID checked another way" in window.case_view.page.identity_tab.summary.text()


def test_the_recipients_selected_are_told_in_one_step(
    window: MainWindow, repo: CaseRepository, answers: Answers, desk: Any
) -> None:
    """One form for each recipient: a DPO who e-mailed six processors the same day filled six forms."""
    case_id = repo.add(new_case(rights=(Right.ERASURE,), received=RECEIVED), actor="dpo", now=NOW)
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    tab = window.case_view.page.recipients_tab
    services = [tab.table.item(row, 0).text() for row in range(tab.table.rowCount())]
    chosen = [services.index("Drift"), services.index("HubSpot")]
    tab.table.clearSelection()
    for row in chosen:
        tab.table.selectionModel().select(
            tab.table.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    ticked: list[list[str]] = []
    original = answers.ask

    def look(cls: type, title: str, fields: Any, form: Any, validate: Any, parent: Any = None, **options: Any) -> Any:
        ticked.append(list(options["preset"]["recipients"]))
        return original(cls, title, fields, form, validate, parent, **options)

    answers.ask = look  # type: ignore[method-assign]
    answers.queue.append({"on": on(2), "channel": "e-mail to the privacy contacts"})
    tab.notified_button.click()
    assert ticked == [["drift", "hubspot"]]
    states = {n.service: n.state.value for n in desk.outcomes.notices(case_id)}
    assert states["Drift"] == states["HubSpot"] == "notified"
    assert [s for s in states.values() if s == "notified"] == ["notified", "notified"]
    history = [
        window.case_view.page.history.item(row, 3).text() for row in range(window.case_view.page.history.rowCount())
    ]
    assert "Drift, HubSpot: notified" in history
