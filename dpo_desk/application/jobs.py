"""Long work off the window's thread, in one way: a :class:`Task` run by a :class:`Runner`.

A task's work reports its progress through the task and stops at the next report once cancelled. The
runner calls exactly one of ``done``, ``failed`` or ``cancelled`` when it ends, whatever the work raised,
so the next task always runs. Every failure is logged (unexpected ones with their traceback, never with
their message, which may quote case data). The app runs tasks in threads and hears back on its own thread;
tests run them synchronously, so what they check is deterministic.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from dpo_desk.store.driver import sqlite

from dpo_desk.core.errors import DeskError

log = logging.getLogger(__name__)
T = TypeVar("T")
# What the world can do to a task (a full disk, a locked store, a refusal); anything else is a bug.
KNOWN_FAILURES = (DeskError, OSError, sqlite.OperationalError)


class CancelledError(Exception):
    """Raised inside the work at its next progress report once the task is cancelled."""


class Task(Generic[T]):
    def __init__(self, name: str, work: Callable[[Task[T]], T]) -> None:
        self.name = name  # for the log: what the task is, never what it works on
        self._work = work
        self._cancel = threading.Event()
        self._on_progress: Callable[[int, int, str], None] = lambda done, total, text: None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Called by the work: how far it is. Raises CancelledError once the task was cancelled."""
        if self.cancelled:
            raise CancelledError
        self._on_progress(done, total, text)
        if self.cancelled:  # cancelled while this very report was shown (at once, when run synchronously)
            raise CancelledError


@dataclass(frozen=True, slots=True)
class Listener(Generic[T]):
    """What the caller hears, on its own thread."""

    done: Callable[[T], None]
    failed: Callable[[Exception], None]
    progress: Callable[[int, int, str], None] | None = None
    cancelled: Callable[[], None] | None = None


class Runner(Protocol):
    def start(self, task: Task[T], listener: Listener[T]) -> None: ...


def execute(task: Task[T], listener: Listener[T], deliver: Callable[[Callable[[], None]], None]) -> None:
    """Run the task's work here and hand the one ending to ``deliver`` (which runs it on the caller's thread)."""
    if listener.progress is not None:
        report = listener.progress
        task._on_progress = lambda done, total, text: deliver(lambda: report(done, total, text))
    try:
        result = task._work(task)
    except CancelledError:
        log.info("task %s cancelled", task.name)
        deliver(listener.cancelled or (lambda: None))
    except Exception as error:  # every failure reaches the caller: a task never ends unheard
        if isinstance(error, KNOWN_FAILURES):
            log.warning("task %s failed: %s", task.name, type(error).__name__)
        else:
            log.error("task %s failed unexpectedly", task.name, exc_info=error)
        deliver(functools.partial(listener.failed, error))
    else:
        deliver(functools.partial(listener.done, result))


class SynchronousRunner:
    """Runs each task to its end before returning: for tests, and for work too small to need a thread."""

    def start(self, task: Task[T], listener: Listener[T]) -> None:
        execute(task, listener, lambda call: call())


class ThreadRunner:
    """Runs each task in a thread of its own. ``deliver`` must run a callable on the caller's thread (the
    app passes one that posts it to the window's event loop); ``spawn`` starts a thread (the app passes one
    that makes a Qt thread, so that Qt objects made in the work have an event loop to belong to)."""

    def __init__(
        self,
        deliver: Callable[[Callable[[], None]], None],
        spawn: Callable[[Callable[[], None], str], None] | None = None,
    ) -> None:
        self._deliver = deliver
        self._spawn = spawn or _python_thread

    def start(self, task: Task[T], listener: Listener[T]) -> None:
        self._spawn(lambda: execute(task, listener, self._deliver), task.name)


def _python_thread(body: Callable[[], None], name: str) -> None:
    threading.Thread(target=body, name=name, daemon=True).start()
