"""The main flow with the keyboard alone: every step below is a key press on the widget that has the focus,
as a DPO who does not touch the mouse would work."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Status
from dpo_desk.gui.main_window import CASES_PAGE, DASHBOARD_PAGE, MainWindow
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, TEST_PASSPHRASE, new_case

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
Step = Callable[[], None]


def focused() -> QWidget:
    if QApplication.activeWindow() is None:
        # A dialog closed: a window manager gives the keys back to the main window; offscreen has none.
        main = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        main.activateWindow()
        deadline = time.monotonic() + 5
        while QApplication.activeWindow() is not main and time.monotonic() < deadline:
            QApplication.processEvents()
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the focus"
    return widget


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> Step:
    return lambda: QtBot.keyClick(focused(), key, modifiers)


def type_text(text: str) -> Step:
    return lambda: QtBot.keyClicks(focused(), text)


def in_next_dialog(*steps: Step) -> list[str]:
    """Once the next modal dialog is up, the steps run in it; returns the titles of the dialogs driven."""
    titles: list[str] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or QApplication.activeWindow() is not dialog:  # not up, or not given the keys, yet
            if dialog is not None:
                dialog.activateWindow()
            QTimer.singleShot(10, drive)
            return
        titles.append(dialog.windowTitle())
        for step in steps:
            step()
        if dialog.isVisible():  # the keys did not close it: say what it shows, rather than hang the test
            problem = dialog.findChild(QLabel, "problem")
            titles.append(f"left open: {problem.text() if problem else ''}")
            dialog.reject()

    QTimer.singleShot(0, drive)
    return titles


@pytest.fixture
def keyboard_window(qtbot: QtBot, window: MainWindow) -> Iterator[MainWindow]:
    window.activateWindow()
    qtbot.waitActive(window)
    window.table.setFocus()
    yield window
    # Qt takes the modifiers held from the last key event: Ctrl+Shift+S leaves Shift "held" for the next
    # test's clicks and selections unless a key is let go without it.
    QtBot.keyRelease(window, Qt.Key.Key_Shift)


def test_ctrl_and_a_digit_switch_the_views_and_alt_and_a_digit_the_case_tabs(
    qtbot: QtBot, keyboard_window: MainWindow
) -> None:
    window = keyboard_window
    QtBot.keyClick(focused(), Qt.Key.Key_4, CTRL)
    assert window.pages.currentWidget() is window.register_page
    QtBot.keyClick(focused(), Qt.Key.Key_1, CTRL)
    assert window.navigation.currentRow() == DASHBOARD_PAGE
    assert [a.shortcut().toString() for a in window.view_actions] == [f"Ctrl+{n}" for n in range(1, 6)]


def test_the_main_flow_works_with_the_keyboard_alone(qtbot: QtBot, keyboard_window: MainWindow, desk: Desk) -> None:
    window = keyboard_window
    # New case: the entity chosen (there is no default), a right by its one mnemonic, the subject, Return.
    norge = [entity.name for entity in desk.register.entities()].index("Altoros Norge AS")
    dialogs = in_next_dialog(
        *[press(Qt.Key.Key_Down)] * (norge + 1),  # below "Choose the receiving entity…"
        press(Qt.Key.Key_G, ALT),
        press(Qt.Key.Key_Space),
        press(Qt.Key.Key_N, ALT),
        type_text("Kari Nordmann"),
        press(Qt.Key.Key_M, ALT),
        type_text("kari@example.com"),
        press(Qt.Key.Key_A, ALT),
        type_text("Storgata 1"),
        press(Qt.Key.Key_Tab),
        press(Qt.Key.Key_Tab),
        type_text("Send me a copy of my data"),
        press(Qt.Key.Key_N, ALT),
        press(Qt.Key.Key_Return),
    )
    QtBot.keyClick(focused(), Qt.Key.Key_N, CTRL)
    assert dialogs == ["New case"]
    assert window.navigation.currentRow() == CASES_PAGE
    assert focused() is window.table  # on the new case, in the list
    case = window.case_view.case
    assert (
        case is not None
        and case.entity.name == "Altoros Norge AS"
        and case.subject.name == "Kari Nordmann"
        and case.subject.emails == ("kari@example.com",)
    )

    # Two identity checks from the Identity tab.
    QtBot.keyClick(focused(), Qt.Key.Key_2, ALT)
    assert window.case_view.page.tabs.currentWidget() is window.case_view.page.identity_tab
    for other in ((), (press(Qt.Key.Key_Down), press(Qt.Key.Key_Tab), press(Qt.Key.Key_Down))):
        # The second: another kind of ID, checked another way (independent items).
        dialogs = in_next_dialog(*other, press(Qt.Key.Key_Return))
        QtBot.keyClick(focused(), Qt.Key.Key_R, ALT)
        qtbot.waitUntil(
            lambda dialogs=dialogs: bool(dialogs)
        )  # a mnemonic clicks the button a moment later, as it shows it down
        assert dialogs[0].startswith("Record check"), dialogs
    state = desk.state(case.id)
    assert len(state.checks) == 2 and state.identity is IdentityStatus.VERIFIED, [
        (c.evidence, c.outcome) for c in state.checks
    ]

    # The acknowledgement, generated and marked as sent.
    QtBot.keyClick(focused(), Qt.Key.Key_7, ALT)
    QtBot.keyClick(focused(), Qt.Key.Key_L, ALT)
    assert focused() is window.case_view.page.letters_tab.kind
    QtBot.keyClick(focused(), Qt.Key.Key_G, ALT)
    qtbot.waitUntil(lambda: bool(desk.letters.letters(case.id)))
    dialogs = in_next_dialog(type_text("post"), press(Qt.Key.Key_Return))
    QtBot.keyClick(focused(), Qt.Key.Key_K, ALT)
    qtbot.waitUntil(lambda: bool(dialogs))
    assert dialogs == ["Letter sent"]
    (letter,) = desk.letters.letters(case.id)
    assert letter.sent_channel == "post"
    sent_button = window.case_view.page.letters_tab.sent_button  # not twice: it stayed enabled
    assert not sent_button.isEnabled() and "was marked sent by post on" in sent_button.toolTip()

    # The status, from the Case menu's shortcut.
    dialogs = in_next_dialog(
        press(Qt.Key.Key_Down),
        press(Qt.Key.Key_R, ALT),
        type_text("identity verified"),
        press(Qt.Key.Key_Tab),  # out of the multi-line reason, onto OK
        press(Qt.Key.Key_Return),
    )
    QtBot.keyClick(focused(), Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert dialogs and dialogs[0].startswith("Change status")
    assert desk.cases.get_by_id(case.id).status is not Status.RECEIVED, dialogs


def test_from_the_search_return_goes_to_the_cases_found_and_ctrl_return_confirms_a_form(
    qtbot: QtBot, keyboard_window: MainWindow, desk: Desk
) -> None:
    window = keyboard_window
    case_id = desk.add_case(new_case(name="Kari Nordmann"))
    window.model.refresh()
    QtBot.keyClick(focused(), Qt.Key.Key_F, CTRL)
    QtBot.keyClicks(focused(), "Nordmann")
    QtBot.keyClick(focused(), Qt.Key.Key_Return)  # no wait for the pause in typing
    assert focused() is window.table and window.case_view.case is not None and window.case_view.case.id == case_id
    # A note typed in its multi-line field, confirmed without leaving it.
    dialogs = in_next_dialog(type_text("called back"), press(Qt.Key.Key_Return, CTRL))
    QtBot.keyClick(focused(), Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert dialogs and dialogs[0].startswith("Add note"), dialogs
    assert [note.text for note in desk.cases.notes(case_id)] == ["called back"]


def test_unlocking_brings_back_the_case_that_was_open(qtbot: QtBot, keyboard_window: MainWindow, desk: Desk) -> None:
    window = keyboard_window
    case_id = desk.add_case(new_case())
    window.model.refresh()
    window.open_case(case_id)
    window.window_lock.lock()
    qtbot.waitUntil(lambda: focused() is window.window_lock.screen.entry.field)  # typing goes to the passphrase
    type_text(TEST_PASSPHRASE)()
    press(Qt.Key.Key_Return)()
    assert not window.window_lock.is_locked
    assert window.case_view.case is not None and window.case_view.case.id == case_id


def test_ctrl_tab_walks_the_case_tabs_from_the_list_and_from_the_tabs(
    qtbot: QtBot, keyboard_window: MainWindow, repo: CaseRepository
) -> None:
    """Qt's own Ctrl+Tab works only with the focus on the tabs: from the list it did nothing."""
    window = keyboard_window
    case_id = repo.add(new_case(), actor="dpo", now=NOW)
    window.navigation.setCurrentRow(CASES_PAGE)
    window.model.refresh()
    window.select_case(case_id)
    window.table.setFocus()
    tabs = window.case_view.page.tabs
    assert tabs.currentIndex() == 0
    QtBot.keyClick(focused(), Qt.Key.Key_Tab, CTRL)
    assert tabs.currentIndex() == 1 and focused() is window.table
    QtBot.keyClick(focused(), Qt.Key.Key_Backtab, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert tabs.currentIndex() == 0
    QtBot.keyClick(focused(), Qt.Key.Key_PageUp, CTRL)  # round from the first to the last
    assert tabs.currentIndex() == tabs.count() - 1
    tabs.tabBar().setFocus()
    QtBot.keyClick(tabs.tabBar(), Qt.Key.Key_Tab, CTRL)  # one step, not Qt's and ours
    assert tabs.currentIndex() == 0
