"""The window's first paint, as a signal; and ``--exit-when-shown``: the seconds from the process's start to the
main window shown with the case list painted, printed, then the app quits (for the start-up benchmark, the
bundle's smoke test, and anyone checking how fast a laptop opens a store)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

_IMPORTED = time.monotonic()  # the fallback where the OS does not say when the process started


class FirstPaint(QObject):
    """Signals:
    painted: ``widget`` was painted for the first time, and that paint has reached the screen.
    """

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)  # after this paint, not inside it
        return False


class ShownProbe(FirstPaint):
    """Once ``painted`` (the case list's viewport) has been painted, prints the time and quits."""

    def __init__(self, painted: QWidget) -> None:
        super().__init__(painted)
        self.painted.connect(self._finish)

    def _finish(self) -> None:
        sys.stdout.write(f"{seconds_since_start():.3f}\n")
        sys.stdout.flush()
        QApplication.exit(0)


def seconds_since_start() -> float:
    """Since the process started (Linux: its start time in /proc), else since this module was imported."""
    try:
        fields = Path("/proc/self/stat").read_text().rpartition(")")[2].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22 of stat(5), counted after the name
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED
    return uptime - started
