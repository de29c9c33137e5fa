"""``DPO_DESK_STALLS=1``: every stall of the event loop over 100 ms goes into the log, with the Python stack
that held the window's thread. A timer on that thread beats every 20 ms; a watchdog thread samples the
window thread's stack every 10 ms while a beat is late, and once the beats resume logs the stall with its
length and the stack sampled most often in it (the last sample alone may be where the work ended, not
where it spent its time). For finding freezes at 100,000 cases, not for everyday use.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, QTimer

VARIABLE = "DPO_DESK_STALLS"
STALL_SECONDS = 0.1
BEAT_MS = 20
_log = logging.getLogger("dpo_desk.stalls")


@dataclass
class _Stall:
    started: float
    samples: Counter[str] = field(default_factory=Counter)


class StallWatch(QObject):
    """Logs each stall of the event loop it runs in; ``stop`` ends the watchdog."""

    def __init__(self, parent: QObject | None = None, threshold: float = STALL_SECONDS) -> None:
        super().__init__(parent)
        self._threshold = threshold
        self._thread_id = threading.get_ident()
        self._beat = time.monotonic()
        self._stall: _Stall | None = None
        self._lock = threading.Lock()
        self.stalls: list[tuple[float, str]] = []  # (seconds, stack) of each logged stall, newest last
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._beat_now)
        self._timer.start(BEAT_MS)
        self._running = True
        self._watchdog = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._watchdog.join()

    def _beat_now(self) -> None:
        now = time.monotonic()
        with self._lock:
            stall, self._stall, self._beat = self._stall, None, now
        if stall is not None and stall.samples:
            seconds = now - stall.started
            stack, count = stall.samples.most_common(1)[0]
            self.stalls.append((seconds, stack))
            _log.warning(
                "event loop stalled %.0f ms, in %d of %d samples in:\n%s",
                seconds * 1000, count, stall.samples.total(), stack,
            )  # fmt: skip

    def _watch(self) -> None:
        while self._running:
            time.sleep(BEAT_MS / 2000)
            with self._lock:
                late = time.monotonic() - self._beat
                if late < self._threshold:
                    continue
                if self._stall is None:
                    self._stall = _Stall(self._beat)
                frame = sys._current_frames().get(self._thread_id)
                if frame is not None:
                    self._stall.samples["".join(traceback.format_stack(frame))] += 1


def watch_if_asked(app: QCoreApplication) -> None:
    """With DPO_DESK_STALLS=1, a watch on ``app``'s event loop until it quits; one only. The app starts it at
    its window's first paint: before that no window is on screen to freeze, and the start itself (which
    ``--exit-when-shown`` times) was logged as a stall of 112-135 ms."""
    if os.environ.get(VARIABLE) == "1" and app.findChild(StallWatch) is None:
        watch = StallWatch(app)
        app.aboutToQuit.connect(watch.stop)
