"""The Attachments tab: the files a case holds (its mail's, and those the DPO attached by hand), opened with
the desktop's program or saved out, each time audited; and Attach file… to add one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from dpo_desk.application.actions import may_attach
from dpo_desk.application.attachments import disk_name
from dpo_desk.application.desk import Desk
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.file_places import ask_open, ask_save
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.workflow_tabs import button_grid, data_table, fill_table, selectable
from dpo_desk.store.attachments import StoredAttachment

SELECT_FIRST = "Select an attachment first"


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def open_with_desktop(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class AttachmentsTab(QWidget):
    """Signals:
    changed(str): an attachment was added, opened or saved out here; what happened, in one line.
    """

    changed = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.state: CaseState | None = None
        self._attachments: list[StoredAttachment] = []
        self.summary = selectable(QLabel())
        self.table = data_table("Attachments of the case", ["Name", "Type", "Size", "Added", "From"])
        # Open and Save as have no mnemonic: every letter of theirs is taken on the case view already.
        self.open_button = QPushButton("&Open…")
        self.save_button = QPushButton("Save &as…")
        self.attach_button = QPushButton("A&ttach file…")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(
            button_grid(
                (
                    (self.open_button, self.open_selected),
                    (self.save_button, self.save_selected),
                    (self.attach_button, self.attach_file),
                )
            )
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda item: self.open_selected())
        self.forget()

    def show_state(self, state: CaseState) -> None:
        self.state = state
        self._attachments = self._desk.attachments(state.case.id)
        zone = state.case.received_local.tzinfo
        fill_table(
            self.table,
            [
                (
                    a.name,
                    a.content_type,
                    size_text(a.size),
                    f"{a.added_at.astimezone(zone):%Y-%m-%d %H:%M %Z}",  # the entity's time, as receipt is
                    "attached by hand" if a.by_hand else "the e-mail",
                )
                for a in self._attachments
            ],
        )
        count = len(self._attachments)
        self.summary.setText(
            f"{count:,} attachment{'' if count == 1 else 's'}, kept inside the encrypted store. Opening one or "
            "saving it out is recorded in the case's history."
            if self._attachments
            else "No attachments. The attachments of an imported e-mail come with it; Attach file… adds a scan or "
            "a letter by hand."
        )
        reason = may_attach(state)
        self.attach_button.setEnabled(reason is None)
        self.attach_button.setToolTip(sentence(reason) if reason else "Keep a file with the case, inside the store")
        self._selection_changed()

    def forget(self) -> None:
        self.state = None
        self._attachments = []
        self.summary.clear()
        self.table.setRowCount(0)
        for button in (self.open_button, self.save_button, self.attach_button):
            button.setEnabled(False)
            button.setToolTip("Select a case first")

    def selected(self) -> StoredAttachment | None:
        rows = self.table.selectionModel().selectedRows()
        return self._attachments[rows[0].row()] if rows else None

    @Slot()
    def _selection_changed(self) -> None:
        if self.state is None:
            return
        chosen = self.selected() is not None
        for button, tip in (
            (self.open_button, "Open a copy with this computer's program for its type"),
            (self.save_button, "Save a copy where you choose"),
        ):
            button.setEnabled(chosen)
            button.setToolTip(tip if chosen else SELECT_FIRST)

    @Slot()
    def open_selected(self) -> None:
        attachment = self.selected()
        if attachment is None:
            return
        try:
            self._desk.open_attachment(attachment.case_id, attachment.id, open_with_desktop)
        except DeskError as error:
            QMessageBox.warning(self, "Not opened", sentence(str(error)))
            return
        self.changed.emit(f"opened {attachment.name}")

    @Slot()
    def save_selected(self) -> None:
        attachment = self.selected()
        if attachment is None:
            return
        chosen = ask_save(
            self, "Save the attachment", disk_name(attachment.name, f"attachment-{attachment.id}"), "", "attachment-out"
        )
        if chosen is None:
            return
        try:
            written = self._desk.save_attachment(attachment.case_id, attachment.id, chosen)
        except DeskError as error:
            QMessageBox.warning(self, "Not saved", sentence(str(error)))
            return
        self.changed.emit(f"saved {attachment.name} as {written}")

    @Slot()
    def attach_file(self) -> None:
        if self.state is None or may_attach(self.state) is not None:
            return
        chosen = ask_open(self, "Attach a file to the case", "", "attachment-in")
        if chosen is None:
            return
        try:
            added = self._desk.attach_file(self.state.case.id, chosen)
        except DeskError as error:
            QMessageBox.warning(self, "Not attached", sentence(str(error)))
            return
        self.changed.emit(f"attached {added.name}")
