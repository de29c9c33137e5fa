"""The workflow tabs of the case view: identity, deadline, decisions (fee and refusal), outcomes, recipients.

Each tab shows what the case's state records and offers the declared actions that fit it: their buttons
are enabled, or disabled with the reason, from that state each time it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application import actions
from dpo_desk.application.actions import Action
from dpo_desk.application.desk import Desk
from dpo_desk.application.entity_fields import calendar_label
from dpo_desk.application.fields import summary
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.dates import long_date
from dpo_desk.core.deadlines import explain
from dpo_desk.core.fees import repeat_warning
from dpo_desk.core.identity import copies_to_delete, counted_checks, why_not_counted
from dpo_desk.core.outcomes import CHILD, outcome_label
from dpo_desk.core.recipients import needs_notices
from dpo_desk.core.worded import in_sentence
from dpo_desk.gui.accessible import named
from dpo_desk.gui.action_buttons import ActionButton, perform
from dpo_desk.gui.deadline_badge import days_left_text
from dpo_desk.gui.rich_text import escape, sentence
from dpo_desk.gui.scheme import colours, when_scheme_changes

BUTTONS_PER_ROW = 3


def button_grid(buttons: Sequence[tuple[QPushButton, Callable[[], None]]]) -> QGridLayout:
    """The buttons, each clicking its slot, BUTTONS_PER_ROW to a row: a tab's actions, as every tab lays them."""
    grid = QGridLayout()
    for number, (button, slot) in enumerate(buttons):
        button.clicked.connect(slot)
        grid.addWidget(button, number // BUTTONS_PER_ROW, number % BUTTONS_PER_ROW)
    return grid


def titled_lists(sections: Sequence[tuple[str, QWidget, int]]) -> QSplitter:
    """Lists one above the other, each under its title (rich text) with its share of the height. A splitter,
    not a layout: the lists share a tab, and a short window must still fit them."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    for title, widget, stretch in sections:
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(widget, 1)
        widget.setMinimumHeight(36)
        splitter.addWidget(section)
        splitter.setStretchFactor(splitter.count() - 1, stretch)
    return splitter


def data_table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = named(QTableWidget(0, len(headers)), name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(table.columnCount() - 1, QHeaderView.ResizeMode.Stretch)


def selectable(label: QLabel, text_format: Qt.TextFormat = Qt.TextFormat.RichText) -> QLabel:
    """A label the DPO can select and copy from. Rich text is stated, never guessed: a name with an '&' or
    a '<' must not turn into markup (or into '&amp;')."""
    label.setTextFormat(text_format)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def plain(text: str) -> QLabel:
    return selectable(QLabel(text), Qt.TextFormat.PlainText)


class WorkflowTab(QWidget):
    """Signals:
    changed(str): an action changed the case here; what happened, in one line.
    """

    changed = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.state: CaseState | None = None
        self.summary = selectable(QLabel())
        self.action_buttons: list[ActionButton] = []
        self._left_out: set[ActionButton] = set()  # buttons that do not apply to the case shown
        self._button_box = QWidget()
        self.buttons = QGridLayout(self._button_box)  # three a row: the case view stays narrow enough for a laptop
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.summary)
        when_scheme_changes(self, self._fill_again)

    def _fill_again(self) -> None:
        """The texts again, in the colours of the new scheme."""
        if self.state is not None:
            self.fill(self.state)

    def _button(self, action: Action[Any]) -> ActionButton:
        button = ActionButton(action)
        button.clicked.connect(lambda: self.run(button.action))
        self.action_buttons.append(button)
        self._arrange()
        return button

    def _arrange(self) -> None:
        """The buttons shown, three a row, in their order (hidden ones leave no gap)."""
        for button in self.action_buttons:
            self.buttons.removeWidget(button)
        shown = [button for button in self.action_buttons if button not in self._left_out]
        for button in self._left_out:
            button.hide()
        for number, button in enumerate(shown):
            # Placed first: a new button shown before it has a parent became a window of its own for a moment,
            # made and unmade on the desktop (26 a case view, about 60% of building it under X11).
            self.buttons.addWidget(button, number // BUTTONS_PER_ROW, number % BUTTONS_PER_ROW)
            button.show()

    def _finish(self) -> None:
        self.layout_.addWidget(self._button_box)

    def show_state(self, state: CaseState) -> None:
        """Show the case as its state records it; every action button says whether it may be used now."""
        self.state = state
        self.fill(state)
        for button in self.action_buttons:
            button.show_state(state)

    def fill(self, state: CaseState) -> None:
        raise NotImplementedError

    def forget(self) -> None:
        """Drop the case shown: its texts and table rows (the tab is hidden, or locked away)."""
        self.state = None
        self.summary.clear()
        for label in self.findChildren(QLabel):
            if label.property("case-data"):
                label.clear()
        for table in self.findChildren(QTableWidget):
            table.setRowCount(0)
        for button in self.action_buttons:
            button.show_state(None)

    def preset(self, action: Action[Any]) -> Mapping[str, Any]:
        """Values a form starts with beyond its defaults (the recipient selected in the list)."""
        return {}

    def run(self, action: Action[Any]) -> None:
        if self.state is None:
            return
        message = perform(self._desk, action, self.state.case.id, self, preset=self.preset(action))
        if message is not None:
            self.changed.emit(message.splitlines()[0])


def _case_label() -> QLabel:
    label = selectable(QLabel())
    label.setProperty("case-data", True)
    return label


class IdentityTab(WorkflowTab):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.checks = data_table(
            "Identity checks",
            ["Evidence", "Method", "Checked by", "When", "Outcome", "Counts", "Ref.", "Copy deleted", "Note"],
        )
        self.gate = _case_label()
        self.layout_.addWidget(self.checks, 1)
        self.layout_.addWidget(self.gate)
        self.record_button = self._button(actions.IDENTITY_CHECK)
        self.copies_button = self._button(actions.COPIES_DELETED)
        self.doubt_button = self._button(actions.IDENTITY_DOUBT)
        self.answer_button = self._button(actions.IDENTITY_ANSWER)
        self.waive_button = self._button(actions.IDENTITY_WAIVE)
        self.fail_button = self._button(actions.IDENTITY_FAIL)
        self._finish()

    def fill(self, state: CaseState) -> None:
        zone = state.case.received_local.tzinfo  # as the history shows times: the entity's, with its zone
        lines = [f"<b>{escape(state.identity_progress)}</b>", f"Policy: {escape(state.policy.describe())}."]
        if state.decision is not None:
            lines.append(f"Decision by {escape(state.decision.decided_by)}: {escape(state.decision.reason)}")
        for kept in copies_to_delete(state.checks):
            lines.append(
                f"<span style='color:{colours().error}'>⚠ The copy of the {in_sentence(kept.evidence.label)} received "
                "is not recorded as deleted: delete it and record the date.</span>"
            )
        self.summary.setText("<br>".join(lines))
        counted = counted_checks(state.checks, state.policy)
        fill_table(
            self.checks,
            [
                (
                    c.evidence.label,
                    c.method.label,
                    c.checked_by,
                    f"{c.checked_at.astimezone(zone):%Y-%m-%d %H:%M %Z}",
                    c.outcome.label,
                    "no: " + reason if (reason := why_not_counted(c, counted, state.policy)) else "yes",
                    c.reference,
                    c.copy_deleted_on.isoformat() if c.copy_deleted_on else "",
                    c.note,
                )
                for c in state.checks
            ],
        )
        refused = state.disclosure_refused()
        if refused is not None:
            self.gate.setText(
                f"<span style='color:{colours().error}'><b>Disclosure blocked:</b> {escape(refused)}</span>"
            )
        else:
            self.gate.setText(
                f"<span style='color:{colours().success}'><b>Disclosure allowed:</b> identity is settled.</span>"
            )


class DeadlineTab(WorkflowTab):
    """The dates the case is held to, why each is what it is, and the pauses of the clock."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.summary.hide()
        self.deadline = QFormLayout()
        self.why = _case_label()
        self.why.setTextFormat(Qt.TextFormat.RichText)
        self.pauses = data_table("Pauses of the clock", ["Pause", "Asked on", "Answer on", "Reason"])
        self.pauses.setMaximumHeight(120)
        self.layout_.addLayout(self.deadline)
        self.layout_.addWidget(QLabel("<b>Why this date?</b>"))
        self.layout_.addWidget(self.why)
        self.layout_.addWidget(QLabel("<b>Pauses of the clock</b>"))
        self.layout_.addWidget(self.pauses)
        self.pause_button = self._button(actions.PAUSE)
        self.resume_button = self._button(actions.RESUME)
        self.extend_button = self._button(actions.EXTEND)
        self._finish()
        self.layout_.addStretch(1)

    def fill(self, state: CaseState) -> None:
        case, today = state.case, state.today
        _clear(self.deadline)
        deadlines = case.deadlines
        extended = f", extended: {case.extension.reasons}" if case.extension else ""
        rows = [
            (
                "Legal due date",
                f"{long_date(deadlines.due)} ({days_left_text(deadlines.due, case.status, today)}{extended})",
            ),
            ("Extension notice by", long_date(deadlines.extension_notice_due)),
            ("Refusal notice by", long_date(deadlines.extension_notice_due)),
            ("Internal target", long_date(deadlines.target)),
        ]
        for label, value in rows:
            self.deadline.addRow(f"<b>{label}</b>", plain(value))
        request = state.deadline_input
        explanation = explain(request)
        steps = "".join(f"<li>{escape(step)}</li>" for step in explanation.steps)
        warning, hint = colours().warning, colours().hint
        warnings = "".join(f"<p style='color:{warning}'>⚠ {escape(text)}</p>" for text in explanation.warnings)
        still = "".join(
            f"<p style='color:{warning}'>⚠ The {p.kind.label.lower()} pause is still open: the due date moves a day "
            "for every day it lasts.</p>"
            for p in case.open_pauses
        )
        self.why.setText(
            f"<ol>{steps}</ol>{warnings}{still}<p style='color:{hint}'>Rules: {request.rules.value.upper()} · "
            f"calendar: {calendar_label(request.calendar)} · counted in {case.entity.time_zone}</p>"
        )
        fill_table(
            self.pauses,
            [
                (p.kind.label, p.start.isoformat(), p.end.isoformat() if p.end else "awaited", p.reason)
                for p in case.pauses
            ],
        )

    def forget(self) -> None:
        super().forget()
        _clear(self.deadline)


class DecisionsTab(WorkflowTab):
    """The fee decision (Art. 12(5), 15(3)) and the refusal (Art. 12(4))."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.items = data_table("Cost items of the fee", ["Cost item", "Quantity", "Unit cost", "Amount"])
        self.refusal = _case_label()
        self.layout_.addWidget(self.items, 1)
        self.layout_.addWidget(self.refusal)
        self.fee_button = self._button(actions.FEE)
        self.answer_button = self._button(actions.FEE_ANSWER)
        self.refuse_button = self._button(actions.REFUSE)
        self._finish()

    def fill(self, state: CaseState) -> None:
        case, fee = state.case, state.fee
        lines = []
        earlier = [(e.summary.reference, e.summary.received_date) for e in state.earlier_cases]
        warning = repeat_warning(earlier, case.received_date)
        if warning:
            lines.append(f"<span style='color:{colours().warning}'>⚠ {escape(sentence(warning))}.</span>")
        if fee is None:
            lines.append("No fee: the answer is free of charge (Art. 12(5)).")
        else:
            lines.append(
                f"<b>{escape(fee.basis.label)}</b>: {fee.total} {fee.currency}, announced "
                f"{long_date(fee.announced_on)}; <b>{fee.state.label.lower()}</b>"
                + (f" on {long_date(fee.settled_on)}" if fee.settled_on else "")
            )
            lines.append(f"Facts: {escape(fee.facts)}")
            if fee.earlier_cases:
                lines.append("Earlier cases: " + ", ".join(fee.earlier_cases))
        self.summary.setText("<br>".join(lines))
        currency = fee.currency if fee else ""
        fill_table(
            self.items,
            [
                (i.description, str(i.quantity), f"{i.unit_cost} {currency}", f"{i.amount} {currency}")
                for i in (fee.items if fee else ())
            ],
        )
        refusal = state.refusal
        if refusal is None:
            notice_by = long_date(case.deadlines.extension_notice_due)
            # Not "a refusal is due": nothing obliges a refusal; Art. 12(4) only sets when one must be told.
            self.refusal.setText(f"No refusal. A refusal must reach the subject by {notice_by} (Art. 12(4)).")
        else:
            grounds = ", ".join(g.label for g in refusal.grounds)
            kind = "Partial" if refusal.partial else "Full"
            self.refusal.setText(
                f"<b>{kind} refusal</b> on {long_date(refusal.decided_on)} ({grounds}): {escape(refusal.reasons)}"
            )


class OutcomesTab(WorkflowTab):
    """What was done for each right the case invokes (and the deletion of a child's data)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.table = data_table("Outcomes by right", ["Right", "Outcome"])
        self.layout_.addWidget(self.table, 1)
        self.record_buttons = {kind: self._button(action) for kind, action in actions.OUTCOMES.items()}
        self._finish()

    def fill(self, state: CaseState) -> None:
        recorded = state.recorded_outcomes
        missing = state.missing_outcomes
        self.summary.setText(
            "All rights have an outcome."
            if not missing
            else f"<b>{len(missing)} right(s) without an outcome:</b> "
            + ", ".join(outcome_label(kind) for kind in missing)
        )
        kinds = [right.value for right in state.case.rights] + [CHILD]
        fill_table(
            self.table,
            [
                (
                    outcome_label(kind),
                    summary(actions.OUTCOME_FIELDS[kind], recorded[kind]) if kind in recorded else "—",
                )
                for kind in kinds
                if kind in recorded or kind != CHILD
            ],
        )
        # Only the rights the case invokes have a button, and a child's data.
        self._left_out = {button for kind, button in self.record_buttons.items() if kind not in kinds}
        self._arrange()


class RecipientsTab(WorkflowTab):
    """Art. 19: the recipients to tell of a rectification, erasure or restriction."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.table = data_table(
            "Recipients and their Art. 19 notices", ["Recipient", "State", "Notified", "Channel", "Confirmed", "Reason"]
        )
        self.layout_.addWidget(self.table, 1)
        self.sources_button = self._button(actions.SOURCES)
        self.notified_button = self._button(actions.NOTICES["notified"])
        self.confirmed_button = self._button(actions.NOTICES["confirmed"])
        self.not_notified_button = self._button(actions.NOTICES["not-notified"])
        self.told_button = self._button(actions.RECIPIENTS_TOLD)
        self._finish()

    def fill(self, state: CaseState) -> None:
        notices = state.notices
        if not needs_notices(state.case.rights):
            text = "Art. 19 applies to rectification, erasure and restriction; this case invokes none of them."
        elif not state.sources:
            text = "<b>Say where the subject's data came from</b> (Sources…): the register proposes the recipients."
        else:
            text = f"Sources: {', '.join(state.sources)}. <b>{state.open_notices} recipient(s) still to notify.</b>"
            if state.recipients_told_on:
                text += f" The subject was told who the recipients are on {long_date(state.recipients_told_on)}."
        self.summary.setText(text)
        fill_table(
            self.table,
            [
                (
                    n.service,
                    n.state.label,
                    n.notified_on.isoformat() if n.notified_on else "",
                    n.channel,
                    n.confirmed_on.isoformat() if n.confirmed_on else "",
                    n.reason,
                )
                for n in notices
            ],
        )

    def preset(self, action: Action[Any]) -> Mapping[str, Any]:
        """The recipients selected in the table (Ctrl or Shift and a click picks several), ticked in the form."""
        if self.state is None:
            return {}
        notices = self.state.notices
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return {"recipients": [notices[row].processor_key for row in rows if row < len(notices)]}


def _clear(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)
