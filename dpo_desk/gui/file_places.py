"""Where the file dialogs open: the folder last used for that kind of file in this session, else the user's
Downloads (for a file to open: it most often arrived by mail or browser) or Documents (for a file to
save); never the folder the process happened to start in.

The folders are kept in memory only: a folder can be named after a data subject, and the settings file is
not encrypted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

_last_folders: dict[str, Path] = {}  # by kind of file


def ask_open(parent: QWidget, title: str, kinds: str, place: str) -> Path | None:
    """The native open dialog in the folder of ``place`` (a kind of file: "mail", "sheets"…)."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, title, str(_folder(place, QStandardPaths.StandardLocation.DownloadLocation)), kinds
    )
    return _remember(place, chosen)


def ask_save(parent: QWidget, title: str, name: str, kinds: str, place: str) -> Path | None:
    """The native save dialog offering ``name`` in the folder of ``place``."""
    folder = _folder(place, QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(folder / name), kinds)
    return _remember(place, chosen)


def _folder(place: str, first: QStandardPaths.StandardLocation) -> Path:
    last = _last_folders.get(place)
    if last is not None and last.is_dir():
        return last
    standard = QStandardPaths.writableLocation(first)
    return Path(standard) if standard and Path(standard).is_dir() else Path.home()


def _remember(place: str, chosen: str) -> Path | None:
    if not chosen:
        return None
    path = Path(chosen)
    _last_folders[place] = path.parent
    return path
