"""What was done for each right a case invokes, checked per right (Arts. 15-21, Art. 8)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Right

CHILD = "child-deletion"  # Art. 8 and the policy's promise: data of children under 16 is deleted
ERASURE_GROUNDS = ("17(1)(a)", "17(1)(b)", "17(1)(c)", "17(1)(d)", "17(1)(e)", "17(1)(f)")
ERASURE_EXCEPTIONS = ("", "17(3)(a)", "17(3)(b)", "17(3)(c)", "17(3)(d)", "17(3)(e)")
OUTCOME_KINDS = (*(r.value for r in Right), CHILD)


def outcome_label(kind: str) -> str:
    """An outcome's kind as the DPO reads it: the right's name, or the deletion of a child's data."""
    return "Child deletion" if kind == CHILD else Right(kind).label


def check_outcome(kind: str, details: Mapping[str, Any], invoked: tuple[Right, ...]) -> dict[str, Any]:
    """The outcome as it is kept: what was recorded for one right, checked against that right's rules.

    What each outcome records (its fields and their types) is declared once, with the action that records
    it (``application/actions.py``); the rules here are those that span fields or follow from the law.
    """
    if kind not in OUTCOME_KINDS:
        raise InputError(f"right: unknown outcome {kind!r}; one of {', '.join(OUTCOME_KINDS)}")
    if kind != CHILD and Right(kind) not in invoked:
        raise InputError(f"right: the case does not invoke {kind}")
    if not isinstance(details, Mapping):
        raise InputError("details: must be an object")
    kept = dict(details)
    rule = _RULES.get(kind)
    if rule is not None:
        rule(kept)
    return kept


def _erasure(details: dict[str, Any]) -> None:
    if details.get("ground") not in ERASURE_GROUNDS:
        raise InputError(f"ground: one of {', '.join(ERASURE_GROUNDS)}")
    if details.get("exception", "") not in ERASURE_EXCEPTIONS:
        raise InputError(f"exception: '' or one of {', '.join(ERASURE_EXCEPTIONS[1:])}")
    # Keeping data under Art. 17(3) refuses part of the request: the subject must be told why (Art. 12(4)).
    if details.get("exception") and not str(details.get("kept") or "").strip():
        raise InputError("kept: say which data is kept under the exception and why it is needed")


def _restriction(details: dict[str, Any]) -> None:
    applied, notice, lifted = (_day(details, key) for key in ("applied_on", "lifting_notice_on", "lifted_on"))
    if lifted is None:
        return
    # Art. 18(3): the subject is informed before the restriction is lifted.
    if notice is None or notice > lifted:
        raise InputError("lifting_notice_on: the subject must be told before the restriction is lifted")
    if applied is not None and lifted < applied:
        raise InputError("lifted_on: a restriction cannot be lifted before it was applied")


def _objection(details: dict[str, Any]) -> None:
    if details.get("direct_marketing"):
        # Art. 21(3): absolute; nothing to weigh.
        details.update(upheld=True, assessment="")
        return
    if not str(details.get("assessment") or "").strip():
        raise InputError("assessment: weigh the grounds given against the reasons for processing (Art. 21(1))")
    if not isinstance(details.get("upheld"), bool):
        raise InputError("upheld: true or false: whether the processing stopped")


def _day(details: Mapping[str, Any], key: str) -> date | None:
    value = details.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{key}: give a date YYYY-MM-DD") from None


_RULES: dict[str, Callable[[dict[str, Any]], None]] = {
    Right.ERASURE: _erasure,
    Right.RESTRICTION: _restriction,
    Right.OBJECTION: _objection,
}
