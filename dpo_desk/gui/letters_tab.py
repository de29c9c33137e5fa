"""The Letters tab: choose a kind that fits the case, preview, generate, print, open, mark as sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QStandardItemModel
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.application.fields import Field, Kind
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.errors import DeskError, InputError
from dpo_desk.gui.accessible import named
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.modal import run_modal
from dpo_desk.gui.pdf import paint, render
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.secret_clipboard import copy_secret
from dpo_desk.gui.workflow_tabs import button_grid, data_table, fill_table, selectable
from dpo_desk.letters.availability import suggested_kind
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.page import Document
from dpo_desk.store.letters import GeneratedLetter, LetterRecord, PastDateError

SENT_CHANNEL = Field("channel", "&Channel", help="post, e-mail, handed over")
SENT_ON = Field("sent_on", "&Sent on", Kind.DATE, help="the day the letter actually went out; the letter bears it")


class PasswordDialog(QDialog):
    """Shows a letter's password once, with a copy button and the advice to send it by another channel."""

    def __init__(self, password: str, in_keyring: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password of the protected letter")
        self.password = named(QLineEdit(password), "Password")
        self.password.setReadOnly(True)
        self.password.setStyleSheet("font-family: monospace; font-size: 14pt;")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.clicked.connect(lambda: copy_secret(password))
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
        run_modal(cls(password, in_keyring, parent))


class LettersTab(QWidget):
    """Signals:
    changed(str): a letter was generated or marked here; what happened, in one line.
    print_allowed: Print was enabled or disabled, and says why in its tooltip.
    """

    changed = Signal(str)
    print_allowed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.state: CaseState | None = None
        self._records: list[LetterRecord] = []
        self._reasons: dict[LetterKind, str] = {}  # why each kind cannot be written now, for the case shown
        self._suggested_for: int | None = None  # the case the kind was last chosen for
        self.kind = named(QComboBox(), "Letter kind")
        for kind in LetterKind:
            self.kind.addItem(kind.label, kind.value)
        self.language = named(QComboBox(), "Letter language")  # filled when a case is first shown: see _fill_languages
        self.case_language_button = QPushButton("&Use for the case")
        self.summary = selectable(QLabel())
        self.table = data_table(
            "Letters of the case", ["Letter", "Language", "Dated", "Created", "By", "Protected", "Sent"]
        )
        self.preview_button = QPushButton("&Preview…")
        self.generate_button = QPushButton("&Generate")
        self.print_button = QPushButton("P&rint…")
        self.open_button = QPushButton("&Open")
        self.sent_button = QPushButton("Mar&k sent…")
        self.password_button = QPushButton("Show pass&word…")
        buttons = button_grid(
            (
                (self.preview_button, self.preview),
                (self.generate_button, self.generate),
                (self.print_button, self.print_letter),
                (self.open_button, self.open_letter),
                (self.sent_button, self.mark_sent),
                (self.password_button, self.show_password),
            )
        )
        layout = QVBoxLayout(self)
        kind_row = QHBoxLayout()
        kind_label = QLabel("&Letter:")
        kind_label.setBuddy(self.kind)
        kind_row.addWidget(kind_label)
        kind_row.addWidget(self.kind, 1)
        layout.addLayout(kind_row)
        language_row = QHBoxLayout()  # a row of its own: beside the kind, it widened the case pane past a laptop's
        language_label = QLabel("L&anguage:")
        language_label.setBuddy(self.language)
        language_row.addWidget(language_label)
        language_row.addWidget(self.language, 1)
        language_row.addWidget(self.case_language_button)
        layout.addLayout(language_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.case_language_button.clicked.connect(self.use_language_for_case)
        self.table.itemSelectionChanged.connect(self._letter_chosen)
        self.forget()

    @property
    def case_id(self) -> int | None:
        return self.state.case.id if self.state is not None else None

    def show_state(self, state: CaseState) -> None:
        # Kept across forget(): a case shown again after the lock keeps the letter the DPO chose for it.
        another_case = state.case.id != self._suggested_for
        self._suggested_for = state.case.id
        self.state = state
        self._fill_languages()
        model = self.kind.model()
        assert isinstance(model, QStandardItemModel)
        self._reasons = self._desk.letters.available(state)
        for row, (kind, reason) in enumerate(self._reasons.items()):
            item = model.item(row)
            item.setEnabled(not reason)
            item.setToolTip(sentence(reason) if reason else kind.heading)
        self.language.blockSignals(True)  # a case shown starts on its own language
        self.language.setCurrentIndex(self.language.findData(self._desk.letters.language_of(state.case)))
        self.language.blockSignals(False)
        self._records = self._desk.letters.letters(state.case.id)
        fill_table(
            self.table,
            [
                (
                    f"{r.kind.label} to {r.recipient}" if r.recipient else r.kind.label,
                    r.lang,
                    f"{r.dated_on:%Y-%m-%d}",
                    f"{r.created_at.astimezone():%Y-%m-%d %H:%M}",
                    r.created_by,
                    "yes" if r.protected else "",
                    f"{r.sent_at.astimezone():%Y-%m-%d} by {r.sent_channel}" if r.sent_at else "",
                )
                for r in self._records
            ],
        )
        if another_case:  # a case shown opens on the letter it calls for; the DPO's choice stays after
            suggested = suggested_kind(state, self._reasons, {r.kind for r in self._records})
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(self.kind.findData(suggested.value))
            self.kind.blockSignals(False)
        self._kind_changed()

    def _fill_languages(self) -> None:
        """The languages' names come from Babel's locale data: read when a case is first shown (by then read
        aside, see application/preload.py), not while the window is built."""
        if self.language.count():
            return
        self.language.blockSignals(True)
        for code, name in self._desk.letter_languages().items():
            self.language.addItem(name, code)
        self.language.blockSignals(False)

    def forget(self) -> None:
        self.state = None
        self._records, self._reasons = [], {}
        self.summary.clear()
        self.table.setRowCount(0)
        self._kind_changed()

    def _selected_kind(self) -> LetterKind:
        return LetterKind(self.kind.currentData())

    def _selected_language(self) -> str:
        return str(self.language.currentData())

    @Slot()
    def _language_changed(self) -> None:
        self._kind_changed()

    def _show_case_language(self) -> None:
        """The case's own language, and whether the one chosen here is another (for this letter only)."""
        assert self.state is not None
        own = self._desk.letters.language_of(self.state.case)
        names = self._desk.letter_languages()
        chosen = self._selected_language()
        self.case_language_button.setEnabled(chosen != own)
        self.case_language_button.setToolTip(
            f"The case's letters are written in {names[own]}"
            if chosen == own
            else f"Write this case's letters in {names[chosen]} from now on (now {names[own]}); the history records it"
        )
        self.language.setToolTip(
            f"The case's language: {names[own]}"
            if chosen == own
            else f"This letter only: {names[chosen]} (the case's language is {names[own]})"
        )

    @Slot()
    def use_language_for_case(self) -> None:
        if self.state is None:
            return
        try:
            self._desk.set_letter_language(self.state.case.id, self._selected_language())
        except DeskError as error:
            QMessageBox.warning(self, "Not changed", sentence(str(error)))
            return
        self.changed.emit(f"Letters of the case in {self._desk.letter_language_name(self._selected_language())}")

    @Slot()
    def _kind_changed(self) -> None:
        if self.case_id is None:
            for button in self.findChildren(QPushButton):
                button.setEnabled(False)
                button.setToolTip("Select a case first")
            self.print_allowed.emit()
            return
        reason = self._reasons[self._selected_kind()]
        self.summary.setText(f"<b>{self._selected_kind().heading}</b>" + (f" — not now: {reason}" if reason else ""))
        self._show_case_language()
        for button in (self.preview_button, self.generate_button, self.print_button):
            button.setEnabled(not reason)
            button.setToolTip(sentence(reason))
        if not reason:
            self.print_button.setToolTip(
                f"Write the {self._selected_kind().label.lower()} into the case's letters, and print it"
            )
        self.print_allowed.emit()
        self._letter_chosen()

    @Slot()
    def _letter_chosen(self) -> None:
        """Open, Mark sent and Show password act on the selected letter, else the newest: say which."""
        record = self._selected_record()
        if self.case_id is None:
            return
        about = f"The {record.kind.label.lower()} of {record.created_at.astimezone():%Y-%m-%d %H:%M}" if record else ""
        for button in (self.open_button, self.sent_button, self.password_button):
            button.setEnabled(record is not None)
            button.setToolTip(about or "Generate a letter first")
        if record is not None and record.sent_at is not None:
            self.sent_button.setEnabled(False)
            self.sent_button.setToolTip(
                f"{about} was marked sent by {record.sent_channel} on {record.sent_at.astimezone():%Y-%m-%d}"
            )
        if record is not None and not record.protected:
            self.password_button.setEnabled(False)
            self.password_button.setToolTip(f"{about} has no password: it is not protected")

    def _addressed_and_dated(self) -> tuple[str | None, date] | None:
        """To whom the selected kind goes (a recipient notice) and the date it bears: today, or the day it was
        actually sent where today it would promise a passed date. None when the DPO cancels or it cannot be."""
        assert self.case_id is not None
        kind = self._selected_kind()
        recipient = self._ask_recipient() if kind is LetterKind.RECIPIENT_NOTICE else None
        if kind is LetterKind.RECIPIENT_NOTICE and recipient is None:
            return None
        sent_on = None
        while True:
            try:
                return recipient, self._desk.letters.check_date(self.case_id, kind, sent_on, today=self._desk.today())
            except PastDateError as error:
                sent_on = self._ask_sent_on(str(error))
                if sent_on is None:
                    return None
            except DeskError as error:
                QMessageBox.warning(self, "Not written", sentence(str(error)))
                return None

    def _document(self) -> Document | None:
        """The selected kind as it would be written now, for a preview or the printer."""
        assert self.case_id is not None
        chosen = self._addressed_and_dated()
        if chosen is None:
            return None
        recipient, dated = chosen
        return self._desk.letters.document(
            self.case_id, self._selected_kind(), dated=dated, recipient=recipient, lang=self._selected_language()
        )

    def _ask_recipient(self) -> str | None:
        """Which recipient an Art. 19 notice goes to: one of those whose notice can be written."""
        assert self.case_id is not None
        possible = [key for key, reason in self._desk.letters.notice_recipients(self.case_id).items() if not reason]
        names = {n.processor_key: n.service for n in self.state.notices} if self.state else {}
        field = Field("recipient", "&Recipient", Kind.CHOICE, options=[(key, names.get(key, key)) for key in possible])
        values = FieldsDialog.ask("Recipient notice", [field], self._desk.form(self.state), _nothing, self)
        return str(values["recipient"]) if values else None

    @Slot()
    def preview(self) -> None:
        document = self._document()
        if document is None:
            return
        dialog = QPrintPreviewDialog(self)
        dialog.paintRequested.connect(lambda printer: paint(document, printer))
        # A preview is not the letter: printing goes through Print, which writes it into the register.
        for action in dialog.findChildren(QAction):
            if action.text() == QCoreApplication.translate("QPrintPreviewDialog", "Print"):
                action.setVisible(False)
        run_modal(dialog)

    @Slot()
    def print_letter(self) -> None:
        """Write the letter into the case's register, then print that very document: a letter on paper is
        one the Letters list shows (printing only laid it out again, and nothing recorded it)."""
        if self.case_id is None:
            return
        chosen = self._addressed_and_dated()
        if chosen is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if not run_modal(QPrintDialog(printer, self)):
            return
        written: list[Document] = []

        def keep(document: Document) -> bytes:
            written.append(document)
            return render(document)

        made = self._write(keep, *chosen)
        if made is None:
            return
        paint(written[0], printer)
        self._desk.mark_letter_printed(made.record.id)
        self.changed.emit(f"{self._selected_kind().label} written and printed")

    @Slot()
    def generate(self) -> None:
        if self.case_id is None:
            return
        chosen = self._addressed_and_dated()
        if chosen is None:
            return
        made = self._write(render, *chosen)
        if made is None:
            return
        if made.password is not None:
            PasswordDialog.show_password(made.password, made.in_keyring, self)
        self.changed.emit(f"{self._selected_kind().label} written")

    def _write(
        self, renderer: Callable[[Document], bytes], recipient: str | None, dated: date
    ) -> GeneratedLetter | None:
        assert self.case_id is not None
        try:
            return self._desk.write_letter(
                self.case_id, self._selected_kind(), renderer, dated=dated, recipient=recipient,
                lang=self._selected_language(),
            )  # fmt: skip
        except DeskError as error:
            QMessageBox.warning(self, "Not written", sentence(str(error)))
            return None

    def _ask_sent_on(self, problem: str) -> date | None:
        """A letter that would promise a passed date: the day it was actually sent, or cancel."""
        values = FieldsDialog.ask(
            "Letter date",
            [SENT_ON],
            self._desk.form(self.state),
            _nothing,
            self,
            ok_text="Write",
            note=sentence(problem),
        )
        return values["sent_on"] if values else None

    def _selected_record(self) -> LetterRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self._records[rows[0].row()]
        return self._records[-1] if self._records else None

    @Slot()
    def open_letter(self) -> None:
        record = self._selected_record()
        if record is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(record.file)))

    @Slot()
    def mark_sent(self) -> None:
        record = self._selected_record()
        if record is None:
            return
        values = FieldsDialog.ask("Letter sent", [SENT_CHANNEL], self._desk.form(), _channel_given, self)
        if values is None:
            return
        try:
            self._desk.mark_letter_sent(record.id, values["channel"])
        except DeskError as error:
            QMessageBox.warning(self, "Not recorded", sentence(str(error)))
            return
        self.changed.emit("letter marked as sent")

    @Slot()
    def show_password(self) -> None:
        record = self._selected_record()
        if record is None or not record.protected:
            return
        password = self._desk.letters.password(record.id)
        if password is None:
            QMessageBox.warning(self, "No password kept", "The keyring holds no password for this letter.")
            return
        PasswordDialog.show_password(password, True, self)


def _nothing(values: dict[str, object]) -> None:
    """The fields' own checks are enough; the letter store checks the rest when it writes."""


def _channel_given(values: dict[str, object]) -> None:
    if not str(values.get("channel", "")).strip():
        raise InputError("channel: say how the letter went out")
