"""What the start leaves until the window is on screen (issue 21): the reminder's count and the letter
languages' names competed with the window's own start, and Babel's names were read while the letters tab was
built, though no case was shown yet."""

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
