"""Encrypting a store made before encryption at rest, keeping the unencrypted copy until the DPO confirms.

Crash safety: the copy is published first, the key file next, and the encrypted store replaces the plain
one in a single rename. At every moment the store's path holds a whole store, plain or encrypted; an
interrupted run is simply run again.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.store import audit
from dpo_desk.store.db import (
    BACKUP_DIR_NAME,
    StoreError,
    copy_database,
    export_encrypted,
    is_unencrypted,
    is_unencrypted_store,
    open_read_only,
)
from dpo_desk.store.keys import KdfCost, create_key
from dpo_desk.store.transactions import write_transaction

KEPT_SUFFIX = ".before-encryption"
OLD_QUARANTINE_DIR = "quarantine"


def kept_copy_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + KEPT_SUFFIX)


def encrypt_store(store_path: Path, passphrase: str, *, cost: KdfCost | None = None) -> bytes:
    """Encrypt the plain store at ``store_path`` in place under a new key wrapped by ``passphrase`` (and the
    keyring); the plain copy stays as ``store.sqlite.before-encryption``. Returns the key."""
    if not is_unencrypted_store(store_path):
        raise StoreError(f"{store_path} is not an unencrypted DPO Desk store; nothing to encrypt")
    with contextlib.closing(open_read_only(store_path, None)) as plain:
        copy_database(plain, kept_copy_path(store_path), None)
    key = create_key(store_path, passphrase, cost=cost)
    export_encrypted(store_path, store_path, key)
    return key


def unencrypted_leftovers(store_path: Path) -> list[Path]:
    """Plain copies of the store's data that encryption left behind: the kept copy, the backups made
    before encryption, and refused import files that older versions kept in a folder beside the store
    (now they go inside it). They are deleted only when the DPO confirms (``forget_unencrypted``)."""
    candidates = [kept_copy_path(store_path)]
    backups = store_path.parent / BACKUP_DIR_NAME
    if backups.is_dir():
        candidates += sorted(backups.glob("*.sqlite"))
    plain = [path for path in candidates if path.is_file() and is_unencrypted(path)]
    old_quarantine = store_path.parent / OLD_QUARANTINE_DIR
    if old_quarantine.is_dir():
        plain += sorted(path for path in old_quarantine.iterdir() if path.is_file())
    return plain


def forget_unencrypted(store_path: Path) -> list[Path]:
    """Delete the plain leftovers once the encrypted store is known to open; the paths deleted.

    Deleting cannot promise the old blocks are gone from an SSD: full-disk encryption covers that."""
    leftovers = unencrypted_leftovers(store_path)
    for path in leftovers:
        for suffix in ("-wal", "-shm", ""):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    return leftovers


def record_passphrase_change(db: Database, *, actor: str, now: datetime) -> None:
    """The audit's word that the recovery passphrase changed (the passphrase itself is never recorded)."""
    with write_transaction(db):
        audit.record(
            db, actor=actor, action="passphrase-changed", entity="store", entity_id="store", details={}, now=now
        )
