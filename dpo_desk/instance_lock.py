"""One app window per store: a second DPO Desk on the same store would keep its own stale view, lock
screen and daily backup. The lock is an OS file lock (gone with the process, even after kill -9) on a
file beside the store that says where the holder runs."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from dpo_desk.core.errors import RefusedError


@dataclass
class InstanceLock:
    handle: IO[str]

    def release(self) -> None:
        self.handle.close()  # closing drops the OS lock


def lock_path(store: Path) -> Path:
    return store.with_name(f".{store.name}.lock")


def hold(store: Path) -> InstanceLock:
    """The store's lock for this process, or a refusal that says where the app already has it open."""
    path = lock_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115  # held open for the life of the lock
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    if not _try_lock(handle):
        handle.seek(0)
        holder = _holder(handle.read())
        handle.close()
        raise RefusedError(f"{store} is open in DPO Desk already ({holder}); switch to that window")
    handle.seek(0)
    handle.truncate()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": started}))
    handle.flush()
    return InstanceLock(handle)


def _try_lock(handle: IO[str]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _holder(text: str) -> str:
    try:
        found = json.loads(text)
        return f"process {int(found['pid'])} on {found['host']}, since {found['since']}"
    except (ValueError, KeyError, TypeError):
        return "by another process"
