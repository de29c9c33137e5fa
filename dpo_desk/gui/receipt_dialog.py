"""Correcting where and when a request was received; the deadlines follow and the history says why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Slot
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QLineEdit, QWidget

from dpo_desk.core.models import Case, Entity
from dpo_desk.gui.form_dialog import FormDialog
from dpo_desk.gui.modal import run_modal


class ReceiptDialog(FormDialog):
    def __init__(
        self,
        case: Case,
        entities: Sequence[Entity],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Correct the receipt of {case.reference}", parent)
        self.setMinimumWidth(460)
        self._now = now
        self.entity = QComboBox()
        for entity in entities:
            self.entity.addItem(entity.name, entity)
        self.entity.setCurrentText(case.entity.name)
        local = case.received_local
        self.received = QDateTimeEdit(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.zone_hint = QLabel()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why; kept in the case history")
        self.form.addRow("&Entity", self.entity)
        self.form.addRow("Recei&ved", self.received)
        self.form.addRow("", self.zone_hint)
        self.form.addRow("&Reason", self.reason)
        self.entity.currentIndexChanged.connect(self._validate)
        self.received.dateTimeChanged.connect(self._validate)
        self.reason.textChanged.connect(self._validate)
        self._validate()

    @classmethod
    def ask(
        cls,
        case: Case,
        entities: Sequence[Entity],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> tuple[str, datetime, str] | None:
        dialog = cls(case, entities, now, parent)
        return dialog.answer() if run_modal(dialog) else None

    def answer(self) -> tuple[str, datetime, str]:
        entity: Entity = self.entity.currentData()
        shown = self.received.dateTime()
        day, time = shown.date(), shown.time()
        received = datetime(
            day.year(), day.month(), day.day(), time.hour(), time.minute(), tzinfo=ZoneInfo(entity.time_zone)
        )
        return entity.name, received, self.reason.text().strip()

    @Slot()
    def _validate(self) -> None:
        entity_name, received, reason = self.answer()
        entity: Entity = self.entity.currentData()
        self.zone_hint.setText(f"local time at {entity_name} ({entity.time_zone})")
        problem = ""
        if received > self._now():
            problem = "Received: that moment is in the future"
        elif not reason:
            problem = "Reason: say why the receipt is corrected"
        self.show_problem(problem)
