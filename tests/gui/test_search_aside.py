"""The case list's search runs in a worker thread (issue 21: one letter typed held the window 118-144 ms at
100,000 cases): the window shows what it showed until the ids arrive, and ids of a search overtaken by a
newer one, or by the lock, never replace the list."""

from collections.abc import Iterator
from threading import Thread

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery
from dpo_desk.gui.case_table import SUBJECT
from dpo_desk.gui.main_window import CASES_PAGE, MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case
from tests.gui.held import HeldRunner


@pytest.fixture
def held() -> HeldRunner:
    return HeldRunner()


@pytest.fixture
def window(
    qtbot: QtBot, desk: Desk, repo: CaseRepository, settings: QSettings, held: HeldRunner
) -> Iterator[MainWindow]:
    for name in ("Ola Nordmann", "Jan Kowalski", "Anna Kowalska"):
        repo.add(new_case(name=name, emails=(f"{name.split()[0].lower()}@example.com",)), actor="d", now=NOW)
    main = MainWindow(desk, settings, held)
    qtbot.addWidget(main)
    main.navigation.setCurrentRow(CASES_PAGE)
    main.show()
    yield main
    main.close()


def searched(window: MainWindow, text: str) -> None:
    window.filters.search.setText(text)
    window.filters.apply_now()


def names(window: MainWindow) -> list[str]:
    return [window.model.index(row, SUBJECT).data() for row in range(window.model.rowCount())]


def test_the_list_changes_when_the_search_ends_and_never_to_an_overtaken_one(
    window: MainWindow, held: HeldRunner
) -> None:
    searched(window, "ola")
    searched(window, "kowal")
    searches = [number for number, (task, _) in enumerate(held.held) if task.name == "find cases"]
    assert len(searches) == 2
    assert window.model.rowCount() == 3  # the window did not wait: it shows what it showed
    held.finish(searches[1])
    assert sorted(names(window)) == ["Anna Kowalska", "Jan Kowalski"]
    assert window.count_label.text() == "2 of 3 cases"
    held.finish(searches[0])  # the search for "ola" ends last: its ids are no longer asked for
    assert sorted(names(window)) == ["Anna Kowalska", "Jan Kowalski"]


def test_return_in_the_search_goes_to_the_first_result_once_it_is_found(
    qtbot: QtBot, window: MainWindow, held: HeldRunner
) -> None:
    window.focus_search()
    window.filters.search.setText("anna")
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Return)
    assert window.filters.search.hasFocus()  # nothing to go to yet
    held.finish_last("find cases")
    assert window.table.hasFocus()
    assert window.case_view.case is not None and window.case_view.case.subject.name == "Anna Kowalska"


def test_a_sort_asked_reorders_the_list_when_its_ids_arrive(window: MainWindow, held: HeldRunner) -> None:
    before = names(window)
    window.table.sortByColumn(SUBJECT, Qt.SortOrder.DescendingOrder)
    assert names(window) == before
    assert window.model.query.sort == "subject"  # what the next search starts from
    held.finish_last("find cases")
    assert names(window) == ["Ola Nordmann", "Jan Kowalski", "Anna Kowalska"]


def test_a_search_ending_after_the_window_locked_shows_nothing(window: MainWindow, held: HeldRunner) -> None:
    window.select_case(window.model.case_id(0))
    searched(window, "kowal")
    window.model.clear()  # what locking the window does to the list
    held.finish_last("find cases")
    assert window.model.rowCount() == 0


def test_a_worker_thread_finds_the_ids_the_window_would(desk: Desk, repo: CaseRepository) -> None:
    for name in ("Ola Nordmann", "Jan Kowalski", "Anna Kowalska"):
        repo.add(new_case(name=name), actor="d", now=NOW)
    query = CaseQuery(text="kowal", sort="subject")
    found: list[list[int]] = []
    for _ in range(2):  # two threads, one after the other, on the connection kept for the list's reading
        worker = Thread(target=lambda: found.append(desk.find_case_ids(query, desk.today())))
        worker.start()
        worker.join()
    assert found == [repo.find_ids(query, today=desk.today())] * 2
    assert len(found[0]) == 2
    repo.add(new_case(name="Ewa Kowalczyk"), actor="d", now=NOW)  # the kept connection sees what came after
    assert len(desk.find_case_ids(query, desk.today())) == 3


def test_a_sort_asked_twice_while_its_ids_are_found_is_found_once(window: MainWindow, held: HeldRunner) -> None:
    window.table.sortByColumn(SUBJECT, Qt.SortOrder.DescendingOrder)  # Qt's own call sorts the model twice
    window.model.sort(SUBJECT, Qt.SortOrder.DescendingOrder)
    assert [task.name for task, _ in held.held].count("find cases") == 1
    held.finish_last("find cases")
    assert names(window) == ["Ola Nordmann", "Jan Kowalski", "Anna Kowalska"]
    window.model.sort(SUBJECT, Qt.SortOrder.DescendingOrder)  # shown: asked again, it is read again
    assert [task.name for task, _ in held.held].count("find cases") == 2
