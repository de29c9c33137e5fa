"""Reminders, at start and hourly: open cases due within the working days set, and extension notices due.

Through the system tray where there is one, and a banner at the top of the window otherwise. Either,
clicked, opens the case list filtered to those cases. The message holds counts only, never a name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

from dpo_desk.application.dashboard import Reminder
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.models import CaseQuery
from dpo_desk.gui.background import raise_here
from dpo_desk.gui.scheme import colours, recolour

HOURLY_MS = 60 * 60 * 1000


class ReminderBanner(QFrame):
    """Signals:
    show_due(): list the cases due soon.
    show_notices(): list the cases whose extension notice is due.
    """

    show_due = Signal()
    show_notices = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        recolour(self, self._colour)
        self.text = QLabel()
        self.text.setWordWrap(True)  # at 1,024 pixels the reminder was cut mid-sentence: "…with the last day to"
        self.due_button = QPushButton("Show these cases")
        self.due_button.clicked.connect(self.show_due)
        self.notices_button = QPushButton("Show the extension notices due")
        self.notices_button.clicked.connect(self.show_notices)
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        for button in (self.due_button, self.notices_button, dismiss):
            layout.addWidget(button)
        self.hide()

    def _colour(self) -> None:
        banner = colours()
        self.setStyleSheet(
            f"ReminderBanner {{ background: {banner.banner_background}; }} QLabel {{ color: {banner.banner_text}; }}"
        )

    def show_reminder(self, reminder: Reminder) -> None:
        self.text.setText(f"Reminder: {reminder}.")
        self.due_button.setVisible(reminder.due > 0)
        self.notices_button.setVisible(reminder.notices > 0)
        self.show()


class Reminders(QObject):
    """Checks now and every hour; ``tray`` is None where the desktop has no system tray."""

    def __init__(
        self,
        desk: Desk,
        banner: ReminderBanner,
        open_list: Callable[[CaseQuery], None],
        window: QWidget,
        tray: QSystemTrayIcon | None,
        runner: Runner,
    ) -> None:
        super().__init__(window)
        self._desk = desk
        self._runner = runner
        self._banner = banner
        self._open_list = open_list
        self._tray = tray
        self.last: Reminder | None = None
        banner.show_due.connect(lambda: self._open(due=True))
        banner.show_notices.connect(lambda: self._open(due=False))
        if tray is not None:
            tray.setIcon(window.windowIcon())
            tray.setToolTip("DPO Desk")
            tray.messageClicked.connect(lambda: self._open(due=bool(self.last and self.last.due)))
            tray.show()
        self._timer = QTimer(self, interval=HOURLY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Count what is due in the runner's thread (781 ms at the start of a 100,000-case store); remind once
        it is counted."""
        self._runner.start(Task("reminder", lambda task: self._desk.reminder()), Listener(self._remind, raise_here))

    def _remind(self, reminder: Reminder) -> None:
        self.last = reminder
        if not (reminder.due or reminder.notices):
            self._banner.hide()
            return
        if self._tray is not None:
            self._tray.showMessage("DPO Desk", f"{reminder}.", QSystemTrayIcon.MessageIcon.Information)
        else:
            self._banner.show_reminder(reminder)

    def _open(self, *, due: bool) -> None:
        if self.last is not None:
            self._open_list(self.last.due_query if due else self.last.notices_query)
            self._banner.hide()
