"""Files DPO Desk writes (letters, backups) appear whole or not at all, even after a crash or power cut."""

from __future__ import annotations

import os
import time
from pathlib import Path


def partial_path(target: Path) -> Path:
    """Where ``target`` is written first: hidden, so a crash never leaves a half file that looks finished."""
    return target.with_name(f".{target.name}.part")


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
        and path.name.endswith(".part")
        and path.is_file()
        and not path.is_symlink()
        and path.stat().st_mtime < cutoff
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def make_private(path: Path) -> None:
    """Owner read and write only (0600); Windows keeps its own access lists, inherited from the folder."""
    if os.name == "posix":
        path.chmod(0o600)
