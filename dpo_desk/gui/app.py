"""Starting the app: QApplication, the store, the main window. The composition root of the GUI."""

from __future__ import annotations

import functools
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlite_utils import Database

from dpo_desk import APP_NAME, ORG_NAME
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.background import StoreCheck
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.backup import latest_backup, recover_from_backup
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import DamagedStoreError, open_store


def now() -> datetime:
    return datetime.now(UTC)


def run(store_path: Path, *, actor: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("dpo-desk")
    while True:  # once more after the background check found damage and a backup was restored
        db = open_or_recover(store_path)
        if db is None:
            return 2
        chosen_backup: list[Path] = []
        try:
            window = MainWindow(CaseRepository(db), store_path, actor, now, QSettings())
            window.show()
            check = StoreCheck(store_path, window)
            check.damaged.connect(functools.partial(_damaged_while_open, window, store_path, chosen_backup))
            check.start()
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
        if not restore_damaged(store_path, chosen_backup[0]):
            return 2


def open_or_recover(store_path: Path) -> Database | None:
    """Open the store; when it is damaged, offer the latest backup, keeping the damaged file aside."""
    try:
        return open_store(store_path)
    except DamagedStoreError as error:
        backup = ask_restore(store_path, str(error), None)
        if backup is None or not restore_damaged(store_path, backup):
            return None
        return open_store(store_path)
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


def restore_damaged(store_path: Path, backup: Path) -> bool:
    try:
        kept = recover_from_backup(store_path, backup, now=now())
    except (DeskError, OSError) as failure:
        QMessageBox.critical(None, f"{APP_NAME} cannot restore the backup", str(failure))
        return False
    QMessageBox.information(None, APP_NAME, f"Restored {backup.name}. The damaged file is kept as {kept.name}.")
    return True
