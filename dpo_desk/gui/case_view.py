"""One case in full: header with the due-date badge, the next step, and tabs for details,
deadline ("Why this date?") and history."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime

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
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.core.dates import day_month_year, long_date
from dpo_desk.core.deadlines import explain
from dpo_desk.core.errors import DeskError
from dpo_desk.core.models import Case, CaseEvent
from dpo_desk.core.next_step import next_step
from dpo_desk.gui.deadline_badge import days_left_colour, days_left_text
from dpo_desk.gui.receipt_dialog import ReceiptDialog
from dpo_desk.gui.status_dialog import ChangeStatusDialog
from dpo_desk.store.cases import CaseRepository

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
        self.notes.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._overview_tab(), "&Overview")
        self.tabs.addTab(self._deadline_tab(), "&Deadline")
        self.tabs.addTab(self._history_tab(), "&History")

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
        layout.addStretch(1)
        return tab

    def _history_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.history, 2)
        layout.addWidget(QLabel("<b>Notes</b>"))
        layout.addWidget(self.notes, 1)
        return tab

    def show_case(self, case_id: int | None) -> None:
        if case_id is None:
            self.case = None
            self._pages.setCurrentIndex(0)
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
        self.next_step.setText(f"<b>Next step:</b> {html.escape(next_step(case, today))}")
        self._fill_details(case)
        self._fill_deadline(case, today)
        self._fill_history(case)
        self._pages.setCurrentIndex(1)

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
            self.details.addRow(f"<b>{label}</b>", _selectable(QLabel(html.escape(value).replace("\n", "<br>"))))
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
        rows = [
            (
                "Legal due date",
                f"{long_date(deadlines.due)} ({days_left_text(deadlines.due, case.status, today)})",
            ),
            ("Extension notice by", long_date(deadlines.extension_notice_due)),
            ("Refusal notice by", long_date(deadlines.extension_notice_due)),
            ("Internal target", long_date(deadlines.target)),
        ]
        for label, value in rows:
            self.deadline.addRow(f"<b>{label}</b>", _selectable(QLabel(value)))
        request = self._repo.deadline_input(case, today=today)
        explanation = explain(request)
        steps = "".join(f"<li>{html.escape(step)}</li>" for step in explanation.steps)
        warnings = "".join(f"<p style='color:#8a5a00'>⚠ {html.escape(warning)}</p>" for warning in explanation.warnings)
        self.why.setText(
            f"<ol>{steps}</ol>{warnings}<p style='color:gray'>Rules: {request.rules.value.upper()} · "
            f"calendar: {request.calendar} · counted in {case.entity.time_zone}</p>"
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


def _describe(event: CaseEvent) -> str:
    if event.action == "status" and event.from_status and event.to_status:
        return f"{event.from_status.label} → {event.to_status.label}"
    return {"created": "Case created", "corrected": "Receipt corrected"}.get(event.action, event.action)


def _clear(form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)
