"""Files refused at import: listed with the reason, and saved out one at a time for inspection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.accessible import named
from dpo_desk.gui.file_places import ask_save


def ask_save_path(parent: QWidget, quarantine_id: int) -> Path | None:
    """The native save dialog; tests replace this one function. The name offered comes from the id."""
    return ask_save(parent, "Save the refused file", f"quarantined-{quarantine_id}.bin", "", "quarantined")


class QuarantineDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quarantined files")
        self.resize(760, 380)
        self._desk = desk
        self._items = desk.mail.quarantined()
        explain = QLabel(
            "Files that could not be read as e-mail. They are kept inside the encrypted store; saving one "
            "writes it out unencrypted, and the audit records it."
        )
        explain.setWordWrap(True)
        self.table = named(QTableWidget(len(self._items), 4), "Quarantined files")
        self.table.setHorizontalHeaderLabels(["When (UTC)", "File", "Size", "Why it was refused"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, item in enumerate(self._items):
            cells = (item.at.replace("T", " ").rstrip("Z"), item.file_name, f"{item.size:,} bytes", item.reason)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.save_button = QPushButton("&Save a copy…")
        self.save_button.clicked.connect(self.save_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.table if self._items else QLabel("No file has been refused."), 1)
        layout.addWidget(buttons)

    @Slot()
    def _selection_changed(self) -> None:
        chosen = bool(self.table.selectedItems())
        self.save_button.setEnabled(chosen)
        self.save_button.setToolTip(
            "" if chosen else "Select a file in the list first" if self._items else "No file is quarantined"
        )

    def save_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self._items[rows[0].row()]
        target = ask_save_path(self, item.id)
        if target is None:
            return
        try:
            self._desk.save_quarantined(item.id, target)
        except (DeskError, OSError) as error:
            QMessageBox.warning(self, "Not saved", str(error))
            return
        QMessageBox.information(self, "Saved", f"Written to {target}.")
