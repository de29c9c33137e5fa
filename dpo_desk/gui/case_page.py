"""One case in full: a header with the due-date badge, the next step, and a tab for each part of its record.

Everything shown comes from one reading of the case's state (``Desk.state``), taken each time the case is
shown or changed; every action button is enabled, or disabled with the reason, from that same reading. The
case pane (``gui/case_view.py``) builds this page once the window is on screen, or for the first case shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application import actions
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Runner
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.dates import day_month_year, long_date
from dpo_desk.core.errors import DeskError
from dpo_desk.core.models import Case, CaseEvent
from dpo_desk.core.next_step import next_step
from dpo_desk.core.settings import DUE_SOON_DAYS
from dpo_desk.gui.accessible import named
from dpo_desk.gui.action_buttons import ActionButton, perform
from dpo_desk.gui.attachments_tab import AttachmentsTab
from dpo_desk.gui.audit_view import AuditTable
from dpo_desk.gui.data_tab import DataTab
from dpo_desk.gui.deadline_badge import days_left_colour, days_left_text
from dpo_desk.gui.letters_tab import LettersTab
from dpo_desk.gui.receipt_dialog import ReceiptDialog
from dpo_desk.gui.rich_text import escape, sentence
from dpo_desk.gui.scheme import colours, recolour
from dpo_desk.gui.workflow_tabs import (
    DeadlineTab,
    DecisionsTab,
    IdentityTab,
    OutcomesTab,
    RecipientsTab,
    WorkflowTab,
    plain,
    titled_lists,
)

EVENT_LABELS = {
    "created": "Case created",
    "mail": "Imported from e-mail",
    "letter": "Letter",
    "copies-deleted": "ID copies deleted",
    "corrected": "Receipt corrected",
    "deadlines-moved": "Deadlines moved",
    "identity-check": "Identity check",
    "identity-decision": "Identity decision",
    "pause": "Clock paused",
    "resume": "Answer received",
    "extend": "Extended",
    "fee": "Fee",
    "refusal": "Refusal",
    "outcome": "Outcome recorded",
    "sources": "Sources of the data",
    "recipient": "Art. 19 notice",
    "recipients-told": "Recipients told to the subject",
    "attachment-added": "Attachment added",
    "attachment-opened": "Attachment opened",
    "attachment-saved": "Attachment saved out",
}
REASON_COLUMN = 3  # of the history
PILL = "border-radius: 9px; padding: 2px 10px; color: white; font-weight: 600; background: {colour};"


class CaseTabs(QTabWidget):
    """The case's tabs take the height the pane gives them, whatever their text: they never have a height for
    a width. A QTabWidget has one as soon as a page has word-wrapped text, and then Qt's stacked layout asks
    every page for it, the hidden tabs too, so each case shown laid out the text of all ten tabs: 78% of the
    first case page's show in a py-spy profile, and 6-16 ms CPU of a later case's layout (about 1 ms now)."""

    def hasHeightForWidth(self) -> bool:
        return False


class CasePage(QWidget):
    """Signals:
    case_changed(int, str): the case with this id was changed here; what happened, in one line.
    open_case(int): the DPO asked to open another case (an earlier case of the subject).
    """

    case_changed = Signal(int, str)
    open_case = Signal(int)

    def __init__(self, desk: Desk, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.state: CaseState | None = None

        self.reference = QLabel()
        self.reference.setStyleSheet("font-size: 16pt; font-weight: 700;")
        self.status = QLabel()
        self.due_badge = QLabel()
        self.subject = plain("")
        self.subject.setStyleSheet("font-size: 12pt;")
        self.next_step = QLabel()
        self.next_step.setTextFormat(Qt.TextFormat.RichText)
        self.next_step.setWordWrap(True)
        recolour(
            self.next_step,
            lambda: self.next_step.setStyleSheet(
                f"background: palette(alternate-base); border-left: 4px solid {colours().accent}; padding: 6px 8px;"
            ),
        )
        self.change_status_button = ActionButton(actions.STATUS)
        self.add_note_button = ActionButton(actions.NOTE)

        self.details = QFormLayout()
        self.request_text = named(QPlainTextEdit(), "Request text", "what the subject wrote")
        self.request_text.setReadOnly(True)
        self.request_text.setTabChangesFocus(True)
        self.earlier = named(QListWidget(), "Earlier cases of this subject", "Enter opens the case")
        self.earlier.setMaximumHeight(110)
        self.history = named(QTableWidget(0, 4), "Case history")
        self.history.setHorizontalHeaderLabels(["When", "Who", "Change", "Reason"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.history.setWordWrap(True)
        self.notes = named(QListWidget(), "Notes")
        self.notes.setWordWrap(True)
        self.audit = named(AuditTable(), "Audit trail of the case")

        self.identity_tab = IdentityTab(desk)
        self.deadline_tab = DeadlineTab(desk)
        self.fee_tab = DecisionsTab(desk)
        self.outcomes_tab = OutcomesTab(desk)
        self.recipients_tab = RecipientsTab(desk)
        self.letters_tab = LettersTab(desk)
        self.data_tab = DataTab(desk, runner)
        self.attachments_tab = AttachmentsTab(desk)
        self.workflow_tabs: list[WorkflowTab] = [
            self.identity_tab,
            self.deadline_tab,
            self.fee_tab,
            self.outcomes_tab,
            self.recipients_tab,
        ]
        # The tabs switch with Alt+1 to Alt+0 rather than Alt+letter: ten mnemonics beside the menus' and
        # the buttons' ran out of letters (Alt+C opened Decisions, not the Case menu).
        self.tabs = CaseTabs()
        self.tabs.setUsesScrollButtons(True)
        pages = (
            (self._overview_tab(), "Overview"),
            (self.identity_tab, "Identity"),
            (self.deadline_tab, "Deadline"),
            (self.fee_tab, "Decisions"),
            (self.outcomes_tab, "Outcomes"),
            (self.recipients_tab, "Recipients"),
            (self.letters_tab, "Letters"),
            (self.data_tab, "Data"),
            (self.attachments_tab, "Attachments"),
            (self._history_tab(), "History"),
        )
        every_tab = QMenu(self)
        for number, (page, title) in enumerate(pages, start=1):
            index = self.tabs.addTab(page, title)
            keys = QKeySequence(f"Alt+{number % 10}")  # the tenth on Alt+0, as the digits lie
            self.tabs.setTabToolTip(index, f"{title} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
            # On the tabs, so that the keys work wherever the focus is while a case is shown, and not
            # while none is.
            switch = QAction(title, self.tabs)
            switch.setShortcut(keys)
            switch.triggered.connect(lambda checked=False, index=index: self.tabs.setCurrentIndex(index))
            self.tabs.addAction(switch)
            every_tab.addAction(switch)
        # Ctrl+Tab walks the tabs as in a browser, from the list too: Qt's own works only with the focus on them.
        for step, walk_keys in (
            (1, ("Ctrl+Tab", "Ctrl+PgDown")),
            (-1, ("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp")),
        ):
            walk = QAction("Next tab" if step > 0 else "Previous tab", self.tabs)
            walk.setShortcuts([QKeySequence(key) for key in walk_keys])
            walk.triggered.connect(lambda checked=False, step=step: self._walk_tabs(step))
            self.tabs.addAction(walk)
        # A narrow pane scrolls its tabs; this button lists them all.
        self.all_tabs_button = named(QToolButton(), "All tabs", "a menu of the case's tabs")
        self.all_tabs_button.setArrowType(Qt.ArrowType.DownArrow)
        self.all_tabs_button.setToolTip("All tabs of the case")
        self.all_tabs_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.all_tabs_button.setMenu(every_tab)
        self.tabs.setCornerWidget(self.all_tabs_button, Qt.Corner.TopRightCorner)
        for tab in self.workflow_tabs:
            tab.changed.connect(self._changed)
        self.letters_tab.changed.connect(self._changed)
        self.data_tab.changed.connect(self._changed)
        self.attachments_tab.changed.connect(self._changed)

        header = QHBoxLayout()
        header.addWidget(self.reference)
        header.addWidget(self.status)
        header.addWidget(self.due_badge)
        header.addStretch(1)
        subject_row = QHBoxLayout()
        subject_row.addWidget(self.subject, 1)
        subject_row.addWidget(self.change_status_button)
        subject_row.addWidget(self.add_note_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(subject_row)
        layout.addWidget(self.next_step)
        layout.addWidget(self.tabs, 1)

        self.change_status_button.clicked.connect(self.change_status)
        self.add_note_button.clicked.connect(self.add_note)
        self.earlier.itemActivated.connect(lambda item: self.open_case.emit(item.data(Qt.ItemDataRole.UserRole)))

    @property
    def case(self) -> Case | None:
        return self.state.case if self.state is not None else None

    def _overview_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self.details)
        layout.addWidget(QLabel("<b>Request</b>"))
        layout.addWidget(self.request_text, 1)
        earlier_title = QLabel(
            "<b>Earlier cases of the same person</b> (repeats: same e-mail, phone, or name and address)"
        )
        earlier_title.setWordWrap(True)  # one unbroken line held the case pane, and the window, wider than a laptop
        layout.addWidget(earlier_title)
        layout.addWidget(self.earlier)
        return tab

    def _history_tab(self) -> QWidget:
        return titled_lists(
            (
                ("<b>History</b>", self.history, 2),
                ("<b>Notes</b>", self.notes, 1),
                ("<b>Audit trail (ids only; the whole log is under Audit)</b>", self.audit, 2),
            )
        )

    def show_case(self, case_id: int) -> None:
        state = self._desk.state(case_id)
        self.state = state
        case, today = state.case, state.today
        self.reference.setText(case.reference)
        self.status.setText(case.status.label)
        self.status.setStyleSheet(PILL.format(colour="#455a64"))
        due_soon = self._desk.settings.get(DUE_SOON_DAYS)
        colour = days_left_colour(case.deadlines.due, case.status, today, due_soon).name()
        self.due_badge.setText(days_left_text(case.deadlines.due, case.status, today))
        self.due_badge.setToolTip(f"Legal due date: {long_date(case.deadlines.due)}")
        self.due_badge.setStyleSheet(PILL.format(colour=colour))
        self.subject.setText(f"{case.subject.name} · {case.entity.name}")
        self.next_step.setText(f"<b>Next step:</b> {escape(next_step(state))}")
        self._fill_details(state)
        self._fill_history(case)
        for tab in self.workflow_tabs:
            tab.show_state(state)
        for button in (self.change_status_button, self.add_note_button):
            button.show_state(state)
        self.letters_tab.show_state(state)  # letters stay possible on a closed case (a copy, a late refusal)
        self.data_tab.show_state(state)
        self.attachments_tab.show_state(state)

    def action_buttons(self) -> list[ActionButton]:
        """Every workflow action's button on the case view, wherever it sits."""
        return [self.change_status_button, self.add_note_button] + [
            button for tab in self.workflow_tabs for button in tab.action_buttons
        ]

    def forget(self) -> None:
        """No case shown, and none kept in a hidden widget either: the lock screen relies on it."""
        self.state = None
        for label in (self.reference, self.status, self.due_badge, self.subject, self.next_step):
            label.clear()
        _clear(self.details)
        self.request_text.clear()
        for listing in (self.earlier, self.notes):
            listing.clear()
        for table in self.findChildren(QTableWidget):
            table.setRowCount(0)
        for tab in self.workflow_tabs:
            tab.forget()
        self.letters_tab.forget()
        self.data_tab.forget()
        self.attachments_tab.forget()
        for button in (self.change_status_button, self.add_note_button):
            button.show_state(None)

    def _fill_details(self, state: CaseState) -> None:
        case = state.case
        _clear(self.details)
        local = case.received_local
        rows = [
            ("Entity", case.entity.name),
            ("Channel", case.channel.label),
            (
                "Received",
                f"{local:%Y-%m-%d %H:%M} {case.entity.time_zone} ({case.received_at:%Y-%m-%d %H:%M} UTC)",
            ),
            ("Rights", ", ".join(right.label for right in case.rights)),
            ("Subject", case.subject.name),
            ("E-mails", ", ".join(case.subject.emails) or "—"),
            ("Phones", ", ".join(case.subject.phones) or "—"),
            ("Address", case.subject.address or "—"),
            ("Age", _age(state)),
            ("Letters in", self._desk.letter_language_name(self._desk.letters.language_of(case))),
        ]
        for label, value in rows:
            self.details.addRow(f"<b>{label}</b>", plain(value))
        self.request_text.setPlainText(case.text)
        self.earlier.clear()
        for earlier in (*state.earlier_cases, *state.same_name):
            summary = earlier.summary
            matched = (
                "same name only: check before relying on it"
                if earlier in state.same_name
                else f"by {earlier.matched_by}"
            )
            item = QListWidgetItem(
                f"{summary.reference} · {day_month_year(summary.received_date)} · {summary.status.label} · {matched}"
            )
            item.setToolTip(", ".join(r.label for r in summary.rights))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.earlier.addItem(item)
        if not (state.earlier_cases or state.same_name):
            self.earlier.addItem("None")

    def _fill_history(self, case: Case) -> None:
        events = self._desk.cases.history(case.id)
        self.history.setRowCount(len(events))
        # In the entity's time, as the receipt is, and saying so (the audit trail below is in UTC).
        zone = case.received_local.tzinfo
        for row, event in enumerate(events):
            cells = (
                f"{event.at.astimezone(zone):%Y-%m-%d %H:%M %Z}",
                event.actor,
                _describe(event),
                event.reason,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == REASON_COLUMN:
                    item.setToolTip(text)
                self.history.setItem(row, column, item)
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.history.resizeRowsToContents()  # a long reason wraps rather than being cut off
        self.notes.clear()
        for note in self._desk.cases.notes(case.id):
            self.notes.addItem(f"{note.at.astimezone(zone):%Y-%m-%d %H:%M %Z} · {note.author}\n{note.text}")
        self.audit.show_entries(self._desk.audit.of_case(case.id))

    @Slot(str)
    def _changed(self, message: str) -> None:
        if self.state is not None:
            case_id = self.state.case.id
            self.show_case(case_id)
            self.case_changed.emit(case_id, message)

    def _perform(self, button: ActionButton) -> None:
        if self.state is None:
            return
        if button.action.allowed(self.state) is not None:  # a menu item can reach a disabled button's action
            button.show_state(self.state)
            return
        message = perform(self._desk, button.action, self.state.case.id, self)
        if message is not None:
            self._changed(message.splitlines()[0])

    @Slot()
    def change_status(self) -> None:
        self._perform(self.change_status_button)

    def _walk_tabs(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    @Slot()
    def add_note(self) -> None:
        self._perform(self.add_note_button)

    @Slot()
    def correct_receipt(self) -> None:
        if self.state is None:
            return
        answer = ReceiptDialog.ask(self.state.case, self._desk.register.entities(), self._desk.now, self)
        if answer is None:
            return
        entity_name, received, reason = answer
        try:
            self._desk.correct_receipt(self.state.case.id, entity_name=entity_name, received=received, reason=reason)
        except DeskError as error:
            QMessageBox.warning(self, "Not changed", sentence(str(error)))
            return
        self._changed("receipt corrected")


def _describe(event: CaseEvent) -> str:
    if event.action == "status" and event.from_status and event.to_status:
        return f"{event.from_status.label} → {event.to_status.label}"
    return EVENT_LABELS.get(event.action, event.action.replace("-", " ").capitalize())


def _clear(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)


def _age(state: CaseState) -> str:
    """What the record says of the subject's age, and whether the deletion path for children applies."""
    subject = state.case.subject
    known = f"born {subject.birth_date.isoformat()}" if subject.birth_date else ""
    if state.child is not None:
        return f"A child: {state.child.describe()}"
    return known or "—"
