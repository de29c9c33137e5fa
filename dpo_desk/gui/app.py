"""Starting the app: QApplication, unlocking the store, the main window. The composition root of the GUI."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlite_utils import Database

from dpo_desk import APP_NAME, ORG_NAME, os_keyring
from dpo_desk.core.errors import DeskError
from dpo_desk.files import remove_stale_partials
from dpo_desk.gui.background import StoreCheck
from dpo_desk.gui.letters_tab import LETTERS_DIR
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.passphrase import NewPassphraseDialog, UnlockDialog, choose_explanation
from dpo_desk.gui.wait_cursor import wait_cursor
from dpo_desk.store.backup import latest_backup, recover_from_backup
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import BACKUP_DIR_NAME, DamagedStoreError, is_unencrypted_store, open_store
from dpo_desk.store.encryption import encrypt_store, forget_unencrypted, kept_copy_path, unencrypted_leftovers
from dpo_desk.store.keys import create_key, key_from_keyring

# Fills a new store with demo cases (the CLI's --demo); None for the DPO's real store.
DemoMaker = Callable[[Path, bytes], None]


def now() -> datetime:
    return datetime.now(UTC)


def run(store_path: Path, *, actor: str, make_demo: DemoMaker | None = None) -> int:
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("dpo-desk")
    key = unlock(store_path, make_demo)
    if key is None:
        return 2
    remove_crash_leftovers(store_path)
    while True:  # once more after the background check found damage and a backup was restored
        db = open_or_recover(store_path, key)
        if db is None:
            return 2
        chosen_backup: list[Path] = []
        try:
            window = MainWindow(CaseRepository(db), store_path, actor, now, QSettings(), key)
            window.show()
            check = StoreCheck(store_path, key, window)
            check.damaged.connect(functools.partial(_damaged_while_open, window, store_path, chosen_backup))
            check.start()
            QTimer.singleShot(0, functools.partial(offer_to_forget_unencrypted, store_path, window))
            # A backup beside the store once a day (the newest seven kept): soon after start, then checked
            # hourly so a window left open over midnight still makes the next day's copy.
            QTimer.singleShot(1000, window.daily_backup)
            hourly = QTimer(window)
            hourly.timeout.connect(window.daily_backup)
            hourly.start(60 * 60 * 1000)
            code = app.exec()
        finally:
            db.close()
        if not chosen_backup:
            return code
        if not restore_damaged(store_path, key, chosen_backup[0]):
            return 2


def remove_crash_leftovers(store_path: Path) -> list[Path]:
    """Half-written letters, backups and key files a crash left (hidden, so never mistaken for whole ones)."""
    folder = store_path.parent
    return [
        *remove_stale_partials(folder, f".{store_path.name}*.part"),
        *remove_stale_partials(folder / BACKUP_DIR_NAME, ".*.part"),
        *remove_stale_partials(folder / LETTERS_DIR, "*/.*.part"),
    ]


def unlock(store_path: Path, make_demo: DemoMaker | None) -> bytes | None:
    """The store's key: from the keyring, else the passphrase typed. A new store (or one from before
    encryption) first gets a key under a passphrase the DPO chooses. None when the DPO gives up."""
    try:
        if not store_path.exists():
            return _create(store_path, make_demo)
        if is_unencrypted_store(store_path):
            return _encrypt(store_path)
        key = key_from_keyring(store_path)
    except (DeskError, OSError) as error:
        QMessageBox.critical(None, f"{APP_NAME} cannot open the store", str(error))
        return None
    if key is not None:
        return key
    reason = (
        "The keyring does not hold this store's key (a new computer, or the keyring was reset)."
        if os_keyring.works()
        else "No keyring works on this computer, so the passphrase is asked at every start."
    )
    return UnlockDialog.ask(store_path, reason)


def _create(store_path: Path, make_demo: DemoMaker | None) -> bytes | None:
    title = "Choose the demo store's recovery passphrase" if make_demo else "Choose a recovery passphrase"
    explanation = choose_explanation(os_keyring.works())
    if make_demo:
        explanation = (
            f"This is the demo store, with fictitious cases; it is encrypted like a real one.\n\n{explanation}"
        )
    passphrase = NewPassphraseDialog.ask(title, explanation)
    if passphrase is None:
        return None
    with wait_cursor():  # the key derivation, and the demo cases (a few seconds)
        key = create_key(store_path, passphrase)
        if make_demo is not None:
            make_demo(store_path, key)
    return key


def _encrypt(store_path: Path) -> bytes | None:
    passphrase = NewPassphraseDialog.ask(
        "Encrypt the store",
        f"{store_path} was made before DPO Desk encrypted its stores. Choose a recovery passphrase to "
        f"encrypt it now. An unencrypted copy is kept as {kept_copy_path(store_path).name} until you confirm "
        f"that the encrypted store works.\n\n{choose_explanation(os_keyring.works())}",
    )
    if passphrase is None:
        return None
    with wait_cursor():  # seconds on a large store
        return encrypt_store(store_path, passphrase)


def offer_to_forget_unencrypted(store_path: Path, parent: QWidget) -> None:
    """Once the encrypted store is open and shown, the plain copies left by encryption can go."""
    leftovers = unencrypted_leftovers(store_path)
    if not leftovers:
        return
    answer = QMessageBox.question(
        parent,
        "Delete the unencrypted copies?",
        "The encrypted store opened. These unencrypted copies of it are still on disk:\n\n"
        + "\n".join(f"• {path}" for path in leftovers)
        + "\n\nDelete them now? (Choose No to keep them for now; you will be asked again at the next start.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer == QMessageBox.StandardButton.Yes:
        forget_unencrypted(store_path)


def open_or_recover(store_path: Path, key: bytes) -> Database | None:
    """Open the store; when it is damaged, offer the latest backup, keeping the damaged file aside."""
    try:
        return open_store(store_path, key)
    except DamagedStoreError as error:
        backup = ask_restore(store_path, str(error), None)
        if backup is None or not restore_damaged(store_path, key, backup):
            return None
        return open_store(store_path, key)
    except DeskError as error:
        QMessageBox.critical(None, f"{APP_NAME} cannot open the store", str(error))
        return None


def _damaged_while_open(window: MainWindow, store_path: Path, chosen: list[Path], problems: str) -> None:
    backup = ask_restore(store_path, f"{store_path} is damaged ({problems})", window)
    if backup is not None:
        chosen.append(backup)
        window.close()  # the store must be closed before the backup replaces it; run() then reopens it


def ask_restore(store_path: Path, reason: str, parent: QWidget | None) -> Path | None:
    """Name the damage and offer the latest backup; the backup chosen, or None."""
    backup = latest_backup(store_path)
    if backup is None:
        QMessageBox.critical(parent, f"{APP_NAME}: the store is damaged", f"{reason}\n\nNo backup was found.")
        return None
    answer = QMessageBox.question(
        parent,
        f"{APP_NAME}: the store is damaged",
        f"{reason}\n\nRestore the latest backup, {backup.name} "
        f"({datetime.fromtimestamp(backup.stat().st_mtime).strftime('%Y-%m-%d %H:%M')})? "
        "Changes made after it are not in it. The damaged file is kept beside the store, renamed.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return backup if answer == QMessageBox.StandardButton.Yes else None


def restore_damaged(store_path: Path, key: bytes, backup: Path) -> bool:
    try:
        kept = recover_from_backup(store_path, key, backup, now=now())
    except (DeskError, OSError) as failure:
        QMessageBox.critical(None, f"{APP_NAME} cannot restore the backup", str(failure))
        return False
    QMessageBox.information(None, APP_NAME, f"Restored {backup.name}. The damaged file is kept as {kept.name}.")
    return True
