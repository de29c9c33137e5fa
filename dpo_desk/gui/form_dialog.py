"""The frame every editing dialog shares: a form, a line naming the field at fault, OK and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
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

from dpo_desk.gui.accessible import name_form_fields
from dpo_desk.gui.scheme import colours, recolour


class FormDialog(QDialog):
    """Subclasses add rows to :attr:`form` (and widgets to :attr:`below`) and call :meth:`show_problem`."""

    def __init__(
        self, title: str, parent: QWidget | None = None, *, ok_text: str = "", scrolling: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.above = QVBoxLayout()  # outside the scrolling part: a note over the form stays in view
        self.below = QVBoxLayout()
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        # What a form still needs is said from the start, as a hint; it turns into an error once the DPO
        # has changed something and it still stands (every dialog opened on a red error).
        self._edited = False
        recolour(self.problem, self._colour_problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok_text:
            self.ok.setText(ok_text)
        layout = QVBoxLayout(self)
        layout.addLayout(self.above)
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
        # Return in a multi-line field starts a new line; Ctrl+Return confirms from anywhere in the form.
        confirm = QShortcut(QKeySequence("Ctrl+Return"), self)
        confirm.activated.connect(self._confirm)

    def _confirm(self) -> None:
        if self.ok.isEnabled():
            self.ok.click()

    def showEvent(self, event: QShowEvent) -> None:
        """Open with the focus in the first field, never on a button: typing goes where the DPO looks."""
        super().showEvent(event)
        name_form_fields(self.form)
        first = self.first_field()
        if first is not None and self.focusWidget() not in self.form_fields():
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def form_fields(self) -> list[QWidget]:
        """The widgets the DPO can type into or choose in, in the form's order."""
        fields: list[QWidget] = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is None:
                continue
            for candidate in (widget, *widget.findChildren(QWidget)):
                if candidate.focusPolicy() & Qt.FocusPolicy.TabFocus and candidate.isEnabled():
                    fields.append(candidate)
        return fields

    def first_field(self) -> QWidget | None:
        return next((field for field in self.form_fields() if field.isVisibleTo(self)), None)

    def _colour_problem(self) -> None:
        if self._edited:
            self.problem.setStyleSheet(f"color: {colours().error}; font-weight: 600;")
        else:
            self.problem.setStyleSheet(f"color: {colours().hint};")

    def show_problem(self, problem: str) -> None:
        """Name what is wrong, or nothing; OK is enabled only when nothing is. Called on every change of
        a field, so a call while the dialog is shown follows an edit."""
        if self.isVisible() and not self._edited:
            self._edited = True
            self._colour_problem()
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)
        self.ok.setToolTip(problem)
        wanted = self.sizeHint().height()
        if self.isVisible() and wanted > self.height():  # a message of two lines must not cover the fields
            self.resize(self.width(), wanted)
