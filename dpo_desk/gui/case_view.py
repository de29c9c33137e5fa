"""One case in full: header with the due-date badge, the next step, and tabs for details,
deadline ("Why this date?") and history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.core.dates import day_month_year, long_date
from dpo_desk.core.deadlines import Extension, PauseKind, check_extension, explain
from dpo_desk.core.errors import DeskError, InputError
from dpo_desk.core.models import Case, CaseEvent
from dpo_desk.core.next_step import next_step
from dpo_desk.gui.audit_view import AuditTable
from dpo_desk.gui.deadline_badge import days_left_colour, days_left_text
from dpo_desk.gui.fields_dialog import Field, FieldsDialog
from dpo_desk.gui.letters_tab import LettersTab
from dpo_desk.gui.receipt_dialog import ReceiptDialog
from dpo_desk.gui.rich_text import escape, sentence
from dpo_desk.gui.status_dialog import ChangeStatusDialog
from dpo_desk.gui.workflow_tabs import FeeTab, IdentityTab, OutcomesTab, RecipientsTab, lock_if_settled
from dpo_desk.store import audit
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.decisions import Decisions
from dpo_desk.store.letters import LetterStore
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.workflow import Workflow

EVENT_LABELS = {
    "created": "Case created",
    "corrected": "Receipt corrected",
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
}
PILL = "border-radius: 9px; padding: 2px 10px; color: white; font-weight: 600; background: {colour};"


def _read_only_text() -> QPlainTextEdit:
    text = QPlainTextEdit()
    text.setReadOnly(True)
    return text


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class CaseView(QWidget):
    """Signals:
    case_changed(int): the case with this id was changed here (status, note).
    open_case(int): the DPO asked to open another case (an earlier case of the subject).
    """

    case_changed = Signal(int)
    open_case = Signal(int)

    def __init__(
        self,
        repo: CaseRepository,
        store_path: Path,
        actor: str,
        now: Callable[[], datetime],
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._actor = actor
        self._now = now
        self._today = today
        self.case: Case | None = None

        self.reference = QLabel()
        self.reference.setStyleSheet("font-size: 16pt; font-weight: 700;")
        self.status = QLabel()
        self.due_badge = QLabel()
        self.subject = _selectable(QLabel())
        self.subject.setStyleSheet("font-size: 12pt;")
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet(
            "background: palette(alternate-base); border-left: 4px solid #1565c0; padding: 6px 8px;"
        )
        self.change_status_button = QPushButton("Change &status…")
        self.add_note_button = QPushButton("Add &note…")

        self.details = QFormLayout()
        self.request_text = _read_only_text()
        self.earlier = QListWidget()
        self.earlier.setMaximumHeight(110)
        self.deadline = QFormLayout()
        self.why = _selectable(QLabel())
        self.why.setTextFormat(Qt.TextFormat.RichText)
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels(["When", "Who", "Change", "Reason"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.notes = QListWidget()
        self.audit = AuditTable()
        self.notes.setWordWrap(True)

        self._workflow = Workflow(repo.db)
        self.identity_tab = IdentityTab(self._workflow, actor, now)
        self.fee_tab = FeeTab(Decisions(repo.db), actor, now)
        outcomes = Outcomes(repo.db)
        self.outcomes_tab = OutcomesTab(outcomes, actor, now)
        self.recipients_tab = RecipientsTab(outcomes, actor, now)
        self.pauses = QTableWidget(0, 4)
        self.pauses.setHorizontalHeaderLabels(["Pause", "Asked on", "Answer on", "Reason"])
        self.pauses.verticalHeader().hide()
        self.pauses.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pauses.setMaximumHeight(120)
        self.pause_button = QPushButton("&Pause clock…")
        self.resume_button = QPushButton("Answer &received…")
        self.extend_button = QPushButton("E&xtend…")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._overview_tab(), "&Overview")
        self.tabs.addTab(self.identity_tab, "&Identity")
        self.tabs.addTab(self._deadline_tab(), "&Deadline")
        self.tabs.addTab(self.fee_tab, "De&cisions")
        self.tabs.addTab(self.outcomes_tab, "O&utcomes")
        self.tabs.addTab(self.recipients_tab, "Reci&pients")
        self.letters_tab = LettersTab(LetterStore(repo.db), store_path, actor, now)
        self.tabs.addTab(self.letters_tab, "&Letters")
        self.tabs.addTab(self._history_tab(), "&History")
        for tab in (self.identity_tab, self.fee_tab, self.outcomes_tab, self.recipients_tab, self.letters_tab):
            tab.changed.connect(self._reshow)

        header = QHBoxLayout()
        header.addWidget(self.reference)
        header.addWidget(self.status)
        header.addWidget(self.due_badge)
        header.addStretch(1)
        subject_row = QHBoxLayout()
        subject_row.addWidget(self.subject, 1)
        subject_row.addWidget(self.change_status_button)
        subject_row.addWidget(self.add_note_button)
        shown = QWidget()
        layout = QVBoxLayout(shown)
        layout.addLayout(header)
        layout.addLayout(subject_row)
        layout.addWidget(self.next_step)
        layout.addWidget(self.tabs, 1)

        placeholder = QLabel("Select a case in the list to see it here.")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setStyleSheet("color: palette(placeholder-text); font-size: 12pt;")
        self._pages = QStackedWidget()
        self._pages.addWidget(placeholder)
        self._pages.addWidget(shown)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)

        self.change_status_button.clicked.connect(self.change_status)
        self.add_note_button.clicked.connect(self.add_note)
        self.earlier.itemActivated.connect(lambda item: self.open_case.emit(item.data(Qt.ItemDataRole.UserRole)))

    def _overview_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self.details)
        layout.addWidget(QLabel("<b>Request</b>"))
        layout.addWidget(self.request_text, 1)
        layout.addWidget(QLabel("<b>Earlier cases from the same e-mail</b> (repeat requests)"))
        layout.addWidget(self.earlier)
        return tab

    def _deadline_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self.deadline)
        layout.addWidget(QLabel("<b>Why this date?</b>"))
        layout.addWidget(self.why)
        layout.addWidget(QLabel("<b>Pauses of the clock</b>"))
        layout.addWidget(self.pauses)
        buttons = QHBoxLayout()
        for button in (self.pause_button, self.resume_button, self.extend_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.pause_button.clicked.connect(self.pause_clock)
        self.resume_button.clicked.connect(self.resume_clock)
        self.extend_button.clicked.connect(self.extend)
        return tab

    def _history_tab(self) -> QWidget:
        # A splitter, not a layout: three lists share the tab, and a short window must still fit them.
        tab = QSplitter(Qt.Orientation.Vertical)
        for title, widget, stretch in (
            ("History", self.history, 2),
            ("Notes", self.notes, 1),
            ("Audit trail (ids only; the whole log is under Audit)", self.audit, 2),
        ):
            section = QWidget()
            layout = QVBoxLayout(section)
            layout.setContentsMargins(4, 4, 4, 0)
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            layout.addWidget(widget, 1)
            widget.setMinimumHeight(36)
            tab.addWidget(section)
            tab.setStretchFactor(tab.count() - 1, stretch)
        return tab

    def show_case(self, case_id: int | None) -> None:
        if case_id is None:
            self._forget()
            return
        case = self._repo.get_by_id(case_id)
        self.case = case
        today = self._today()
        due_soon = self._repo.settings().due_soon_days
        self.reference.setText(case.reference)
        self.status.setText(case.status.label)
        self.status.setStyleSheet(PILL.format(colour="#455a64"))
        colour = days_left_colour(case.deadlines.due, case.status, today, due_soon).name()
        self.due_badge.setText(days_left_text(case.deadlines.due, case.status, today))
        self.due_badge.setToolTip(f"Legal due date: {long_date(case.deadlines.due)}")
        self.due_badge.setStyleSheet(PILL.format(colour=colour))
        self.subject.setText(f"{case.subject.name} · {case.entity.name}")
        step = next_step(case, today, self._workflow.state(case.id))
        self.next_step.setText(f"<b>Next step:</b> {escape(step)}")
        self._fill_details(case)
        self._fill_deadline(case, today)
        self._fill_history(case)
        for tab in (self.identity_tab, self.fee_tab, self.outcomes_tab, self.recipients_tab):
            tab.show_case(case)
            lock_if_settled(case, tab.action_buttons())
        self.letters_tab.show_case(case)  # letters stay possible on a closed case (a copy, a late refusal)
        lock_if_settled(case, [self.pause_button, self.resume_button, self.extend_button])
        self._pages.setCurrentIndex(1)

    def _forget(self) -> None:
        """No case shown, and none kept in a hidden widget either: the lock screen relies on it."""
        self.case = None
        self._pages.setCurrentIndex(0)
        for label in (self.reference, self.status, self.due_badge, self.subject, self.next_step, self.why):
            label.clear()
        _clear(self.details)
        _clear(self.deadline)
        self.request_text.clear()
        for listing in (self.earlier, self.notes):
            listing.clear()
        for table in self.findChildren(QTableWidget):
            table.setRowCount(0)
        for tab in (self.identity_tab, self.fee_tab, self.outcomes_tab, self.recipients_tab, self.letters_tab):
            tab.forget()

    def _fill_details(self, case: Case) -> None:
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
        ]
        for label, value in rows:
            self.details.addRow(f"<b>{label}</b>", _selectable(QLabel(escape(value).replace("\n", "<br>"))))
        self.request_text.setPlainText(case.text)
        self.earlier.clear()
        earlier = self._repo.earlier_cases(case)
        for summary in earlier:
            item = QListWidgetItem(
                f"{summary.reference} · {day_month_year(summary.received_date)} · {summary.status.label}"
            )
            item.setToolTip(", ".join(r.label for r in summary.rights))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.earlier.addItem(item)
        if not earlier:
            self.earlier.addItem("None")

    def _fill_deadline(self, case: Case, today: date) -> None:
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
            self.deadline.addRow(f"<b>{label}</b>", _selectable(QLabel(value)))
        request = self._repo.deadline_input(case, today=today)
        explanation = explain(request)
        steps = "".join(f"<li>{escape(step)}</li>" for step in explanation.steps)
        warnings = "".join(f"<p style='color:#8a5a00'>⚠ {escape(warning)}</p>" for warning in explanation.warnings)
        still = "".join(
            f"<p style='color:#8a5a00'>⚠ The {p.kind.value} pause is still open: the due date moves a day "
            "for every day it lasts.</p>"
            for p in case.open_pauses
        )
        self.why.setText(
            f"<ol>{steps}</ol>{warnings}{still}<p style='color:gray'>Rules: {request.rules.value.upper()} · "
            f"calendar: {request.calendar} · counted in {case.entity.time_zone}</p>"
        )
        self.pauses.setRowCount(len(case.pauses))
        for row, pause in enumerate(case.pauses):
            cells = (
                pause.kind.value,
                pause.start.isoformat(),
                pause.end.isoformat() if pause.end else "awaited",
                pause.reason,
            )
            for column, text in enumerate(cells):
                self.pauses.setItem(row, column, QTableWidgetItem(text))
        self.pauses.resizeColumnsToContents()
        self.pauses.horizontalHeader().setStretchLastSection(True)
        self.resume_button.setEnabled(bool(case.open_pauses))
        self.extend_button.setEnabled(case.extension is None and case.status.is_open)
        self.extend_button.setToolTip(
            "Already extended" if case.extension else ("" if case.status.is_open else "The case is answered")
        )

    def _fill_history(self, case: Case) -> None:
        events = self._repo.history(case.id)
        self.history.setRowCount(len(events))
        zone = case.received_local.tzinfo
        for row, event in enumerate(events):
            cells = (
                f"{event.at.astimezone(zone):%Y-%m-%d %H:%M}",
                event.actor,
                _describe(event),
                event.reason,
            )
            for column, text in enumerate(cells):
                self.history.setItem(row, column, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.notes.clear()
        for note in self._repo.notes(case.id):
            self.notes.addItem(f"{note.at.astimezone(zone):%Y-%m-%d %H:%M} · {note.author}\n{note.text}")
        self.audit.show_entries(audit.case_entries(self._repo.db, case.id))

    @Slot()
    def change_status(self) -> None:
        if self.case is None:
            return
        answer = ChangeStatusDialog.ask(self.case.reference, self.case.status, self)
        if answer is None:
            return
        target, reason = answer
        self._apply(
            lambda case_id: self._repo.change_status(case_id, target, actor=self._actor, reason=reason, now=self._now())
        )

    @Slot()
    def _reshow(self) -> None:
        if self.case is not None:
            case_id = self.case.id
            self.show_case(case_id)
            self.case_changed.emit(case_id)

    @Slot()
    def pause_clock(self) -> None:
        if self.case is None:
            return
        fields = [
            Field("kind", "&Waiting for", "choice", [(k.value, k.value.capitalize()) for k in PauseKind]),
            Field("start", "&Asked on", "date", default=self._today()),
            Field("reason", "&Reason", "long", hint="what was asked for; for identity, the concrete doubt"),
        ]
        values = FieldsDialog.ask("Pause the clock", fields, _needs_reason, self)
        if values is None:
            return
        kind = PauseKind(values["kind"])
        warnings: list[str] = []
        self._apply(
            lambda case_id: warnings.extend(
                self._workflow.pause(
                    case_id, kind, values["start"], values["reason"], actor=self._actor, now=self._now()
                )
            )
        )
        if warnings:
            QMessageBox.warning(self, "About this pause", "\n\n".join(sentence(w) for w in warnings))

    @Slot()
    def resume_clock(self) -> None:
        if self.case is None or not self.case.open_pauses:
            return
        fields = [
            Field(
                "kind",
                "&Answer to",
                "choice",
                [(p.kind.value, p.kind.value.capitalize()) for p in self.case.open_pauses],
            ),
            Field("end", "&Received on", "date", default=self._today()),
        ]
        values = FieldsDialog.ask("The subject answered", fields, lambda v: None, self)
        if values is not None:
            self._apply(
                lambda case_id: self._workflow.resume(
                    case_id, PauseKind(values["kind"]), values["end"], actor=self._actor, now=self._now()
                )
            )

    @Slot()
    def extend(self) -> None:
        if self.case is None:
            return
        case = self.case
        request = self._repo.deadline_input(case, today=self._today())
        fields = [
            Field("reasons", "&Reasons", "long", hint="told to the subject: complexity, number of requests"),
            Field("notice_sent_on", "&Notice sent on", "date", default=self._today()),
        ]

        def validate(values: dict[str, object]) -> None:
            extension = Extension(str(values["reasons"]), values["notice_sent_on"])  # type: ignore[arg-type]
            check_extension(request, extension, today=self._today(), already_extended=case.extension is not None)

        values = FieldsDialog.ask(f"Extend {case.reference} by two months", fields, validate, self, ok_text="Extend")
        if values is not None:
            extension = Extension(values["reasons"], values["notice_sent_on"])
            self._apply(lambda case_id: self._workflow.extend(case_id, extension, actor=self._actor, now=self._now()))

    @Slot()
    def correct_receipt(self) -> None:
        if self.case is None:
            return
        answer = ReceiptDialog.ask(self.case, self._repo.register.entities(), self._now, self)
        if answer is None:
            return
        entity_name, received, reason = answer
        self._apply(
            lambda case_id: self._repo.correct_receipt(
                case_id,
                entity_name=entity_name,
                received=received,
                actor=self._actor,
                reason=reason,
                now=self._now(),
            )
        )

    @Slot()
    def add_note(self) -> None:
        if self.case is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, f"Note on {self.case.reference}", "Note:")
        if ok and text.strip():
            self._apply(lambda case_id: self._repo.add_note(case_id, text, author=self._actor, now=self._now()))

    def _apply(self, change: Callable[[int], None]) -> None:
        assert self.case is not None
        case_id = self.case.id
        try:
            change(case_id)
        except DeskError as error:
            QMessageBox.warning(self, "Not changed", str(error))
            return
        self.show_case(case_id)
        self.case_changed.emit(case_id)


def _needs_reason(values: dict[str, object]) -> None:
    if not str(values.get("reason", "")).strip():
        raise InputError("reason: say what was asked for, and why")


def _describe(event: CaseEvent) -> str:
    if event.action == "status" and event.from_status and event.to_status:
        return f"{event.from_status.label} → {event.to_status.label}"
    return EVENT_LABELS.get(event.action, event.action)


def _clear(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)
