"""The main window: navigation, the case list with its filters, the selected case beside it, menus and
the status bar. The features behind the menus live in their own modules (settings editors, locking, batch
letters, mail import, backups); this module lays them out and wires them together."""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QItemSelection, QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dpo_desk import APP_NAME, __version__
from dpo_desk.application import logs
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.application.preload import preload
from dpo_desk.core.errors import DeskError
from dpo_desk.core.models import CaseQuery, NewCase
from dpo_desk.core.settings import AUTO_LOCK_MINUTES, DUE_SOON_DAYS
from dpo_desk.gui.accessible import named
from dpo_desk.gui.app_icon import app_icon
from dpo_desk.gui.audit_view import AuditView
from dpo_desk.gui.background import raise_here
from dpo_desk.gui.backups import DailyBackup
from dpo_desk.gui.case_table import DAYS_LEFT, ENTITY, RIGHTS, SUBJECT, CaseTableModel, DaysLeftDelegate
from dpo_desk.gui.case_view import NO_CASE, PAGE_MODULES, PAGE_SERVICES, CaseView
from dpo_desk.gui.dashboard_view import DashboardView
from dpo_desk.gui.filter_bar import FilterBar
from dpo_desk.gui.lazy_page import LazyPage
from dpo_desk.gui.locking import LOCK_ACTION, WindowLock
from dpo_desk.gui.modal import run_modal
from dpo_desk.gui.passphrase import change_recovery_passphrase
from dpo_desk.gui.reminders import ReminderBanner, Reminders
from dpo_desk.gui.rich_text import sentence
from dpo_desk.gui.start_probe import FirstPaint

if TYPE_CHECKING:
    from dpo_desk.gui.batch_letters import BatchLetters
    from dpo_desk.gui.mail_import import MailImport
    from dpo_desk.gui.processors_view import ProcessorsView
    from dpo_desk.gui.register_view import RegisterView

DASHBOARD_PAGE, CASES_PAGE = 0, 1
VIEWS = ("&Dashboard", "&Cases", "&Processors", "Re&gister", "&Audit")  # the navigation's order, as in the menu
EMPTY_STORE = "No cases yet — create one (Ctrl+N) or drop an e-mail here."
NOTHING_MATCHES = "No case matches these filters."
SELECT_TO_ACKNOWLEDGE = "Select the cases to acknowledge first"
# Auto-lock minutes lived in the computer's settings before they became an audited store setting.
OLD_AUTO_LOCK_KEY = "security/auto-lock-minutes"
FIRST_SIZE = QSize(1380, 840)


def _saved_int(settings: QSettings, key: str, default: int) -> int:
    try:
        return int(str(settings.value(key, default)))
    except ValueError:  # edited by hand, or written by another program
        return default


class MainWindow(QMainWindow):
    """Signals:
    case_created(str): a case was created through the window; its reference.
    batch_finished(int): a batch of acknowledgements ended; how many were written.
    """

    case_created = Signal(str)
    batch_finished = Signal(int)

    def __init__(self, desk: Desk, settings: QSettings, runner: Runner) -> None:
        super().__init__()
        self._desk = desk
        self._settings = settings  # this computer's: window geometry only
        self._runner = runner
        # Qt adds " — DPO Desk" itself. The whole path, as the demo store and a real one are both store.sqlite.
        self.setWindowTitle(str(desk.path))
        self.setWindowIcon(app_icon())  # the About box and the tray show it too
        self.setAcceptDrops(True)
        self._move_old_auto_lock_setting()

        self.filters = FilterBar(desk.register.entities())
        # What needs work first: the open cases, overdue at the top (the filter bar opens on them too).
        self.model = CaseTableModel(
            desk.cases, desk.today, desk.settings.get(DUE_SOON_DAYS), self.filters.query(CaseQuery()), self,
            aside=(runner, desk.find_case_ids),
        )  # fmt: skip
        self.table = named(QTableView(), "Cases", "Enter opens the case beside the list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Fewest days left first; enabling sorting then runs the one SQL query of the start-up.
        self.table.horizontalHeader().setSortIndicator(DAYS_LEFT, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setItemDelegateForColumn(DAYS_LEFT, DaysLeftDelegate(self.table))
        self.empty = QLabel(self.table.viewport())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 13pt;")

        cases_panel = QWidget()
        cases_layout = QVBoxLayout(cases_panel)
        cases_layout.setContentsMargins(6, 6, 6, 6)
        cases_layout.addWidget(self.filters)
        cases_layout.addWidget(self.table, 1)
        self.case_view = CaseView(desk, runner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(cases_panel)
        self.splitter.addWidget(self.case_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        # Built when first shown, as the case page is: a start shows neither.
        self.processors_page = LazyPage(self._processors_view)
        self.register_page = LazyPage(self._register_view)
        self.audit_view = AuditView(desk, runner)
        self.dashboard = DashboardView(desk, runner)
        self.dashboard.list_cases.connect(self.list_cases)
        self.dashboard.open_case.connect(self.open_case)
        self._dashboard_stale = True
        # Scrolled, so that a short window (a laptop with the dock shown) need not hold all of it.
        self.dashboard_page = QScrollArea()
        self.dashboard_page.setWidget(self.dashboard)
        self.dashboard_page.setWidgetResizable(True)
        self.dashboard_page.setFrameShape(QFrame.Shape.NoFrame)
        self.pages = QStackedWidget()
        for page in (self.dashboard_page, self.splitter, self.processors_page, self.register_page, self.audit_view):
            self.pages.addWidget(page)
        self.navigation = named(QListWidget(), "Views", "Ctrl+1 to Ctrl+5 switch between them")
        self.navigation.addItems([title.replace("&", "") for title in VIEWS])
        self.navigation.setFixedWidth(120)
        self.navigation.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 6px; }")
        self.navigation.setCurrentRow(DASHBOARD_PAGE)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.currentRowChanged.connect(self._page_shown)
        self.reminder_banner = ReminderBanner()
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.reminder_banner)
        beside = QHBoxLayout()
        beside.addWidget(self.navigation)
        beside.addWidget(self.pages, 1)
        body_layout.addLayout(beside, 1)
        self.screens = QStackedWidget()
        self.screens.addWidget(body)
        self.setCentralWidget(self.screens)
        self.window_lock = WindowLock(desk, runner, self.screens, self, desk.settings.get(AUTO_LOCK_MINUTES))
        self.window_lock.locked.connect(self._hide_cases)
        self.window_lock.unlocked.connect(self._show_cases)

        self.store_label = QLabel(f"Store: {desk.path}")
        self.count_label = QLabel()
        latest = desk.backups.latest()
        self.backup_label = QLabel(f"Last backup: {latest.name}" if latest else "No backup yet")
        for label in (self.store_label, self.count_label, self.backup_label):
            self.statusBar().addPermanentWidget(label)

        # What a task reports while the window is locked waits for the unlock: no case data over the lock.
        self._after_unlock: list[Callable[[], None]] = []
        self._case_before_lock: int | None = None
        self.daily_backup = DailyBackup(desk, runner, self)
        self.daily_backup.written.connect(self._backup_written)
        self.daily_backup.failed.connect(lambda why: self.statusBar().showMessage(f"Daily backup failed: {why}", 15000))

        self._make_actions()
        self.filters.changed.connect(self.apply_filters)
        # From the search to what it found: Return or Down, as in a mail program.
        self.filters.search.returnPressed.connect(self.go_to_results)
        to_results = QShortcut(QKeySequence(Qt.Key.Key_Down), self.filters.search)
        to_results.setContext(Qt.ShortcutContext.WidgetShortcut)
        to_results.activated.connect(self.go_to_results)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_reset)
        self.model.modelReset.connect(self._cases_changed)
        self._after_reset()
        # The page's own reading (the dashboard's figures) once the first page is settled: the view reopened,
        # or the start probe's case list; reading the dashboard behind the list slowed the start 30%.
        QTimer.singleShot(0, lambda: self._page_shown(self.pages.currentIndex()))
        self.case_view.case_changed.connect(self._case_changed)
        self.case_view.print_allowed.connect(self._update_case_actions)
        self.case_view.open_case.connect(self.select_case)
        self._restore_state()
        # Open pauses move their due dates daily; bring them up to today once the window is on screen.
        self._due_dates_current = False
        self._reminder_waits = False
        QTimer.singleShot(0, self._refresh_open_pauses)
        tray = QSystemTrayIcon(self) if QSystemTrayIcon.isSystemTrayAvailable() else None
        self.reminders = Reminders(desk, self.reminder_banner, self.list_cases, self, tray, runner)
        # The navigation is painted with every page: its first paint is the window's. The reminder's count and
        # what the first case opened needs wait for it, as they competed with the start for the interpreter.
        self.first_paint = FirstPaint(self.navigation.viewport())
        self.first_paint.painted.connect(self._prepare_first_case)
        self.first_paint.painted.connect(self._remind_once_due_dates_are_current)

    # --- what is built when first used ------------------------------------------------------

    @property
    def processors_view(self) -> ProcessorsView:
        return self.processors_page.content()

    @property
    def register_view(self) -> RegisterView:
        return self.register_page.content()

    def _processors_view(self) -> ProcessorsView:
        from dpo_desk.gui.processors_view import ProcessorsView

        view = ProcessorsView(self._desk, self._runner)
        view.printed.connect(lambda what: self.statusBar().showMessage(f"Written: {what}", 8000))
        view.changed.connect(self._processors_changed)
        return view

    def _register_view(self) -> RegisterView:
        from dpo_desk.gui.register_view import RegisterView

        view = RegisterView(self._desk)
        view.deadlines_moved.connect(self._deadlines_moved)
        view.entities_changed.connect(self._entities_changed)
        return view

    @Slot()
    def _entities_changed(self) -> None:
        """An entity renamed or added: the filter offers it, and the list and the case shown name it as saved."""
        self.filters.set_entities(self._desk.register.entities())
        self.read_cases_again()

    @Slot()
    def _processors_changed(self) -> None:
        """The register lists each processor's sheet: a register page not built yet reads them when it is."""
        if self.register_page.is_built:
            self.register_view.refresh()

    @functools.cached_property
    def mail_import(self) -> MailImport:
        from dpo_desk.gui.mail_import import MailImport

        importing = MailImport(self._desk, self._runner, self, self.when_unlocked)
        importing.created.connect(self._created)
        return importing

    @functools.cached_property
    def batch(self) -> BatchLetters:
        from dpo_desk.gui.batch_letters import BatchLetters

        batch = BatchLetters(self._desk, self._runner, self)
        batch.finished.connect(
            lambda written, message: self.when_unlocked(lambda: self._batch_finished(written, message))
        )
        return batch

    @Slot()
    def _prepare_first_case(self) -> None:
        """Once the window is on screen, so that the first case shown waits for none of it: what a case reads
        (application/preload.py) and the case page's services load on a worker thread; then, a turn of the
        event loop each, the page's own modules, the page, and the case left open at the last session. The page
        built in one turn held the window 126 ms (the bench's stall watch)."""
        year = self._desk.today().year

        def load(task: Task[None]) -> None:
            preload(year)
            for module in PAGE_SERVICES:
                importlib.import_module(module)

        def load_page(waiting: list[str]) -> None:
            importlib.import_module(waiting.pop(0))
            # With the window as context: a window closed meanwhile (a test's, ended) drops what is left.
            QTimer.singleShot(0, self, functools.partial(load_page, waiting) if waiting else built)

        def built() -> None:
            self.case_view.build_page()
            QTimer.singleShot(0, self, self._reopen_last_case)

        self._runner.start(
            Task("first case", load), Listener(done=lambda _: load_page(list(PAGE_MODULES)), failed=raise_here)
        )

    # --- actions and menus ------------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str,
        tip: str,
        slot: object,
        icon: QStyle.StandardPixmap | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        self._lockable_actions.append(action)
        return action

    def _make_actions(self) -> None:
        self._lockable_actions: list[QAction] = []
        pixmap = QStyle.StandardPixmap
        view = self.case_view
        self.new_case_action = self._action(
            "&New case…",
            QKeySequence.StandardKey.New,
            "Register a new data-subject request",
            self.new_case,
            pixmap.SP_FileIcon,
        )
        self.import_mail_action = self._action(
            "&Import e-mail…",
            "Ctrl+I",
            "Create a case from an .eml or Outlook .msg file (or drop it on the window)",
            lambda: self.mail_import.choose(),
            pixmap.SP_DialogOpenButton,
        )
        self.paste_case_action = self._action(
            "&Paste as new case…",
            "Ctrl+Shift+V",
            "Start a case from a mail or a letter's text on the clipboard",
            self.paste_as_new_case,
        )
        self.find_action = self._action(
            "&Find",
            QKeySequence.StandardKey.Find,
            "Search cases by reference, name, e-mail or request text",
            self.focus_search,
            pixmap.SP_FileDialogContentsView,
        )
        self.change_status_action = self._action(
            "Change &status…",
            "Ctrl+Shift+S",
            "Move the case shown beside the list to another status",
            view.change_status,
            pixmap.SP_ArrowForward,
        )
        self.add_note_action = self._action(
            "Add &note…", "Ctrl+Shift+N", "Add a note to the case shown beside the list", view.add_note
        )
        self.correct_receipt_action = self._action(
            "Correct &receipt…",
            "Ctrl+Shift+R",
            "Fix the receiving entity or the time of receipt; the deadlines follow",
            view.correct_receipt,
        )
        self.acknowledge_action = self._action(
            "&Acknowledge selected cases…",
            "Ctrl+Shift+A",
            "Write the acknowledgement letter of every selected case",
            self.acknowledge_selected,
        )
        self.settings_action = self._action(
            "Deadline &settings…",
            QKeySequence.StandardKey.Preferences,
            "Rule set, internal target and calendars",
            self.edit_deadline_settings,
        )
        self.identity_policy_action = self._action(
            "&Identity policy…",
            "",
            "How many trusted IDs, and which kinds, prove a requester's identity",
            self.edit_identity_policy,
        )
        self.letter_settings_action = self._action(
            "&Letter settings…",
            "",
            "Paper size, and whether every letter gets a password",
            self.edit_letter_settings,
        )
        self.consent_ages_action = self._action(
            "&Children's age of consent…",
            "",
            "The age of digital consent per country (Art. 8): below it, a case takes the deletion path",
            self.edit_consent_ages,
        )
        self.suppression_action = self._action(
            "S&uppression list…",
            "",
            "Check an e-mail or phone against the direct-marketing objections, or export the hashes",
            self.check_suppression,
        )
        self.auto_lock_action = self._action(
            "&Auto-lock after…", "", "Lock by itself after this many idle minutes", self.edit_auto_lock
        )
        self.backups_action = self._action(
            "&Backups to keep…",
            "",
            "How many daily backups stay beside the store",
            self.edit_backups_kept,
        )
        self.passphrase_action = self._action(
            "Change recovery &passphrase…", "", "Choose a new passphrase for the store's key", self.change_passphrase
        )
        self.retention_action = self._action(
            "Re&tention…", "", "Purge cases that ended longer ago than the retention period", self.review_retention
        )
        self.quarantine_action = self._action(
            "Q&uarantined files…",
            "",
            "Files refused at import, kept inside the store for inspection",
            self.review_quarantine,
        )
        self.report_action = self._action(
            "&Yearly report…",
            "",
            "Requests, answers, refusals and fees of a year, as PDF or CSV",
            self.yearly_report,
        )
        self.calendar_action = self._action(
            "Deadlines &calendar…",
            "",
            "The open cases' deadlines as an .ics file for your calendar program",
            self.save_calendar,
        )
        self.register_export_action = self._action(
            "Register of &requests…",
            "",
            "One row per case, as CSV: dates, rights, outcome, days taken",
            self.save_register,
        )
        self.refresh_action = self._action(
            "&Refresh",
            QKeySequence.StandardKey.Refresh,
            "Read the cases again from the store",
            self.read_cases_again,
            pixmap.SP_BrowserReload,
        )
        self.lock_action = self._action("&Lock", "Ctrl+L", "Hide all case data until you unlock", self.window_lock.lock)
        self.lock_action.setObjectName(LOCK_ACTION)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, f"Quit {APP_NAME}", self.quit_app)
        self.print_letter_action = self._action(
            "Print le&tter…",
            QKeySequence.StandardKey.Print,
            "Write the letter chosen in the case's Letters tab into the case's letters, and print it",
            view.print_letter,
        )
        self.view_actions = [
            self._action(
                title, f"Ctrl+{number}", f"Show {title.replace('&', '')}",
                lambda checked=False, row=number - 1: self.navigation.setCurrentRow(row),
            )
            for number, title in enumerate(VIEWS, start=1)
        ]  # fmt: skip
        self.about_action = self._action(f"&About {APP_NAME}", "", f"Version, and where {APP_NAME} logs", self._about)
        for stays_enabled in (self.lock_action, self.quit_action, self.about_action):
            self._lockable_actions.remove(stays_enabled)

        menus = self.menuBar()
        for title, entries in (
            # The reports sit in File: every letter of "Reports" is a mnemonic of a button on some page.
            ("&File", (self.new_case_action, self.import_mail_action, self.paste_case_action, self.quarantine_action,
                       None, self.print_letter_action, None,
                       self.report_action, self.calendar_action, self.register_export_action, None,
                       self.lock_action, None, self.quit_action)),
            ("&Edit", (self.find_action, None, self.settings_action, self.identity_policy_action,
                       self.letter_settings_action, self.consent_ages_action, self.auto_lock_action,
                       self.passphrase_action, self.backups_action, self.retention_action, None,
                       self.suppression_action)),
            ("&Case", (self.change_status_action, self.add_note_action, self.correct_receipt_action, None,
                       self.acknowledge_action)),
            ("&View", (*self.view_actions, None, self.refresh_action)),
            ("&Help", (self.about_action,)),
        ):  # fmt: skip
            menu = menus.addMenu(title)
            menu.setToolTipsVisible(True)  # a disabled entry says why, as its button does
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addAction(entry)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (
            self.new_case_action,
            self.import_mail_action,
            self.find_action,
            self.change_status_action,
            self.refresh_action,
        ):
            toolbar.addAction(action)
        self._update_case_actions()

    # --- the case list ----------------------------------------------------------------------

    def _saved_file(self, message: str) -> None:
        if message:
            self.statusBar().showMessage(message, 8000)

    @Slot()
    def apply_filters(self) -> None:
        """The filters as they are now, searched in a worker thread: typing never waits for the list."""
        selected = self.case_view.case.id if self.case_view.case else None
        self.model.ask(self.filters.query(self.model.query))
        if selected is not None:
            self.model.when_shown(lambda: self.select_case(selected, scroll=True))

    @Slot()
    def focus_search(self) -> None:
        self.navigation.setCurrentRow(CASES_PAGE)
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    @Slot()
    def go_to_results(self) -> None:
        self.filters.apply_now()
        self.model.when_shown(self._to_first_result)

    def _to_first_result(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    @Slot(object)
    def list_cases(self, query: CaseQuery) -> None:
        """A dashboard figure clicked: the list with exactly its cases, and the filter bar saying which."""
        self.filters.show_only(query)
        self.navigation.setCurrentRow(CASES_PAGE)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int)
    def open_case(self, case_id: int) -> None:
        self.navigation.setCurrentRow(CASES_PAGE)
        self.select_case(case_id)

    @Slot(int)
    def select_case(self, case_id: int, scroll: bool = True) -> None:
        row = self.model.row_of(case_id)
        if row is None:
            self.table.clearSelection()
            self.case_view.show_case(case_id)
            self._update_case_actions()
            return
        self.table.selectRow(row)
        if scroll:
            self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        # With several rows selected (for a batch), the view shows the one the DPO clicked last.
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if rows:
            current = self.table.currentIndex().row()
            self.case_view.show_case(self.model.case_id(current if current in rows else min(rows)))
        self._update_case_actions()

    @Slot(int, str)
    def _case_changed(self, case_id: int, message: str) -> None:
        self.model.refresh()
        self.select_case(case_id, scroll=False)
        self.statusBar().showMessage(sentence(message), 5000)

    @Slot()
    def _after_reset(self) -> None:
        total = self._desk.cases.count()
        shown = self.model.rowCount()
        self.count_label.setText(f"{shown:,} of {total:,} cases" if shown != total else f"{total:,} cases")
        self.empty.setText(EMPTY_STORE if total == 0 else NOTHING_MATCHES)
        self.empty.setVisible(shown == 0)
        self.empty.resize(self.table.viewport().size())
        self._update_case_actions()

    def _update_case_actions(self) -> None:
        """The Case menu follows the case shown: what its buttons allow, with their reasons."""
        page = self.case_view.built
        actions = (self.change_status_action, self.add_note_action, self.print_letter_action)
        buttons = (page.change_status_button, page.add_note_button, page.letters_tab.print_button) if page else ()
        for action, button in zip(actions, buttons or (None,) * len(actions), strict=True):
            allowed = button is not None and button.isEnabled()
            action.setEnabled(allowed and not self.window_lock.is_locked)
            action.setToolTip(button.toolTip() or action.statusTip() if button is not None else NO_CASE)
        shown = self.case_view.case is not None
        self.correct_receipt_action.setEnabled(shown and not self.window_lock.is_locked)
        self.correct_receipt_action.setToolTip(self.correct_receipt_action.statusTip() if shown else NO_CASE)
        selected = self.table.selectionModel().hasSelection()
        self.acknowledge_action.setEnabled(selected and not self.window_lock.is_locked)
        self.acknowledge_action.setToolTip(self.acknowledge_action.statusTip() if selected else SELECT_TO_ACKNOWLEDGE)

    @Slot(int)
    def _page_shown(self, index: int) -> None:
        if self.pages.widget(index) is self.audit_view:  # entries came in while another page was shown
            self.audit_view.refresh()
        if self.pages.widget(index) is self.dashboard_page and self._dashboard_stale and not self.window_lock.is_locked:
            self._dashboard_stale = False
            self.dashboard.refresh()

    @Slot()
    def _cases_changed(self) -> None:
        """The list was read again, so cases may have changed: the dashboard counts again when it is seen."""
        self._dashboard_stale = True
        self._page_shown(self.pages.currentIndex())

    @Slot()
    def _refresh_open_pauses(self) -> None:
        behind = self._desk.clock_behind()
        if behind:  # before anything is recorded at the wrong time
            QMessageBox.warning(self, "The clock is behind", sentence(behind) + ".")
        if self._desk.open_pauses_counted():
            self._due_dates_are_current()
            return

        # The first start of a day rewrites every paused case's due dates, 0.25 s at 100,000 cases (19,000
        # paused): in a write of its own, aside, while the window is in use; the list then reads them again.
        def refresh(task: Task[int]) -> int:
            with self._desk.worker() as worker:
                return worker.refresh_open_pauses()

        def refreshed(changed: int) -> None:
            if changed:
                self.read_cases_again()
            self._due_dates_are_current()

        self._runner.start(Task("open pauses", refresh), Listener(done=refreshed, failed=raise_here))

    def _remind_once_due_dates_are_current(self) -> None:
        """The reminder counts the due dates: counted before the day's refresh of the paused cases' dates, the
        banner said "13 open cases overdue…" where the list it opens held 11, until the next hourly count."""
        if self._due_dates_current:
            self.reminders.check()
        else:
            self._reminder_waits = True

    def _due_dates_are_current(self) -> None:
        self._due_dates_current = True
        if self._reminder_waits:
            self._reminder_waits = False
            self.reminders.check()

    # --- new cases, letters, settings -------------------------------------------------------

    @Slot()
    def new_case(self) -> None:
        from dpo_desk.gui.new_case_dialog import NewCaseDialog

        self._add_case(NewCaseDialog.ask(self._desk.register.entities(), self._desk.now, self._desk.earlier_of, self))

    def _add_case(self, new: NewCase | None) -> None:
        """The case as the DPO confirmed it in the dialog; nothing when they cancelled."""
        if new is None:
            return
        try:
            case_id = self._desk.add_case(new)
        except DeskError as error:
            QMessageBox.warning(self, "Case not created", sentence(str(error)))
            return
        self._created(case_id)

    @Slot()
    def paste_as_new_case(self) -> None:
        """A mail on the clipboard (headers, then body) opens as an imported mail does; other text becomes the
        request, with the rights its words suggest."""
        from dpo_desk.gui.new_case_dialog import NewCaseDialog
        from dpo_desk.mail.draft import MailDraft, draft_from_paste

        entities = self._desk.register.entities()
        try:
            draft = draft_from_paste(QGuiApplication.clipboard().text(), entities, self._desk.now())
        except DeskError as error:
            QMessageBox.warning(self, "No case from the clipboard", sentence(str(error)))
            return
        if isinstance(draft, MailDraft):
            self.mail_import.review(draft.mail)
            return
        self._add_case(NewCaseDialog.ask_for_text(entities, self._desk.now, self._desk.earlier_of, draft, self))

    @Slot(int)
    def _created(self, case_id: int) -> None:
        reference = self._desk.cases.get_by_id(case_id).reference
        self.navigation.setCurrentRow(CASES_PAGE)
        self.model.refresh()
        self.select_case(case_id, scroll=True)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # where Ctrl+N was pressed: on with the keyboard
        self.statusBar().showMessage(f"Created {reference}", 5000)
        self.case_created.emit(reference)

    @Slot()
    def acknowledge_selected(self) -> None:
        case_ids = [self.model.case_id(index.row()) for index in self.table.selectionModel().selectedRows()]
        if not case_ids:  # the action is disabled then; its shortcut may still arrive
            self.statusBar().showMessage(SELECT_TO_ACKNOWLEDGE, 5000)
            return
        self.batch.acknowledge(case_ids)

    @Slot(int, str)
    def _batch_finished(self, written: int, message: str) -> None:
        self.read_cases_again()
        self.statusBar().showMessage(message, 10000)
        self.batch_finished.emit(written)

    def _reshow_case(self) -> None:
        if self.case_view.case is not None:
            self.case_view.show_case(self.case_view.case.id)

    @Slot()
    def read_cases_again(self) -> None:
        """The list read again from the store, and the case shown with it: still selected where the list has
        it (a reset of the list dropped the selection, and the pane kept a case the list no longer marked)."""
        shown = self.case_view.case
        self.model.refresh()
        if shown is not None:
            case_id = shown.id
            self.model.when_shown(lambda: self._show_again(case_id))

    def _show_again(self, case_id: int) -> None:
        row = self.model.row_of(case_id)
        if row is not None and not self.table.selectionModel().hasSelection():
            self.table.selectRow(row)  # which shows the case as the store has it now
        elif self._desk.cases.exists(case_id):
            self.case_view.show_case(case_id)
        else:
            self.case_view.show_case(None)

    @Slot()
    def edit_deadline_settings(self) -> None:
        from dpo_desk.gui.settings_editors import edit_deadline_settings

        changed = edit_deadline_settings(self._desk, self, self._runner)
        if changed is None:
            return
        self.model.set_due_soon_days(self._desk.settings.get(DUE_SOON_DAYS))
        self.read_cases_again()
        self.statusBar().showMessage(f"Deadline settings saved; {changed:,} due dates changed", 5000)

    @Slot(str)
    def _deadlines_moved(self, message: str) -> None:
        self.read_cases_again()
        self.statusBar().showMessage(message, 5000)

    @Slot()
    def edit_identity_policy(self) -> None:
        from dpo_desk.gui.settings_editors import edit_identity_policy

        if edit_identity_policy(self._desk, self):
            self._reshow_case()
            policy = self._desk.settings.identity_policy()
            self.statusBar().showMessage(f"Identity policy: {policy.describe()}", 5000)

    @Slot()
    def edit_auto_lock(self) -> None:
        from dpo_desk.gui.settings_editors import edit_auto_lock

        if edit_auto_lock(self._desk, self):
            self.window_lock.idle_watcher.set_minutes(self._desk.settings.get(AUTO_LOCK_MINUTES))

    @Slot()
    def edit_letter_settings(self) -> None:
        from dpo_desk.gui.settings_editors import edit_letter_settings

        edit_letter_settings(self._desk, self)

    @Slot()
    def edit_consent_ages(self) -> None:
        from dpo_desk.gui.settings_editors import edit_consent_ages

        edit_consent_ages(self._desk, self)

    @Slot()
    def edit_backups_kept(self) -> None:
        from dpo_desk.gui.settings_editors import edit_backups_kept

        edit_backups_kept(self._desk, self)

    @Slot()
    def check_suppression(self) -> None:
        from dpo_desk.gui.suppression_dialog import SuppressionDialog

        run_modal(SuppressionDialog(self._desk, self))

    @Slot()
    def review_quarantine(self) -> None:
        from dpo_desk.gui.quarantine_dialog import QuarantineDialog

        run_modal(QuarantineDialog(self._desk, self))

    @Slot()
    def yearly_report(self) -> None:
        from dpo_desk.gui.report_dialog import YearlyReportDialog

        run_modal(YearlyReportDialog(self._desk, self))

    @Slot()
    def save_calendar(self) -> None:
        from dpo_desk.gui.report_dialog import save_calendar

        self._saved_file(save_calendar(self._desk, self._runner, self))

    @Slot()
    def save_register(self) -> None:
        from dpo_desk.gui.report_dialog import save_register

        self._saved_file(save_register(self._desk, self._runner, self))

    @Slot()
    def change_passphrase(self) -> None:
        if change_recovery_passphrase(self._desk, self._runner, self):
            self.statusBar().showMessage("Recovery passphrase changed", 5000)

    @Slot()
    def review_retention(self) -> None:
        from dpo_desk.gui.retention_dialog import RetentionDialog

        shown = self.case_view.case
        run_modal(RetentionDialog(self._desk, self._runner, self))
        self.model.refresh()
        # The case shown as it is now: gone if it was purged, without its subject's details if anonymised, and
        # as it was if the DPO closed the dialog without doing either.
        self.case_view.show_case(shown.id if shown is not None and self._desk.cases.exists(shown.id) else None)
        self._update_case_actions()

    @Slot(str)
    def _backup_written(self, name: str) -> None:
        self.backup_label.setText(f"Last backup: {name}")
        self.statusBar().showMessage(f"Backup written: {name}", 5000)

    def _about(self) -> None:
        log = logs.log_file()
        where = (
            f"The log is {escape(str(log))}: it records errors, commands and the steps taken on cases (by"
            " their ids), never personal data."
            if log is not None
            else escape(sentence(logs.where()))
        )
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Data-subject requests from intake to letter, offline.<br><br>{where}",
        )

    # --- locking ----------------------------------------------------------------------------

    @Slot()
    def _hide_cases(self) -> None:
        """Drop every case on screen: no widget or model may keep case data behind the lock screen."""
        shown = self.case_view.case
        self._case_before_lock = shown.id if shown is not None else None
        self.case_view.show_case(None)
        self.model.clear()
        self.count_label.clear()  # "0 of 500 cases" is what the emptied list counts, not what the store holds
        self.audit_view.clear()
        self.dashboard.clear()
        for action in self._lockable_actions:
            action.setEnabled(False)

    @Slot()
    def _show_cases(self) -> None:
        for action in self._lockable_actions:
            action.setEnabled(True)
        self.model.refresh()
        if self._case_before_lock is not None and self._desk.cases.exists(self._case_before_lock):
            self.select_case(self._case_before_lock)  # where the DPO was, as they left it
        self._page_shown(self.pages.currentIndex())
        self._update_case_actions()
        from dpo_desk.gui.form_dialog import forms_set_aside  # loaded by the lock already

        kept = forms_set_aside(self)
        if kept:
            self.statusBar().showMessage(
                f"What you typed in {', '.join(kept)} is kept: it is back when you open that form again", 30000
            )
        waiting, self._after_unlock = self._after_unlock, []
        for call in waiting:
            call()

    def when_unlocked(self, call: Callable[[], None]) -> None:
        """Run ``call`` now, or once the window is unlocked when it is locked now."""
        if self.window_lock.is_locked:
            self._after_unlock.append(call)
        else:
            call()

    def _move_old_auto_lock_setting(self) -> None:
        """Once: the minutes chosen on this computer become the store's audited setting."""
        old = self._settings.value(OLD_AUTO_LOCK_KEY)
        if old is None:
            return
        self._settings.remove(OLD_AUTO_LOCK_KEY)
        with contextlib.suppress(ValueError, DeskError):  # a value this version cannot read: the store's stands
            self._desk.save_settings({AUTO_LOCK_MINUTES: int(str(old))})

    # --- drag and drop, window state --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from dpo_desk.gui.mail_import import mail_paths

        if mail_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from dpo_desk.gui.mail_import import mail_paths

        paths = mail_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            # After the drop returns: the mail program that started the drag must not wait on our dialogs.
            QTimer.singleShot(0, lambda: self.mail_import.import_files(paths))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.empty.resize(self.table.viewport().size())

    def _restore_state(self) -> None:
        geometry = self._saved("window/geometry")
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            # Roomy at first start, but within the screen: on a 1366 x 768 laptop the buttons under the tabs
            # fell below its edge.
            self.resize(FIRST_SIZE.boundedTo(self.screen().availableGeometry().size()))
        self.restoreState(self._saved("window/state"))
        splitter = self._saved("window/splitter")
        if splitter.isEmpty() or not self.splitter.restoreState(splitter):
            # Nearly half for the case: at 1920 pixels its ten tabs fit without scrolling.
            width = self.splitter.width() or self.width()
            self.splitter.setSizes([width * 52 // 100, width * 48 // 100])
        for column, width in ((0, 108), (1, 140), (2, 110), (3, 132), (4, 80), (5, 80), (6, 100)):
            self.table.setColumnWidth(column, width)
        header = self._saved("window/case-columns")
        if not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
        self._fit_case_columns()
        self._reopen_last_view()

    def _reopen_last_view(self) -> None:
        """The view the DPO left, as it was at the last close; the case left open comes back once the window
        is on screen (:meth:`_reopen_last_case`)."""
        view = _saved_int(self._settings, "window/view", DASHBOARD_PAGE)
        if 0 <= view < self.pages.count():
            self.navigation.setCurrentRow(view)
        case_id = _saved_int(self._settings, "window/case", 0)
        # An id means a case of the store it was left open in: another store's case of that id is unrelated.
        same_store = str(self._settings.value("window/case-store", "")) == str(self._desk.path)
        self._case_to_reopen = case_id if case_id and same_store and self._desk.cases.exists(case_id) else None

    def _reopen_last_case(self) -> None:
        """The first case shown reads from a store just opened, and loads the phone library and a language's
        names: at 100,000 cases, shown while the window was built, it delayed the window by 70-110 ms."""
        case_id, self._case_to_reopen = self._case_to_reopen, None
        if case_id is None or self.case_view.case is not None or not self._desk.cases.exists(case_id):
            return
        if self.window_lock.is_locked:  # locked before the case came back: it comes back at the unlock
            self._case_before_lock = self._case_before_lock or case_id
            return
        self.select_case(case_id)

    def _fit_case_columns(self) -> None:
        """Subject, Rights and Entity share what the pane leaves and elide; Days left and Status stay in
        view beside a case (on a 1366-pixel laptop they were scrolled off to the right)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(56)
        needed = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        for column in range(self.model.columnCount()):
            stretch = column in (SUBJECT, RIGHTS, ENTITY)
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
            )
            needed += header.minimumSectionSize() if stretch else self.table.columnWidth(column)
        self.table.setMinimumWidth(needed)  # the splitter cannot push Status out of view

    def _saved(self, key: str) -> QByteArray:
        value = self._settings.value(key, QByteArray(), type=QByteArray)
        return value if isinstance(value, QByteArray) else QByteArray()

    @Slot()
    def quit_app(self) -> None:
        """File → Quit: what a lock set aside in a form goes only once the DPO says so."""
        if self._may_quit():
            self.close()

    def _may_quit(self) -> bool:
        from dpo_desk.gui.form_dialog import forms_set_aside

        kept = forms_set_aside(self)
        if not kept:
            return True
        # Over the lock screen the forms are counted, not named: their titles name cases.
        forms = f"{len(kept)} form{'s' if len(kept) > 1 else ''}" if self.window_lock.is_locked else ", ".join(kept)
        answer = QMessageBox.question(
            self,
            "Quit and lose what you typed?",
            f"What you typed in {forms} was set aside when the window locked, and is not saved. Quit anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        # The title bar's close button asks as File → Quit does; a close by the program (Quit itself, a
        # restore, a test) does not ask again.
        if event.spontaneous() and not self._may_quit():
            event.ignore()
            return
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        self._settings.setValue("window/case-columns", self.table.horizontalHeader().saveState())
        self._settings.setValue("window/view", self.navigation.currentRow())
        # An id, never a reference or a name: this file is not encrypted.
        shown = self.case_view.case
        # Closed before it was reopened, or while the window was locked: the case it would have shown.
        left_open = shown.id if shown is not None else self._case_to_reopen or self._case_before_lock
        self._settings.setValue("window/case", left_open or 0)
        self._settings.setValue("window/case-store", str(self._desk.path))
        super().closeEvent(event)
