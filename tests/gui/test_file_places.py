"""The file dialogs open where that kind of file was last picked, else in Downloads or Documents; the
e-mail import opened in the folder the process started in."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from dpo_desk.gui import file_places
from dpo_desk.gui.file_places import ask_open, ask_save
from dpo_desk.gui.mail_import import ask_mail_path


@pytest.fixture
def asked(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """The folder or name each dialog was opened with; each answers with a file under ``tmp_path``."""
    monkeypatch.setattr(file_places, "_last_folders", {}, raising=False)
    opened: list[str] = []

    def answer(parent: QWidget, title: str, where: str, kinds: str = "") -> tuple[str, str]:
        opened.append(where)
        return str(tmp_path / "picked" / Path(where).name), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    yield opened
    assert not [path for path in settings_files() if "picked" in path.read_text(errors="replace")]


def settings_files() -> list[Path]:
    """The app's settings files on disk (unencrypted): no folder picked may be written there."""
    QSettings().sync()
    folder = Path(QSettings().fileName()).parent
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def _first(location: QStandardPaths.StandardLocation) -> Path:
    standard = QStandardPaths.writableLocation(location)
    return Path(standard) if standard and Path(standard).is_dir() else Path.home()


def test_the_mail_import_opens_in_downloads_then_where_the_last_mail_was(asked: list[str], tmp_path: Path) -> None:
    parent = QWidget()
    assert ask_mail_path(parent) == tmp_path / "picked" / _first(QStandardPaths.StandardLocation.DownloadLocation).name
    assert Path(asked[0]) == _first(QStandardPaths.StandardLocation.DownloadLocation)
    (tmp_path / "picked").mkdir()
    ask_mail_path(parent)
    assert Path(asked[1]) == tmp_path / "picked"
    ask_open(parent, "Import sheets", "", "sheets")  # another kind of file keeps its own folder
    assert Path(asked[2]) == _first(QStandardPaths.StandardLocation.DownloadLocation)


def test_a_save_offers_its_name_in_documents_then_in_the_last_folder_saved_to(asked: list[str], tmp_path: Path) -> None:
    parent = QWidget()
    (tmp_path / "picked").mkdir()
    assert (
        ask_save(parent, "Export", "suppression-list.csv", "", "suppression")
        == tmp_path / "picked" / "suppression-list.csv"
    )
    assert Path(asked[0]) == _first(QStandardPaths.StandardLocation.DocumentsLocation) / "suppression-list.csv"
    ask_save(parent, "Export", "suppression-list.csv", "", "suppression")
    assert Path(asked[1]) == tmp_path / "picked" / "suppression-list.csv"
