"""A page of the window that is built the first time it is shown or asked for, not with the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class LazyPage(QWidget, Generic[W]):
    def __init__(self, build: Callable[[], W], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._content: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._content is not None

    def content(self) -> W:
        """The page, built now if it was not yet."""
        if self._content is None:
            content = self._build()
            self._layout.addWidget(content)
            if self.isVisible():  # a child added to a widget on screen stays hidden until shown
                content.show()
            self._content = content
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        # Built before its first paint, so that the page never shows empty for a frame.
        self.content()
        super().showEvent(event)
