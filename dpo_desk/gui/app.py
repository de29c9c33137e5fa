"""Starting the app: the log, QApplication, the store opened as a desk (asking in dialogs what the opening
needs), the main window. The composition root of the GUI."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from dpo_desk import APP_ID, APP_NAME, ORG_NAME, instance_lock, os_keyring
from dpo_desk.application import logs
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Runner, Task
from dpo_desk.application.stores import PASSPHRASE_VARIABLE, kept_copy_name, open_desk
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.app_icon import app_icon
from dpo_desk.gui.background import QtRunner, favour_the_window_thread, wait_for
from dpo_desk.gui.backups import StoreCheck
from dpo_desk.gui.first_run import store_to_open
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.gui.letters_aside import prepare_letters_aside
from dpo_desk.gui.main_window import CASES_PAGE, MainWindow
from dpo_desk.gui.passphrase import NewPassphraseDialog, UnlockDialog, choose_explanation
from dpo_desk.gui.scheme import follow_system
from dpo_desk.gui.stalls import watch_if_asked
from dpo_desk.gui.start_probe import ShownProbe
from dpo_desk.store.keys import WrongPassphraseError
from dpo_desk.store.opening import PassphraseFor

T = TypeVar("T")
HOUR_MS = 60 * 60 * 1000


def now() -> datetime:
    return datetime.now(UTC)


def run(
    store_path: Path, *, actor: str, demo: bool = False, exit_when_shown: bool = False, first_run: bool = False
) -> int:
    """The app on ``store_path``; ``exit_when_shown``: print the seconds to the case list painted, then quit
    (no background check or backup: the figure is the start alone). ``first_run``: no store was named, so until
    the DPO's own store exists the DPO chooses between it and the demo."""
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # the .desktop entry a Wayland desktop finds the name and icon in
    app.setWindowIcon(app_icon())
    follow_system(app)
    load_shipped_fonts()  # before any window: registered later, they made Qt lay out the whole window again
    logs.start("app")
    _show_unexpected_errors()
    if first_run:
        chosen = store_to_open(store_path)
        if chosen is None:
            return 0
        store_path, demo = chosen
    runner = QtRunner()
    favour_the_window_thread()
    app.aboutToQuit.connect(lambda: runner.wait_all(30_000))
    fill = functools.partial(make_demo, runner) if demo else None
    try:
        instance = instance_lock.hold(store_path)  # before the passphrase: a second window would be stale
        unlocker = DialogUnlocker(runner, os.environ.get(PASSPHRASE_VARIABLE, "") if exit_when_shown else "")
        desk = open_desk(store_path, unlocker, actor=actor, clock=now, fill=fill)
    except (DeskError, OSError) as error:
        QMessageBox.critical(None, f"{APP_NAME} cannot open the store", str(error))
        return 2
    app.aboutToQuit.connect(instance.release)
    if desk is None:
        return 2
    while True:  # once more after the background check found damage and a backup replaced the store
        chosen_backup: list[Path] = []
        try:
            window = MainWindow(desk, QSettings(), runner)
            # What the start made (modules, classes, the window's widgets) lives as long as the app: left to
            # the collector, each full collection walked it all again, a 50-70 ms stall of whatever ran then
            # (a case opened, at 100,000 cases).
            gc.freeze()
            gc.enable()  # off while the app loaded and built the window (cli.main); the session's work collects
            if exit_when_shown:
                window.navigation.setCurrentRow(CASES_PAGE)
                ShownProbe(window.table.viewport())
                window.show()
                code = app.exec()
                desk.close()
                return code
            window.first_paint.painted.connect(functools.partial(watch_if_asked, app))
            window.show()
            check = StoreCheck(desk, runner, window)
            check.damaged.connect(functools.partial(_damaged_while_open, window, desk, chosen_backup))
            window.first_paint.painted.connect(check.start)  # reading the whole file, it slowed the first paint
            # Not in the start probe: its figures are the start's, and pikepdf alone holds 12 MB.
            window.first_paint.painted.connect(prepare_letters_aside)
            QTimer.singleShot(0, functools.partial(offer_to_forget_unencrypted, desk, window))
            # A backup beside the store once a day (the newest few kept): soon after start, then checked
            # hourly so a window left open over midnight still makes the next day's copy.
            QTimer.singleShot(1000, window.daily_backup.run_if_due)
            hourly = QTimer(window)
            hourly.timeout.connect(window.daily_backup.run_if_due)
            hourly.start(HOUR_MS)
            code = app.exec()
        except BaseException:
            desk.close()
            raise
        if not chosen_backup:
            desk.close()
            return code
        try:
            desk, kept = desk.replaced_by_backup(chosen_backup[0])
        except (DeskError, OSError) as error:
            QMessageBox.critical(None, f"{APP_NAME} cannot restore the backup", str(error))
            return 2
        QMessageBox.information(
            None, APP_NAME, f"Restored {chosen_backup[0].name}. The damaged file is kept as {kept.name}."
        )


class DialogUnlocker:
    """What opening a store asks the DPO, asked in dialogs (see ``store/opening.py``)."""

    def __init__(self, runner: Runner, given: str = "") -> None:
        self._runner = runner
        self._given = given  # a start probe's passphrase from the environment, tried before the dialog

    def choose_passphrase(self, store: Path, purpose: PassphraseFor) -> str | None:
        explanation = choose_explanation(os_keyring.works())
        if purpose is PassphraseFor.OLD_STORE:
            return NewPassphraseDialog.ask(
                "Encrypt the store",
                f"{store} was made before DPO Desk encrypted its stores. Choose a recovery passphrase to "
                f"encrypt it now. An unencrypted copy is kept as {kept_copy_name(store)} until you confirm "
                f"that the encrypted store works.\n\n{explanation}",
            )
        if purpose is PassphraseFor.DEMO_STORE:
            return NewPassphraseDialog.ask(
                "Choose the demo store's recovery passphrase",
                f"This is the demo store, with fictitious cases; it is encrypted like a real one.\n\n{explanation}",
            )
        return NewPassphraseDialog.ask("Choose a recovery passphrase", explanation)

    def enter_passphrase(self, store: Path, reason: str, attempt: Callable[[str], bytes]) -> bytes | None:
        if self._given:
            with contextlib.suppress(WrongPassphraseError):
                return attempt(self._given)
        return UnlockDialog.ask(store, reason, attempt, self._runner)

    def restore_backup(self, store: Path, problem: str, backup: Path | None) -> bool:
        return ask_restore(problem, backup, None)

    def restored(self, backup: Path, kept: Path) -> None:
        QMessageBox.information(None, APP_NAME, f"Restored {backup.name}. The damaged file is kept as {kept.name}.")

    def slow(self, what: str, work: Callable[[], T]) -> T:
        result = wait_for(self._runner, Task(what, lambda task: work()), what)
        assert result is not None  # not cancellable: it ends with a result or raises
        return result


def make_demo(runner: Runner, desk: Desk) -> None:
    """Fill a demo store just made with its fictitious cases, behind a progress dialog (a few seconds)."""
    from dpo_desk.application.demo import DEMO_CASES, DEMO_SEED, populate  # not loaded by a start on a store

    def work(task: Task[int]) -> int:
        with desk.worker() as worker:
            populate(worker, cases=DEMO_CASES, seed=DEMO_SEED, progress=lambda done, total: task.progress(done, total))
            return worker.cases.count()

    wait_for(runner, Task("demo cases", work), "Making the demo cases…")


def offer_to_forget_unencrypted(desk: Desk, parent: QWidget) -> None:
    """Once the encrypted store is open and shown, the plain copies left by encryption can go."""
    leftovers = desk.unencrypted_leftovers()
    if not leftovers:
        return
    answer = QMessageBox.question(
        parent,
        "Delete the unencrypted copies?",
        "The encrypted store opened. These unencrypted copies of it are still on disk:\n\n"
        + "\n".join(f"• {path}" for path in leftovers)
        + "\n\nDelete them now? (Choose No to keep them for now; you will be asked again at the next start.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer == QMessageBox.StandardButton.Yes:
        desk.forget_unencrypted()


def _damaged_while_open(window: MainWindow, desk: Desk, chosen: list[Path], problems: str) -> None:
    backup = desk.backups.latest()
    if ask_restore(f"{desk.path} is damaged ({problems})", backup, window) and backup is not None:
        chosen.append(backup)
        window.close()  # the store must be closed before the backup replaces it; run() then reopens it


def ask_restore(reason: str, backup: Path | None, parent: QWidget | None) -> bool:
    """Name the damage and offer the latest backup; whether the DPO wants it."""
    if backup is None:
        QMessageBox.critical(parent, f"{APP_NAME}: the store is damaged", f"{reason}\n\nNo backup was found.")
        return False
    answer = QMessageBox.question(
        parent,
        f"{APP_NAME}: the store is damaged",
        f"{reason}\n\nRestore the latest backup, {backup.name} "
        f"({datetime.fromtimestamp(backup.stat().st_mtime).strftime('%Y-%m-%d %H:%M')})? "
        "Changes made after it are not in it. The damaged file is kept beside the store, renamed.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _show_unexpected_errors() -> None:
    """An exception no code expected (in a slot, a timer, a dialog) is logged, and the DPO is told in one
    line, never with a traceback; the app goes on."""
    logged = sys.excepthook

    def report(kind: type[BaseException], error: BaseException, where: TracebackType | None) -> None:
        logged(kind, error, where)
        QMessageBox.critical(
            QApplication.activeWindow(),
            f"{APP_NAME}: unexpected error",
            f"Something DPO Desk did not expect went wrong ({kind.__name__}); what you were doing was not "
            f"finished. The details are in {logs.where()}.",
        )

    sys.excepthook = report
