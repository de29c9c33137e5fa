"""A walk over what a window shows, as a screen reader and the keyboard meet it: the interactive widgets
with the names they are announced by, and the Alt+letter mnemonics that are live at the same time."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QPlainTextEdit)
# Parts of a compound widget that a screen reader meets as the compound itself.
COMPOUND = (QComboBox, QAbstractSpinBox, QTabBar, QCalendarWidget, QAbstractItemView)
MNEMONIC = re.compile(r"&([^&\s])")


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisible() and widget.window() is root.window()


def interactive_widgets(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView) or not shown(widget, root):
            continue
        parent = widget.parentWidget()
        inner = False
        while parent is not None and parent is not root:
            if isinstance(parent, COMPOUND):
                inner = True
                break
            parent = parent.parentWidget()
        if not inner and not isinstance(widget.parentWidget(), QTabBar):
            found.append(widget)
    return found


def announced_name(widget: QWidget) -> str:
    """The explicit accessible name; a button (or a checkable group) is announced by its own text."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return _plain(widget.text())
    return ""


def mnemonic_letters(root: QWidget) -> list[tuple[str, str]]:
    """Every Alt+letter live while ``root``'s window shows what it shows now."""
    texts: list[str] = []
    if isinstance(root, QMainWindow):
        texts += [action.text() for action in root.menuBar().actions() if action.isVisible()]
    for widget in root.findChildren(QWidget):
        if not shown(widget, root):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None and shown(widget.buddy(), root)
        ):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
    return [(match.group(1).lower(), _plain(text)) for text in texts if (match := MNEMONIC.search(text))]


@dataclass
class Findings:
    """What the walk found, screen by screen."""

    widgets: int = 0
    unnamed: list[str] = field(default_factory=list)
    same_names: list[str] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)
    dialogs_kept: int = 0

    def look_at(self, screen: str, root: QWidget) -> None:
        self.screens.append(screen)
        widgets = interactive_widgets(root)
        self.widgets += len(widgets)
        self.unexplained += [
            f"{screen}: {announced_name(w)}"
            for w in widgets
            if isinstance(w, QAbstractButton) and not w.isEnabled() and not w.toolTip()
        ]
        names = Counter()
        for widget in widgets:
            name = announced_name(widget)
            if not name:
                self.unnamed.append(f"{screen}: {type(widget).__name__} {widget.objectName() or ''}".strip())
            names[name] += 1
        self.same_names += [f"{screen}: {name!r} ×{n}" for name, n in names.items() if name and n > 1]
        by_letter: dict[str, list[str]] = {}
        for letter, text in mnemonic_letters(root):
            by_letter.setdefault(letter, []).append(text)
        self.clashes += [
            f"{screen}: Alt+{letter}: {' / '.join(texts)}" for letter, texts in by_letter.items() if len(texts) > 1
        ]
