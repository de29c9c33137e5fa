"""What the start leaves until the window is on screen (issue 21): the reminder's count and the letter
languages' names competed with the window's own start, Babel's names were read while the letters tab was built,
though no case was shown yet, and the processor sheets and the register were read for pages not shown."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.letters.language import letter_languages
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case
from tests.gui.conftest import open_page
from tests.gui.held import HeldRunner


@pytest.fixture
def held() -> HeldRunner:
    return HeldRunner()


@pytest.fixture
def names_read(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time the window asks for the languages' names (Babel's locale data, at first)."""
    read: list[int] = []
    names = desk.letter_languages
    monkeypatch.setattr(desk, "letter_languages", lambda: read.append(1) or names())
    return read


@pytest.fixture
def unshown(
    qtbot: QtBot, desk: Desk, settings: QSettings, held: HeldRunner, names_read: list[int]
) -> Iterator[MainWindow]:
    main = MainWindow(desk, settings, held)
    qtbot.addWidget(main)
    yield main
    main.close()


def started(held: HeldRunner) -> list[str]:
    return [task.name for task, _ in held.held]


def test_the_reminder_is_counted_once_the_window_is_painted(
    qtbot: QtBot, unshown: MainWindow, held: HeldRunner
) -> None:
    QApplication.processEvents()
    assert "reminder" not in started(held)
    with qtbot.waitSignal(unshown.first_paint.painted):
        unshown.show()
    assert started(held).count("reminder") == 1
    unshown.repaint()
    QApplication.processEvents()
    assert started(held).count("reminder") == 1  # the first paint only


def test_the_languages_names_are_read_when_a_case_is_first_shown(
    unshown: MainWindow, repo: CaseRepository, names_read: list[int]
) -> None:
    assert not names_read
    languages = unshown.case_view.letters_tab.language
    assert languages.count() == 0
    case_id = repo.add(new_case(), actor="d", now=NOW)
    unshown.case_view.show_case(case_id)
    assert [languages.itemData(row) for row in range(languages.count())] == list(letter_languages())
    assert languages.currentData() == "en" and names_read


def test_the_processors_and_register_pages_read_the_store_when_first_shown(
    qtbot: QtBot, desk: Desk, settings: QSettings, held: HeldRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    sheets, entities = desk.processors.sheets, desk.register.entities
    monkeypatch.setattr(desk.processors, "sheets", lambda: read.append("sheets") or sheets())
    monkeypatch.setattr(desk.register, "entities", lambda: read.append("entities") or entities())
    window = MainWindow(desk, settings, held)
    qtbot.addWidget(window)
    window.show()
    assert "sheets" not in read
    read.clear()
    open_page(window, window.register_view)
    assert "entities" in read and window.register_view.entities.rowCount() == 5
    open_page(window, window.processors_view)
    assert read.count("sheets") == 1 and window.processors_view.table.rowCount() == 47
    open_page(window, window.register_view)
    open_page(window, window.processors_view)
    assert read.count("sheets") == 1  # read once; their own changes refresh them
