"""The register: entities and sources of personal data (both editable), and their recipients."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.application.entity_fields import (
    ENTITY_FIELDS,
    NEW_ENTITY_FIELDS,
    deadline_question,
    entity_changes,
    entity_values,
)
from dpo_desk.application.fields import Field, Kind
from dpo_desk.core.entities import changed_entity
from dpo_desk.core.errors import DeskError, InputError
from dpo_desk.gui.accessible import named
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.rich_text import sentence
from dpo_desk.store.register import Source

MAX_COLUMN_WIDTH = 320  # long texts wrap instead of pushing the last columns off screen


def _table(name: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *, sortable: bool = True) -> QTableWidget:
    table = named(QTableWidget(len(rows), len(headers)), name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
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


def _select(table: QTableWidget, name: str) -> None:
    """The row just saved stays selected once the page is read again: Edit acts on it once more."""
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.text() == name:
            table.selectRow(row)
            table.setFocus(Qt.FocusReason.OtherFocusReason)
            return


def _source_fields(source: Source) -> list[Field]:
    return [
        Field("key", "&Key", default=source.key, help="short name, e.g. web-forms"),
        Field("name", "&Name", default=source.name),
        Field("description", "&Description", Kind.LONG, default=source.description, required=False),
        Field("data_categories", "Data &categories", Kind.LIST, default=list(source.data_categories)),
        Field("purposes", "&Purposes", Kind.LIST, default=list(source.purposes)),
        Field("legal_bases", "&Legal bases", Kind.LIST, default=list(source.legal_bases)),
        Field("retention", "&Retention", default=source.retention, help="as the policy words it"),
        Field("retention_years", "Retention &years", Kind.INT, default=source.retention_years, low=1, high=100),
        Field("retention_from", "Counted &from", default=source.retention_from),
        Field(
            "portable", "Portability", Kind.BOOL, default=source.portable,
            help="data provided by the subject, on consent or contract (Art. 20)",
        ),
    ]  # fmt: skip


def _source_from(values: dict[str, Any], recipients: tuple[str, ...]) -> Source:
    return Source(
        key=values["key"],
        name=values["name"],
        data_categories=tuple(values["data_categories"]),
        purposes=tuple(values["purposes"]),
        legal_bases=tuple(values["legal_bases"]),
        retention=values["retention"],
        portable=values["portable"],
        recipients=recipients,
        description=values["description"],
        retention_years=values["retention_years"],
        retention_from=values["retention_from"],
    )


def _check_source(source: Source) -> None:
    problems = source.problems()
    if problems:
        raise InputError("; ".join(problems))


def _page(table: QTableWidget, buttons: Sequence[QPushButton], note: str) -> QWidget:
    """A tab of the register: its list, with the buttons that act on it and a note beneath."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(table, 1)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addWidget(QLabel(note))
    row.addStretch(1)
    layout.addLayout(row)
    return page


class RegisterView(QTabWidget):
    """The register of processing: entities, the sources of personal data (editable) and their recipients.

    Recipients are linked to a source on each processor sheet (Processors view).

    Signals:
    entities_changed: an entity was added or changed.
    deadlines_moved(str): an entity's new calendar or time zone moved the dates of open cases; in one line.
    """

    entities_changed = Signal()
    deadlines_moved = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._register = desk.register
        self.new_entity_button = QPushButton("Ne&w entity…")
        self.new_entity_button.clicked.connect(self.add_entity)
        self.edit_entity_button = QPushButton("Edit e&ntity…")
        self.edit_entity_button.clicked.connect(self.edit_entity)
        self.add_source_button = QPushButton("&Add source…")
        self.edit_source_button = QPushButton("E&dit source…")
        self.add_source_button.clicked.connect(self.add_source)
        self.edit_source_button.clicked.connect(self.edit_source)
        self._read = False  # the register is read when the page is first shown (see showEvent)

    def showEvent(self, event: QShowEvent) -> None:
        """The register read when the page is first shown: read while the window was built, it took 14 ms of
        every start."""
        if not self._read:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Read the register again (a processor sheet changed its sources)."""
        self._read = True
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
            "Entities", ("Entity", "Country", "Time zone", "Calendar", "Address", "Phone", "Org. no.", "Role"), entities
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
        self.sources = _table(
            "Sources of personal data",
            ("Source", "Retention", "Legal bases", "Portable", "Recipients"),
            sources,
            sortable=False,
        )
        processors = [
            (p.service, p.legal_entity or "—", p.category, p.role, ", ".join(p.sources)) for p in register.processors()
        ]
        self.processors = _table(
            "Recipients and processors", ("Service", "Legal entity", "Category", "Role", "Used by sources"), processors
        )
        entities_page = _page(
            self.entities,
            [self.new_entity_button, self.edit_entity_button],
            "Letters print an entity's letterhead only with a street address.",
        )
        self.addTab(entities_page, f"Entities ({len(entities)})")
        sources_page = _page(
            self.sources,
            [self.add_source_button, self.edit_source_button],
            "Recipients are linked on each processor sheet.",
        )
        self.addTab(sources_page, f"Sources ({len(sources)})")
        self.addTab(self.processors, f"Processors and recipients ({len(processors)})")
        self.setCurrentIndex(max(current, 0))

    def _save(self, title: str, source: Source, *, adding: bool) -> None:
        values = FieldsDialog.ask(
            title,
            _source_fields(source),
            self._desk.form(),
            lambda v: _check_source(_source_from(v, ())),
            self,
            ok_text="Save",
        )
        if values is None:
            return
        edited = _source_from(values, source.recipients)
        if adding and any(s.key == edited.key for s in self._register.sources()):
            QMessageBox.warning(self, "Not saved", f"key: a source {edited.key!r} exists already")
            return
        try:
            affected = self._desk.save_source(edited)
        except DeskError as error:
            QMessageBox.warning(self, "Not saved", str(error))
            return
        self.refresh()
        _select(self.sources, edited.name)
        if affected:
            QMessageBox.information(
                self,
                "Open cases affected",
                f"{len(affected)} open case(s) have data from {edited.name}: {', '.join(affected)}. "
                "Their access answers and Art. 19 recipients come from this source.",
            )

    @Slot()
    def edit_entity(self) -> None:
        rows = self.entities.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "Choose an entity", "Select the entity in the list first.")
            return
        item = self.entities.item(rows[0].row(), 0)
        assert item is not None
        entity = self._register.entity(item.text())
        values = FieldsDialog.ask(
            f"Entity: {entity.name}",
            list(ENTITY_FIELDS),
            self._desk.form(),
            lambda v: changed_entity(entity, entity_changes(entity, v)),
            self,
            ok_text="Save",
            preset=entity_values(entity),
        )
        if values is None:
            return
        changes = entity_changes(entity, values)
        try:
            question = deadline_question(entity, changes, self._desk.deadlines_moved_by(entity.key, changes))
            if question and QMessageBox.question(self, "Due dates", question) != QMessageBox.StandardButton.Yes:
                return
            saved, moved = self._desk.update_entity(entity.key, changes)
        except DeskError as error:
            QMessageBox.warning(self, "Not saved", sentence(str(error)))
            return
        self.refresh()
        _select(self.entities, saved.name)
        self.entities_changed.emit()
        if question:
            self.deadlines_moved.emit(f"{saved.name} saved; the dates of {len(moved)} open case(s) moved")
        problems = saved.letterhead_problems()
        if problems:
            QMessageBox.information(self, "Letters still blocked", sentence(problems[0]))

    @Slot()
    def add_entity(self) -> None:
        values = FieldsDialog.ask(
            "New entity",
            list(NEW_ENTITY_FIELDS),
            self._desk.form(),
            self._desk.check_new_entity,
            self,
            ok_text="Add",
        )
        if values is None:
            return
        try:
            added = self._desk.add_entity(values)
        except DeskError as error:
            QMessageBox.warning(self, "Not added", sentence(str(error)))
            return
        self.refresh()
        _select(self.entities, added.name)
        self.entities_changed.emit()
        problems = added.letterhead_problems()
        if problems:
            QMessageBox.information(self, "Letters blocked", sentence(problems[0]))

    @Slot()
    def add_source(self) -> None:
        blank = Source("", "", (), (), (), "", False)
        self._save("New source of personal data", blank, adding=True)

    @Slot()
    def edit_source(self) -> None:
        rows = self.sources.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "Choose a source", "Select the source in the list first.")
            return
        source = self._register.sources()[rows[0].row()]
        self._save(f"Source: {source.name}", source, adding=False)
