"""File → Import e-mail (or an .eml/.msg dropped on the window): the mail is read in a task, then the new-case
dialog opens filled in from it; a file that is not mail is kept in the store's quarantine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.file_places import ask_open
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.gui.rich_text import sentence
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.parse import MailError, ParsedMail, read_mail

MAIL_SUFFIXES = (".eml", ".msg")


def ask_mail_path(parent: QWidget) -> Path | None:
    """The native open dialog; tests replace this one function."""
    return ask_open(parent, "Import e-mail", "E-mail (*.eml *.msg)", "mail")


def mail_paths(data: QMimeData) -> list[Path]:
    """The e-mail files among what is being dragged."""
    return [
        Path(url.toLocalFile())
        for url in data.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(MAIL_SUFFIXES)
    ]


class MailImport(QObject):
    """Signals:
    created(int): a case was created from a mail; its id.
    """

    created = Signal(int)

    def __init__(
        self, desk: Desk, runner: Runner, window: QWidget, when_unlocked: Callable[[Callable[[], None]], None]
    ) -> None:
        super().__init__(window)
        self._desk = desk
        self._runner = runner
        self._window = window
        self._when_unlocked = when_unlocked  # a mail read while the window locks is shown after the unlock
        self._waiting: list[Path] = []  # files dropped together, each imported after the one before
        self._busy = False
        self._imported = 0
        self._skipped: list[str] = []  # each skipped file, with why

    def choose(self) -> None:
        path = ask_mail_path(self._window)
        if path is not None:
            self.import_files([path])

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import each file in turn: its new-case dialog opens once the one before it is closed, and a dialog
        cancelled skips its file only. With several files, the end says how many were imported and skipped."""
        self._waiting.extend(paths)
        if not self._busy:
            self._next()

    def _next(self) -> None:
        if not self._waiting:
            self._busy = False
            if self._imported + len(self._skipped) > 1:
                self._report()
            self._imported, self._skipped = 0, []
            return
        self._busy = True
        path = self._waiting.pop(0)
        task: Task[ParsedMail] = Task("read mail", lambda task: read_mail(path))
        self._runner.start(
            task,
            Listener(
                done=lambda mail: self._when_unlocked(lambda: self._finish(path, lambda: self.review(mail))),
                failed=lambda error: self._when_unlocked(
                    lambda: self._finish(path, lambda: self._unreadable(path, error))
                ),
            ),
        )

    def _finish(self, path: Path, import_one: Callable[[], str]) -> None:
        """Count the file imported, or skipped with the reason ``import_one`` gives; then the next file."""
        skipped = "an unexpected error: the log has it"  # what stands if import_one raises
        try:
            skipped = import_one()
        finally:  # a bug in one file's import must not leave the files after it waiting for good
            if skipped:
                self._skipped.append(f"{path.name} ({skipped})")
            else:
                self._imported += 1
            self._next()

    def _report(self) -> None:
        total = self._imported + len(self._skipped)
        lines = [f"{self._imported} of {total} e-mails imported, {len(self._skipped)} skipped."]
        lines += [f"Skipped: {'; '.join(self._skipped)}."] if self._skipped else []
        QMessageBox.information(self._window, "E-mails imported", "\n".join(lines))

    def _unreadable(self, path: Path, error: Exception) -> str:
        if not isinstance(error, MailError):
            QMessageBox.warning(self._window, "E-mail not imported", sentence(str(error)))
            return "not imported"
        kept = self._desk.quarantine(path, str(error)) if path.is_file() else None
        note = "\n\nA copy is kept inside the store: File → Quarantined files…" if kept else ""
        QMessageBox.warning(self._window, "Not an e-mail DPO Desk can read", f"{error}{note}")
        return "not an e-mail DPO Desk can read"

    def review(self, mail: ParsedMail) -> str:
        """Let the DPO confirm the case the mail asks for; '' once it is created, else why it was not."""
        entities = self._desk.register.entities()
        answer = NewCaseDialog.ask_for_mail(
            entities,
            self._desk.now,
            self._desk.earlier_of,
            draft_from(mail, entities),
            self._desk.mail.same_sender(mail),
            self._desk.mail.duplicates(mail.message_id),
            self._window,
        )
        if answer is None:
            return "cancelled"
        new, linked = answer
        try:
            case_id, _ = self._desk.add_case_from_mail(new, mail, same_subject_as=linked)
        except DeskError as error:
            QMessageBox.warning(self._window, "Case not created", sentence(str(error)))
            return "case not created"
        self.created.emit(case_id)
        return ""
