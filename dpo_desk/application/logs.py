"""The log: what the app and the command line did and what went wrong, for whoever supports the DPO.

It follows the audit log's rule: no personal data. DPO Desk's own messages name actions, ids and error
types only; an exception is written as its type and where it was raised, never with its message, which may
quote what a subject wrote. Uncaught exceptions (in any thread) and hard crashes (``faulthandler``) land
here too, so a windowed build, which has no terminal, loses no traceback.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from dpo_desk import paths

LOG_FILE = "dpo-desk.log"
CRASH_FILE = "crashes.log"  # faulthandler writes here when the interpreter itself dies
MAX_BYTES = 1024 * 1024
KEPT_FILES = 3
_installed: dict[str, Any] = {}


class WithoutMessages(logging.Formatter):
    """Formats an exception as its type and its frames: the message stays out of the log."""

    def formatException(self, ei: Any) -> str:
        return describe(ei[1])


def describe(error: BaseException | None) -> str:
    """An exception, its causes and where each was raised, without their messages."""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts.append(f"{type(error).__module__}.{type(error).__qualname__} (message not logged)")
        parts.append("".join(traceback.format_list(traceback.extract_tb(error.__traceback__))).rstrip())
        error = error.__cause__ or error.__context__
    return "\n".join(part for part in parts if part)


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """Log files readable by their owner only, like every file DPO Desk writes."""

    def _open(self) -> Any:
        stream = super()._open()
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return stream


def start(component: str, folder: Path | None = None) -> Path | None:
    """Log to the user's log folder from now on; returns the log file, or None when the folder cannot be
    written (DPO Desk works on without a log). Calling it again (a test's own folder) moves the log there."""
    folder = folder or paths.log_dir()
    target = folder / LOG_FILE
    logger = logging.getLogger("dpo_desk")
    previous = _installed.pop("handler", None)
    _installed.pop("file", None)
    if previous is not None:
        logger.removeHandler(previous)
        previous.close()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _PrivateFileHandler(target, maxBytes=MAX_BYTES, backupCount=KEPT_FILES, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(WithoutMessages(f"%(asctime)s %(levelname)s {component} %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _installed["handler"] = handler
    _installed["file"] = target
    _catch_uncaught(folder)
    return target


def log_file() -> Path | None:
    """Where the log is being written, once :func:`start` ran; None when it could not be."""
    file: Path | None = _installed.get("file")
    return file


def where() -> str:
    """The log's place in words, for a message to the DPO."""
    file = log_file()
    return f"the log, {file}" if file is not None else f"no log (its folder, {paths.log_dir()}, cannot be written)"


def log_uncaught(kind: type[BaseException], error: BaseException, where: TracebackType | None) -> None:
    """What ``sys.excepthook`` does from :func:`start` on, before handing the exception on."""
    logging.getLogger("dpo_desk").critical("uncaught exception", exc_info=(kind, error, where))


def _catch_uncaught(folder: Path) -> None:
    if _installed.get("hooks"):
        return
    _installed["hooks"] = True
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def uncaught(kind: type[BaseException], error: BaseException, where: TracebackType | None) -> None:
        log_uncaught(kind, error, where)
        if sys.stderr is not None:  # a windowed build has no stderr; the log has it all
            previous_hook(kind, error, where)

    def uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
        thread = args.thread.name if args.thread else "?"
        logging.getLogger("dpo_desk").critical("uncaught exception in thread %s", thread, exc_info=args.exc_value)
        if sys.stderr is not None:
            previous_thread_hook(args)

    sys.excepthook = uncaught
    threading.excepthook = uncaught_in_thread
    if not faulthandler.is_enabled():  # a test runner or debugger that owns it keeps it
        # The folder was just written to. Owner-only like the log, also when an older version made it 0644.
        crash_file = folder / CRASH_FILE
        crashes = os.fdopen(os.open(crash_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", encoding="utf-8")
        if os.name == "posix":
            os.chmod(crash_file, 0o600)
        _installed["crash file"] = crashes
        faulthandler.enable(file=crashes)
