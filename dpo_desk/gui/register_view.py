"""The seeded register, read-only for now: entities, sources of personal data and their recipients."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QTabWidget, QWidget

from dpo_desk.store.register import Register

MAX_COLUMN_WIDTH = 320  # long texts wrap instead of pushing the last columns off screen


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, sortable: bool = True) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()
    for column in range(len(headers)):
        table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN_WIDTH))
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    if sortable:
        table.setSortingEnabled(True)
        table.sortItems(0, Qt.SortOrder.AscendingOrder)
    return table


class RegisterView(QTabWidget):
    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._register = register
        self.refresh()

    def refresh(self) -> None:
        """Read the register again (a processor sheet changed its sources)."""
        current = self.currentIndex()
        self.clear()
        register = self._register
        entities = [
            (
                e.name,
                e.country,
                e.time_zone,
                e.calendar,
                ", ".join(e.address.lines()) or "—",
                e.phone or "—",
                e.org_number or "—",
                "EEA representative" if e.is_eea_representative else "",
            )
            for e in register.entities()
        ]
        self.entities = _table(
            ("Entity", "Country", "Time zone", "Calendar", "Address", "Phone", "Org. no.", "Role"), entities
        )
        sources = [
            (
                s.name,
                s.retention,
                "; ".join(s.legal_bases),
                "yes" if s.portable else "no",
                ", ".join(s.recipients),
            )
            for s in register.sources()
        ]
        # Sources stay in the order of the policy's sections.
        self.sources = _table(("Source", "Retention", "Legal bases", "Portable", "Recipients"), sources, sortable=False)
        processors = [
            (p.service, p.legal_entity or "—", p.category, p.role, ", ".join(p.sources)) for p in register.processors()
        ]
        self.processors = _table(("Service", "Legal entity", "Category", "Role", "Used by sources"), processors)
        self.addTab(self.entities, f"Entities ({len(entities)})")
        self.addTab(self.sources, f"Sources ({len(sources)})")
        self.addTab(self.processors, f"Processors and recipients ({len(processors)})")
        self.setCurrentIndex(max(current, 0))
