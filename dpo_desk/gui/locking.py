"""Locking the window: a lock screen in place of the case data, after idle time or on request (Ctrl+L)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from dpo_desk.gui.passphrase import PassphraseEntry

DEFAULT_IDLE_MINUTES = 10
IDLE_SETTING = "security/auto-lock-minutes"
# Only what a person does counts as activity; timers and repaints must not keep the window unlocked.
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
    """Installed on the application; emits ``idle`` once no key or mouse event came for ``minutes``.

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

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(minutes * 60 * 1000)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.timer.start()
        return False


class LockScreen(QWidget):
    """What the window shows while locked: no case data, a passphrase field.

    Signals:
    unlock_requested(str): the DPO typed a passphrase and pressed Unlock.
    """

    unlock_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        title = QLabel("DPO Desk is locked")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        explain = QLabel("Case data is hidden until you unlock with the recovery passphrase.")
        explain.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.entry = PassphraseEntry()
        self.entry.submitted.connect(self.unlock_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, explain, self.entry):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
