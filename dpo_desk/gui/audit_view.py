"""The audit log on screen: the whole log (newest first) with its check and anchor, and one case's part."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.models import Status
from dpo_desk.gui.accessible import named
from dpo_desk.gui.background import raise_here, wait_for
from dpo_desk.gui.file_places import ask_save
from dpo_desk.gui.scheme import colours, when_scheme_changes
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.audit import AuditEntry

if TYPE_CHECKING:  # the check itself loads it, when the DPO asks for one
    from dpo_desk.store.verify import Report

SHOWN = 1000  # the newest entries; verify reads them all
STATUS_VALUES = frozenset(status.value for status in Status)
LETTER_KINDS = frozenset(kind.value for kind in LetterKind)


_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)


def count_text(total: int) -> str:
    """How many entries the log holds, and how many of them the page shows."""
    counted = "1 entry" if total == 1 else f"{total:,} entries"
    return counted + (f"; the newest {SHOWN:,} shown" if total > SHOWN else "")


class AuditModel(QAbstractTableModel):
    """The entries' cells as text, made once when shown: a view asks a cell for several roles at each paint."""

    HEADERS = ("#", "When (UTC)", "Who", "Action", "What", "Details")
    DETAILS = len(HEADERS) - 1

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, ...]] = []

    def show_entries(self, entries: Sequence[AuditEntry]) -> None:
        self.beginResetModel()
        self.rows = [_cells(entry) for entry in entries]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> str | None:
        if role == _DISPLAY or (role == _TOOLTIP and index.column() == self.DETAILS):  # a long detail is cut
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> str | None:
        if role == _DISPLAY and orientation is Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class AuditTable(QTableView):
    """Entries as rows, columns as wide as their longest text. A model, not 6,000 table items: filling a
    QTableWidget with the newest 1,000 entries and sizing its columns took 45-50 ms of the window's thread."""

    def __init__(self) -> None:
        super().__init__()
        self.entries = AuditModel()
        self.setModel(self.entries)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(AuditModel.DETAILS, QHeaderView.ResizeMode.Stretch)

    def show_entries(self, entries: Sequence[AuditEntry]) -> None:
        self.entries.show_entries(entries)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column but the details as wide as its widest text, as resizeColumnsToContents makes it. That
        asks every cell of the first 1,000 rows for its size hint through Python (33-43 ms for 1,000 entries);
        here each distinct text is measured once (a column's actors, actions and cases are few), and only the
        widest one's cell is asked for its size hint, which adds the style's margins."""
        metrics, header, rows = self.fontMetrics(), self.horizontalHeader(), self.entries.rows
        grid = 1 if self.showGrid() else 0  # as QTableView::sizeHintForColumn adds it
        for column in range(AuditModel.DETAILS):
            first_row: dict[str, int] = {}
            for number, row in enumerate(rows):
                first_row.setdefault(row[column], number)
            widest = max(first_row, key=metrics.horizontalAdvance, default=None)
            cell = 0 if widest is None else self.sizeHintForIndex(self.entries.index(first_row[widest], column)).width()
            header.resizeSection(column, max(cell + grid, header.sectionSizeHint(column)))


def _cells(entry: AuditEntry) -> tuple[str, ...]:
    return (
        str(entry.seq),
        f"{entry.at:%Y-%m-%d %H:%M:%S}",
        entry.actor,
        _words(entry.action),
        _what(entry),
        "; ".join(f"{_words(key)}: {_value(key, value)}" for key, value in entry.details.items()),
    )


def _words(key: str) -> str:
    """An audit key as words: "report-exported" reads "Report exported"."""
    return key.replace("_", " ").replace("-", " ").capitalize()


def _what(entry: AuditEntry) -> str:
    if entry.case_reference:
        return f"Case {entry.case_reference}"
    if entry.entity_id in ("", entry.entity):  # the store itself, or the register as a whole
        return f"The {entry.entity}"
    return f"{_words(entry.entity)} {entry.entity_id}"


def _value(key: str, value: object) -> str:
    """A status moved from or to is named as the case list names it."""
    if key in ("from", "to") and isinstance(value, str) and value in STATUS_VALUES:
        return Status(value).label
    if key == "kind" and isinstance(value, str) and value in LETTER_KINDS:
        return LetterKind(value).label
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # the fields an edit changed: by name, not as Python prints a list
        return ", ".join(_value(key, item) for item in value) or "none"
    return str(value)


def ask_anchor_path(parent: QWidget) -> Path | None:
    """The native save dialog; tests replace this one function."""
    return ask_save(parent, "Export audit anchor", "audit-anchor.txt", "Text (*.txt)", "audit-anchor")


class AuditView(QWidget):
    """Every change and disclosure, newest first; Verify checks the store and the whole chain."""

    def __init__(self, desk: Desk, runner: Runner) -> None:
        super().__init__()
        self._desk = desk
        self._runner = runner
        self.summary = QLabel()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self._report: Report | None = None  # shown in self.result, coloured for the scheme of the moment
        when_scheme_changes(self.result, self._show_report)
        self.verify_button = QPushButton("Ver&ify store and audit chain")
        self.verify_button.clicked.connect(self.verify)
        self.anchor_button = QPushButton("Export &anchor…")
        self.anchor_button.setToolTip("Save the chain's head; verifying against it later shows any entry cut off")
        self.anchor_button.clicked.connect(self.export_anchor)
        self.table = named(AuditTable(), "Audit log")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.anchor_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        # Filled when shown (MainWindow._page_shown), not at start.
        self._counting = 0  # the count asked last: an earlier one arriving late is not shown

    @Slot()
    def refresh(self) -> None:
        entries = self._desk.audit.latest(SHOWN)
        self.table.show_entries(entries)
        self._counting += 1
        if len(entries) < SHOWN:  # every entry is shown
            self._show_count(self._counting, len(entries))
            return
        # Counting 1.77 M entries reads the whole log: 173 ms cold, 1.2 s on a busy laptop, on the window's
        # thread. The newest are shown at once and the count follows.
        self.summary.setText(f"The newest {SHOWN:,} entries shown; counting them all…")
        asked = self._counting
        self._runner.start(
            Task("audit count", lambda task: self._desk.audit_entries()),
            Listener(done=lambda total: self._show_count(asked, total), failed=raise_here),
        )

    def _show_count(self, asked: int, total: int) -> None:
        if asked == self._counting:
            self.summary.setText(count_text(total))

    def clear(self) -> None:
        self.table.show_entries(())
        self._report = None
        self.result.clear()

    @Slot()
    def verify(self) -> None:
        """On a worker thread, behind a progress dialog: a large audit takes half a minute to check."""

        def check(task: Task[Report]) -> Report:
            with self._desk.worker() as worker:
                return worker.verify()

        self._report = wait_for(self._runner, Task("verify", check), "Verifying the store and its audit chain…", self)
        self._show_report()
        self.refresh()

    def _show_report(self) -> None:
        report = self._report
        if report is None:
            return
        colour = colours().success if report.ok else colours().error
        heading = "All checks passed." if report.ok else "Problems found:"
        self.result.setText(f"<span style='color:{colour}'><b>{heading}</b></span> " + " · ".join(report.lines()))

    @Slot()
    def export_anchor(self) -> None:
        target = ask_anchor_path(self)
        if target is None:
            return
        anchor = self._desk.audit.head()
        target.write_text(anchor.text() + "\n", encoding="utf-8")
        self._report = None
        self.result.setText(f"Anchor {anchor.seq} written to {target}. Keep it somewhere else than this laptop.")
