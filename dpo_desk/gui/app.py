"""Starting the app: QApplication, the store, the main window. The composition root of the GUI."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dpo_desk import APP_NAME, ORG_NAME
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store


def now() -> datetime:
    return datetime.now(UTC)


def run(store_path: Path, *, actor: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("dpo-desk")
    try:
        db = open_store(store_path)
    except DeskError as error:
        QMessageBox.critical(None, f"{APP_NAME} cannot open the store", str(error))
        return 2
    try:
        window = MainWindow(CaseRepository(db), store_path, actor, now, QSettings())
        window.show()
        # A backup beside the store once a day (the newest seven kept): soon after start, then checked hourly
        # so a window left open over midnight still makes the next day's copy.
        QTimer.singleShot(1000, window.daily_backup)
        hourly = QTimer(window)
        hourly.timeout.connect(window.daily_backup)
        hourly.start(60 * 60 * 1000)
        return app.exec()
    finally:
        db.close()
