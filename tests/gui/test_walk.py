"""Every view and every dialog the window can open, walked as a screen-reader user and a keyboard user
meet them: each interactive widget has a name, and no two live mnemonics share a letter."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton, QTabWidget
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.core.models import Right
from dpo_desk.core.settings import PROTECT_ALL_LETTERS
from dpo_desk.gui.first_run import FirstRunDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.passphrase import UnlockDialog
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, new_case
from tests.gui.walk import Findings

NOW_CASE = new_case(received=NOW - timedelta(days=3), rights=(Right.ACCESS, Right.ERASURE))
# What would leave the test's window: the lock screen and quitting are walked elsewhere.
NOT_PRESSED = ("&Lock", "&Quit")
QT_OWN_DIALOGS = (QPrintDialog, QPrintPreviewDialog)  # Qt's, named by Qt


@pytest.fixture
def walked(
    qtbot: QtBot,
    window: MainWindow,
    desk: Desk,
    repo: CaseRepository,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Findings:
    findings = Findings()
    seen_dialogs: set[str] = set()

    def walk_dialog(dialog: QDialog, *args: object) -> int:
        dialog.show()
        QCoreApplication.processEvents()
        title = f"dialog {dialog.windowTitle()!r}"
        if title not in seen_dialogs and not isinstance(dialog, QT_OWN_DIALOGS):
            seen_dialogs.add(title)
            findings.look_at(title, dialog)
        dialog.reject()
        return 0

    for kind in (QDialog, QMessageBox, QPrintDialog):
        monkeypatch.setattr(kind, "exec", walk_dialog)
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "about", lambda *a, **k: None)
    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, lambda *a, **k: ("", ""))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda *a: True)

    case_id = repo.add(NOW_CASE, actor="d", now=NOW_CASE.received)
    # A letter on file, so that Mark sent, Show password and their dialogs are walked too.
    desk.save_settings({PROTECT_ALL_LETTERS: True})
    desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render, dated=desk.today())
    window.model.refresh()
    for page in range(window.pages.count()):
        window.navigation.setCurrentRow(page)
        if window.pages.currentWidget() is window.splitter:
            window.open_case(case_id)
        current = window.pages.currentWidget()
        name = window.navigation.item(page).text()
        tab_widgets = [
            tabs
            for tabs in [current, *current.findChildren(QTabWidget)]
            if isinstance(tabs, QTabWidget) and tabs.isVisible()
        ]
        for tabs in tab_widgets or [None]:
            for index in range(tabs.count() if tabs else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(index)
                QCoreApplication.processEvents()
                screen = f"{name} › {tabs.tabText(index).replace('&', '')}" if tabs else name
                findings.look_at(screen, window)
                for button in current.findChildren(QPushButton):
                    if button.isVisible() and button.isEnabled() and button.text() not in NOT_PRESSED:
                        button.click()
                        if window.case_view.case is None and window.pages.currentWidget() is window.splitter:
                            window.open_case(case_id)
    for action in window.actions() + [a for menu in window.menuBar().actions() for a in menu.menu().actions()]:
        if action.isEnabled() and not action.isSeparator() and action.text() not in NOT_PRESSED:
            action.trigger()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    findings.dialogs_kept = len(window.findChildren(QDialog))
    window.window_lock.lock()
    findings.look_at("Lock screen", window)
    unlock = UnlockDialog(store_path, "The keyring does not hold this store's key.", bytes, SynchronousRunner())
    qtbot.addWidget(unlock)
    unlock.show()
    findings.look_at("dialog 'Unlock'", unlock)
    for demo_made in (False, True):  # the first start's, before any window
        welcome = FirstRunDialog(store_path.parent, demo_made=demo_made)
        qtbot.addWidget(welcome)
        welcome.show()
        findings.look_at(f"dialog 'Welcome' (demo made: {demo_made})", welcome)
    return findings


def test_every_interactive_widget_of_every_view_and_dialog_has_a_name(walked: Findings) -> None:
    walked_dialogs = {"dialog 'Letter sent'", "dialog 'Password of the protected letter'", "dialog 'Unlock'",
                      "dialog 'Welcome' (demo made: False)", "dialog 'Welcome' (demo made: True)"}  # fmt: skip
    assert walked_dialogs <= set(walked.screens) and "Lock screen" in walked.screens, walked.screens
    assert walked.widgets > 400 and len(walked.screens) > 40, (walked.widgets, walked.screens)
    assert walked.unnamed == [], f"{len(walked.unnamed)} of {walked.widgets} unnamed"


def test_a_closed_dialog_is_not_kept_behind_the_window(walked: Findings) -> None:
    # Each had the window as parent and lived as long as it: 50 after this walk, print previews among them.
    assert walked.dialogs_kept == 0


def test_no_two_widgets_on_one_screen_are_announced_by_the_same_name(walked: Findings) -> None:
    assert walked.same_names == []


def test_every_disabled_button_says_why(walked: Findings) -> None:
    assert walked.unexplained == []


def test_no_two_live_mnemonics_share_a_letter(walked: Findings) -> None:
    assert walked.clashes == []
