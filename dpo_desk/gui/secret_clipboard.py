"""A letter's password on the clipboard stays there a minute at most, and not past Lock: the clipboard is
shared with every program, and a locked laptop must not hand the password to the next paste."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 60_000


class _Copied:
    text: str | None = None
    timer: QTimer | None = None


def copy_secret(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    _Copied.text = text
    if _Copied.timer is None:
        _Copied.timer = QTimer()
        _Copied.timer.setSingleShot(True)
        _Copied.timer.timeout.connect(forget_secret)
    _Copied.timer.start(CLEAR_AFTER_MS)


def forget_secret() -> None:
    """Clear the clipboard if it still holds the secret copied last; what the DPO copied since stays."""
    clipboard = QGuiApplication.clipboard()
    if _Copied.text is not None and clipboard.text() == _Copied.text:
        clipboard.clear()
    _Copied.text = None
    if _Copied.timer is not None:
        _Copied.timer.stop()
