"""While the app is open: one backup a day beside the store, copied in a task (a second or more on a large
store), then audited and rotated on the window's thread; and SQLite's full check of the store after start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import KNOWN_FAILURES, Listener, Runner, Task
from dpo_desk.core.errors import DeskError


class DailyBackup(QObject):
    """Signals:
    written(str): today's backup was written; its file name.
    failed(str): it could not be written; why, in one line. The next try runs as usual.
    """

    written = Signal(str)
    failed = Signal(str)

    def __init__(self, desk: Desk, runner: Runner, parent: QWidget) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self.running = False

    def run_if_due(self) -> None:
        """Copy the store unless today's backup exists or one is being written."""
        if self.running:
            return
        try:
            target = self._desk.backups.daily_target(self._desk.today())
        except DeskError as refused:
            self.failed.emit(str(refused))
            return
        if target is None:
            return
        self.running = True
        task: Task[Path] = Task("daily backup", lambda task: self._desk.backups.copy_to(target))
        self._runner.start(task, Listener(done=self._written, failed=self._failed))

    def _written(self, made: Path) -> None:
        self.running = False
        self._desk.finish_daily_backup(made)
        self.written.emit(made.name)

    def _failed(self, error: Exception) -> None:
        self.running = False
        known = isinstance(error, KNOWN_FAILURES)
        self.failed.emit(str(error) if known else f"an unexpected {type(error).__name__} (the log has it)")


class StoreCheck(QObject):
    """SQLCipher's page check and SQLite's quick check, in a task on a read-only connection of its own.

    Signals:
    damaged(str): the check found problems; what SQLite said.
    """

    damaged = Signal(str)

    def __init__(self, desk: Desk, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner

    def start(self) -> None:
        task: Task[list[str]] = Task("store check", lambda task: self._desk.check_pages())
        # A check that could not run says nothing about the store: the runner logs it, nobody is told "damaged".
        self._runner.start(task, Listener(done=self._report, failed=lambda error: None))

    def _report(self, problems: list[str]) -> None:
        if problems:
            self.damaged.emit("; ".join(problems))
