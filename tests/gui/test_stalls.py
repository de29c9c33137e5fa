"""DPO_DESK_STALLS: a stall of the event loop is logged with the stack that held the window's thread."""

import logging
import time

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from dpo_desk.gui.stalls import StallWatch


def hold_the_window_thread() -> None:
    time.sleep(1.0)  # ten times the threshold: the watchdog samples it many times over


def test_a_stall_is_logged_with_the_function_that_held_the_thread(
    qtbot: QtBot, qapp: object, caplog: pytest.LogCaptureFixture
) -> None:
    watch = StallWatch()
    try:
        with caplog.at_level(logging.WARNING, logger="dpo_desk.stalls"):
            QTimer.singleShot(0, hold_the_window_thread)
            qtbot.waitUntil(lambda: any("hold_the_window_thread" in stack for _, stack in watch.stalls), timeout=10_000)
        seconds = max(seconds for seconds, stack in watch.stalls if "hold_the_window_thread" in stack)
        assert seconds >= 0.9
        assert any("event loop stalled" in r.message and "hold_the_window_thread" in r.message for r in caplog.records)
    finally:
        watch.stop()
