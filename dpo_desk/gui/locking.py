"""Locking the window: a lock screen in place of the case data, on request (Ctrl+L) or after idle minutes
(an audited store setting), until the recovery passphrase is typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QStackedWidget, QVBoxLayout, QWidget

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Runner
from dpo_desk.gui.passphrase import PassphraseEntry, check_passphrase_task
from dpo_desk.gui.secret_clipboard import forget_secret

# Only what a person does counts as activity; timers and repaints must not keep the window unlocked.
LOCK_ACTION = "lock-window"  # the object name of the window's Lock action, which a form open over it triggers

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` once no key or mouse event came for ``minutes``.

    It watches each top-level window as the window takes the focus (the main window, then each dialog):
    the platform delivers the DPO's input to the window before its widgets. Installed on the application
    instead, it ran Python for every event of every widget (each paint, layout and timer): 12% of the case
    page's first show, about 4 ms of each case opened at 100,000 cases.

    Signals:
    idle(): the idle time has passed.
    """

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):  # there is one whenever a window exists
            application.focusWindowChanged.connect(self._watch)
            self._watch(application.focusWindow())

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(minutes * 60 * 1000)
        self.timer.start()

    @Slot(QWindow)
    def _watch(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)  # a window watched already stays watched once

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.timer.start()
        return False


class LockScreen(QWidget):
    """What the window shows while locked: no case data, a passphrase field."""

    def __init__(self) -> None:
        super().__init__()
        title = QLabel("DPO Desk is locked")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        explain = QLabel("Case data is hidden until you unlock with the recovery passphrase.")
        explain.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.entry = PassphraseEntry()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, explain, self.entry):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class WindowLock(QObject):
    """Swaps the window's body for the lock screen and back. The store stays open while locked, so work in
    progress (a backup, a batch of letters) finishes; its key stays in this process.

    Signals:
    locked(): the window is locked; the case data must go from every widget and model.
    unlocked(): the passphrase was typed; the case data may come back.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, desk: Desk, runner: Runner, screens: QStackedWidget, window: QWidget, minutes: int) -> None:
        super().__init__(window)
        self._desk = desk
        self._runner = runner
        self._screens = screens
        self._window = window
        self.screen = LockScreen()
        screens.addWidget(self.screen)
        self.screen.entry.submitted.connect(self.try_unlock)
        self.idle_watcher = IdleWatcher(minutes, self)
        self.idle_watcher.idle.connect(self.lock)

    @property
    def is_locked(self) -> bool:
        return self._screens.currentWidget() is self.screen

    @Slot()
    def lock(self) -> None:
        if self.is_locked:
            return
        from dpo_desk.gui.form_dialog import FormDialog  # loaded with the first dialog, not at start

        # A menu or a list dropped open would stay over the lock screen too.
        closed: list[QWidget] = []
        while (popup := QApplication.activePopupWidget()) is not None and popup not in closed:
            closed.append(popup)  # a popup that refuses to close is not asked again
            popup.close()
        # A dialog left open would show case data over the lock screen; a form keeps what was typed in it.
        for dialog in self._window.findChildren(QDialog):
            if isinstance(dialog, FormDialog):
                dialog.set_aside()
            else:
                dialog.reject()
        forget_secret()
        self.locked.emit()
        self._screens.setCurrentWidget(self.screen)
        self.screen.entry.reset()
        # Once the lock screen is shown: set before, the focus went to its Unlock button and typing
        # opened menus.
        QTimer.singleShot(0, lambda: self.screen.entry.field.setFocus(Qt.FocusReason.OtherFocusReason))

    @Slot(str)
    def try_unlock(self, passphrase: str) -> None:
        check_passphrase_task(self._runner, self.screen.entry, lambda: self._desk.opens_with(passphrase), self._open)

    def _open(self) -> None:
        self._screens.setCurrentIndex(0)
        self.idle_watcher.timer.start()
        self.unlocked.emit()
