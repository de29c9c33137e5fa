"""Store work that takes seconds on a large store runs in a worker thread, so the window never freezes:
the full check of the store after start, and the daily backup."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from dpo_desk.store.db import check_store


class Worker(QObject):
    """Runs ``work`` once in a thread of its own; the result or the error comes back as a signal, which Qt
    delivers on the thread the worker lives in (the GUI thread).

    Signals:
    finished(object): ``work`` returned this.
    failed(str): ``work`` raised an error of one of the ``expected`` types; its message.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        work: Callable[[], object],
        expected: tuple[type[Exception], ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._expected = expected

    def start(self) -> None:
        threading.Thread(target=self._run, name=type(self).__name__, daemon=True).start()

    def _run(self) -> None:
        try:
            result = self._work()
        except self._expected as error:
            self.failed.emit(str(error))
        else:
            self.finished.emit(result)


class StoreCheck(Worker):
    """SQLite's full check of the store on a read-only connection of its own.

    Signals:
    damaged(str): the check found problems; what SQLite said.
    """

    damaged = Signal(str)

    def __init__(self, store_path: Path, key: bytes, parent: QObject | None = None) -> None:
        super().__init__(lambda: check_store(store_path, key), parent=parent)
        self.finished.connect(self._report)

    @Slot(object)
    def _report(self, problems: list[str]) -> None:
        if problems:
            self.damaged.emit("; ".join(problems))
