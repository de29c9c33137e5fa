"""Edit → the store's settings, each editor built from the settings' declarations (``core/settings.py``):
deadlines (with each entity's holiday calendar), the identity policy, letters, auto-lock, backups kept.

Every change is checked as the DPO types, saved only when something changed, and audited by the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from dpo_desk.application.desk import Desk
from dpo_desk.application.entity_fields import calendar_label
from dpo_desk.application.fields import Field, Kind, setting_fields, setting_value
from dpo_desk.application.jobs import Runner, Task
from dpo_desk.core.calendars import CALENDARS, check_calendar
from dpo_desk.core.errors import DeskError
from dpo_desk.core.settings import (
    AUTO_LOCK_MINUTES,
    BACKUPS_KEPT,
    CHILD_SETTINGS,
    DEADLINE_SETTINGS,
    IDENTITY_SETTINGS,
    LETTER_SETTINGS,
    Setting,
)
from dpo_desk.gui.background import wait_for
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.rich_text import sentence

CALENDAR_NOTE = (
    "A deadline that ends on a Saturday, Sunday or public holiday of the entity's calendar moves to the next "
    "working day. 'None (weekends only)' moves it past weekends alone; for the US entity, Norway (the EEA "
    "representative's state) is the cautious alternative."
)


def _ask(
    desk: Desk,
    title: str,
    settings: Sequence[Setting[Any]],
    parent: QWidget,
    *,
    extra: Sequence[Field] = (),
    extra_values: Mapping[str, Any] | None = None,
    check_extra: Callable[[dict[str, Any]], None] = lambda values: None,
    note: str = "",
) -> tuple[dict[Setting[Any], Any], dict[str, Any]] | None:
    """The settings (checked, as the settings' own values) and the extra fields the DPO chose."""
    fields = setting_fields(settings) + list(extra)
    current = {setting.key: setting_value(setting, desk.settings.get(setting)) for setting in settings}

    def changes(values: dict[str, Any]) -> dict[Setting[Any], Any]:
        return desk.settings.check({setting: values[setting.key] for setting in settings})

    def validate(values: dict[str, Any]) -> None:
        changes(values)
        check_extra(values)

    values = FieldsDialog.ask(
        title, fields, desk.form(), validate, parent, ok_text="Save", preset=current | dict(extra_values or {}),
        note=note,
    )  # fmt: skip
    if values is None:
        return None
    return changes(values), {field.name: values[field.name] for field in extra}


def edit_deadline_settings(desk: Desk, parent: QWidget, runner: Runner) -> int | None:
    """The rule set, internal target, "due soon" and calendars; every due date is recomputed. How many
    due dates moved, or None when nothing was saved."""
    entities = desk.register.entities()
    calendars = [
        Field(
            f"calendar:{e.id}",
            f"{e.name} ({e.country})",
            Kind.CHOICE,
            options=[(c, calendar_label(c)) for c in CALENDARS],
        )
        for e in entities
    ]

    def check_calendars(values: dict[str, Any]) -> None:
        for field in calendars:
            check_calendar(values[field.name])

    answer = _ask(
        desk,
        "Deadline settings",
        DEADLINE_SETTINGS,
        parent,
        extra=calendars,
        extra_values={f"calendar:{e.id}": e.calendar for e in entities},
        check_extra=check_calendars,
        note=CALENDAR_NOTE,
    )
    if answer is None:
        return None
    changes, chosen = answer
    by_entity = {int(name.partition(":")[2]): calendar for name, calendar in chosen.items()}

    def recompute(task: Task[int]) -> int:  # every due date of the store: seconds at 100,000 cases
        with desk.worker() as worker:
            return worker.apply_deadline_settings(changes, by_entity)

    return _saved(parent, lambda: wait_for(runner, Task("deadlines", recompute), "Recomputing the due dates…", parent))


def edit_identity_policy(desk: Desk, parent: QWidget) -> bool:
    return _edit(desk, "Identity policy", IDENTITY_SETTINGS, parent)


def edit_letter_settings(desk: Desk, parent: QWidget) -> bool:
    return _edit(desk, "Letter settings", LETTER_SETTINGS, parent)


def edit_consent_ages(desk: Desk, parent: QWidget) -> bool:
    return _edit(desk, "Age of digital consent", CHILD_SETTINGS, parent)


def edit_auto_lock(desk: Desk, parent: QWidget) -> bool:
    return _edit(desk, "Auto-lock", (AUTO_LOCK_MINUTES,), parent)


def edit_backups_kept(desk: Desk, parent: QWidget) -> bool:
    return _edit(desk, "Backups to keep", (BACKUPS_KEPT,), parent)


def _edit(desk: Desk, title: str, settings: Sequence[Setting[Any]], parent: QWidget) -> bool:
    """Whether a setting changed."""
    answer = _ask(desk, title, settings, parent)
    if answer is None:
        return False
    return bool(_saved(parent, lambda: desk.save_settings(answer[0])))


def _saved(parent: QWidget, save: Callable[[], Any]) -> Any:
    try:
        return save()
    except DeskError as error:
        QMessageBox.warning(parent, "Not saved", sentence(str(error)))
        return None
