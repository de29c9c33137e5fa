"""A dialog built from a list of fields: the workflow's many small forms without a class each.

The caller passes a validator (usually the core's own), so the dialog names the field
at fault as the DPO types, with the same words the command line uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dpo_desk.core.errors import DeskError
from dpo_desk.gui.form_dialog import FormDialog


@dataclass(frozen=True, slots=True)
class Field:
    """One input: ``kind`` is text, long, date, datetime, bool, list or choice."""

    name: str
    label: str
    kind: str = "text"
    options: Sequence[tuple[str, str]] = ()  # (value, label) for a choice
    default: Any = None
    hint: str = ""
    optional: bool = False


class FieldsDialog(FormDialog):
    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        validate: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        *,
        ok_text: str = "",
    ) -> None:
        super().__init__(title, parent, ok_text=ok_text)
        self.setMinimumWidth(480)
        self._fields = list(fields)
        self._validate_with = validate
        self.inputs: dict[str, QWidget] = {}
        for spec in self._fields:
            widget = self._make(spec)
            self.inputs[spec.name] = widget
            self.form.addRow(spec.label, widget)
        self._validate()

    @classmethod
    def ask(
        cls,
        title: str,
        fields: Sequence[Field],
        validate: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        *,
        ok_text: str = "",
    ) -> dict[str, Any] | None:
        dialog = cls(title, fields, validate, parent, ok_text=ok_text)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _make(self, spec: Field) -> QWidget:
        widget: QWidget
        if spec.kind == "long":
            widget = QPlainTextEdit(spec.default or "")
            widget.setFixedHeight(70)
            widget.setPlaceholderText(spec.hint)
            widget.textChanged.connect(self._validate)
        elif spec.kind == "date":
            day: date = spec.default or date.today()
            widget = QDateEdit(QDate(day.year, day.month, day.day))
            widget.setCalendarPopup(True)
            widget.setDisplayFormat("yyyy-MM-dd")
            widget.dateChanged.connect(self._validate)
        elif spec.kind == "datetime":
            moment: datetime = spec.default or datetime.now()
            widget = QDateTimeEdit(QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0))
            widget.setCalendarPopup(True)
            widget.setDisplayFormat("yyyy-MM-dd HH:mm")
            widget.dateTimeChanged.connect(self._validate)
        elif spec.kind == "bool":
            widget = QCheckBox(spec.hint)
            widget.setChecked(bool(spec.default))
            widget.toggled.connect(self._validate)
        elif spec.kind == "choice":
            widget = QComboBox()
            for value, label in spec.options:
                widget.addItem(label, value)
            if spec.default is not None:
                widget.setCurrentIndex(max(0, widget.findData(spec.default)))
            widget.currentIndexChanged.connect(self._validate)
        else:  # text and list
            widget = QLineEdit(", ".join(spec.default) if spec.kind == "list" and spec.default else spec.default or "")
            widget.setPlaceholderText(spec.hint or ("separated by commas" if spec.kind == "list" else ""))
            widget.textChanged.connect(self._validate)
        return widget

    def values(self) -> dict[str, Any]:
        """What was entered, in the types the core takes: str, date, datetime (local, naive), bool, list."""
        values: dict[str, Any] = {}
        for spec in self._fields:
            widget = self.inputs[spec.name]
            if isinstance(widget, QPlainTextEdit):
                value: Any = widget.toPlainText().strip()
            elif isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
                shown = widget.dateTime()
                day, time = shown.date(), shown.time()
                value = datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())
            elif isinstance(widget, QDateEdit):
                picked = widget.date()
                value = date(picked.year(), picked.month(), picked.day())
            elif isinstance(widget, QCheckBox):
                value = widget.isChecked()
            elif isinstance(widget, QComboBox):
                value = widget.currentData()
            else:
                assert isinstance(widget, QLineEdit)
                text = widget.text().strip()
                value = [part.strip() for part in text.split(",") if part.strip()] if spec.kind == "list" else text
            if spec.optional and value in ("", []):
                continue
            values[spec.name] = value
        return values

    def _validate(self) -> None:
        if not hasattr(self, "inputs") or len(self.inputs) < len(self._fields):
            return  # still being built
        try:
            self._validate_with(self.values())
        except DeskError as error:
            self.show_problem(str(error))
        else:
            self.show_problem("")
