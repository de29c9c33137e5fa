"""The Processors view: a searchable, sortable list of contact sheets, an editor, and printing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.application.fields import Field, Kind
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.errors import DeskError
from dpo_desk.core.processors import (
    IDENTIFIERS,
    NOT_REVIEWED_YET,
    REVIEW_DUE,
    ROLES,
    TEXT_COLUMNS,
    TRANSFER_MECHANISMS,
    ProcessorSheet,
    check,
    duplicates,
    review_note,
    without_stale_citations,
)
from dpo_desk.gui.accessible import named
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.file_places import ask_open, ask_save
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.gui.pdf import write_pdf
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.scheme import colours, when_scheme_changes
from dpo_desk.letters import page
from dpo_desk.letters.page import Document
from dpo_desk.letters.processor_sheets import booklet_html, citation_text, contact_ways, single_sheet_html
from dpo_desk.store.processors import ImportPreview

HEADERS = (
    "Service", "Legal entity", "Category", "Role", "Country", "Transfer", "Privacy contact", "Last reviewed", "Review"
)  # fmt: skip
STALE = "⚠ due"
REVIEW_SHOWN = {REVIEW_DUE: STALE, NOT_REVIEWED_YET: NOT_REVIEWED_YET}
CONTACT_COLUMN = HEADERS.index("Privacy contact")
MAX_COLUMN_WIDTH = 260


def ask_pdf_path(parent: QWidget, suggested: str) -> Path | None:
    """The native save dialog; tests replace this one function."""
    return ask_save(parent, "Save as PDF", suggested, "PDF files (*.pdf)", "sheet-pdf")


def ask_sheets_path(parent: QWidget, *, saving: bool) -> Path | None:
    """The native file dialog for CSV or JSON sheets; tests replace this one function."""
    kinds = "Sheets (*.csv *.json);;CSV (*.csv);;JSON (*.json)"
    if saving:
        return ask_save(parent, "Export sheets", "processor-sheets.csv", kinds, "sheets")
    return ask_open(parent, "Import sheets", kinds, "sheets")


def confirm_import(parent: QWidget, preview: ImportPreview) -> bool:
    """Shows what the import would change; nothing is written unless the DPO says so."""
    lines = [f"added: {s.service}" for s in preview.added] + [f"changed: {s.service}" for s in preview.changed]
    box = QMessageBox(parent)
    box.setWindowTitle("Import processor sheets")
    box.setText(sentence(preview.summary()) + ".")
    box.setDetailedText("\n".join(lines + [f"rejected: {e}" for e in preview.errors]))
    if preview.errors:
        box.setIcon(QMessageBox.Icon.Warning)
        box.setInformativeText("Fix the rejected rows and import again; nothing was changed.")
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.exec()
        return False
    box.setInformativeText("Apply these changes?" if lines else "Nothing to change.")
    box.setStandardButtons(QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel)
    return bool(lines) and box.exec() == QMessageBox.StandardButton.Apply


def _sheet_fields(sheet: ProcessorSheet, source_keys: list[tuple[str, str]], today: date) -> list[Field]:
    return [
        Field("key", "&Key", default=sheet.key, help="short name, e.g. google-analytics"),
        Field("service", "&Service", default=sheet.service),
        Field("legal_entity", "&Legal entity", default=sheet.legal_entity, required=False),
        Field("role", "&Role", Kind.CHOICE, options=[(r, r) for r in ROLES], default=sheet.role),
        Field("category", "&Category", default=sheet.category, required=False),
        Field("privacy_email", "Privacy &e-mail", default=sheet.privacy_email, required=False),
        Field("postal_address", "Post&al address", Kind.LONG, default=sheet.postal_address, required=False),
        Field("web_form_url", "&Web form", default=sheet.web_form_url, help="https://…", required=False),
        Field(
            "privacy_policy_url", "Privacy polic&y", default=sheet.privacy_policy_url, help="https://…",
            required=False,
        ),
        Field("dpa_url", "&DPA", default=sheet.dpa_url, help="https://…", required=False),
        Field("country", "C&ountry", default=sheet.country, help="ISO code, e.g. US, IE, NO", required=False),
        Field(
            "transfer_mechanism", "&Transfer", Kind.CHOICE, required=False,
            options=[(t, t or "not recorded") for t in TRANSFER_MECHANISMS], default=sheet.transfer_mechanism,
        ),
        Field("data_categories", "Data cate&gories", Kind.LIST, default=list(sheet.data_categories), required=False),
        Field(
            "identifiers", "&Identifiers needed", Kind.LIST, default=list(sheet.identifiers),
            help=", ".join(IDENTIFIERS), required=False,
        ),
        Field(
            "procedure", "&Procedure", Kind.LONG, default=sheet.procedure, help="their own erasure/export steps",
            required=False,
        ),
        Field("turnaround", "T&urnaround", default=sheet.turnaround, required=False),
        Field("notes", "&Notes", Kind.LONG, default=sheet.notes, required=False),
        Field(
            "sources", "Used &by sources", Kind.CHOICES, options=source_keys, default=list(sheet.sources),
            required=False,
        ),
        Field(
            "last_reviewed", "Last re&viewed", Kind.DATE, default=sheet.last_reviewed, required=False,
            help="reviewed on",
        ),
    ]  # fmt: skip


def _citation_notes(sheet: ProcessorSheet) -> dict[str, str]:
    """Under each field, the document its saved value comes from, or what was searched for it."""
    notes = {
        name: f"Source of the saved value: <a href='{escape(c.url, quote=True)}'>{escape(citation_text(c))}</a>"
        + (f" · {escape(c.where)}" if c.where else "")
        for name, c in sheet.sources_cited.items()
    }
    for name, searched in sheet.not_published.items():
        notes[name] = f"Not found in the published documents read: {escape(searched)}"
    return notes


def _sheet_from(values: dict[str, Any], original: ProcessorSheet) -> ProcessorSheet:
    """The sheet as edited; a field whose value changed loses the citation of its old value."""
    return without_stale_citations(
        original,
        replace(
            original,
            **{name: values[name] for name in TEXT_COLUMNS if name not in ("country", "policy_mention")},
            country=values["country"].upper(),
            data_categories=tuple(values["data_categories"]),
            identifiers=tuple(values["identifiers"]),
            sources=tuple(values["sources"]),
            last_reviewed=values["last_reviewed"],
        ),
    )


class ProcessorsView(QWidget):
    """Signals:
    changed: a sheet was saved.
    printed(str): a sheet or the booklet was written to PDF; which file, and its pages.
    """

    changed = Signal()
    printed = Signal(str)

    def __init__(self, desk: Desk, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self.search = named(QLineEdit(), "Search processor sheets")
        self.search.setPlaceholderText("Search service, entity or category…")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.table = named(QTableWidget(0, len(HEADERS)), "Processor sheets", "Enter or a double click edits")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.new_button = QPushButton("&New sheet…")
        self.edit_button = QPushButton("E&dit…")
        self.reviewed_button = QPushButton("Mark &reviewed today")
        self.print_button = QPushButton("&Print sheet…")
        self.booklet_button = QPushButton("Print &booklet…")
        self.import_button = QPushButton("&Import…")
        self.export_button = QPushButton("E&xport…")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.reviewed_button,
            self.print_button,
            self.booklet_button,
            self.import_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._filter)
        self.table.itemDoubleClicked.connect(lambda item: self.edit())
        self.new_button.clicked.connect(self.new_sheet)
        self.edit_button.clicked.connect(self.edit)
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        self.print_button.clicked.connect(self.print_sheet)
        self.booklet_button.clicked.connect(self.print_booklet)
        self.import_button.clicked.connect(self.import_sheets)
        self.export_button.clicked.connect(self.export_sheets)
        self._read = False  # the sheets are read when the page is first shown (see showEvent)
        when_scheme_changes(self, self._colour_warnings)

    def _colour_warnings(self) -> None:
        """The warnings are the only cells with a colour of their own; it is the scheme's."""
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None and item.data(Qt.ItemDataRole.ForegroundRole) is not None:
                    item.setForeground(QColor(colours().error))

    def showEvent(self, event: QShowEvent) -> None:
        """The sheets read when the page is first shown: read while the window was built, they took 20 ms of
        every start, for a page the DPO may not open."""
        if not self._read:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._read = True
        self._sheets = {sheet.key: sheet for sheet in self._desk.processors.sheets()}
        today = self._today()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self._sheets))
        for row, sheet in enumerate(self._sheets.values()):
            values = (
                sheet.service,
                sheet.legal_entity,
                sheet.category,
                sheet.role,
                sheet.country,
                sheet.transfer_mechanism,
                contact_ways(sheet),
                sheet.last_reviewed.isoformat() if sheet.last_reviewed else "never",
                REVIEW_SHOWN.get(review_note(sheet, today), "ok"),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, sheet.key)
                if column == len(values) - 1 and value == STALE:
                    item.setForeground(QColor(colours().error))
                    item.setToolTip("Last reviewed more than 12 months ago")
                elif column == len(values) - 1 and value == NOT_REVIEWED_YET:
                    item.setToolTip("As seeded from the privacy policy; review it once, then every 12 months")
                if column == CONTACT_COLUMN and not sheet.privacy_email and not sheet.postal_address:
                    item.setForeground(QColor(colours().error))
                    item.setToolTip("No e-mail or postal address: an Art. 19 notice cannot be sent as a letter")
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for column in range(len(HEADERS)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_COLUMN_WIDTH))
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self._filter()

    @Slot()
    def _filter(self) -> None:
        words = self.search.text().casefold().split()
        shown = 0
        for row in range(self.table.rowCount()):
            text = " ".join(self._cell(row, column) for column in range(3)).casefold()
            hidden = not all(word in text for word in words)
            self.table.setRowHidden(row, hidden)
            shown += not hidden
        notes = [review_note(s, self._today()) for s in self._sheets.values()]
        self.count.setText(
            f"{shown} of {len(self._sheets)} sheets · {notes.count(REVIEW_DUE)} due for review · "
            f"{notes.count(NOT_REVIEWED_YET)} not reviewed yet"
        )

    def selected(self) -> ProcessorSheet | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return self._sheets[item.data(Qt.ItemDataRole.UserRole)] if item is not None else None

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _today(self) -> date:
        return self._desk.today()

    def _edit(self, sheet: ProcessorSheet, title: str, *, adding: bool) -> None:
        sources = [(s.key, s.name) for s in self._desk.register.sources()]
        known = [key for key, _ in sources]
        fields = _sheet_fields(sheet, sources, self._today())
        values = FieldsDialog.ask(
            title,
            fields,
            self._desk.form(),
            lambda v: check(_sheet_from(v, sheet), known),
            self,
            ok_text="Save",
            field_notes=_citation_notes(sheet),
        )
        if values is None:
            return
        edited = _sheet_from(values, sheet)
        others = [s for s in self._sheets.values() if s.key != sheet.key or adding]
        if adding and edited.key in self._sheets:
            QMessageBox.warning(self, "Not saved", f"key: a sheet {edited.key!r} exists already")
            return
        similar = duplicates(edited, others) if adding else []
        if (
            similar
            and QMessageBox.question(
                self,
                "Possible duplicate",
                "This looks like an existing sheet:\n" + "\n".join(similar) + "\n\nAdd anyway?",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            affected = self._desk.save_processor(edited)
        except DeskError as error:
            QMessageBox.warning(self, "Not saved", str(error))
            return
        self.refresh()
        self.changed.emit()
        if affected:
            QMessageBox.information(
                self,
                "Open cases affected",
                f"{len(affected)} open case(s) have data from the changed sources: {', '.join(affected)}. "
                "Check their Art. 19 recipients.",
            )

    @Slot()
    def new_sheet(self) -> None:
        self._edit(ProcessorSheet(key="", service="", category=""), "New processor sheet", adding=True)

    @Slot()
    def edit(self) -> None:
        sheet = self.selected()
        if sheet is not None:
            self._edit(sheet, f"Sheet: {sheet.service}", adding=False)

    @Slot()
    def mark_reviewed(self) -> None:
        sheet = self.selected()
        if sheet is not None:
            self._desk.save_processor(replace(sheet, last_reviewed=self._today()))
            self.refresh()
            self.changed.emit()

    def _source_names(self) -> dict[str, str]:
        return {source.key: source.name for source in self._desk.register.sources()}

    @Slot()
    def print_sheet(self) -> None:
        sheet = self.selected()
        if sheet is None:
            return
        target = ask_pdf_path(self, f"sheet-{sheet.key}.pdf")
        if target is not None:
            html = single_sheet_html(sheet, self._source_names(), self._today())
            self._write_pdf(html, target, f"Processor sheet: {sheet.service}")

    @Slot()
    def print_booklet(self) -> None:
        target = ask_pdf_path(self, "processor-sheets.pdf")
        if target is None:
            return
        entities = self._desk.register.entities()
        organisation = next((e.name for e in entities if e.is_eea_representative), entities[0].name)
        sheets = sorted(self._sheets.values(), key=lambda s: s.service.casefold())
        html = booklet_html(sheets, self._source_names(), self._today(), organisation)
        self._write_pdf(html, target, "Processor and recipient contact sheets")

    def _write_pdf(self, html: str, target: Path, title: str) -> None:
        """Lay the PDF out in a task: a booklet of every sheet takes a moment."""
        load_shipped_fonts()  # on the window's thread, before any layout in the task's
        document = Document(body=html, paper=page.A4, title=title)  # no first page: a plain document
        task: Task[int] = Task("sheets PDF", lambda task: write_pdf(document, target))
        self._runner.start(
            task,
            Listener(
                done=lambda pages: self.printed.emit(f"{target.name}: {pages} page(s)"),
                failed=lambda error: self._refused("Not written", target, error),
            ),
        )

    @Slot()
    def export_sheets(self) -> None:
        target = ask_sheets_path(self, saving=True)
        if target is not None:
            fmt = "json" if target.suffix.lower() == ".json" else "csv"
            try:
                count = self._desk.processors.export(fmt, target)
            except (DeskError, OSError) as error:
                QMessageBox.warning(self, "Not exported", f"{target.name}: {error}")
                return
            QMessageBox.information(self, "Exported", f"{count:,} sheets written to {target} ({fmt.upper()}).")

    @Slot()
    def import_sheets(self) -> None:
        source = ask_sheets_path(self, saving=False)
        if source is None:
            return
        task: Task[list[tuple[str, dict[str, Any]]]] = Task(
            "read sheets", lambda task: self._desk.processors.read_file(source)
        )
        self._runner.start(
            task,
            Listener(
                done=self._review_import,
                failed=lambda error: self._refused("Not imported", source, error),
            ),
        )

    def _refused(self, title: str, path: Path, error: Exception) -> None:
        QMessageBox.warning(self, title, f"{path.name}: {error}")

    def _review_import(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        preview = self._desk.processors.preview(records)
        if confirm_import(self, preview):
            self._desk.import_processors(preview)
            self.refresh()
            self.changed.emit()
