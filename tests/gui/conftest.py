from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: QtBot, repo: CaseRepository, store_path: Path, settings: QSettings, store_key: bytes
) -> Iterator[MainWindow]:
    main = MainWindow(repo, store_path, "dpo", lambda: NOW, settings, store_key)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
