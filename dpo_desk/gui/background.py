"""The Qt side of long work: tasks (``application/jobs.py``) run in Qt threads, and what they report comes
back on the window's thread through a queued signal. And waiting for one task behind a progress dialog."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from dpo_desk.application.jobs import Listener, Runner, Task, ThreadRunner

T = TypeVar("T")
WAIT_BEFORE_SHOWING_MS = 400  # quick work never flashes a dialog
SWITCH_SECONDS = 0.0002


def favour_the_window_thread() -> None:
    """Each call Qt makes into Python (a cell painted, an event) waits for the interpreter, which a worker
    thread running Python gives up only every switch interval. At Python's 5 ms, a screen of the case list took
    0.6-1.0 s to paint beside a busy thread, 11 ms alone; at 0.2 ms, 40-70 ms. Threads that do not contend
    for the interpreter switch no more often than before."""
    sys.setswitchinterval(SWITCH_SECONDS)


class _Postbox(QObject):
    """Lives on the window's thread; a callable posted from any thread runs there."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, call: Callable[[], None]) -> None:
        call()


class _Thread(QThread):
    def __init__(self, body: Callable[[], None], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._body = body

    def run(self) -> None:
        self._body()


class QtRunner(ThreadRunner):
    """Each task in a Qt thread of its own (Qt objects made in the work, such as a PDF writer, then have an
    event loop to belong to); its ending and progress are delivered on the window's thread."""

    def __init__(self) -> None:
        self._postbox = _Postbox()
        self._threads: set[_Thread] = set()
        self._quitting = False
        super().__init__(self._postbox.posted.emit, self._spawn_thread)

    def _spawn_thread(self, body: Callable[[], None], name: str) -> None:
        if self._quitting:
            # Asked for by a task's end delivered after the quit: its thread would outlive the app, which Qt
            # aborts ("QThread: Destroyed while thread 'reminder' is still running").
            return
        thread = _Thread(body, name)
        self._threads.add(thread)
        # finished is emitted on the ending thread: the set is changed on the window's thread only
        thread.finished.connect(lambda: self._postbox.posted.emit(lambda: self._threads.discard(thread)))
        thread.start()

    def wait_all(self, milliseconds: int) -> None:
        """At quit: let running tasks (a backup being written) end before the interpreter does; none starts
        after."""
        self._quitting = True
        for thread in list(self._threads):
            thread.wait(milliseconds)


def raise_here(error: Exception) -> None:
    """A task's failure, raised on the window's thread, where every unexpected error reaches the DPO."""
    raise error


def show_progress(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
    """A task's report on its dialog: n of N as a bar (a busy bar while the total is 0), and the words."""
    dialog.setMaximum(total)
    dialog.setValue(done)
    if text:
        dialog.setLabelText(text)


def wait_for(
    runner: Runner, task: Task[T], label: str, parent: QWidget | None = None, *, cancellable: bool = False
) -> T | None:
    """Run the task and wait for it behind a progress dialog (shown only if it takes a moment); its result,
    or None when cancelled. Its error is raised here."""
    dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(label.rstrip("…"))
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(WAIT_BEFORE_SHOWING_MS)
    # Qt shows the dialog after that time only once a value is set: work that reports no progress (a purge,
    # the due dates recomputed) ran without it, the window open to clicks, a second Purge among them.
    dialog.setValue(0)
    if cancellable:
        dialog.canceled.connect(task.cancel)
    else:  # closing the dialog (or the lock closing it) must not stop work that has to finish
        dialog.setCancelButton(None)
    loop = QEventLoop()
    ending: dict[str, Any] = {}

    def end(key: str, value: object) -> None:
        ending[key] = value
        loop.quit()

    runner.start(
        task,
        Listener(
            done=lambda result: end("result", result),
            failed=lambda error: end("error", error),
            progress=lambda done, total, text: show_progress(dialog, done, total, text),
            cancelled=lambda: end("cancelled", True),
        ),
    )
    if not ending:  # a synchronous runner has finished already
        loop.exec()
    dialog.reset()
    dialog.deleteLater()
    if "error" in ending:
        raise ending["error"]
    result: T | None = ending.get("result")
    return result
