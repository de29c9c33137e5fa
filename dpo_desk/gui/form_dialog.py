"""The frame every editing dialog shares: a form, a line naming the field at fault, OK and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


class FormDialog(QDialog):
    """Subclasses add rows to :attr:`form` (and widgets to :attr:`below`) and call :meth:`show_problem`."""

    def __init__(
        self, title: str, parent: QWidget | None = None, *, ok_text: str = "", scrolling: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.below = QVBoxLayout()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828; font-weight: 600;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok_text:
            self.ok.setText(ok_text)
        layout = QVBoxLayout(self)
        if scrolling:  # a long form stays inside the screen and scrolls
            inner = QWidget()
            inner.setLayout(self.form)
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setWidget(inner)
            layout.addWidget(area, 1)
        else:
            layout.addLayout(self.form)
        layout.addLayout(self.below)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def show_problem(self, problem: str) -> None:
        """Name what is wrong, or nothing; OK is enabled only when nothing is."""
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)
        wanted = self.sizeHint().height()
        if self.isVisible() and wanted > self.height():  # a message of two lines must not cover the fields
            self.resize(self.width(), wanted)
