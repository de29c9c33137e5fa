"""A dialog built from declared fields (``application/fields.py``): every workflow action's form and every
settings editor, without a class each.

The caller passes a validator (an action's own check, or a setting's), so the dialog names the field at
fault, by its label, as the DPO types; OK stays disabled until nothing is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.fields import Field, Form, Kind, cost_items_as_lines, cost_items_from_lines, labelled
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.form_dialog import FormDialog
from dpo_desk.gui.modal import run_modal
from dpo_desk.gui.scheme import colours, recolour

LIST_ROWS_SHOWN = 8  # the seven kinds of identity evidence fit
LIST_WIDTH_MAX = 560


class OptionalDate(QWidget):
    """A date that may be left out: a tick box saying what the date is, and the date once ticked.

    Signals:
    changed: the tick or the date changed.
    """

    changed = Signal()

    def __init__(self, text: str, day: date | None, default: date) -> None:
        super().__init__()
        self.given = QCheckBox(text or "given")
        shown = day or default
        self.date = QDateEdit(QDate(shown.year, shown.month, shown.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.given.setChecked(day is not None)
        self.date.setEnabled(day is not None)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.given)
        layout.addWidget(self.date, 1)
        self.given.toggled.connect(self.date.setEnabled)
        self.given.toggled.connect(self.changed)
        self.date.dateChanged.connect(self.changed)
        self.setFocusProxy(self.given)

    def value(self) -> date | None:
        return _day(self.date.date()) if self.given.isChecked() else None


class Choices(QListWidget):
    """Some of a list of options, each a tick box."""

    def __init__(self, options: Sequence[tuple[str, str]], chosen: Sequence[str]) -> None:
        super().__init__()
        for value, text in options:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)
        rows = max(1, min(len(options), LIST_ROWS_SHOWN))
        self.setFixedHeight(self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 4 if options else 30)
        # As wide as its longest option, so no sideways scroll bar hides an option's end and a row.
        widest = self.sizeHintForColumn(0) + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(min(widest, LIST_WIDTH_MAX))

    def value(self) -> list[str]:
        picked = (self.item(row) for row in range(self.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in picked if item.checkState() == Qt.CheckState.Checked]

    def set_checked(self, value: str, checked: bool) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == value:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class FieldsDialog(FormDialog):
    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        form: Form,
        validate: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        *,
        ok_text: str = "",
        preset: Mapping[str, Any] | None = None,
        note: str = "",
        field_notes: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(title, parent, ok_text=ok_text, scrolling=bool(field_notes))
        self.setMinimumWidth(480)
        self._fields = list(fields)
        self._validate_with = validate
        self.inputs: dict[str, QWidget] = {}
        if note:
            explain = QLabel(note)
            explain.setWordWrap(True)
            self.above.addWidget(explain)
        given = dict(preset or {})
        for spec in self._fields:
            initial = given[spec.name] if spec.name in given else spec.initial(form)
            widget = self._make(spec, initial, form)
            self.inputs[spec.name] = widget
            self.form.addRow(spec.label, _with_note(widget, (field_notes or {}).get(spec.name, "")))
        self._validate()

    @classmethod
    def ask(
        cls,
        title: str,
        fields: Sequence[Field],
        form: Form,
        validate: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        *,
        ok_text: str = "",
        preset: Mapping[str, Any] | None = None,
        note: str = "",
        field_notes: Mapping[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """The one call site for callers, and the one thing tests replace. ``field_notes``: a line of rich text
        shown under a field (the source a processor sheet's field cites)."""
        dialog = cls(
            title, fields, form, validate, parent, ok_text=ok_text, preset=preset, note=note, field_notes=field_notes
        )
        return dialog.values() if run_modal(dialog) else None

    def _make(self, spec: Field, initial: Any, form: Form) -> QWidget:
        widget: QWidget
        if spec.kind is Kind.LONG or spec.kind is Kind.COST_ITEMS:
            text = cost_items_as_lines(initial) if spec.kind is Kind.COST_ITEMS and initial else initial or ""
            widget = QPlainTextEdit(text)
            widget.setFixedHeight(70)
            widget.setPlaceholderText(
                "one per line: description; quantity; unit cost" if spec.kind is Kind.COST_ITEMS else spec.help
            )
            widget.setTabChangesFocus(True)
            widget.textChanged.connect(self._validate)
        elif spec.kind is Kind.INT:
            widget = QSpinBox()
            widget.setRange(spec.low, spec.high)
            if spec.unit:
                unit = spec.unit
                widget.valueChanged.connect(lambda value, box=widget: box.setSuffix(f" {unit_for(value, unit)}"))
            widget.setValue(int(initial if initial is not None else spec.low))
            widget.setSuffix(f" {unit_for(widget.value(), spec.unit)}" if spec.unit else "")
            widget.valueChanged.connect(self._validate)
        elif spec.kind is Kind.DATE and not spec.required:
            widget = OptionalDate(spec.help, initial, form.today)
            widget.changed.connect(self._validate)
        elif spec.kind is Kind.DATE:
            day: date = initial or form.today
            widget = QDateEdit(QDate(day.year, day.month, day.day))
            widget.setCalendarPopup(True)
            widget.setDisplayFormat("yyyy-MM-dd")
            widget.dateChanged.connect(self._validate)
        elif spec.kind is Kind.DATETIME:
            local = (initial or form.now).astimezone()
            widget = QDateTimeEdit(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))
            widget.setCalendarPopup(True)
            widget.setDisplayFormat(f"yyyy-MM-dd HH:mm '{local.tzname() or ''}'".replace(" ''", ""))
            widget.dateTimeChanged.connect(self._validate)
        elif spec.kind is Kind.BOOL:
            widget = QCheckBox(spec.help)
            widget.setChecked(bool(initial))
            widget.toggled.connect(self._validate)
        elif spec.kind is Kind.CHOICE:
            widget = QComboBox()
            for value, text in spec.choices(form):
                widget.addItem(text, value)
            if initial is not None:
                widget.setCurrentIndex(max(0, widget.findData(initial)))
            widget.currentIndexChanged.connect(self._validate)
        elif spec.kind is Kind.CHOICES:
            widget = Choices(spec.choices(form), list(initial or ()))
            widget.itemChanged.connect(self._validate)
        else:  # text and list
            shown = ", ".join(initial) if spec.kind is Kind.LIST and initial else initial or ""
            widget = QLineEdit(shown)
            lists = "separated by commas" if spec.kind is Kind.LIST else ""
            widget.setPlaceholderText("; ".join(part for part in (spec.help, lists) if part))
            widget.textChanged.connect(self._validate)
        return widget

    def values(self) -> dict[str, Any]:
        """What was entered, in the fields' types (see ``application/fields.py``)."""
        return {spec.name: self._value(spec, self.inputs[spec.name]) for spec in self._fields}

    def _value(self, spec: Field, widget: QWidget) -> Any:
        if isinstance(widget, QPlainTextEdit):
            text = widget.toPlainText().strip()
            return cost_items_from_lines(text) if spec.kind is Kind.COST_ITEMS else text
        if isinstance(widget, OptionalDate | Choices):
            return widget.value()
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
            shown = widget.dateTime()
            day, time = shown.date(), shown.time()
            return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute()).astimezone()
        if isinstance(widget, QDateEdit):
            return _day(widget.date())
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QComboBox):
            return widget.currentData() if widget.count() else ""
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        return [part.strip() for part in text.split(",") if part.strip()] if spec.kind is Kind.LIST else text

    def _validate(self) -> None:
        if not hasattr(self, "inputs") or len(self.inputs) < len(self._fields):
            return  # still being built
        try:
            self._validate_with(self.values())
        except DeskError as error:
            self.show_problem(labelled(self._fields, str(error)))
        else:
            self.show_problem("")


def unit_for(count: int, unit: str) -> str:
    """A unit as a count reads it: "1 idle minute", "2 idle minutes", "1 day after receipt"."""
    return re.sub(r"\b(\w+)s\b", r"\1", unit, count=1) if count == 1 else unit


def _day(shown: QDate) -> date:
    return date(shown.year(), shown.month(), shown.day())


def _with_note(widget: QWidget, note: str) -> QWidget:
    if not note:
        return widget
    label = QLabel(note)
    # Always rich text: Qt takes a note without a tag for plain text, and showed "Drift&#x27;s" as written.
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    # by mouse only: Tab goes from field to field, not through the notes' links
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
    )
    recolour(label, lambda: label.setStyleSheet(f"color: {colours().hint}; font-size: 8pt;"))
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    layout.addWidget(widget)
    layout.addWidget(label)
    return column
