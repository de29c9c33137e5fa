"""Store files as the app and the command line handle them: opened as a :class:`Desk`, made as a demo,
encrypted from before encryption at rest, restored from a backup into a new file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dpo_desk.application.desk import Clock, Desk
from dpo_desk.core.errors import DeskError
from dpo_desk.store.backup import BackupCheck, latest_backup, restore
from dpo_desk.store.encryption import encrypt_store, kept_copy_path, unencrypted_leftovers
from dpo_desk.store.opening import Unlocker, existing_key, open_store_file

# Where scripts (and the start probe) give the recovery passphrase when no keyring holds the key.
PASSPHRASE_VARIABLE = "DPO_DESK_PASSPHRASE"

# Fills a store just made (the demo's cases), given its desk.
Filler = Callable[[Desk], None]


def open_desk(
    path: Path,
    unlocker: Unlocker,
    *,
    actor: str,
    clock: Clock,
    create: bool = True,
    encrypt_old: bool = True,
    fill: Filler | None = None,
    read_only: bool = False,
) -> Desk | None:
    """The store at ``path`` as a desk: unlocked, created (and filled by ``fill``) or encrypted first when
    needed, recovered from a backup when damaged; None when the DPO gave up. Refusals raise a DeskError."""
    opened = open_store_file(
        path, unlocker, create=create, encrypt_old=encrypt_old, demo=fill is not None, now=clock(), read_only=read_only
    )
    if opened is None:
        return None
    desk = Desk(opened.db, path, opened.key, actor=actor, clock=clock)
    if opened.created and fill is not None:
        try:
            fill(desk)
        except BaseException:
            desk.close()
            raise
    return desk


def latest_backup_of(path: Path) -> Path | None:
    return latest_backup(path)


def restore_into(backup: Path, target: Path, unlocker: Unlocker) -> BackupCheck | None:
    """Check a backup, then copy it into a new store at ``target``; the open store is never touched."""
    if not backup.is_file():
        raise DeskError(f"{backup}: no backup there")
    key = existing_key(backup, unlocker)
    return None if key is None else restore(backup, key, target)


def kept_copy_name(path: Path) -> str:
    """What the plain copy of a store encrypted at start is called, until the DPO lets it go."""
    return kept_copy_path(path).name


@dataclass(frozen=True, slots=True)
class Encrypted:
    kept_copy: Path  # the plain copy, kept until the DPO confirms the encrypted store opens
    leftovers: list[Path]  # every plain file of the store's data still on disk


def encrypt_old_store(path: Path, passphrase: str) -> Encrypted:
    """Encrypt a store made before encryption at rest under a new recovery passphrase (and the keyring)."""
    encrypt_store(path, passphrase)
    return Encrypted(kept_copy_path(path), unencrypted_leftovers(path))
