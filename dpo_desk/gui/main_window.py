"""The main window: navigation, the case list with its filters, and the selected case beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from dpo_desk.store.driver import sqlite

from PySide6.QtCore import QByteArray, QItemSelection, QMimeData, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dpo_desk import APP_NAME, __version__
from dpo_desk.core.errors import DeskError
from dpo_desk.core.identity import Evidence, IdentityPolicy, check_policy
from dpo_desk.gui.audit_view import AuditView
from dpo_desk.gui.auto_lock import DEFAULT_IDLE_MINUTES, IDLE_SETTING, IdleWatcher, LockScreen
from dpo_desk.gui.background import Worker
from dpo_desk.gui.case_table import DAYS_LEFT, RECEIVED, CaseTableModel, DaysLeftDelegate
from dpo_desk.gui.case_view import CaseView
from dpo_desk.gui.fields_dialog import Field, FieldsDialog
from dpo_desk.gui.filter_bar import FilterBar
from dpo_desk.gui.letters_tab import letters_folder
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.gui.passphrase import NewPassphraseDialog
from dpo_desk.gui.pdf import render
from dpo_desk.gui.processors_view import ProcessorsView
from dpo_desk.gui.quarantine_dialog import QuarantineDialog
from dpo_desk.gui.register_view import RegisterView
from dpo_desk.gui.retention_dialog import RetentionDialog
from dpo_desk.gui.settings_dialog import SettingsDialog
from dpo_desk.gui.wait_cursor import wait_cursor
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.parse import MailError, read_mail
from dpo_desk.store.backup import (
    KEPT,
    copy_store_file,
    daily_target,
    finish_daily,
    latest_backup,
    load_keep,
    save_keep,
)
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.encryption import change_store_passphrase
from dpo_desk.store.keys import key_from_passphrase
from dpo_desk.store.letters import LetterStore, letter_file_name
from dpo_desk.store.mail import MailStore, quarantine
from dpo_desk.store.processors import ProcessorStore
from dpo_desk.store.settings import (
    LetterSettings,
    load_identity_policy,
    load_letter_settings,
    save_identity_policy,
    save_letter_settings,
)

EMPTY_STORE = "No cases yet — create one (Ctrl+N) or drop an e-mail here."
NOTHING_MATCHES = "No case matches these filters."
MAIL_SUFFIXES = (".eml", ".msg")


def ask_mail_path(parent: QWidget) -> Path | None:
    """The native open dialog; tests replace this one function."""
    chosen, _ = QFileDialog.getOpenFileName(parent, "Import e-mail", "", "E-mail (*.eml *.msg)")
    return Path(chosen) if chosen else None


def _mail_paths(data: QMimeData) -> list[Path]:
    return [
        Path(url.toLocalFile())
        for url in data.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(MAIL_SUFFIXES)
    ]


class MainWindow(QMainWindow):
    """Signals:
    case_created(str): a case was created through the window; its reference.
    batch_finished(int): a batch of acknowledgements ended; how many were written.
    """

    case_created = Signal(str)
    batch_finished = Signal(int)

    def __init__(
        self,
        repo: CaseRepository,
        store_path: Path,
        actor: str,
        now: Callable[[], datetime],
        settings: QSettings,
        key: bytes,
    ) -> None:
        super().__init__()
        self._repo = repo
        self._store_path = store_path
        self._key = key  # SQLCipher holds it too; kept for the worker threads' own connections
        self._actor = actor
        self._now = now
        self._settings = settings
        self.setWindowTitle(f"{APP_NAME} — {store_path.name}")
        self.setAcceptDrops(True)

        entities = repo.register.entities()
        self.filters = FilterBar(entities)
        self.model = CaseTableModel(repo, self.today, repo.settings().due_soon_days, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # The newest first; enabling sorting then runs the one SQL query of the start-up.
        self.table.horizontalHeader().setSortIndicator(RECEIVED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setItemDelegateForColumn(DAYS_LEFT, DaysLeftDelegate(self.table))
        self.empty = QLabel(self.table.viewport())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 13pt;")

        cases_panel = QWidget()
        cases_layout = QVBoxLayout(cases_panel)
        cases_layout.setContentsMargins(6, 6, 6, 6)
        cases_layout.addWidget(self.filters)
        cases_layout.addWidget(self.table, 1)
        self.case_view = CaseView(repo, store_path, actor, now, self.today)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(cases_panel)
        self.splitter.addWidget(self.case_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.processors_view = ProcessorsView(ProcessorStore(repo.db), repo.register, actor, now)
        self.register_view = RegisterView(repo.register, actor, now)
        self.processors_view.changed.connect(self.register_view.refresh)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.processors_view)
        self.pages.addWidget(self.register_view)
        self.audit_view = AuditView(repo.db)
        self.pages.addWidget(self.audit_view)
        self.navigation = QListWidget()
        self.navigation.addItems(["Cases", "Processors", "Register", "Audit"])
        self.navigation.setFixedWidth(120)
        self.navigation.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 6px; }")
        self.navigation.setCurrentRow(0)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.currentRowChanged.connect(self._page_shown)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.navigation)
        body_layout.addWidget(self.pages, 1)
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.try_unlock)
        self.screens = QStackedWidget()
        self.screens.addWidget(body)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self.screens)

        self.store_label = QLabel(f"Store: {store_path}")
        self.count_label = QLabel()
        latest = latest_backup(store_path)
        self.backup_label = QLabel(f"Last backup: {latest.name}" if latest else "No backup yet")
        self.backup_worker: Worker | None = None
        self.statusBar().addPermanentWidget(self.store_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.backup_label)

        self._make_actions()
        self.filters.changed.connect(self.apply_filters)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()
        self.case_view.case_changed.connect(self._case_changed)
        self.case_view.open_case.connect(self.select_case)
        self._restore_state()
        self.idle_watcher = IdleWatcher(self.auto_lock_minutes(), self)
        self.idle_watcher.idle.connect(self.lock)
        application = QApplication.instance()
        if application is not None:  # there is one whenever a window exists; the check is for the type
            application.installEventFilter(self.idle_watcher)
        # Open pauses move their due dates daily; bring them up to today once the window is on screen.
        QTimer.singleShot(0, self._refresh_open_pauses)

    @Slot(int)
    def _page_shown(self, index: int) -> None:
        if self.pages.widget(index) is self.audit_view:  # entries came in while another page was shown
            self.audit_view.refresh()

    @Slot()
    def _refresh_open_pauses(self) -> None:
        if self._repo.refresh_open_pauses(today=self.today()):
            self.model.refresh()

    def today(self) -> date:
        return self._now().astimezone().date()

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str,
        tip: str,
        icon: QStyle.StandardPixmap | None = None,
    ) -> QAction:
        action = QAction(text, self)
        self._lockable_actions.append(action)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        return action

    def _make_actions(self) -> None:
        self._lockable_actions: list[QAction] = []
        pixmap = QStyle.StandardPixmap
        self.new_case_action = self._action(
            "&New case…",
            QKeySequence.StandardKey.New,
            "Register a new data-subject request",
            pixmap.SP_FileIcon,
        )
        self.import_mail_action = self._action(
            "&Import e-mail…",
            "Ctrl+I",
            "Create a case from an .eml or Outlook .msg file (or drop it on the window)",
            pixmap.SP_DialogOpenButton,
        )
        self.find_action = self._action(
            "&Find",
            QKeySequence.StandardKey.Find,
            "Search cases by reference, name, e-mail or request text",
            pixmap.SP_FileDialogContentsView,
        )
        self.change_status_action = self._action(
            "Change &status…",
            "Ctrl+Shift+S",
            "Move the selected case to another status",
            pixmap.SP_ArrowForward,
        )
        self.add_note_action = self._action("Add &note…", "Ctrl+Shift+N", "Add a note to the selected case")
        self.correct_receipt_action = self._action(
            "Correct &receipt…",
            "Ctrl+Shift+R",
            "Fix the receiving entity or the time of receipt; the deadlines follow",
        )
        self.identity_policy_action = self._action(
            "&Identity policy…", "", "How many trusted IDs, and which kinds, prove a requester's identity"
        )
        self.letter_settings_action = self._action(
            "&Letter settings…", "", "Paper size, and whether every letter gets a password"
        )
        self.settings_action = self._action(
            "Deadline &settings…",
            QKeySequence.StandardKey.Preferences,
            "Rule set, internal target and calendars",
        )
        self.refresh_action = self._action(
            "&Refresh",
            QKeySequence.StandardKey.Refresh,
            "Read the cases again from the store",
            pixmap.SP_BrowserReload,
        )
        self.acknowledge_action = self._action(
            "&Acknowledge selected cases…", "Ctrl+Shift+A", "Write the acknowledgement letter of every selected case"
        )
        self.lock_action = self._action("&Lock", "Ctrl+L", "Hide all case data until you unlock")
        self.retention_action = self._action(
            "Re&tention…", "", "Purge cases that ended longer ago than the retention period"
        )
        self.auto_lock_action = self._action("Auto-&lock after…", "", "Lock by itself after this many idle minutes")
        self.backups_action = self._action("&Backups to keep…", "", "How many daily backups stay beside the store")
        self.quarantine_action = self._action(
            "&Quarantined files…", "", "Files refused at import, kept inside the store for inspection"
        )
        self.passphrase_action = self._action(
            "Change recovery &passphrase…", "", "Choose a new passphrase for the store's key"
        )
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, f"Quit {APP_NAME}")
        for stays_enabled in (self.lock_action, self.quit_action):
            self._lockable_actions.remove(stays_enabled)
        self.about_action = QAction(f"&About {APP_NAME}", self)
        self.new_case_action.triggered.connect(self.new_case)
        self.import_mail_action.triggered.connect(self.choose_mail)
        self.find_action.triggered.connect(self.focus_search)
        self.change_status_action.triggered.connect(self.case_view.change_status)
        self.add_note_action.triggered.connect(self.case_view.add_note)
        self.correct_receipt_action.triggered.connect(self.case_view.correct_receipt)
        self.settings_action.triggered.connect(self.edit_settings)
        self.identity_policy_action.triggered.connect(self.edit_identity_policy)
        self.letter_settings_action.triggered.connect(self.edit_letter_settings)
        self.refresh_action.triggered.connect(self.model.refresh)
        self.quit_action.triggered.connect(self.close)
        self.lock_action.triggered.connect(self.lock)
        self.auto_lock_action.triggered.connect(self.edit_auto_lock)
        self.passphrase_action.triggered.connect(self.change_passphrase)
        self.backups_action.triggered.connect(self.edit_backups_kept)
        self.quarantine_action.triggered.connect(self.show_quarantine)
        self.retention_action.triggered.connect(self.review_retention)
        self.acknowledge_action.triggered.connect(self.acknowledge_selected)
        self.about_action.triggered.connect(self._about)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.new_case_action)
        file_menu.addAction(self.import_mail_action)
        file_menu.addAction(self.quarantine_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        edit_menu.addAction(self.identity_policy_action)
        edit_menu.addAction(self.letter_settings_action)
        edit_menu.addAction(self.auto_lock_action)
        edit_menu.addAction(self.passphrase_action)
        edit_menu.addAction(self.backups_action)
        edit_menu.addAction(self.retention_action)
        case_menu = menus.addMenu("&Case")
        case_menu.addAction(self.change_status_action)
        case_menu.addAction(self.add_note_action)
        case_menu.addAction(self.correct_receipt_action)
        case_menu.addSeparator()
        case_menu.addAction(self.acknowledge_action)
        view_menu = menus.addMenu("&View")
        view_menu.addAction(self.refresh_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.new_case_action)
        toolbar.addAction(self.import_mail_action)
        toolbar.addAction(self.find_action)
        toolbar.addAction(self.change_status_action)
        toolbar.addAction(self.refresh_action)
        self._update_case_actions()

    @Slot()
    def apply_filters(self) -> None:
        selected = self.case_view.case.id if self.case_view.case else None
        self.model.set_query(self.filters.query(self.model.query))
        if selected is not None:
            self.select_case(selected, scroll=True)

    @Slot()
    def focus_search(self) -> None:
        self.navigation.setCurrentRow(0)
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    @Slot()
    def new_case(self) -> None:
        new = NewCaseDialog.ask(
            self._repo.register.entities(),
            self._now,
            lambda emails: self._repo.cases_from_emails(emails),
            self,
        )
        if new is None:
            return
        try:
            case_id = self._repo.add(new, actor=self._actor, now=self._now())
        except DeskError as error:
            QMessageBox.warning(self, "Case not created", str(error))
            return
        self._created(case_id)

    def _created(self, case_id: int) -> None:
        reference = self._repo.get_by_id(case_id).reference
        self.navigation.setCurrentRow(0)
        self.model.refresh()
        self.select_case(case_id, scroll=True)
        self.statusBar().showMessage(f"Created {reference}", 5000)
        self.case_created.emit(reference)

    @Slot()
    def acknowledge_selected(self) -> None:
        """A batch of acknowledgements, one letter per timer tick: the window stays responsive and Cancel works."""
        case_ids = [self.model.case_id(index.row()) for index in self.table.selectionModel().selectedRows()]
        if not case_ids:
            self.statusBar().showMessage("Select the cases to acknowledge first", 5000)
            return
        letters = LetterStore(self._repo.db)
        progress = QProgressDialog("Writing acknowledgements…", "Cancel", 0, len(case_ids), self)
        progress.setWindowTitle("Acknowledgements")
        progress.setMinimumDuration(300)
        self.batch_progress = progress
        written: list[str] = []
        problems: list[str] = []

        def step() -> None:
            done = len(written) + len(problems)
            if progress.wasCanceled() or done == len(case_ids):
                timer.stop()
                progress.reset()
                message = f"{len(written)} acknowledgement(s) written"
                if problems:
                    message += f"; not written: {'; '.join(problems)}"
                self.statusBar().showMessage(message, 10000)
                self.batch_finished.emit(len(written))
                return
            case = self._repo.get_by_id(case_ids[done])
            folder = letters_folder(self._store_path, case)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / letter_file_name(case, LetterKind.ACKNOWLEDGEMENT, len(letters.letters(case.id)) + 1)
            try:
                letters.generate(
                    case.id, LetterKind.ACKNOWLEDGEMENT, target, render, actor=self._actor, now=self._now()
                )
            except DeskError as error:
                problems.append(f"{case.reference}: {error}")
            else:
                written.append(case.reference)
            progress.setValue(done + 1)

        timer = QTimer(self)
        timer.timeout.connect(step)
        self.batch_timer = timer
        timer.start(0)

    @Slot()
    def edit_settings(self) -> None:
        answer = SettingsDialog.ask(self._repo.settings(), self._repo.register.entities(), self)
        if answer is None:
            return
        settings, calendars = answer
        changed = self._repo.apply_deadline_settings(
            settings, calendars, today=self.today(), actor=self._actor, now=self._now()
        )
        self.model.set_due_soon_days(settings.due_soon_days)
        self.model.refresh()
        if self.case_view.case is not None:
            self.case_view.show_case(self.case_view.case.id)
        self.statusBar().showMessage(f"Deadline settings saved; {changed:,} due dates changed", 5000)

    @Slot()
    def edit_identity_policy(self) -> None:
        policy = load_identity_policy(self._repo.db)
        fields = [
            Field(
                "required",
                "&Independent items required",
                "choice",
                [(str(n), str(n)) for n in range(1, len(Evidence) + 1)],
                default=str(policy.required),
            ),
            *(Field(e.value, e.label, "bool", default=e in policy.trusted, hint="trusted") for e in Evidence),
        ]

        def chosen(values: dict[str, object]) -> IdentityPolicy:
            trusted = tuple(e for e in Evidence if values.get(e.value))
            return check_policy(IdentityPolicy(int(str(values["required"])), trusted))

        values = FieldsDialog.ask("Identity policy", fields, chosen, self, ok_text="Save")
        if values is not None:
            save_identity_policy(self._repo.db, chosen(values), actor=self._actor, now=self._now())
            if self.case_view.case is not None:
                self.case_view.show_case(self.case_view.case.id)
            self.statusBar().showMessage(f"Identity policy: {chosen(values).describe()}", 5000)

    @Slot()
    def edit_letter_settings(self) -> None:
        current = load_letter_settings(self._repo.db)
        fields = [
            Field(
                "paper",
                "&Paper",
                "choice",
                [("auto", "A4; US Letter for the US entity"), ("A4", "A4 always"), ("Letter", "US Letter always")],
                default=current.paper,
            ),
            Field(
                "protect_all",
                "&Passwords",
                "bool",
                default=current.protect_all,
                hint="protect every letter, not only those carrying personal data",
            ),
        ]
        values = FieldsDialog.ask("Letter settings", fields, lambda v: None, self, ok_text="Save")
        if values is not None:
            chosen = LetterSettings(protect_all=values["protect_all"], paper=values["paper"])
            save_letter_settings(self._repo.db, chosen, actor=self._actor, now=self._now())

    @Slot()
    def daily_backup(self) -> None:
        """Copy the store in a worker thread (a second or more on a large store); audit and rotate after."""
        target = daily_target(self._store_path, self.today())
        if target is None or self.backup_worker is not None:
            return
        worker = Worker(
            lambda: copy_store_file(self._store_path, self._key, target), (DeskError, OSError, sqlite.Error), self
        )
        worker.finished.connect(self._backup_written)
        worker.failed.connect(self._backup_failed)
        self.backup_worker = worker
        worker.start()

    @Slot(object)
    def _backup_written(self, made: Path) -> None:
        self.backup_worker = None
        keep = load_keep(self._repo.db)
        finish_daily(self._repo.db, self._store_path, made, keep=keep, actor=self._actor, now=self._now())
        self.backup_label.setText(f"Last backup: {made.name}")
        self.statusBar().showMessage(f"Backup written: {made.name}", 5000)

    @Slot(str)
    def _backup_failed(self, error: str) -> None:
        self.backup_worker = None
        self.statusBar().showMessage(f"Daily backup failed: {error}", 15000)

    @Slot()
    def choose_mail(self) -> None:
        path = ask_mail_path(self)
        if path is not None:
            self.import_mail(path)

    def import_mail(self, path: Path) -> None:
        """An e-mail file becomes a prefilled new-case dialog; a file that is not mail is quarantined."""
        try:
            mail = read_mail(path)
        except MailError as error:
            kept = (
                quarantine(self._repo.db, path, str(error), actor=self._actor, now=self._now())
                if path.is_file()
                else None
            )
            note = "\n\nA copy is kept inside the store: File → Quarantined files…" if kept else ""
            QMessageBox.warning(self, "Not an e-mail DPO Desk can read", f"{error}{note}")
            return
        mails = MailStore(self._repo.db)
        draft = draft_from(mail, self._repo.register.entities())
        answer = NewCaseDialog.ask_for_mail(
            self._repo.register.entities(),
            self._now,
            lambda emails: self._repo.cases_from_emails(emails),
            draft,
            mails.same_sender(mail),
            mails.duplicates(mail.message_id),
            self,
        )
        if answer is None:
            return
        new, linked = answer
        try:
            case_id, _ = mails.add_reviewed(new, mail, actor=self._actor, now=self._now(), same_subject_as=linked)
        except DeskError as error:
            QMessageBox.warning(self, "Case not created", str(error))
            return
        self._created(case_id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _mail_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _mail_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            # After the drop returns: the mail program that started the drag must not wait on our dialog.
            QTimer.singleShot(0, lambda: self.import_mail(paths[0]))

    @Slot(int)
    def select_case(self, case_id: int, scroll: bool = True) -> None:
        row = self.model.row_of(case_id)
        if row is None:
            self.table.clearSelection()
            self.case_view.show_case(case_id)
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

    @Slot(int)
    def _case_changed(self, case_id: int) -> None:
        self.model.refresh()
        self.select_case(case_id, scroll=False)

    @Slot()
    def _after_reset(self) -> None:
        total = self._repo.count()
        shown = self.model.rowCount()
        self.count_label.setText(f"{shown:,} of {total:,} cases" if shown != total else f"{total:,} cases")
        self.empty.setText(EMPTY_STORE if total == 0 else NOTHING_MATCHES)
        self.empty.setVisible(shown == 0)
        self.empty.resize(self.table.viewport().size())
        self._update_case_actions()

    def _update_case_actions(self) -> None:
        has_case = self.case_view.case is not None
        for action in (self.change_status_action, self.add_note_action, self.correct_receipt_action):
            action.setEnabled(has_case)
        self.change_status_action.setToolTip(
            "Move the selected case to another status" if has_case else "Select a case first"
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.empty.resize(self.table.viewport().size())

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Data-subject requests from intake to letter, offline.",
        )

    @property
    def locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_screen

    @Slot()
    def lock(self) -> None:
        """Hide and drop every case on screen until the passphrase is typed. The store stays open, so that
        work in progress (a backup, a batch of letters) finishes; its key stays in this process."""
        if self.locked:
            return
        for dialog in self.findChildren(QDialog):
            dialog.reject()  # a dialog left open would show case data over the lock screen
        self.case_view.show_case(None)
        self.model.clear()
        self.audit_view.clear()
        for action in self._lockable_actions:
            action.setEnabled(False)
        self.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.entry.reset()
        self.lock_screen.entry.field.setFocus()

    @Slot(str)
    def try_unlock(self, passphrase: str) -> None:
        try:
            with wait_cursor():
                key = key_from_passphrase(self._store_path, passphrase)
        except DeskError as error:  # a wrong passphrase, or the key file gone since the store was opened
            self.lock_screen.entry.refuse(str(error).split(":")[0].capitalize())
            return
        if key == self._key:
            self.unlock()
        else:
            self.lock_screen.entry.refuse("That passphrase belongs to another store")

    @Slot()
    def change_passphrase(self) -> None:
        def check_current(passphrase: str) -> None:
            key_from_passphrase(self._store_path, passphrase)

        chosen = NewPassphraseDialog.ask(
            "Change the recovery passphrase",
            "The store's key stays the same; only the passphrase that unlocks it changes. Backups made "
            "before keep the old passphrase (the keyring opens them as well).",
            check_current,
            self,
        )
        if chosen is None:
            return
        try:
            change_store_passphrase(
                self._repo.db, self._store_path, self._key, chosen, actor=self._actor, now=self._now()
            )
        except (DeskError, OSError) as error:
            QMessageBox.critical(self, "Passphrase not changed", str(error))
            return
        self.statusBar().showMessage("Recovery passphrase changed", 5000)

    @Slot()
    def unlock(self) -> None:
        for action in self._lockable_actions:
            action.setEnabled(True)
        self.screens.setCurrentIndex(0)
        self.model.refresh()
        self._page_shown(self.pages.currentIndex())
        self._update_case_actions()
        self.idle_watcher.timer.start()

    def auto_lock_minutes(self) -> int:
        value = self._settings.value(IDLE_SETTING, DEFAULT_IDLE_MINUTES)
        try:
            return max(1, int(value))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    @Slot()
    def review_retention(self) -> None:
        RetentionDialog(self._repo.db, self._actor, self._now, self.today, self).exec()
        self.case_view.show_case(None)
        self.model.refresh()

    @Slot()
    def edit_backups_kept(self) -> None:
        keep, chosen = QInputDialog.getInt(
            self,
            "Backups to keep",
            "Keep this many daily backups beside the store (the oldest go first):",
            load_keep(self._repo.db),
            KEPT.low,
            KEPT.high,
        )
        if chosen:
            save_keep(self._repo.db, keep, actor=self._actor, now=self._now())

    @Slot()
    def show_quarantine(self) -> None:
        QuarantineDialog(self._repo.db, self._actor, self._now, self).exec()

    @Slot()
    def edit_auto_lock(self) -> None:
        minutes, chosen = QInputDialog.getInt(
            self,
            "Auto-lock",
            "Lock after this many minutes without a key press or mouse move:",
            self.auto_lock_minutes(),
            1,
            240,
        )
        if chosen:
            self._settings.setValue(IDLE_SETTING, minutes)
            self.idle_watcher.set_minutes(minutes)

    def _restore_state(self) -> None:
        geometry = self._saved("window/geometry")
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1380, 840)
        self.restoreState(self._saved("window/state"))
        splitter = self._saved("window/splitter")
        if splitter.isEmpty() or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([860, 460])
        for column, width in ((0, 108), (1, 140), (2, 110), (3, 132), (4, 80), (5, 80), (6, 90)):
            self.table.setColumnWidth(column, width)
        header = self._saved("window/case-columns")
        if not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)

    def _saved(self, key: str) -> QByteArray:
        value = self._settings.value(key, QByteArray(), type=QByteArray)
        return value if isinstance(value, QByteArray) else QByteArray()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        self._settings.setValue("window/case-columns", self.table.horizontalHeader().saveState())
        super().closeEvent(event)
