"""The row of filters above the case list; it turns what the DPO picks into a :class:`CaseQuery`.

It opens on the open cases. A dashboard figure or bar clicked sets it to exactly the cases counted: the
scope, the right, and a period ("Received in Mar 2026", "Answered in Q1 2026") shown with a button that
clears it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.core.dates import MONTHS
from dpo_desk.core.models import CaseQuery, Entity, Right, Scope, Status
from dpo_desk.gui.accessible import named

SEARCH_PAUSE_MS = 150  # coalesce keystrokes; one SQL query per pause in typing


class FilterBar(QWidget):
    """Signals:
    changed: the filters changed; read :meth:`query`.
    """

    changed = Signal()

    def __init__(self, entities: list[Entity], parent: Any = None) -> None:
        super().__init__(parent)
        self.scope = named(QComboBox(), "Which cases")
        for scope in Scope:
            self.scope.addItem(scope.label, scope)
        self.scope.setToolTip("Which cases the list shows; the dashboard's figures open these")
        self.all_cases = QPushButton("All cases")
        self.all_cases.setToolTip("Show every case, whatever its status, and clear the other filters")
        self.all_cases.clicked.connect(lambda: self.show_only(CaseQuery(scope=Scope.ALL)))
        self.period = QToolButton()
        self.period.setToolTip("Clear this period")
        self.period.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.period.clicked.connect(self._clear_period)
        self.period.hide()
        self._period = CaseQuery()  # only its received and answered days count
        self.search = named(QLineEdit(), "Search cases", "reference, name, e-mail or request text")
        self.search.setPlaceholderText("Search reference, name, e-mail or request text…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(150)
        self.status = named(QComboBox(), "Status")
        self.status.addItem("All statuses", None)
        for status in Status:
            self.status.addItem(status.label, status)
        self.right = named(QComboBox(), "Right")
        self.right.addItem("All rights", None)
        for right in Right:
            self.right.addItem(right.label, right)
        self.entity = named(QComboBox(), "Entity")
        self.set_entities(entities)
        self.due_within = QCheckBox("Due within")
        self.due_days = named(QSpinBox(), "Due within days", "counted in calendar days from today")
        self.due_days.setRange(0, 365)
        self.due_days.setValue(7)
        self.due_days.setSuffix(" days")
        self.due_days.setEnabled(False)

        for combo in (self.scope, self.status, self.right, self.entity):
            # Long entity names must not force the window wider than a laptop screen.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        self.scope.setMinimumContentsLength(16)
        # Two rows, so that the list and the case beside it fit a laptop's 1366 pixels.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        which, narrow = QHBoxLayout(), QHBoxLayout()
        for widget in (self.scope, self.all_cases, self.period):
            which.addWidget(widget)
        which.addWidget(self.search, 1)
        for other in (self.status, self.right, self.entity, self.due_within, self.due_days):
            narrow.addWidget(other)
        narrow.addStretch(1)
        layout.addLayout(which)
        layout.addLayout(narrow)

        self._typing = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._typing.timeout.connect(self.changed)
        self.search.textChanged.connect(self._typing.start)
        for combo in (self.scope, self.status, self.right, self.entity):
            combo.currentIndexChanged.connect(self.changed)
        self.due_within.toggled.connect(self.due_days.setEnabled)
        self.due_within.toggled.connect(self.changed)
        self.due_days.valueChanged.connect(self.changed)

    def set_entities(self, entities: list[Entity]) -> None:
        """The register's entities as the entity filter offers them (one was added or renamed); the chosen
        one stays chosen."""
        chosen = self.entity.currentData()
        blocked = self.entity.blockSignals(True)
        self.entity.clear()
        self.entity.addItem("All entities", None)
        for entity in entities:
            self.entity.addItem(entity.name, entity.id)
        self.entity.setCurrentIndex(max(0, self.entity.findData(chosen)))
        self.entity.blockSignals(blocked)

    def apply_now(self) -> None:
        """What was typed, without waiting for the pause in typing (and not once more after it)."""
        if self._typing.isActive():
            self._typing.stop()
            self.changed.emit()

    def query(self, base: CaseQuery) -> CaseQuery:
        """``base`` (which keeps the sort order) with these filters."""
        return replace(
            base,
            scope=Scope(self.scope.currentData()),
            received_from=self._period.received_from,
            received_until=self._period.received_until,
            answered_from=self._period.answered_from,
            answered_until=self._period.answered_until,
            answered_how=self._period.answered_how,
            due_within_working_days=self._period.due_within_working_days,
            text=self.search.text(),
            status=_chosen(Status, self.status.currentData()),
            right=_chosen(Right, self.right.currentData()),
            entity_id=self.entity.currentData(),
            due_within_days=self.due_days.value() if self.due_within.isChecked() else None,
        )

    def show_only(self, query: CaseQuery) -> None:
        """Set every filter to ``query``'s (a dashboard figure's), then say so once."""
        with QSignalBlocker(self), QSignalBlocker(self.search):
            self.scope.setCurrentIndex(self.scope.findData(query.scope))
            self.status.setCurrentIndex(self.status.findData(query.status) if query.status else 0)
            self.right.setCurrentIndex(self.right.findData(query.right) if query.right else 0)
            self.entity.setCurrentIndex(self.entity.findData(query.entity_id) if query.entity_id else 0)
            self.search.setText(query.text)
            self.due_within.setChecked(query.due_within_days is not None)
            if query.due_within_days is not None:
                self.due_days.setValue(query.due_within_days)
            self._period = query
            self._show_period(query)
        self.changed.emit()

    def _show_period(self, query: CaseQuery) -> None:
        text = ""
        if query.due_within_working_days is not None:
            text = f"Overdue or due within {query.due_within_working_days} working days"
        elif query.received_from is not None:
            text = f"Received in {MONTHS[query.received_from.month - 1]} {query.received_from.year}"
        elif query.answered_from is not None:
            quarter = (query.answered_from.month - 1) // 3 + 1
            text = f"Answered in Q{quarter} {query.answered_from.year}"
            text += f", {query.answered_how.label}" if query.answered_how else ""
        self.period.setText(f"{text}  ✕")
        self.period.setVisible(bool(text))

    def _clear_period(self) -> None:
        self._period = CaseQuery()
        self.period.hide()
        self.changed.emit()


_Choice = TypeVar("_Choice", Status, Right)


def _chosen(kind: type[_Choice], data: str | None) -> _Choice | None:
    """Qt hands string enums back as plain strings."""
    return None if data is None else kind(data)
