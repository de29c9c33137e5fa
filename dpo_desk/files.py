"""Files DPO Desk writes (letters, backups) appear whole or not at all, even after a crash or power cut."""

from __future__ import annotations

import os
from pathlib import Path


def partial_path(target: Path) -> Path:
    """Where ``target`` is written first: hidden, so a crash never leaves a half file that looks finished."""
    return target.with_name(f".{target.name}.part")


def publish(partial: Path, target: Path) -> Path:
    """Make a written file durable under its final name: fsync it, rename it over, fsync the folder."""
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
