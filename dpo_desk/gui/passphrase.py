"""Asking for the recovery passphrase: to unlock (with a growing wait after each wrong one), and to choose
a new one (checked against the policy, with the reason shown when refused)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk import APP_NAME
from dpo_desk.core.errors import DeskError
from dpo_desk.core.passphrase import MIN_LENGTH, check_passphrase, unlock_delay
from dpo_desk.gui.wait_cursor import wait_cursor
from dpo_desk.store.keys import WrongPassphraseError, key_from_passphrase


def passphrase_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setMinimumWidth(320)
    return field


class PassphraseEntry(QWidget):
    """A passphrase field with an Unlock button; after each refusal the field waits 1, 2, 4 … seconds.

    Signals:
    submitted(str): the DPO pressed Unlock (or Enter) with this passphrase.
    """

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = 0
        self._seconds_left = 0
        self._reason = ""
        self.field = passphrase_field("Recovery passphrase")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.field.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)

    @property
    def waiting(self) -> bool:
        return self._seconds_left > 0

    @Slot()
    def _submit(self) -> None:
        if self.waiting:
            return
        passphrase = self.field.text()
        self.field.clear()  # the text leaves the widget at once; Python cannot wipe the string itself
        self.submitted.emit(passphrase)

    def refuse(self, reason: str) -> None:
        """Say why, and make the next try wait (1 s after the first failure, doubling up to a minute)."""
        self.failures += 1
        self._reason = reason
        self._seconds_left = unlock_delay(self.failures)
        self._show_wait()
        self._countdown.start()

    def reset(self) -> None:
        self.failures = 0
        self._seconds_left = 0
        self._countdown.stop()
        self.message.clear()
        self._set_enabled(True)

    @Slot()
    def _tick(self) -> None:
        self._seconds_left -= 1
        self._show_wait()

    def _show_wait(self) -> None:
        if self._seconds_left > 0:
            self.message.setText(f"{self._reason}. Try again in {self._seconds_left} s.")
            self._set_enabled(False)
            return
        self._countdown.stop()
        self.message.setText(f"{self._reason}.")
        self._set_enabled(True)
        self.field.setFocus()

    def _set_enabled(self, enabled: bool) -> None:
        self.field.setEnabled(enabled)
        self.unlock_button.setEnabled(enabled)


class UnlockDialog(QDialog):
    """At start, when no keyring holds the store's key: the passphrase opens the store (and puts the key
    back into the keyring, where one works)."""

    def __init__(self, store_path: Path, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Unlock {APP_NAME}")
        self.key: bytes | None = None
        self._store_path = store_path
        explain = QLabel(f"{reason}\n\nType the store's recovery passphrase to open\n{store_path}")
        explain.setWordWrap(True)
        self.entry = PassphraseEntry()
        self.entry.submitted.connect(self._try)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.entry)
        layout.addWidget(buttons)

    @Slot(str)
    def _try(self, passphrase: str) -> None:
        try:
            with wait_cursor():
                self.key = key_from_passphrase(self._store_path, passphrase)
        except WrongPassphraseError:
            self.entry.refuse("Wrong passphrase")
            return
        self.accept()

    @classmethod
    def ask(cls, store_path: Path, reason: str) -> bytes | None:
        dialog = cls(store_path, reason)
        return dialog.key if dialog.exec() == QDialog.DialogCode.Accepted else None


class NewPassphraseDialog(QDialog):
    """Choosing the recovery passphrase: typed twice, at least 15 characters, not a common one; no rules
    about digits or symbols. With ``check_current``, the current passphrase is asked first."""

    def __init__(
        self,
        title: str,
        explanation: str,
        check_current: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.passphrase = ""
        self._check_current = check_current
        explain = QLabel(explanation)
        explain.setWordWrap(True)
        explain.setMinimumWidth(460)
        self.current = passphrase_field("The passphrase in use now")
        self.first = passphrase_field(f"At least {MIN_LENGTH} characters: a few words of your own")
        self.second = passphrase_field("The same again")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        if check_current is not None:
            form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.first)
        form.addRow("&Repeat:", self.second)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    @Slot()
    def _check(self) -> None:
        chosen = self.first.text()
        try:
            if self._check_current is not None:
                self._check_current(self.current.text())
            check_passphrase(chosen)
        except DeskError as error:
            self.message.setText(str(error))
            return
        if chosen != self.second.text():
            self.message.setText("The two new passphrases differ.")
            return
        self.passphrase = chosen
        for field in (self.current, self.first, self.second):
            field.clear()
        self.accept()

    @classmethod
    def ask(
        cls,
        title: str,
        explanation: str,
        check_current: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> str | None:
        dialog = cls(title, explanation, check_current, parent)
        return dialog.passphrase if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_explanation(keyring_available: bool) -> str:
    """Why a passphrase is asked for, true to this computer: with a keyring or without one."""
    where = (
        "The key is kept in this computer's keyring, which opens the store by itself while you are logged "
        "in; it is also locked with a recovery passphrase that you choose now."
        if keyring_available
        else "No keyring works on this computer, so the key is locked with a passphrase that you choose now "
        "and that DPO Desk asks for at every start."
    )
    return (
        f"DPO Desk encrypts its store. {where}\n\n"
        "The passphrase opens the store on a new laptop, after a keyring reset, or where no keyring works. "
        "Nobody can recover it for you: keep it where your company keeps such secrets."
    )
