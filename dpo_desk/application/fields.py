"""The typed fields of a form, declared once: the app builds its dialogs from them, the command line reads
its JSON documents and writes its ``--help`` with them.

A field's value has the type of its kind: ``str`` (text, long, choice), ``int``, ``date`` (``None`` when an
optional date is left out), an aware ``datetime``, ``bool``, ``list[str]`` (list, choices) or a tuple of
cost items. Reading a JSON document names the field at fault, as every refusal does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.errors import InputError
from dpo_desk.core.fees import CostItem, cost_item
from dpo_desk.core.intake import parse_received
from dpo_desk.core.settings import BoolSetting, ChoiceSetting, IntSetting, SetSetting, Setting, TextSetting

if TYPE_CHECKING:
    from dpo_desk.application.desk import Desk

Options = Sequence[tuple[str, str]]  # (value, label)


class Kind(StrEnum):
    TEXT = "text"
    LONG = "long"  # text of several lines
    INT = "int"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    LIST = "list"  # of short texts
    CHOICE = "choice"  # one of the options
    CHOICES = "choices"  # some of the options
    COST_ITEMS = "cost-items"  # description, quantity and unit cost of each


TEXT_KINDS = (Kind.TEXT, Kind.LONG)


@dataclass(frozen=True, slots=True)
class Form:
    """What a form's defaults and options may depend on: the time, who fills it in, the case (if any) and
    the store (the register's sources are options)."""

    now: datetime
    actor: str
    state: CaseState | None = None
    desk: Desk | None = None

    @property
    def today(self) -> date:
        return self.now.astimezone().date()


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # the JSON key, and how refusals name the field
    label: str  # as the app shows it; '&' marks the keyboard mnemonic
    kind: Kind = Kind.TEXT
    help: str = ""  # the hint in the app, the description in --help
    required: bool = True  # False: may be left out (JSON) or left empty (app)
    empty_ok: bool = False  # a required field that may be given empty: none of the options chosen
    options: Options | Callable[[Form], Options] = ()
    default: Any = None  # a value, or a function of the form
    low: int = 0  # bounds of a whole number
    high: int = 0
    unit: str = ""  # as it reads after a whole number: "months"
    shape: str = ""  # what --help says the value looks like, where the options depend on the case

    @property
    def caption(self) -> str:
        """The label without its mnemonic mark: how messages name the field."""
        return self.label.replace("&", "")

    def choices(self, form: Form) -> Options:
        return self.options(form) if callable(self.options) else self.options

    def initial(self, form: Form) -> Any:
        return self.default(form) if callable(self.default) else self.default

    def describe(self) -> str:
        """The field as ``--help`` lists it: 'kind (passport|national-id|…)', 'start (YYYY-MM-DD)'."""
        shapes = {
            Kind.INT: f"{self.low}-{self.high}",
            Kind.DATE: "YYYY-MM-DD",
            Kind.DATETIME: "ISO 8601 with offset",
            Kind.BOOL: "true|false",
            Kind.LIST: "list",
            Kind.COST_ITEMS: "[{description, quantity, unit_cost}]",
        }
        shape = self.shape or shapes.get(self.kind, "")
        if self.kind in (Kind.CHOICE, Kind.CHOICES) and not callable(self.options):
            values = "|".join(value or "''" for value, _ in self.options)
            shape = f"[{values}]" if self.kind is Kind.CHOICES else values
        notes = [part for part in (shape, self.help, "" if self.required else "optional") if part]
        return f"{self.name} ({'; '.join(notes)})" if notes else self.name

    def read_json(self, document: Mapping[str, Any], form: Form) -> Any:
        """This field's value from a JSON document, in the field's type."""
        if self.name not in document or document[self.name] is None:
            if self.required:
                raise InputError(f"{self.name}: missing field")
            return self.empty()
        value = document[self.name]
        reader = _READERS[self.kind]
        return reader(self, value, form)

    def empty(self) -> Any:
        """The value of a field left out: a yes-or-no left out is neither (None), for the rules to decide."""
        return {Kind.LIST: [], Kind.CHOICES: [], Kind.COST_ITEMS: ()}.get(
            self.kind, "" if self.kind in TEXT_KINDS or self.kind is Kind.CHOICE else None
        )

    def shown(self, value: Any) -> str:
        """A recorded value in words ('yes', 'CRM, newsletter'); empty where nothing was recorded."""
        if value is None or value in ("", [], ()):
            return ""
        if self.kind is Kind.BOOL:
            return "yes" if value else "no"
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        labels = dict(self.options) if self.kind is Kind.CHOICE and not callable(self.options) else {}
        return labels.get(value, str(value))

    def missing(self, value: Any) -> bool:
        """Whether a required field was left empty."""
        if not self.required or self.empty_ok or self.kind in (Kind.BOOL, Kind.INT):
            return False
        if self.kind in TEXT_KINDS or self.kind is Kind.CHOICE:
            return not str(value or "").strip()
        return value is None or value in ([], ())


def read_document(fields: Sequence[Field], document: Any, form: Form) -> dict[str, Any]:
    """Every field's value from a JSON object; an unknown key is refused, so a typo is not silently lost."""
    if not isinstance(document, Mapping):
        raise InputError("the document must be a JSON object")
    names = {field.name for field in fields}
    unknown = sorted(key for key in document if key not in names)
    if unknown:
        raise InputError(f"{unknown[0]}: not a field of this action; its fields are {', '.join(sorted(names))}")
    return {field.name: field.read_json(document, form) for field in fields}


def summary(fields: Sequence[Field], record: Mapping[str, Any]) -> str:
    """A stored record in one line, 'Label: value; …' in the fields' order. A key no field declares (a record
    older than its form) is shown as stored, so that nothing recorded is hidden."""
    declared = {field.name for field in fields}
    parts = [f"{field.caption}: {shown}" for field in fields if (shown := field.shown(record.get(field.name)))]
    parts += [f"{name}: {value}" for name, value in record.items() if name not in declared]
    return "; ".join(parts)


def labelled(fields: Sequence[Field], problem: str) -> str:
    """A refusal as the DPO reads it: the field named by its label, not its JSON key."""
    name, separator, rest = problem.partition(": ")
    for field in fields:
        if separator and name == field.name:
            return f"{field.caption}: {rest}"
    return problem


def check_complete(fields: Sequence[Field], values: Mapping[str, Any]) -> None:
    """Refuse a required field left empty, naming it."""
    for field in fields:
        if field.missing(values.get(field.name)):
            raise InputError(f"{field.name}: required")


def cost_items_from_lines(text: str) -> tuple[CostItem, ...]:
    """Cost items typed one per line, as 'description; quantity; unit cost'."""
    items = []
    for line in text.splitlines():
        if line.strip():
            parts = [part.strip() for part in line.split(";")]
            if len(parts) != 3:
                raise InputError(f"items: {line.strip()!r} must read description; quantity; unit cost")
            items.append(cost_item(*parts))
    return tuple(items)


def cost_items_as_lines(items: Sequence[CostItem]) -> str:
    return "\n".join(f"{item.description}; {item.quantity}; {item.unit_cost}" for item in items)


def _text(field: Field, value: Any, form: Form) -> str:
    if not isinstance(value, str):
        raise InputError(f"{field.name}: must be text")
    return value


def _int(field: Field, value: Any, form: Form) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{field.name}: must be a whole number")
    if not field.low <= value <= field.high:
        raise InputError(f"{field.name}: {value}; choose between {field.low} and {field.high}")
    return value


def _date(field: Field, value: Any, form: Form) -> date | None:
    if value == "" and not field.required:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{field.name}: {value!r} is not a valid date YYYY-MM-DD") from None


def _datetime(field: Field, value: Any, form: Form) -> datetime:
    return parse_received(value, now=form.now, field=field.name)


def _bool(field: Field, value: Any, form: Form) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{field.name}: must be true or false")
    return value


def _list(field: Field, value: Any, form: Form) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{field.name}: must be a list of texts")
    return [item.strip() for item in value if item.strip()]


def _choice(field: Field, value: Any, form: Form) -> str:
    values = [option for option, _ in field.choices(form)]
    if value not in values:
        raise InputError(f"{field.name}: {value!r} is not one of {', '.join(v or repr('') for v in values)}")
    return str(value)


def _choices(field: Field, value: Any, form: Form) -> list[str]:
    if not isinstance(value, list):
        raise InputError(f"{field.name}: must be a list")
    return [_choice(field, item, form) for item in value]


def _cost_items(field: Field, value: Any, form: Form) -> tuple[CostItem, ...]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise InputError(f"{field.name}: a list of objects with description, quantity and unit_cost")
    return tuple(
        cost_item(str(item.get("description", "")), item.get("quantity"), item.get("unit_cost")) for item in value
    )


_READERS: dict[Kind, Callable[[Field, Any, Form], Any]] = {
    Kind.TEXT: _text,
    Kind.LONG: _text,
    Kind.INT: _int,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.BOOL: _bool,
    Kind.LIST: _list,
    Kind.CHOICE: _choice,
    Kind.CHOICES: _choices,
    Kind.COST_ITEMS: _cost_items,
}


def setting_fields(settings: Sequence[Setting[Any]]) -> list[Field]:
    """The fields of one form of settings, each keyed on a letter no earlier field of the form took."""
    taken: set[str] = set()
    fields = []
    for setting in settings:
        free = (at for at, letter in enumerate(setting.label) if letter.isalpha() and letter.lower() not in taken)
        at = next(free, 0)
        taken.add(setting.label[at].lower())
        fields.append(_setting_field(setting, f"{setting.label[:at]}&{setting.label[at:]}"))
    return fields


def _setting_field(setting: Setting[Any], label: str) -> Field:
    """The field that edits a store setting, from the setting's own declaration."""
    if isinstance(setting, IntSetting):
        return Field(
            setting.key, label, Kind.INT, help=setting.help, low=setting.low, high=setting.high, unit=setting.unit
        )
    if isinstance(setting, BoolSetting):
        return Field(setting.key, label, Kind.BOOL, help=setting.help)
    if isinstance(setting, ChoiceSetting):
        return Field(setting.key, label, Kind.CHOICE, help=setting.help, options=setting.options())
    if isinstance(setting, TextSetting):
        return Field(setting.key, label, Kind.LONG, help=setting.help, required=False)
    assert isinstance(setting, SetSetting), setting
    return Field(setting.key, label, Kind.CHOICES, help=setting.help, options=setting.options())


def setting_value(setting: Setting[Any], value: Any) -> Any:
    """A setting's value as its field shows it (an enumeration's member as its value)."""
    if isinstance(setting, SetSetting):
        return [member.value for member in value]
    if isinstance(setting, ChoiceSetting):
        return value.value
    return value
