"""Declared workflow actions (``application/actions.py``) as buttons: each is enabled, or disabled with the
reason in its tooltip, from the case's state every time a case is shown, and opens the action's form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from dpo_desk.application.actions import Action
from dpo_desk.application.desk import Desk
from dpo_desk.application.fields import labelled
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.case_view import NO_CASE
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.rich_text import sentence


class ActionButton(QPushButton):
    def __init__(self, action: Action[Any], parent: QWidget | None = None) -> None:
        super().__init__(action.button, parent)
        self.action = action
        self.show_state(None)

    def show_state(self, state: CaseState | None) -> None:
        """Enabled when the case's state allows the action; else disabled, saying why."""
        reason = NO_CASE if state is None else self.action.allowed(state)
        self.setEnabled(reason is None)
        self.setToolTip(sentence(reason if reason is not None else self.action.summary))


def perform(
    desk: Desk, action: Action[Any], case_id: int, parent: QWidget, *, preset: Mapping[str, Any] | None = None
) -> str | None:
    """Ask for the action's fields, then do it; what happened, or None when the DPO cancelled or the store
    refused (the refusal is shown). Warnings in what happened are shown too."""
    state = desk.state(case_id)
    form = desk.form(state)
    values = FieldsDialog.ask(
        f"{action.title} ({state.case.reference})",
        action.fields,
        form,
        lambda entered: action.check(entered, form),
        parent,
        ok_text=action.ok_text,
        preset=preset,
    )
    if values is None:
        return None
    try:
        message = action.run(desk, case_id, values)
    except DeskError as error:
        QMessageBox.warning(parent, "Not recorded", sentence(labelled(action.fields, str(error))))
        return None
    warnings = [line.removeprefix("warning: ") for line in message.splitlines() if line.startswith("warning: ")]
    if warnings:
        QMessageBox.warning(parent, action.title, "\n\n".join(sentence(w) for w in warnings))
    return message
