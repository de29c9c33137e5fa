"""The case pane beside the list: "select a case" until one is shown, then the case in full (``CasePage``).

The page, its ten tabs and the workflow they offer are built the first time a case is shown, or once the window
is on screen (``MainWindow``): with the pages and dialogs also built when first used, they were 58 ms of the
start's 321 ms of imports at 100,000 cases, for a pane that shows nothing at start. The Qt-free services they
use load on a worker thread first (``PAGE_SERVICES``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Runner

if TYPE_CHECKING:
    from dpo_desk.core.case_state import CaseState
    from dpo_desk.core.models import Case
    from dpo_desk.gui.case_page import CasePage

NO_CASE = "Select a case first"
# The case page's own modules, each after those it imports; the window loads them a turn of its event loop
# each (MainWindow._prepare_first_case): all in one turn they held it 111-123 ms beside the threads that load
# the calendars and the letters (tests/test_architecture.py keeps the list whole).
PAGE_MODULES = (
    "dpo_desk.gui.form_dialog",
    "dpo_desk.gui.fields_dialog",
    "dpo_desk.gui.action_buttons",
    "dpo_desk.gui.workflow_tabs",
    "dpo_desk.gui.attachments_tab",
    "dpo_desk.gui.pdf",
    "dpo_desk.gui.letters_tab",
    "dpo_desk.gui.data_tab",
    "dpo_desk.gui.receipt_dialog",
    "dpo_desk.gui.case_page",
)
# What gui/case_page.py and its tabs import that the start does not, Qt-free (tests/test_architecture.py keeps
# the list whole): loaded aside, so that the page's modules import only themselves on the window's thread.
PAGE_SERVICES = (
    "dpo_desk.application.actions",
    "dpo_desk.application.attachments",
    "dpo_desk.application.entity_fields",
    "dpo_desk.application.fields",
    "dpo_desk.application.subject_data",
    "dpo_desk.collection.match",
    "dpo_desk.collection.read",
    "dpo_desk.core.progress",
    "dpo_desk.mail.parse",
    "dpo_desk.store.records",
)


class CaseView(QWidget):
    """Signals:
    case_changed(int, str): the case with this id was changed here; what happened, in one line.
    open_case(int): the DPO asked to open another case (an earlier case of the subject).
    print_allowed: the Letters tab's Print was enabled or disabled, and says why in its tooltip.
    """

    case_changed = Signal(int, str)
    open_case = Signal(int)
    print_allowed = Signal()

    def __init__(self, desk: Desk, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self._page: CasePage | None = None
        placeholder = QLabel("Select a case in the list to see it here.")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setStyleSheet("color: palette(placeholder-text); font-size: 12pt;")
        self._pages = QStackedWidget()
        self._pages.addWidget(placeholder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

    @property
    def page(self) -> CasePage:
        return self.build_page()

    def build_page(self) -> CasePage:
        """The case page, built now if it was not yet."""
        if self._page is None:
            from dpo_desk.gui.case_page import CasePage

            page = CasePage(self._desk, self._runner)
            page.case_changed.connect(self.case_changed)
            page.open_case.connect(self.open_case)
            page.letters_tab.print_allowed.connect(self.print_allowed)
            self._pages.addWidget(page)
            self._page = page
        return self._page

    @property
    def built(self) -> CasePage | None:
        """The case page if it was built; None before the first case shown or the window's first paint."""
        return self._page

    @property
    def state(self) -> CaseState | None:
        return self._page.state if self._page is not None else None

    @property
    def case(self) -> Case | None:
        return self._page.case if self._page is not None else None

    def show_case(self, case_id: int | None) -> None:
        if case_id is None:
            self._pages.setCurrentIndex(0)
            if self._page is not None:
                self._page.forget()
            return
        page = self.build_page()
        page.show_case(case_id)
        self._pages.setCurrentWidget(page)

    @Slot()
    def change_status(self) -> None:
        if self._page is not None:
            self._page.change_status()

    @Slot()
    def add_note(self) -> None:
        if self._page is not None:
            self._page.add_note()

    @Slot()
    def correct_receipt(self) -> None:
        if self._page is not None:
            self._page.correct_receipt()

    @Slot()
    def print_letter(self) -> None:
        if self._page is not None:
            self._page.letters_tab.print_letter()
