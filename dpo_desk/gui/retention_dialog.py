"""Retention: choose the period, see which ended cases are past it, purge or anonymise exactly those."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import DeskError
from dpo_desk.core.models import Status
from dpo_desk.core.settings import RETENTION_MONTHS
from dpo_desk.gui.accessible import name_form_fields, named
from dpo_desk.gui.rich_text import sentence

QUESTIONS = {
    "purge": (
        "Purge cases",
        "Delete {count} case(s) with their subjects' details, notes, attachments and decisions?",
    ),
    "anonymise": (
        "Anonymise cases",
        "Keep {count} case(s) for the statistics (entity, rights, dates, status, outcomes) but remove who "
        "asked, what they wrote, their notes, attachments and every other free text?",
    ),
}


def confirm(parent: QWidget, action: str, count: int) -> bool:
    """The one question before data goes; tests replace this function."""
    title, question = QUESTIONS[action]
    answer = QMessageBox.warning(
        parent,
        title,
        question.format(count=count) + " This cannot be undone; the audit keeps their references. Backups "
        "made earlier still hold them until they are rotated out.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class RetentionDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Retention")
        self.resize(640, 460)
        self._desk = desk
        self.months = QSpinBox()
        self.months.setRange(RETENTION_MONTHS.low, RETENTION_MONTHS.high)
        self.months.setSuffix(f" {RETENTION_MONTHS.unit}")
        self.months.setValue(desk.settings.get(RETENTION_MONTHS))
        self.months.valueChanged.connect(self.preview)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = named(QTableWidget(0, 4), "Cases past their retention")
        self.table.setHorizontalHeaderLabels(["Reference", "Status", "Ended on", "Letter files outside the store"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.purge_button = QPushButton()
        self.purge_button.clicked.connect(lambda: self.apply("purge"))
        self.anonymise_button = QPushButton()
        self.anonymise_button.clicked.connect(lambda: self.apply("anonymise"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.anonymise_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Keep ended cases for", self.months)
        name_form_fields(form)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.preview()

    @Slot()
    def preview(self) -> None:
        self._expired = self._desk.retention.expired(today=self._desk.today(), months=self.months.value())
        self.table.setRowCount(len(self._expired))
        for row, case in enumerate(self._expired):
            cells = (case.reference, Status(case.status).label, case.ended_on.isoformat(), str(case.letters or ""))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        count = len(self._expired)
        self.summary.setText(
            f"{count} case(s) closed, refused or withdrawn more than {self.months.value()} months ago."
            if count
            else "No case is past the retention period."
        )
        self.purge_button.setText(f"&Purge {count} case(s)…")
        self.anonymise_button.setText(f"&Anonymise {count} case(s)…")
        for button in (self.purge_button, self.anonymise_button):
            button.setEnabled(bool(count))
            button.setToolTip("" if count else "No case is past the retention period")

    def apply(self, action: str) -> None:
        """``purge`` or ``anonymise`` the cases listed, after the one question."""
        if not confirm(self, action, len(self._expired)):
            return
        act = self._desk.purge if action == "purge" else self._desk.anonymise
        months = self.months.value()
        try:
            self._desk.save_settings({RETENTION_MONTHS: months})
            act([case.case_id for case in self._expired], today=self._desk.today(), months=months)
        except DeskError as error:
            QMessageBox.warning(self, "Nothing was changed", sentence(str(error)))
        self.preview()
