"""The row of filters above the case list; it turns what the DPO picks into a :class:`CaseQuery`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from dpo_desk.core.models import CaseQuery, Entity, Right, Status

SEARCH_PAUSE_MS = 150  # coalesce keystrokes; one SQL query per pause in typing


class FilterBar(QWidget):
    """Signals:
    changed: the filters changed; read :meth:`query`.
    """

    changed = Signal()

    def __init__(self, entities: list[Entity], parent: Any = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search reference, name, e-mail or request text…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self.status = QComboBox()
        self.status.addItem("All statuses", None)
        for status in Status:
            self.status.addItem(status.label, status)
        self.right = QComboBox()
        self.right.addItem("All rights", None)
        for right in Right:
            self.right.addItem(right.label, right)
        self.entity = QComboBox()
        self.entity.addItem("All entities", None)
        for entity in entities:
            self.entity.addItem(entity.name, entity.id)
        self.due_within = QCheckBox("Due within")
        self.due_days = QSpinBox()
        self.due_days.setRange(0, 365)
        self.due_days.setValue(7)
        self.due_days.setSuffix(" days")
        self.due_days.setEnabled(False)

        for combo in (self.status, self.right, self.entity):
            # Long entity names must not force the window wider than a laptop screen.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for widget in (self.status, self.right, self.entity, self.due_within, self.due_days):
            layout.addWidget(widget)

        self._typing = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._typing.timeout.connect(self.changed)
        self.search.textChanged.connect(self._typing.start)
        for combo in (self.status, self.right, self.entity):
            combo.currentIndexChanged.connect(self.changed)
        self.due_within.toggled.connect(self.due_days.setEnabled)
        self.due_within.toggled.connect(self.changed)
        self.due_days.valueChanged.connect(self.changed)

    def query(self, base: CaseQuery) -> CaseQuery:
        """``base`` (which keeps the sort order) with these filters."""
        return replace(
            base,
            text=self.search.text(),
            status=_chosen(Status, self.status.currentData()),
            right=_chosen(Right, self.right.currentData()),
            entity_id=self.entity.currentData(),
            due_within_days=self.due_days.value() if self.due_within.isChecked() else None,
        )

    def is_filtering(self) -> bool:
        return self.query(CaseQuery()) != CaseQuery()


_Choice = TypeVar("_Choice", Status, Right)


def _chosen(kind: type[_Choice], data: str | None) -> _Choice | None:
    """Qt hands string enums back as plain strings."""
    return None if data is None else kind(data)
