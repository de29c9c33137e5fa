"""Asking for the recovery passphrase: to unlock (with a growing wait after each wrong one), and to choose
a new one (checked against the policy, with the reason shown when refused). A passphrase is checked by a
key derivation that takes about a second, so it runs as a task, off the window's thread."""

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
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk import APP_NAME, os_keyring
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.errors import DeskError
from dpo_desk.core.passphrase import MIN_LENGTH, check_passphrase, unlock_delay
from dpo_desk.gui.accessible import name_form_fields, named
from dpo_desk.gui.background import wait_for
from dpo_desk.gui.modal import run_modal
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.scheme import colours, recolour
from dpo_desk.store.keys import WrongPassphraseError


def passphrase_field(placeholder: str) -> QLineEdit:
    field = named(QLineEdit(), placeholder)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setMinimumWidth(320)
    return field


class PassphraseEntry(QWidget):
    """A passphrase field with an Unlock button; after each refusal the next try waits 1, 2, 4 … seconds.

    While it waits, the field keeps the focus (so Enter never lands on another button) and Unlock is off.

    Signals:
    submitted(str): the DPO pressed Unlock (or Enter) with this passphrase.
    """

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = 0
        self._seconds_left = 0
        self._reason = ""
        self._checking = False
        self.field = passphrase_field("Recovery passphrase")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.message = QLabel()
        recolour(self.message, lambda: self.message.setStyleSheet(f"color: {colours().error};"))
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
        self.setFocusProxy(self.field)

    @property
    def waiting(self) -> bool:
        return self._seconds_left > 0 or self._checking

    @Slot()
    def _submit(self) -> None:
        if self.waiting:
            return
        passphrase = self.field.text()
        self.field.clear()  # the text leaves the widget at once; Python cannot wipe the string itself
        self.submitted.emit(passphrase)

    def checking(self) -> None:
        """The passphrase typed is being checked (about a second)."""
        self._checking = True
        self.message.setText("Checking the passphrase…")
        self.unlock_button.setEnabled(False)

    def refuse(self, reason: str) -> None:
        """Say why, and make the next try wait (1 s after the first failure, doubling up to a minute)."""
        self._checking = False
        self.failures += 1
        self._reason = reason
        self._seconds_left = unlock_delay(self.failures)
        self._show_wait()
        self._countdown.start()

    def reset(self) -> None:
        self.failures = 0
        self._seconds_left = 0
        self._checking = False
        self._countdown.stop()
        self.message.clear()
        self.unlock_button.setEnabled(True)

    @Slot()
    def _tick(self) -> None:
        self._seconds_left -= 1
        self._show_wait()

    def _show_wait(self) -> None:
        if self._seconds_left > 0:
            self.message.setText(f"{self._reason}. Try again in {self._seconds_left} s.")
            self.unlock_button.setEnabled(False)
            return
        self._countdown.stop()
        self.message.setText(f"{self._reason}.")
        self.unlock_button.setEnabled(True)
        self.field.setFocus()


def check_passphrase_task(
    runner: Runner, entry: PassphraseEntry, attempt: Callable[[], bool], on_opened: Callable[[], None]
) -> None:
    """Check a passphrase off the window's thread: ``attempt`` returns whether it opens this store (False:
    another store's) or raises WrongPassphraseError; ``on_opened`` runs when it does; else the entry refuses."""

    def checked(opens: bool) -> None:
        if opens:
            entry.reset()
            on_opened()
        else:
            entry.refuse("That passphrase belongs to another store")

    def failed(error: Exception) -> None:
        if isinstance(error, WrongPassphraseError):
            entry.refuse("Wrong passphrase")
        elif isinstance(error, DeskError | OSError):  # the key file gone or damaged since the store was opened
            entry.refuse(sentence(str(error).split(": ")[0]))
        else:
            entry.refuse("The passphrase could not be checked (see the log)")

    entry.checking()
    runner.start(Task("check passphrase", lambda task: attempt()), Listener(done=checked, failed=failed))


class UnlockDialog(QDialog):
    """At start, when no keyring holds the store's key: the passphrase opens the store (and puts the key
    back into the keyring, where one works). A wrong one keeps the dialog open; only Cancel gives up."""

    def __init__(
        self,
        store_path: Path,
        reason: str,
        attempt: Callable[[str], bytes],
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Unlock {APP_NAME}")
        self.key: bytes | None = None
        self._attempt = attempt
        self._runner = runner
        explain = QLabel(f"{reason}\n\nType the store's recovery passphrase to open\n{store_path}")
        explain.setWordWrap(True)
        self.entry = PassphraseEntry()
        self.entry.submitted.connect(self._try)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)  # Enter in the field tries the passphrase; it never cancels
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.entry)
        layout.addWidget(buttons)
        self.entry.setFocus()

    @Slot(str)
    def _try(self, passphrase: str) -> None:
        def attempt() -> bool:
            self.key = self._attempt(passphrase)
            return True

        check_passphrase_task(self._runner, self.entry, attempt, self.accept)

    @classmethod
    def ask(cls, store_path: Path, reason: str, attempt: Callable[[str], bytes], runner: Runner) -> bytes | None:
        dialog = cls(store_path, reason, attempt, runner)
        return dialog.key if run_modal(dialog) else None


class NewPassphraseDialog(QDialog):
    """Choosing the recovery passphrase: typed twice, at least 15 characters, not a common one; no rules
    about digits or symbols. With ``ask_current``, the passphrase in use is asked first (its check, a key
    derivation, is the caller's: it runs as a task)."""

    def __init__(
        self, title: str, explanation: str, *, ask_current: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.passphrase = ""
        self.current_passphrase = ""
        self._ask_current = ask_current
        explain = QLabel(explanation)
        explain.setWordWrap(True)
        explain.setMinimumWidth(460)
        self.current = passphrase_field("The passphrase in use now")
        self.first = passphrase_field(f"At least {MIN_LENGTH} characters: a few words of your own")
        self.second = passphrase_field("The same again")
        self.message = QLabel()
        recolour(self.message, lambda: self.message.setStyleSheet(f"color: {colours().error};"))
        self.message.setWordWrap(True)
        form = QFormLayout()
        if ask_current:
            form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.first)
        form.addRow("&Repeat:", self.second)
        name_form_fields(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for field in (self.current, self.first, self.second):
            field.textChanged.connect(self._show_problem)
        self._show_problem()

    def problem(self) -> str:
        """What stands in the way of OK, naming the field by its label; empty when nothing does."""
        chosen = self.first.text()
        if self._ask_current and not self.current.text():
            return "Current passphrase: type the passphrase in use now"
        try:
            check_passphrase(chosen)
        except DeskError as error:
            return "New passphrase: " + str(error).removeprefix("passphrase: ")
        if chosen != self.second.text():
            return "Repeat: type the new passphrase again" if not self.second.text() else "Repeat: the two differ"
        return ""

    @Slot()
    def _show_problem(self) -> None:
        """As the DPO types; nothing is said of a field not yet reached, and OK waits for all of them."""
        problem = self.problem()
        typed = any(field.text() for field in (self.current, self.first, self.second))
        self.message.setText(problem if typed else "")
        self.ok.setEnabled(not problem)
        self.ok.setToolTip(problem)

    @Slot()
    def _check(self) -> None:
        if self.problem():
            return
        chosen = self.first.text()
        self.passphrase, self.current_passphrase = chosen, self.current.text()
        for field in (self.current, self.first, self.second):
            field.clear()
        self.accept()

    @classmethod
    def ask(cls, title: str, explanation: str, parent: QWidget | None = None) -> str | None:
        dialog = cls(title, explanation, parent=parent)
        return dialog.passphrase if run_modal(dialog) else None

    @classmethod
    def ask_change(cls, title: str, explanation: str, parent: QWidget | None = None) -> tuple[str, str] | None:
        """The passphrase in use and the new one."""
        dialog = cls(title, explanation, ask_current=True, parent=parent)
        if not run_modal(dialog):
            return None
        return dialog.current_passphrase, dialog.passphrase


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


def change_explanation(keyring_available: bool) -> str:
    """What a new passphrase changes, true to this computer: the keyring opens old backups only where one works."""
    also = " (this computer's keyring opens them as well)" if keyring_available else ""
    return (
        "The store's key stays the same; only the passphrase that unlocks it changes. Backups made "
        f"before keep the old passphrase{also}."
    )


def change_recovery_passphrase(desk: Desk, runner: Runner, parent: QWidget) -> bool:
    """Edit → Change recovery passphrase: the current one, then the new one; the same key, rewrapped."""
    answer = NewPassphraseDialog.ask_change(
        "Change the recovery passphrase", change_explanation(os_keyring.works()), parent
    )
    if answer is None:
        return False
    current, new = answer
    task: Task[None] = Task("change passphrase", lambda task: desk.rewrap_key(new, current=current))
    try:
        wait_for(runner, task, "Changing the recovery passphrase…", parent)
    except WrongPassphraseError:
        QMessageBox.warning(parent, "Passphrase not changed", "The current passphrase is wrong; nothing changed.")
        return False
    except (DeskError, OSError) as error:
        QMessageBox.critical(parent, "Passphrase not changed", sentence(str(error)))
        return False
    desk.record_passphrase_change()
    return True
