"""What the start leaves until the window is on screen (issue 21): the reminder's count and the letter
languages' names competed with the window's own start, Babel's names were read while the letters tab was built,
though no case was shown yet, the processor sheets and the register were read for pages not shown, and the
day's count of open pauses was written on the window's thread."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.core.deadlines import PauseKind
from dpo_desk.gui.main_window import CASES_PAGE, MainWindow
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


def test_the_reminder_is_counted_once_the_window_is_painted_and_the_days_due_dates_are_counted(
    qtbot: QtBot, unshown: MainWindow, held: HeldRunner
) -> None:
    """Counted before the day's refresh of the paused cases' due dates, the banner said "13 open cases overdue…"
    where the list it opened held 11, until the next hourly count (a helper's review)."""
    QApplication.processEvents()
    assert "reminder" not in started(held) and "open pauses" in started(held)  # this store's first start today
    with qtbot.waitSignal(unshown.first_paint.painted):
        unshown.show()
    assert "reminder" not in started(held)
    held.finish_last("open pauses")
    assert started(held).count("reminder") == 1
    unshown.repaint()
    QApplication.processEvents()
    assert started(held).count("reminder") == 1  # the first paint only


def test_the_reminder_is_counted_at_the_first_paint_when_the_days_due_dates_are_counted_already(
    qtbot: QtBot, desk: Desk, settings: QSettings, held: HeldRunner
) -> None:
    desk.refresh_open_pauses()  # a start earlier today
    window = MainWindow(desk, settings, held)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_paint.painted):
        window.show()
    assert "open pauses" not in started(held) and started(held).count("reminder") == 1


def test_the_case_page_is_built_once_the_window_is_painted_and_its_services_have_loaded_aside(
    qtbot: QtBot, unshown: MainWindow, held: HeldRunner, repo: CaseRepository, desk: Desk
) -> None:
    """Its tabs were built with the window, for a pane that shows no case at start; built at the first case
    opened, they and their modules would freeze that click instead."""
    view = unshown.case_view
    unshown.navigation.setCurrentRow(CASES_PAGE)
    with qtbot.waitSignal(unshown.first_paint.painted):
        unshown.show()
    assert view.built is None and view.case is None and view.isVisible()
    assert not unshown.change_status_action.isEnabled()
    assert unshown.change_status_action.toolTip() == unshown.print_letter_action.toolTip() == "Select a case first"
    held.finish_last("first case")
    assert view.built is None  # its modules load in this turn of the event loop, the page in the next
    qtbot.waitUntil(lambda: view.built is not None)
    assert not view.built.isVisible()  # the pane still asks for a case
    case_id = repo.add(new_case(), actor="d", now=NOW)
    unshown.model.refresh()
    view.show_case(case_id)
    assert view.page is view.built and view.page.isVisible()
    assert view.page.reference.text() == desk.cases.get_by_id(case_id).reference


def test_a_window_closed_before_its_case_page_is_built_leaves_nothing_behind_to_run(
    qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner
) -> None:
    """The page's modules load a turn of the event loop each after the first paint: a window deleted meanwhile
    (each test's, at its end) had the rest run on it in the next test, "Target signal has been deleted"."""
    window = MainWindow(desk, settings, runner)  # the worker's part runs at once, at the first paint
    with qtbot.waitSignal(window.first_paint.painted):
        window.show()
    assert window.case_view.built is None
    window.close()
    shiboken6.delete(window)
    qtbot.wait(100)  # pytest-qt fails the test on an exception raised in these turns


def test_the_languages_names_are_read_when_a_case_is_first_shown(
    unshown: MainWindow, repo: CaseRepository, names_read: list[int]
) -> None:
    assert not names_read
    languages = unshown.case_view.page.letters_tab.language
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
    open_page(window, window.register_page)
    assert "entities" in read and window.register_view.entities.rowCount() == 5
    open_page(window, window.processors_page)
    assert read.count("sheets") == 1 and window.processors_view.table.rowCount() == 47
    open_page(window, window.register_page)
    open_page(window, window.processors_page)
    assert read.count("sheets") == 1  # read once; their own changes refresh them


def test_the_first_start_of_a_day_counts_the_open_pauses_aside_then_lists_the_dates(
    qtbot: QtBot, desk: Desk, db: Database, settings: QSettings, held: HeldRunner
) -> None:
    """At 100,000 cases the count (19,000 paused) froze the window 0.25 s on the first start of each day."""
    case_id = desk.cases.add(new_case(received=datetime(2026, 11, 20, 9, 0, tzinfo=UTC)), actor="d", now=NOW)
    desk.workflow.pause(case_id, PauseKind.IDENTITY, date(2026, 11, 23), "which ID?", actor="d", now=NOW)
    db.execute("UPDATE settings SET value = '2026-11-01' WHERE key = 'open_pauses_counted_to'")
    db.execute("UPDATE cases SET due_date = '2026-12-01'")  # as counted on 1 November
    window = MainWindow(desk, settings, held)
    qtbot.addWidget(window)
    QApplication.processEvents()
    assert started(held).count("open pauses") == 1
    assert db.execute("SELECT due_date FROM cases").fetchone()[0] == "2026-12-01"  # the window did not count
    with qtbot.waitSignal(window.model.modelReset, timeout=1000):  # the list reads the new dates
        held.finish_last("open pauses")
    counted = desk.cases.with_deadlines_to_today([desk.cases.get_by_id(case_id)], today=desk.today())[0]
    assert db.execute("SELECT due_date FROM cases").fetchone()[0] == counted.deadlines.due.isoformat() != "2026-12-01"
    window.close()
    again = MainWindow(desk, settings, held)
    qtbot.addWidget(again)
    QApplication.processEvents()
    assert started(held).count("open pauses") == 1  # counted for today: the next start asks nothing aside
    again.close()


class WindowsMade(QObject):
    """The widgets given a native window of their own while it watches the application."""

    def __init__(self) -> None:
        super().__init__()
        self.widgets: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WinIdChange:
            self.widgets.append(type(watched).__name__)
        return False


def test_building_the_window_gives_no_widget_a_window_of_its_own(
    qtbot: QtBot, desk: Desk, settings: QSettings, held: HeldRunner
) -> None:
    """A workflow tab showed each new button before placing it: a window of its own for a moment, made and
    unmade on the desktop, 26 in a case view (under X11 the window's build took 154 ms, 117 ms without)."""
    made = WindowsMade()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(made)
    try:
        window = MainWindow(desk, settings, held)
        qtbot.addWidget(window)
    finally:
        app.removeEventFilter(made)
    assert made.widgets == []
