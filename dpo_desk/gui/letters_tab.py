"""The Letters tab: choose a kind that fits the case, preview, generate, print, open, mark as sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QStandardItemModel, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.core.models import Case
from dpo_desk.gui.fields_dialog import Field, FieldsDialog
from dpo_desk.gui.pdf import load_shipped_fonts, render
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.workflow_tabs import WorkflowTab, data_table, fill_table
from dpo_desk.letters.compose import compose
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.letters import GeneratedLetter, LetterStore, letter_file_name

LETTERS_DIR = "letters"


def letters_folder(store_path: Path, case: Case) -> Path:
    """Beside the store, one folder per case reference: names come from ids, never from subject input."""
    return store_path.parent / LETTERS_DIR / case.reference


class PasswordDialog(QDialog):
    """Shows a letter's password once, with a copy button and the advice to send it by another channel."""

    def __init__(self, password: str, in_keyring: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password of the protected letter")
        self.password = QLineEdit(password)
        self.password.setReadOnly(True)
        self.password.setStyleSheet("font-family: monospace; font-size: 14pt;")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        advice = QLabel(
            "Send this password to the subject by another channel than the letter (for example by phone or "
            "text message), never in the same e-mail."
            + (
                ""
                if in_keyring
                else "\n\nNo keyring works on this computer: the password is not kept. "
                "Record it now; it cannot be shown again."
            )
        )
        advice.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.password)
        layout.addWidget(self.copy_button)
        layout.addWidget(advice)
        layout.addWidget(buttons)

    @classmethod
    def show_password(cls, password: str, in_keyring: bool, parent: QWidget | None = None) -> None:
        cls(password, in_keyring, parent).exec()


class LettersTab(WorkflowTab):
    def __init__(
        self,
        letters: LetterStore,
        store_path: Path,
        actor: str,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, now, parent)
        self._letters = letters
        self._store_path = store_path
        self.kind = QComboBox()
        for kind in LetterKind:
            self.kind.addItem(kind.value.replace("-", " ").capitalize(), kind.value)
        self.table = data_table(["Letter", "Created", "By", "Protected", "Sent"])
        self.layout_.insertWidget(0, self.kind)
        self.layout_.addWidget(self.table, 1)
        self.preview_button = self._button("Pre&view…", self.preview)
        self.generate_button = self._button("&Generate", self.generate)
        self.print_button = self._button("P&rint…", self.print_letter)
        self.open_button = self._button("&Open", self.open_letter)
        self.sent_button = self._button("Mark &sent…", self.mark_sent)
        self.password_button = self._button("Show pass&word…", self.show_password)
        self._finish()
        self.kind.currentIndexChanged.connect(self._kind_changed)

    def show_case(self, case: Case) -> None:
        self.case = case
        model = self.kind.model()
        assert isinstance(model, QStandardItemModel)
        for row, (kind, reason) in enumerate(self._letters.available(case.id).items()):
            item = model.item(row)
            item.setEnabled(not reason)
            item.setToolTip(sentence(reason) if reason else kind.heading)
        records = self._letters.letters(case.id)
        self._records = records
        fill_table(
            self.table,
            [
                (
                    r.kind.value,
                    f"{r.created_at.astimezone():%Y-%m-%d %H:%M}",
                    r.created_by,
                    "yes" if r.protected else "",
                    f"{r.sent_at.astimezone():%Y-%m-%d} by {r.sent_channel}" if r.sent_at else "",
                )
                for r in records
            ],
        )
        self._kind_changed()

    def _selected_kind(self) -> LetterKind:
        return LetterKind(self.kind.currentData())

    @Slot()
    def _kind_changed(self) -> None:
        if self.case is None:
            return
        reason = self._letters.why_not(self.case.id, self._selected_kind())
        self.summary.setText(f"<b>{self._selected_kind().heading}</b>" + (f" — not now: {reason}" if reason else ""))
        for button in (self.preview_button, self.generate_button, self.print_button):
            button.setEnabled(not reason)
            button.setToolTip(sentence(reason))
        has_letters = bool(self._records)
        for button in (self.open_button, self.sent_button, self.password_button):
            button.setEnabled(has_letters)
            button.setToolTip("" if has_letters else "Generate a letter first")

    def _document(self) -> QTextDocument:
        assert self.case is not None
        load_shipped_fonts()
        context = self._letters.context(self.case.id, self._selected_kind(), today=self._today())
        document = QTextDocument()
        document.setHtml(compose(self._selected_kind(), context).html)
        return document

    @Slot()
    def preview(self) -> None:
        document = self._document()
        dialog = QPrintPreviewDialog(self)
        dialog.paintRequested.connect(document.print_)
        dialog.exec()

    @Slot()
    def print_letter(self) -> None:
        document = self._document()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            document.print_(printer)
            latest = self._latest(self._selected_kind())
            if latest is not None:
                self._letters.mark_printed(latest, actor=self._actor, now=self._now())

    def _latest(self, kind: LetterKind) -> int | None:
        found = [r.id for r in self._records if r.kind is kind]
        return found[-1] if found else None

    @Slot()
    def generate(self) -> None:
        assert self.case is not None
        case, kind = self.case, self._selected_kind()
        folder = letters_folder(self._store_path, case)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / letter_file_name(case, kind, len(self._letters.letters(case.id)) + 1)
        made = self._apply(
            lambda: self._letters.generate(case.id, kind, target, render, actor=self._actor, now=self._now())
        )
        if isinstance(made, GeneratedLetter) and made.password is not None:
            PasswordDialog.show_password(made.password, made.in_keyring, self)

    def _selected_record(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self._records[rows[0].row()].id
        return self._records[-1].id if self._records else None

    @Slot()
    def open_letter(self) -> None:
        letter_id = self._selected_record()
        if letter_id is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._letters.letter(letter_id).file)))

    @Slot()
    def mark_sent(self) -> None:
        letter_id = self._selected_record()
        if letter_id is None:
            return
        values = FieldsDialog.ask(
            "Letter sent", [Field("channel", "&Channel", hint="post, e-mail, handed over")], lambda v: None, self
        )
        if values is not None and values["channel"]:
            self._apply(
                lambda: self._letters.mark_sent(letter_id, values["channel"], actor=self._actor, now=self._now())
            )

    @Slot()
    def show_password(self) -> None:
        letter_id = self._selected_record()
        if letter_id is None:
            return
        if not self._letters.letter(letter_id).protected:
            QMessageBox.information(self, "Not protected", "This letter has no password.")
            return
        password = self._letters.password(letter_id)
        if password is None:
            QMessageBox.warning(self, "No password kept", "The keyring holds no password for this letter.")
            return
        PasswordDialog.show_password(password, True, self)
