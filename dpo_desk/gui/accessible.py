"""What a screen reader announces for a widget: its name, and where useful a description.

Qt announces a button by its text, but a field, a list or a table only by what is set here; a combo box
would otherwise announce its value ("All statuses") rather than what it chooses."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

W = TypeVar("W", bound=QWidget)
# The widgets that need a name of their own: a button's text already is one.
VALUE_WIDGETS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QPlainTextEdit)


def named(widget: W, name: str, description: str = "") -> W:
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def label_text(text: str) -> str:
    """A label as it reads: without its mnemonic mark and its colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def name_form_fields(form: QFormLayout) -> None:
    """Each field of the form announced by its row's label; a row of several widgets names the first that
    takes a value, and a button in it keeps its own text."""
    for row in range(form.rowCount()):
        label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        label = label_item.widget() if label_item is not None else None
        field = field_item.widget() if field_item is not None else None
        if not isinstance(label, QLabel) or field is None:
            continue
        name = label_text(label.text())
        candidates = [field, *field.findChildren(QWidget)]
        values = [w for w in candidates if isinstance(w, VALUE_WIDGETS) and not _inside_compound(w, field)]
        unnamed_buttons = [w for w in candidates if isinstance(w, QAbstractButton) and not w.text().strip()]
        for widget in values[:1] + unnamed_buttons:
            if not widget.accessibleName():
                widget.setAccessibleName(name)
        if field.accessibleName() == "" and not values:
            field.setAccessibleName(name)


def _inside_compound(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False
