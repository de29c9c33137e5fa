"""The colours that say something (a warning, an error, a success, a hint), for a light and a dark palette: the one
place naming them. The palette the widgets are painted with decides which set applies, since that is what the text
must stand out from: a platform may report no scheme (``Qt.ColorScheme.Unknown``) yet give a dark palette."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

SCHEME_VARIABLE = "DPO_DESK_COLOR_SCHEME"
ASKED_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


@dataclass(frozen=True, slots=True)
class Colours:
    warning: str
    error: str
    success: str
    hint: str
    accent: str  # a border that marks something out, not text
    banner_background: str
    banner_text: str


# Every text colour has a WCAG contrast of at least 4.5:1 against the window, base and alternate-base colours of
# Fusion's palette for its scheme (tests/gui/test_scheme.py measures it).
LIGHT = Colours(
    warning="#8a5a00",
    error="#c62828",
    success="#1b5e20",
    hint="#5f6368",
    accent="#1565c0",
    banner_background="#fff4ce",
    banner_text="#3b2f00",
)
DARK = Colours(
    warning="#ffb74d",
    error="#ef9a9a",
    success="#81c784",
    hint="#a0a6ac",
    accent="#90caf9",
    banner_background="#3d3200",
    banner_text="#ffe69c",
)


def is_dark(palette: QPalette) -> bool:
    window, text = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def colours() -> Colours:
    return DARK if is_dark(QGuiApplication.palette()) else LIGHT


def recolour(widget: QWidget, apply: Callable[[], None]) -> None:
    """Call ``apply`` now, and again after each change of scheme (see ``when_scheme_changes``)."""
    apply()
    when_scheme_changes(widget, apply)


def when_scheme_changes(widget: QWidget, apply: Callable[[], None]) -> None:
    """Call ``apply`` after each change of the application's palette from light to dark or back, for as long as
    ``widget`` lives."""
    _SchemeWatcher(widget, apply)


class _SchemeWatcher(QObject):
    def __init__(self, widget: QWidget, apply: Callable[[], None]) -> None:
        super().__init__(widget)  # goes with the widget, and its connection with it
        self._apply = apply
        _palette_notifier().changed.connect(self.run)

    @Slot()
    def run(self) -> None:
        self._apply()


class _PaletteNotifier(QWidget):
    """Never shown. Qt tells only top-level widgets that the application's palette changed: a widget inside a
    window hears of it as a PaletteChange, and not at all when a style sheet sets its colours.

    Signals:
    changed(): the palette turned from light to dark or back.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._dark = is_dark(QGuiApplication.palette())
        self._pending = False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and not self._pending:
            # Once the change is over: a platform theme changing scheme sets a palette for each widget class
            # it styles, and a view need not be refilled a dozen times.
            self._pending = True
            QTimer.singleShot(0, self, self._tell_if_scheme_changed)
        return super().event(event)

    def _tell_if_scheme_changed(self) -> None:
        self._pending = False
        dark = is_dark(QGuiApplication.palette())
        if dark != self._dark:
            self._dark = dark
            _repolish_style_sheets()
            self.changed.emit()


def _repolish_style_sheets() -> None:
    """A widget with a style sheet, even one naming only a font, keeps the palette it had when the sheet was
    applied (Qt 6.11): polished again, it takes the application's new one."""
    for widget in QApplication.allWidgets():
        if widget.styleSheet():
            style = widget.style()
            style.unpolish(widget)
            style.polish(widget)


@functools.cache
def _palette_notifier() -> _PaletteNotifier:
    return _PaletteNotifier()


def follow_system(app: QApplication) -> None:
    """Take the scheme asked for in DPO_DESK_COLOR_SCHEME (``light`` or ``dark``), else the system's, and keep
    Fusion's palette in step with it where the platform theme does not: offscreen, and xcb without a desktop
    theme, accept no scheme and keep the light palette (measured with Qt 6.11)."""
    hints = app.styleHints()
    asked = ASKED_SCHEMES.get(os.environ.get(SCHEME_VARIABLE, "").strip().lower())
    if asked is not None:
        hints.setColorScheme(asked)
    hints.colorSchemeChanged.connect(lambda scheme: _match_palette(app, scheme))
    _match_palette(app, asked or hints.colorScheme())


def _match_palette(app: QApplication, scheme: Qt.ColorScheme) -> None:
    if app.style().name() != "fusion":
        return  # a native style (Windows 11, macOS, Breeze) takes its palette from the system with its scheme
    if scheme is Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(fusion_dark_palette())
    elif scheme is Qt.ColorScheme.Light and is_dark(app.palette()):
        app.setPalette(QPalette())  # the platform's own palette again


def fusion_dark_palette() -> QPalette:
    """Qt's own Fusion palette for the dark scheme (``qt_fusionPalette`` in qplatformtheme.cpp, read from Qt 6.11
    under the gtk3 platform theme), which Qt gives only where the platform theme reports a dark scheme."""
    palette = QPalette()
    role = QPalette.ColorRole
    for name, colour in (
        (role.WindowText, "#f0f0f0"),
        (role.Button, "#323232"),
        (role.Light, "#4b4b4b"),
        (role.Midlight, "#2a2a2a"),
        (role.Dark, "#212121"),
        (role.Mid, "#262626"),
        (role.Text, "#f0f0f0"),
        (role.BrightText, "#4b4b4b"),
        (role.ButtonText, "#f0f0f0"),
        (role.Base, "#242424"),
        (role.Window, "#323232"),
        (role.Shadow, "#191919"),
        (role.Highlight, "#308cc6"),
        (role.HighlightedText, "#f0f0f0"),
        (role.Link, "#308cc6"),
        (role.LinkVisited, "#ff00ff"),
        (role.AlternateBase, "#2b2b2b"),
        (role.ToolTipBase, "#ffffdc"),
        (role.ToolTipText, "#000000"),
        (role.Accent, "#308cc6"),
    ):
        palette.setColor(name, QColor(colour))
    placeholder = QColor("#f0f0f0")
    placeholder.setAlpha(128)
    palette.setColor(role.PlaceholderText, placeholder)
    disabled = QPalette.ColorGroup.Disabled
    for name, colour in (
        (role.WindowText, "#828282"),
        (role.Text, "#828282"),
        (role.ButtonText, "#828282"),
        (role.Base, "#323232"),
        (role.Shadow, "#252525"),
        (role.Highlight, "#919191"),
        (role.Accent, "#919191"),
    ):
        palette.setColor(disabled, name, QColor(colour))
    return palette
