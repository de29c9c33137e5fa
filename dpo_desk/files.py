"""Files DPO Desk writes (letters, backups) appear whole or not at all, even after a crash or power cut."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from dpo_desk.core.errors import InputError

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has no symlinks to follow by accident here


# ".part.final": where earlier versions encrypted a letter, beside its plain partial on disk.
PARTIAL_ENDINGS = (".part", ".part.final")


def partial_path(target: Path) -> Path:
    """Where ``target`` is written first: hidden, so a crash never leaves a half file that looks finished."""
    return target.with_name(f".{target.name}.part")


def new_file_target(target: Path, what: str) -> Path:
    """``target`` as an absolute path where a new file may go: never over a file (a register's SHA-256 would
    no longer match it), and only into a folder that exists. ``what`` names the file in the refusal."""
    target = target.absolute()
    if target.exists():
        raise InputError(f"{target} already exists; {what} never overwrites a file, choose a new name")
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: no such folder; create it, or choose another for {what}")
    return target


def create_private(path: Path) -> None:
    """An empty file readable by its owner only from its first moment (0600, whatever the umask), never
    through a symlink left at its name; for writers that open the file themselves, such as SQLite."""
    path.unlink(missing_ok=True)  # a leftover of a crash: its content is replaced anyway
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600))


def write_private(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` whole or not at all, readable by its owner only from the first byte:
    the bytes go to a hidden partial created 0600, which takes the name only once it is durable."""
    partial = partial_path(target)
    create_private(partial)
    with partial.open("r+b") as handle:
        handle.write(data)
    return publish(partial, target)


def publish(partial: Path, target: Path) -> Path:
    """Make a written file durable under its final name: fsync it, rename it over, fsync the folder.
    Readable by its owner only: every file DPO Desk writes holds personal data or a wrapped key."""
    make_private(partial)
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    partial.replace(target)
    if os.name == "posix":  # Windows cannot open a folder for fsync; its rename is journaled by NTFS
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return target


def remove_stale_partials(folder: Path, pattern: str, *, older_than_seconds: float = 3600) -> list[Path]:
    """Delete the half-written files a crash left in ``folder`` (hidden ``.name.part`` files matching
    ``pattern``, a glob); the young ones stay, since another DPO Desk may be writing them right now.
    Returns what went."""
    cutoff = time.time() - older_than_seconds
    stale = [
        path
        for path in folder.glob(pattern)
        if path.name.startswith(".")
        and path.name.endswith(PARTIAL_ENDINGS)
        and path.is_file()
        and not path.is_symlink()
        and path.stat().st_mtime < cutoff
    ]
    gone = []
    for path in stale:
        with contextlib.suppress(OSError):  # a read-only medium keeps them: nothing is lost by that
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def on_read_only_medium(path: Path) -> bool:
    """Whether the folder of ``path`` is on a file system mounted read-only (a CD, a locked USB stick, a
    read-only share); False where the system cannot say."""
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def make_private(path: Path) -> None:
    """Owner read and write only (0600); Windows keeps its own access lists, inherited from the folder."""
    if os.name == "posix":
        path.chmod(0o600)
