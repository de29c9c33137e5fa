"""Choosing a case's next status, with the reason the lifecycle asks for when a step is skipped."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPlainTextEdit, QWidget

from dpo_desk.core import lifecycle
from dpo_desk.core.models import Status
from dpo_desk.gui.form_dialog import FormDialog


class ChangeStatusDialog(FormDialog):
    def __init__(self, reference: str, current: Status, parent: QWidget | None = None) -> None:
        super().__init__(f"Change status of {reference}", parent)
        self.setMinimumWidth(440)
        self._current = current
        self.target = QComboBox()
        for status in lifecycle.next_statuses(current):
            needs = lifecycle.reason_needed(current, status)
            self.target.addItem(f"{status.label}{'  (needs a reason)' if needs else ''}", status)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("why; kept in the case history")
        self.reason.setFixedHeight(80)
        self.form.addRow("Now", QLabel(current.label))
        self.form.addRow("&Move to", self.target)
        self.form.addRow("&Reason", self.reason)
        self.target.currentIndexChanged.connect(self._validate)
        self.reason.textChanged.connect(self._validate)
        self._validate()

    @classmethod
    def ask(cls, reference: str, current: Status, parent: QWidget | None = None) -> tuple[Status, str] | None:
        dialog = cls(reference, current, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def answer(self) -> tuple[Status, str]:
        return self._target(), self.reason.toPlainText().strip()

    def _target(self) -> Status:
        return Status(self.target.currentData())  # Qt hands string enums back as str

    @Slot()
    def _validate(self) -> None:
        target = self._target()
        missing = lifecycle.reason_needed(self._current, target) and not self.reason.toPlainText().strip()
        self.show_problem("Reason: this move leaves the normal course; say why." if missing else "")
