from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.gui.lazy_page import LazyPage
from dpo_desk.gui.main_window import MainWindow


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def runner() -> SynchronousRunner:
    """Tasks run to their end before the call that started them returns: what tests check is deterministic."""
    return SynchronousRunner()


@pytest.fixture
def window(qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner) -> Iterator[MainWindow]:
    main = MainWindow(desk, settings, runner)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


Page = TypeVar("Page", bound=QWidget)


def open_page(window: MainWindow, page: LazyPage[Page]) -> Page:
    """``page`` shown through the navigation, as the DPO opens it: a page is built, and reads the store, when
    first shown."""
    window.navigation.setCurrentRow(window.pages.indexOf(page))
    assert window.pages.currentWidget() is page and page.is_built
    return page.content()
