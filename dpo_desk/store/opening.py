"""Opening a store file for a session, in one call: unlock it, create or encrypt it first when needed, refuse
or recover a damaged one, and remove the half-written files a crash left beside it.

What needs the person at the keyboard (a passphrase, whether to restore a backup) is asked through an
:class:`Unlocker`: the app asks in dialogs, the command line reads the environment or the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol, TypeVar

from sqlite_utils import Database

from dpo_desk import os_keyring
from dpo_desk.files import remove_stale_partials
from dpo_desk.store.backup import latest_backup, recover_from_backup
from dpo_desk.store.db import (
    BACKUP_DIR_NAME,
    DamagedStoreError,
    StoreError,
    is_unencrypted,
    is_unencrypted_store,
    open_store,
    open_store_read_only,
    refuse_unencrypted,
)
from dpo_desk.store.encryption import encrypt_store
from dpo_desk.store.keys import create_key, key_from_keyring, key_from_passphrase
from dpo_desk.store.letters import LETTERS_DIR

T = TypeVar("T")


class PassphraseFor(StrEnum):
    """Why a new recovery passphrase is asked for."""

    NEW_STORE = "new-store"
    DEMO_STORE = "demo-store"
    OLD_STORE = "old-store"  # a store from before encryption at rest, encrypted now


class Unlocker(Protocol):
    def choose_passphrase(self, store: Path, purpose: PassphraseFor) -> str | None:
        """A new recovery passphrase (the policy is checked when the key is made); None gives up."""
        ...

    def enter_passphrase(self, store: Path, reason: str, attempt: Callable[[str], bytes]) -> bytes | None:
        """The store's key, got by calling ``attempt`` with passphrases (it raises WrongPassphraseError on a
        wrong one) until one opens the store; None gives up. ``reason`` says why the keyring did not."""
        ...

    def restore_backup(self, store: Path, problem: str, backup: Path | None) -> bool:
        """Whether to replace the damaged store by ``backup`` (None: there is none); False gives up."""
        ...

    def restored(self, backup: Path, kept: Path) -> None:
        """The backup replaced the store; the damaged file is kept as ``kept``."""
        ...

    def slow(self, what: str, work: Callable[[], T]) -> T:
        """Do ``work``, which takes a second or more (a key derivation, encrypting a store): the app does it
        off its window's thread behind a progress dialog. ``what`` names it for the DPO."""
        ...


@dataclass(frozen=True, slots=True)
class OpenedStore:
    db: Database
    key: bytes
    created: bool  # the store was made by this call (the demo fills it)


def open_store_file(
    path: Path,
    unlocker: Unlocker,
    *,
    create: bool,
    encrypt_old: bool,
    demo: bool,
    now: datetime,
    read_only: bool = False,
) -> OpenedStore | None:
    """The store at ``path``, open and migrated; None when the DPO gave up. Refusals raise a DeskError.

    ``create``: a missing store is made (else refused); ``encrypt_old``: a store from before encryption is
    encrypted now (else refused); ``demo``: a store made now is the demo store (the passphrase asked says so);
    ``read_only``: for commands that only read, a connection that cannot change the store (a store that
    needs a migration is opened writable, and backed up before it is migrated).
    """
    created = not path.exists()
    if created and not create:
        raise StoreError(f"no store at {path}")
    if not encrypt_old and is_unencrypted(path):
        refuse_unencrypted(path)
    key = _unlock(path, unlocker, demo=demo)
    if key is None:
        return None
    remove_crash_leftovers(path)
    try:
        db = (open_store_read_only(path, key) if read_only and not created else None) or open_store(path, key)
    except DamagedStoreError as error:
        backup = latest_backup(path)
        if not unlocker.restore_backup(path, str(error), backup) or backup is None:
            return None
        unlocker.restored(backup, recover_from_backup(path, key, backup, now=now))
        db = open_store(path, key)
    return OpenedStore(db, key, created)


def keyring_reason() -> str:
    return (
        "The keyring does not hold this store's key (a new computer, or the keyring was reset)."
        if os_keyring.works()
        else "No keyring works on this computer, so the passphrase is asked at every start."
    )


def _unlock(path: Path, unlocker: Unlocker, *, demo: bool) -> bytes | None:
    """The store's key: from the keyring, else a passphrase; a new store, or one from before encryption,
    first gets a key under a passphrase the DPO chooses."""
    if not path.exists():
        new = unlocker.choose_passphrase(path, PassphraseFor.DEMO_STORE if demo else PassphraseFor.NEW_STORE)
        if new is None:
            return None
        return unlocker.slow("Making the store's key…", lambda: create_key(path, new))
    if is_unencrypted_store(path):
        chosen = unlocker.choose_passphrase(path, PassphraseFor.OLD_STORE)
        if chosen is None:
            return None
        return unlocker.slow("Encrypting the store…", lambda: encrypt_store(path, chosen))
    return existing_key(path, unlocker)


def existing_key(path: Path, unlocker: Unlocker) -> bytes | None:
    """The key of an encrypted store or backup: from the keyring, else a passphrase; None gives up."""
    if is_unencrypted(path):
        refuse_unencrypted(path)
    key = key_from_keyring(path)
    if key is not None:
        return key
    return unlocker.enter_passphrase(path, keyring_reason(), lambda passphrase: key_from_passphrase(path, passphrase))


def remove_crash_leftovers(store_path: Path) -> list[Path]:
    """Half-written letters, backups and key files a crash left (hidden, so never mistaken for whole ones)."""
    folder = store_path.parent
    return [
        *remove_stale_partials(folder, f".{store_path.name}*.part"),
        *remove_stale_partials(folder / BACKUP_DIR_NAME, ".*.part"),
        *remove_stale_partials(folder / LETTERS_DIR, "*/.*.part"),
        *remove_stale_partials(folder / LETTERS_DIR, "*/.*.part.final"),
    ]
