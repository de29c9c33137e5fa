"""The full check of the store, run in the background once the window is up: reading every page takes
seconds on a large store, too long to make the DPO wait for at every start."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from dpo_desk.store.db import check_store


class StoreCheck(QObject):
    """Signals:
    damaged(str): the check found problems; what SQLite said.
    finished(): the check ended, damaged or not.
    """

    damaged = Signal(str)
    finished = Signal()

    def __init__(self, store_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store_path = store_path

    def start(self) -> None:
        threading.Thread(target=self._run, name="store-check", daemon=True).start()

    def _run(self) -> None:
        problems = check_store(self._store_path)
        if problems:
            self.damaged.emit("; ".join(problems))
        self.finished.emit()
