"""The frame every editing dialog shares: a form, a line naming the field at fault, OK and Cancel.

What was typed is never lost without the DPO's word: Escape, Cancel and the close button ask first, and
a form the window's lock closes keeps what it held for the next time it opens in that window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.gui.accessible import name_form_fields
from dpo_desk.gui.locking import LOCK_ACTION
from dpo_desk.gui.modal import run_modal
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
        self._as_shown: list[tuple[str, Any]] | None = None  # the fields when first shown, to tell an edit
        self.put_back = QLabel("What you typed before the window locked is back.")
        self.put_back.setObjectName("put-back")
        self.put_back.hide()
        self.above.addWidget(self.put_back)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok_text:
            self.ok.setText(ok_text)
        layout = QVBoxLayout(self)
        layout.addLayout(self.above)
        self._scrolling = scrolling
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
        self.buttons.rejected.connect(self.cancel)
        # Return in a multi-line field starts a new line; Ctrl+Return confirms from anywhere in the form.
        confirm = QShortcut(QKeySequence("Ctrl+Return"), self)
        confirm.activated.connect(self._confirm)
        # A modal form holds the window's own shortcuts: Ctrl+L locks from here too (and sets the form aside).
        lock = QShortcut(QKeySequence("Ctrl+L"), self)
        lock.activated.connect(self._lock_window)

    def _lock_window(self) -> None:
        parent = self.parentWidget()
        action = parent.window().findChild(QAction, LOCK_ACTION) if parent is not None else None
        if action is not None and action.isEnabled():
            action.trigger()

    def _confirm(self) -> None:
        if self.ok.isEnabled():
            self.ok.click()

    def setVisible(self, visible: bool) -> None:
        """A scrolling form takes its size before Qt places it over its window: sized once shown, it grew
        past the screen's bottom edge from where it had been placed."""
        if visible and self._scrolling and self._as_shown is None:
            self.fit_screen()
        super().setVisible(visible)

    def showEvent(self, event: QShowEvent) -> None:
        """Open with the focus in the first field, never on a button: typing goes where the DPO looks."""
        super().showEvent(event)
        if self._as_shown is None:
            self._as_shown = _typed(self.form)
            self._put_back_what_was_set_aside()
        name_form_fields(self.form)
        first = self.first_field()
        if first is not None and self.focusWidget() not in self.form_fields():
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel(self) -> None:
        """Escape or Cancel: what was typed goes only once the DPO says so."""
        if not self._typed_since_shown() or _discard_confirmed(self):
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.cancel()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The title bar's close button asks as Escape does; a close by the program (a lock, a test) does not."""
        if event.spontaneous() and self._typed_since_shown() and not _discard_confirmed(self):
            event.ignore()
            return
        super().closeEvent(event)

    def set_aside(self) -> None:
        """Close for the window's lock, without a question: what was typed comes back when this form next
        opens in the window."""
        kept = _SetAside.of(self)
        if kept is not None and self._typed_since_shown():
            kept.typed[self.set_aside_key()] = _typed(self.form)
        self.reject()

    def set_aside_key(self) -> tuple[str, ...]:
        """Which form this is, for what a lock set aside: its kind and title (which name the case)."""
        return (type(self).__name__, self.windowTitle())

    def _typed_since_shown(self) -> bool:
        return self._as_shown is not None and _typed(self.form) != self._as_shown

    def _put_back_what_was_set_aside(self) -> None:
        kept = _SetAside.of(self)
        typed = kept.typed.pop(self.set_aside_key(), None) if kept is not None else None
        if typed is None or [kind for kind, _ in typed] != [kind for kind, _ in self._as_shown or []]:
            return
        for widget, (_, value) in zip(_inputs(self.form), typed, strict=True):
            _put(widget, value)
        self.put_back.show()

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
        if self._scrolling:  # the form scrolls rather than push OK below the screen's edge
            wanted = min(wanted, self._tallest())
        if self.isVisible() and wanted > self.height():  # a message of two lines must not cover the fields
            self.resize(self.width(), wanted)

    def fit_screen(self) -> None:
        """As tall as the form, but no taller than the screen: the rest scrolls."""
        screen = self.screen().availableGeometry()
        parts = (self.form, self.above, self.below, self.buttons)
        height = sum(part.sizeHint().height() for part in parts) + self.buttons.sizeHint().height()
        self.resize(
            max(self.minimumWidth(), min(self.form.sizeHint().width() + 40, screen.width() * 9 // 10)),
            min(height + 60, self._tallest()),
        )

    def _tallest(self) -> int:
        return self.screen().availableGeometry().height() * 9 // 10


class _SetAside(QObject):
    """What the forms a lock closed held, by form, until each opens again; one per window."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("forms-set-aside")
        self.typed: dict[tuple[str, ...], list[tuple[str, Any]]] = {}

    @classmethod
    def of(cls, dialog: QDialog) -> _SetAside | None:
        parent = dialog.parentWidget()
        if parent is None:
            return None
        window = parent.window()
        found = window.findChild(QObject, "forms-set-aside", Qt.FindChildOption.FindDirectChildrenOnly)
        return found if isinstance(found, _SetAside) else cls(window)


def forms_set_aside(window: QWidget) -> list[str]:
    """The titles of the forms whose typed text a lock set aside in ``window``, until each opens again."""
    found = window.findChild(QObject, "forms-set-aside", Qt.FindChildOption.FindDirectChildrenOnly)
    return [key[1] for key in found.typed] if isinstance(found, _SetAside) else []


_INPUTS = (QLineEdit, QPlainTextEdit, QAbstractButton, QComboBox, QAbstractSpinBox, QListWidget)


def _inputs(form: QFormLayout) -> list[QWidget]:
    """Every field widget of the form, enabled or not, in the form's order."""
    found: list[QWidget] = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        field = item.widget() if item is not None else None
        if field is not None:
            found += _inputs_in(field)
    return found


def _inputs_in(widget: QWidget) -> list[QWidget]:
    if isinstance(widget, _INPUTS):
        return [widget]  # not its parts: a spin box's own line edit is the spin box's value
    return [
        found
        for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        for found in _inputs_in(child)
    ]


def _typed(form: QFormLayout) -> list[tuple[str, Any]]:
    """What each field holds, with its kind: equal lists mean nothing was changed."""
    return [(type(widget).__name__, _value(widget)) for widget in _inputs(form)]


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentText()  # not its row: a list read again (an entity added) has other rows
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    if isinstance(widget, QListWidget):
        return tuple(
            widget.item(row).text()
            for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked
        )
    return None


def _put(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(value)
    elif isinstance(widget, QComboBox):
        if (row := widget.findText(value)) >= 0:
            widget.setCurrentIndex(row)
    elif isinstance(widget, QDateTimeEdit):
        widget.setDateTime(value)
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.setValue(value)
    elif isinstance(widget, QListWidget):
        for row in range(widget.count()):
            item = widget.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.text() in value else Qt.CheckState.Unchecked)


def _discard_confirmed(dialog: QDialog) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard what you typed?",
        "Close this form and lose what you typed in it?",
        parent=dialog,
    )
    # No mnemonics: a message box takes a button's letter without Alt, so the "d" of a DPO typing on after
    # a stray Escape discarded the form. Return and Escape keep editing; Discard takes Tab and Space, or a click.
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    focused = dialog.focusWidget()
    run_modal(box)
    if box.clickedButton() is discard:
        return True
    dialog.activateWindow()  # the keys go back to the field they left, also where no window manager does it
    if focused is not None:
        focused.setFocus(Qt.FocusReason.OtherFocusReason)
    return False
