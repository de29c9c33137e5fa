"""Deadline settings: rule set, internal target, "due soon", and each entity's holiday calendar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.core.calendars import CALENDARS
from dpo_desk.core.deadlines import Rules
from dpo_desk.core.models import Entity
from dpo_desk.store.settings import DeskSettings

RULE_LABELS = {
    Rules.EU: "EU (Reg. 1182/71): a pause suspends the clock for its length",
    Rules.ICO: "ICO: the month restarts when the awaited ID or fee arrives",
}


class SettingsDialog(QDialog):
    def __init__(self, settings: DeskSettings, entities: Sequence[Entity], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deadline settings")
        self.rules = QComboBox()
        for rules, label in RULE_LABELS.items():
            self.rules.addItem(label, rules.value)
        self.rules.setCurrentIndex(self.rules.findData(settings.rules.value))
        self.target_days = QSpinBox()
        self.target_days.setRange(1, 31)
        self.target_days.setSuffix(" days after receipt")
        self.target_days.setValue(settings.target_days)
        self.due_soon_days = QSpinBox()
        self.due_soon_days.setRange(0, 60)
        self.due_soon_days.setSuffix(" days before the due date")
        self.due_soon_days.setValue(settings.due_soon_days)
        self.calendars: dict[int, QComboBox] = {}
        calendar_form = QFormLayout()
        for entity in entities:
            combo = QComboBox()
            combo.addItems(list(CALENDARS))
            combo.setCurrentText(entity.calendar)
            self.calendars[entity.id] = combo
            calendar_form.addRow(f"{entity.name} ({entity.country})", combo)
        calendars = QGroupBox("Public holidays that roll a deadline over")
        calendars.setLayout(calendar_form)
        hint = QLabel(
            "A deadline that ends on a Saturday, Sunday or public holiday of the entity's calendar "
            "moves to the next working day. 'none' rolls over weekends only; for the US entity, 'NO' "
            "(the EEA representative's state) is the cautious alternative."
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow("&Rule set", self.rules)
        form.addRow("Internal &target", self.target_days)
        form.addRow("Mark as &due soon", self.due_soon_days)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(calendars)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def ask(
        cls, settings: DeskSettings, entities: Sequence[Entity], parent: QWidget | None = None
    ) -> tuple[DeskSettings, dict[int, str]] | None:
        dialog = cls(settings, entities, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def answer(self) -> tuple[DeskSettings, dict[int, str]]:
        settings = DeskSettings(
            rules=Rules(self.rules.currentData()),
            target_days=self.target_days.value(),
            due_soon_days=self.due_soon_days.value(),
        )
        return settings, {entity_id: combo.currentText() for entity_id, combo in self.calendars.items()}
