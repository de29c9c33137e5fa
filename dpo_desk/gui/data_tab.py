"""The Data tab: the subject's data imported into the case, its review, and the exports made of it.

Import file… reads a source system's export in a task (progress, Cancel), then shows every row with the
identifier that matched it; the DPO takes the rows they check, and only those enter the store. The access
copy and the portability bundle are written in tasks too, each through a hidden partial file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.application.subject_data import Preview, Taken
from dpo_desk.collection.read import DELIMITERS
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.accessible import name_form_fields, named
from dpo_desk.gui.background import show_progress
from dpo_desk.gui.file_places import ask_open
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.gui.letters_tab import PasswordDialog
from dpo_desk.gui.modal import run_modal
from dpo_desk.gui.pdf import render
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.workflow_tabs import button_grid, data_table, fill_table, selectable, titled_lists
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.letters import GeneratedLetter
from dpo_desk.store.records import PENDING, DataExport, StoredRecord

T = TypeVar("T")
SOURCE_FILES = "Source system exports (*.csv *.tsv *.json *.jsonl *.ndjson *.eml *.mbox);;All files (*)"
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "cp1250", "iso-8859-15", "iso-8859-2", "utf-16")
SHOWN_FIELDS = 4  # of a record, in a table cell


def record_text(fields: tuple[tuple[str, object], ...]) -> str:
    shown = "; ".join(f"{name}: {value}" for name, value in fields[:SHOWN_FIELDS])
    return shown + (f"; … {len(fields) - SHOWN_FIELDS} more" if len(fields) > SHOWN_FIELDS else "")


class ImportDialog(QDialog):
    """A file as read: what was detected, every row with how it matched, a source to tag it with. The rows
    checked are taken (matched ones are checked to begin with); the rest never enter the store."""

    def __init__(self, desk: Desk, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {preview.file.name}")
        self.preview = preview
        self.read_again: tuple[str, str] | None = None  # (encoding, delimiter) asked for instead
        read = preview.read
        self.detected = selectable(QLabel())
        self.detected.setText(
            f"<b>{read.detected()}</b>: {len(read.records):,} records; {preview.matched:,} matched the subject,"
            f" {preview.hinted} by name only (a hint), {preview.unmatched - preview.hinted} not at all."
        )
        self.encoding = QComboBox()
        self.encoding.setEditable(True)
        self.encoding.addItems(list(dict.fromkeys((read.encoding, *ENCODINGS))) if read.encoding else [])
        self.delimiter = QComboBox()
        for delimiter in DELIMITERS:
            self.delimiter.addItem("Tab" if delimiter == "\t" else delimiter, delimiter)
        if read.delimiter:
            self.delimiter.setCurrentIndex(DELIMITERS.index(read.delimiter))
        self.read_again_button = QPushButton("&Read again")
        self.read_again_button.clicked.connect(self._read_again)
        for widget in (self.encoding, self.delimiter, self.read_again_button):
            widget.setEnabled(read.format == "csv")
        self.source = QComboBox()
        self.source.setEditable(True)  # a name not in the register makes a custom source
        self._portable: dict[str, bool] = {}
        for source in desk.register.sources():
            self.source.addItem(source.name, source.key)
            self._portable[source.name] = source.portable
        self.source.setCurrentIndex(-1)  # no silent default: the DPO says where the file comes from
        line = self.source.lineEdit()
        if line is not None:
            line.setPlaceholderText("a register source, or a name for a new one")
        self.portable = QCheckBox("&Portable: data the subject provided, or observed (Art. 20)")
        self.source.currentTextChanged.connect(self._source_changed)
        self.rows = named(QTableWidget(len(read.records), 4), "Rows of the file", "Space ticks a row to take")
        self.rows.setHorizontalHeaderLabels(["Take", "Where", "Matched by", "Data"])
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._takes: list[QTableWidgetItem] = []
        for row, (record, found) in enumerate(zip(read.records, preview.matches, strict=True)):
            take = QTableWidgetItem()
            self._takes.append(take)
            take.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            take.setCheckState(Qt.CheckState.Checked if found.matched else Qt.CheckState.Unchecked)
            self.rows.setItem(row, 0, take)
            for column, text in enumerate((record.place, found.text() or "nothing", record_text(record.fields)), 1):
                self.rows.setItem(row, column, QTableWidgetItem(text))
            whole = "\n".join(f"{name}: {value}" for name, value in record.fields)
            self.rows.item(row, 3).setToolTip(whole)  # type: ignore[union-attr]
        self.rows.resizeColumnsToContents()
        self.rows.horizontalHeader().setStretchLastSection(True)
        matched_only = QPushButton("Check &matched only")
        matched_only.clicked.connect(lambda: self._check(lambda index: preview.matches[index].matched))
        none = QPushButton("Check &none")
        none.clicked.connect(lambda: self._check(lambda index: False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.take_button = self.buttons.addButton("&Take checked rows", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self._source_changed("")
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Detected", self.detected)
        reading = QHBoxLayout()
        reading.addWidget(self.encoding, 1)
        reading.addWidget(QLabel("Delimiter"))
        reading.addWidget(self.delimiter)
        reading.addWidget(self.read_again_button)
        encoding_label = QLabel("&Encoding")
        encoding_label.setBuddy(self.encoding)
        form.addRow(encoding_label, reading)
        form.addRow("&Source", self.source)
        form.addRow("", self.portable)
        name_form_fields(form)
        named(self.delimiter, "Delimiter")
        checks = QHBoxLayout()
        checks.addWidget(matched_only)
        checks.addWidget(none)
        checks.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rows, 1)
        layout.addLayout(checks)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self.source.setFocus()

    def _source_changed(self, name: str) -> None:
        # A register source says whether its data is portable; a custom one is not until the DPO says so.
        self.portable.setChecked(self._portable.get(name, False))
        given = bool(name.strip())
        self.take_button.setEnabled(given)
        self.take_button.setToolTip("" if given else "Say which source the file comes from first")

    def _check(self, wanted: Callable[[int], bool]) -> None:
        for row, take in enumerate(self._takes):
            take.setCheckState(Qt.CheckState.Checked if wanted(row) else Qt.CheckState.Unchecked)

    @Slot()
    def _read_again(self) -> None:
        self.read_again = (self.encoding.currentText().strip(), str(self.delimiter.currentData()))
        self.reject()

    def checked(self) -> list[int]:
        return [row for row, take in enumerate(self._takes) if take.checkState() == Qt.CheckState.Checked]


class DataTab(QWidget):
    """Signals:
    changed(str): data was imported, reviewed or exported here; what happened, in one line.
    """

    changed = Signal(str)

    def __init__(self, desk: Desk, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self.state: CaseState | None = None
        self._records: list[StoredRecord] = []
        self._exports: list[DataExport] = []
        self.progress: QProgressDialog | None = None
        self.task: Task[object] | None = None
        self.summary = selectable(QLabel())
        self.records = data_table("Records found", ["Source", "Where", "Matched by", "State", "Data"])
        self.records.setSelectionMode(QTableWidget.SelectionMode.ExtendedSelection)
        self.exports = data_table("Exports made", ["Export", "Made", "Records", "File"])
        self.import_button = QPushButton("I&mport file…")
        self.accept_button = QPushButton("Accep&t selected")
        self.drop_button = QPushButton("D&rop selected")
        self.access_button = QPushButton("Access cop&y…")
        self.bundle_button = QPushButton("Portability &bundle…")
        buttons = button_grid(
            (
                (self.import_button, self.import_file),
                (self.accept_button, self.accept_selected),
                (self.drop_button, self.drop_selected),
                (self.access_button, self.export_access),
                (self.bundle_button, self.export_bundle),
            )
        )
        lists = titled_lists(
            (
                ("<b>Records</b> (only the rows taken from each file are kept)", self.records, 3),
                ("<b>Exports made</b>", self.exports, 1),
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(lists, 1)
        layout.addLayout(buttons)
        self.records.itemSelectionChanged.connect(self._selection_changed)
        self.forget()

    @property
    def case_id(self) -> int | None:
        return self.state.case.id if self.state is not None else None

    def show_state(self, state: CaseState) -> None:
        self.state = state
        data = self._desk.data
        imports = {entry.id: entry for entry in data.store.imports(state.case.id)}
        self._records = data.store.records(state.case.id)
        self._exports = data.store.exports(state.case.id)
        fill_table(
            self.records,
            [
                (
                    imports[r.import_id].source.name,
                    f"{imports[r.import_id].file_name}, {r.place}",
                    r.matched_by or "taken by hand",
                    "waiting for review" if r.state == PENDING else "accepted",
                    record_text(r.fields),
                )
                for r in self._records
            ],
        )
        fill_table(
            self.exports,
            [
                (e.kind, f"{e.made_at.astimezone():%Y-%m-%d %H:%M} by {e.made_by}", str(e.records), str(e.file))
                for e in self._exports
            ],
        )
        waiting = sum(1 for r in self._records if r.state == PENDING)
        self.summary.setText(
            f"{len(imports):,} file(s) imported, {len(self._records) - waiting:,} record(s) accepted,"
            f" {waiting:,} waiting for review."
            if imports
            else "No data imported yet: import the files the source systems exported (CSV, JSON, e-mail)."
        )
        self.import_button.setEnabled(True)
        self.import_button.setToolTip("Read a file and take the subject's rows from it")
        for button, reason in (
            (self.access_button, data.why_no_access_copy(state.case.id, state=state)),
            (self.bundle_button, data.why_no_bundle(state.case.id, state=state)),
        ):
            button.setEnabled(not reason)
            button.setToolTip(sentence(reason) if reason else "")
        self._selection_changed()

    def forget(self) -> None:
        self.state = None
        self._records, self._exports = [], []
        self.summary.clear()
        self.records.setRowCount(0)
        self.exports.setRowCount(0)
        for button in self.findChildren(QPushButton):
            button.setEnabled(False)
            button.setToolTip("Select a case first")

    def _selected_pending(self) -> list[int]:
        rows = {index.row() for index in self.records.selectionModel().selectedRows()}
        return [self._records[row].id for row in sorted(rows) if self._records[row].state == PENDING]

    @Slot()
    def _selection_changed(self) -> None:
        if self.case_id is None:
            return
        pending = self._selected_pending()
        for button in (self.accept_button, self.drop_button):
            button.setEnabled(bool(pending))
            button.setToolTip("" if pending else "Select records waiting for review")

    # --- importing ---------------------------------------------------------------------------------

    @Slot()
    def import_file(self) -> None:
        if self.case_id is None:
            return
        chosen = ask_open(self, "Import a source system's export", SOURCE_FILES, "source-export")
        if chosen is not None:
            self.read(chosen)

    def read(self, file: Path, encoding: str | None = None, delimiter: str | None = None) -> None:
        """Read ``file`` in a task, then show it for the DPO to take rows from."""
        assert self.case_id is not None
        case_id = self.case_id

        def work(task: Task[Preview]) -> Preview:
            with self._desk.worker() as desk:
                return desk.data.preview(
                    case_id, file, encoding=encoding, delimiter=delimiter,
                    progress=lambda count: task.progress(0, 0, f"{count:,} records read…"),
                )  # fmt: skip

        self._run(f"Reading {file.name}…", Task("read source file", work), self._review_file)

    def _review_file(self, preview: Preview) -> None:
        dialog = ImportDialog(self._desk, preview, self)
        accepted = run_modal(dialog)
        if dialog.read_again is not None:
            self.read(preview.file, *dialog.read_again)
            return
        if accepted:
            self.take(preview, dialog.source.currentText(), dialog.portable.isChecked(), dialog.checked())

    def take(self, preview: Preview, source_name: str, portable: bool, checked: list[int]) -> None:
        """Keep the checked rows, accepted; nothing else of the file."""
        assert self.case_id is not None
        case_id = self.case_id
        ticked = set(checked)
        chosen = [index for index in ticked if not preview.matches[index].matched]
        skip = [index for index in range(len(preview.matches)) if index not in ticked]

        def work(task: Task[Taken]) -> Taken:
            task.progress(0, 0, f"Keeping {len(ticked):,} record(s)…")
            with self._desk.worker() as desk:
                source = desk.data.source(source_name, portable=portable)
                return desk.data.take(case_id, preview, source, accept_matched=True, chosen=chosen, skip=skip)

        self._run(
            "Keeping the records…",
            Task("take records", work),
            lambda taken: self.changed.emit(f"{taken.accepted:,} record(s) taken from {preview.file.name}"),
        )

    # --- review -----------------------------------------------------------------------------------

    @Slot()
    def accept_selected(self) -> None:
        self._review(accept=self._selected_pending(), drop=[])

    @Slot()
    def drop_selected(self) -> None:
        chosen = self._selected_pending()
        answer = QMessageBox.question(
            self,
            "Drop records",
            f"Drop {len(chosen):,} record(s)? They leave the store; the file they came from stays.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._review(accept=[], drop=chosen)

    def _review(self, *, accept: list[int], drop: list[int]) -> None:
        if self.case_id is None or not (accept or drop):
            return
        try:
            self._desk.data.review(self.case_id, accept=accept, drop=drop)
        except DeskError as error:
            QMessageBox.warning(self, "Not recorded", sentence(str(error)))
            return
        self.changed.emit(f"{len(accept):,} record(s) accepted, {len(drop):,} dropped")

    # --- exports ----------------------------------------------------------------------------------

    @Slot()
    def export_access(self) -> None:
        if self.state is None:
            return
        case = self.state.case
        suggested = self._desk.letters.next_file(case, LetterKind.ACCESS_RESPONSE)
        name, _ = QFileDialog.getSaveFileName(self, "Save the access copy", str(suggested), "PDF (*.pdf)")
        if not name:
            return
        target, case_id = Path(name), case.id
        load_shipped_fonts()  # on the window's thread, before the task lays anything out

        def work(task: Task[GeneratedLetter]) -> GeneratedLetter:
            with self._desk.worker() as desk:
                return desk.data.export_access(
                    case_id, target, lambda document: render(document, task.progress), task.progress
                )

        def done(made: GeneratedLetter) -> None:
            if made.password is not None:
                PasswordDialog.show_password(made.password, made.in_keyring, self)
            self.changed.emit(f"access copy written to {made.record.file}")

        self._run("Writing the access copy…", Task("access copy", work), done)

    @Slot()
    def export_bundle(self) -> None:
        if self.state is None:
            return
        case = self.state.case
        suggested = self._desk.path.parent / f"{case.reference}-portability.zip"
        name, _ = QFileDialog.getSaveFileName(self, "Save the portability bundle", str(suggested), "ZIP (*.zip)")
        if not name:
            return
        target, case_id = Path(name), case.id

        def work(task: Task[DataExport]) -> DataExport:
            with self._desk.worker() as desk:
                return desk.data.export_portability(case_id, target, task.progress)

        self._run(
            "Writing the portability bundle…",
            Task("portability bundle", work),
            lambda made: self.changed.emit(f"portability bundle written to {made.file}"),
        )

    def _warn(self, error: Exception) -> None:
        QMessageBox.warning(self, "Not done", sentence(str(error)))

    def _run(self, label: str, task: Task[T], done: Callable[[T], None]) -> None:
        """Run ``task`` with a progress dialog and Cancel; a failure is shown in one line."""
        progress = QProgressDialog(label, "Cancel", 0, 0, self)
        progress.setWindowTitle("Subject data")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(task.cancel)
        self.progress, self.task = progress, task  # type: ignore[assignment]

        def finished(then: Callable[[], None]) -> None:
            progress.reset()
            then()

        def failed(error: Exception) -> None:
            finished(lambda: self._warn(error))

        self._runner.start(
            task,
            Listener(
                done=lambda result: finished(lambda: done(result)),
                failed=failed,
                progress=lambda done, total, text: show_progress(progress, done, total, text),
                cancelled=lambda: finished(lambda: self.changed.emit("cancelled; nothing was kept")),
            ),
        )
