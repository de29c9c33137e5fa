"""The reports in the File menu: the yearly report (PDF or CSV), the deadlines calendar, the register of requests.

Each is written where the DPO chooses; a failure is one line. None holds a subject's name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Runner, Task
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.accessible import name_form_fields
from dpo_desk.gui.background import wait_for
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.gui.pdf import render
from dpo_desk.gui.rich_text import sentence


class YearlyReportDialog(QDialog):
    """Which year and entity; then where to save the PDF or CSV."""

    def __init__(self, desk: Desk, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Yearly report")
        self._desk = desk
        today = desk.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year - 1 if today.month < 4 else today.year)  # early in a year: the last one
        self.entity = QComboBox()
        self.entity.addItem("All entities", None)
        for entity in desk.register.entities():
            self.entity.addItem(entity.name, entity.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Year:", self.year)
        form.addRow("&Entity:", self.entity)
        form.addRow(buttons)
        name_form_fields(form)
        self.year.setFocus()

    def accept(self) -> None:
        report = self._desk.yearly_report(self.year.value(), self.entity.currentData())
        suggested = self._desk.path.parent / f"requests-{report.year}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the yearly report", str(suggested), "PDF (*.pdf);;CSV (*.csv)"
        )
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() not in (".pdf", ".csv"):
            target = target.with_suffix(".pdf")
        as_pdf = target.suffix.lower() == ".pdf"
        if as_pdf:
            load_shipped_fonts()
        if _written(self, lambda: self._desk.export_report(report, target, render if as_pdf else None)):
            super().accept()


def save_calendar(desk: Desk, runner: Runner, parent: QWidget) -> str:
    """'' when cancelled or refused, else what the status bar says."""
    return _save(desk, runner, parent, "Deadlines calendar", "dpo-desk-deadlines.ics", "iCalendar (*.ics)",
                 lambda worker, target: worker.export_calendar(target))  # fmt: skip


def save_register(desk: Desk, runner: Runner, parent: QWidget) -> str:
    return _save(desk, runner, parent, "Register of requests", "register-of-requests.csv", "CSV (*.csv)",
                 lambda worker, target: worker.export_register(target))  # fmt: skip


def _save(
    desk: Desk, runner: Runner, parent: QWidget, what: str, suggested: str, kinds: str,
    write: Callable[[Desk, Path], object],
) -> str:  # fmt: skip
    """Ask where, then write in a task: the calendar reads every open case's state (5.6 s for 1,527 of
    them, measured), which must not freeze the window."""
    name, _ = QFileDialog.getSaveFileName(
        parent, f"Save the {what[0].lower()}{what[1:]}", str(desk.path.parent / suggested), kinds
    )
    if not name:
        return ""

    def work(task: Task[object]) -> object:
        with desk.worker() as worker:
            return write(worker, Path(name))

    if not _written(parent, lambda: wait_for(runner, Task(what, work), f"Writing the {what.lower()}…", parent)):
        return ""
    return f"{what} written to {Path(name)}"


def _written(parent: QWidget, write: Any) -> bool:
    try:
        write()
    except DeskError as error:
        QMessageBox.warning(parent, "Not written", sentence(str(error)))
        return False
    return True
