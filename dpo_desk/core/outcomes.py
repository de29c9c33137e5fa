"""What was done for each right a case invokes, checked per right (Arts. 15-21, Art. 8)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Right

CHILD = "child-deletion"  # Art. 8 and the policy's promise: data of children under 16 is deleted
ERASURE_GROUNDS = ("17(1)(a)", "17(1)(b)", "17(1)(c)", "17(1)(d)", "17(1)(e)", "17(1)(f)")
ERASURE_EXCEPTIONS = ("", "17(3)(a)", "17(3)(b)", "17(3)(c)", "17(3)(d)", "17(3)(e)")
OUTCOME_KINDS = (*(r.value for r in Right), CHILD)

# What each kind records, for `dpo-desk case --help` and the GUI.
FIELDS: dict[str, str] = {
    Right.ACCESS: "provided_on (date), note",
    Right.RECTIFICATION: "corrected (what was corrected), done_on (date)",
    Right.ERASURE: "ground (17(1)(a)-(f)), exception ('' or 17(3)(a)-(e)), systems (list), "
    "backups_beyond_use (true/false), done_on (date)",
    Right.RESTRICTION: "applied_on (date), lifting_notice_on (date, before lifting), lifted_on (date)",
    Right.OBJECTION: "direct_marketing (true/false), assessment (text; required unless direct marketing), "
    "upheld (true/false), done_on (date)",
    Right.PORTABILITY: "conditions_met (true/false), note, done_on (date)",
    Right.CONSENT_WITHDRAWAL: "consents (list), done_on (date)",
    Right.OTHER: "note, done_on (date)",
    CHILD: "age_basis (how the age under 16 was established), systems (list), done_on (date)",
}


def _text(details: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = details.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InputError(f"{key}: required")
    return value.strip()


def _date(details: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    value = details.get(key)
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError(f"{key}: give a date YYYY-MM-DD") from None


def _flag(details: Mapping[str, Any], key: str) -> bool:
    value = details.get(key)
    if not isinstance(value, bool):
        raise InputError(f"{key}: true or false")
    return value


def _list(details: Mapping[str, Any], key: str) -> list[str]:
    value = details.get(key, [])
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{key}: a list with at least one entry")
    return [v.strip() for v in value]


def _access(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"provided_on": _date(d, "provided_on"), "note": _text(d, "note", required=False)}


def _rectification(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"corrected": _text(d, "corrected"), "done_on": _date(d, "done_on")}


def _erasure(d: Mapping[str, Any]) -> dict[str, Any]:
    ground, exception = d.get("ground"), d.get("exception", "")
    if ground not in ERASURE_GROUNDS:
        raise InputError(f"ground: one of {', '.join(ERASURE_GROUNDS)}")
    if exception not in ERASURE_EXCEPTIONS:
        raise InputError(f"exception: '' or one of {', '.join(ERASURE_EXCEPTIONS[1:])}")
    return {
        "ground": ground,
        "exception": exception,
        "systems": _list(d, "systems"),
        "backups_beyond_use": _flag(d, "backups_beyond_use"),
        "done_on": _date(d, "done_on"),
    }


def _restriction(d: Mapping[str, Any]) -> dict[str, Any]:
    applied = _date(d, "applied_on")
    notice = _date(d, "lifting_notice_on", required=False)
    lifted = _date(d, "lifted_on", required=False)
    if lifted is not None:
        # Art. 18(3): the subject is informed before the restriction is lifted.
        if notice is None or notice > lifted:
            raise InputError("lifting_notice_on: the subject must be told before the restriction is lifted")
        if applied is not None and lifted < applied:
            raise InputError("lifted_on: a restriction cannot be lifted before it was applied")
    return {"applied_on": applied, "lifting_notice_on": notice, "lifted_on": lifted}


def _objection(d: Mapping[str, Any]) -> dict[str, Any]:
    marketing = _flag(d, "direct_marketing")
    if marketing:
        # Art. 21(3): absolute; nothing to weigh.
        return {"direct_marketing": True, "upheld": True, "assessment": "", "done_on": _date(d, "done_on")}
    return {
        "direct_marketing": False,
        "assessment": _text(d, "assessment"),
        "upheld": _flag(d, "upheld"),
        "done_on": _date(d, "done_on"),
    }


def _portability(d: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "conditions_met": _flag(d, "conditions_met"),
        "note": _text(d, "note", required=False),
        "done_on": _date(d, "done_on"),
    }


def _consent(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"consents": _list(d, "consents"), "done_on": _date(d, "done_on")}


def _other(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"note": _text(d, "note"), "done_on": _date(d, "done_on")}


def _child(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"age_basis": _text(d, "age_basis"), "systems": _list(d, "systems"), "done_on": _date(d, "done_on")}


_VALIDATORS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    Right.ACCESS: _access,
    Right.RECTIFICATION: _rectification,
    Right.ERASURE: _erasure,
    Right.RESTRICTION: _restriction,
    Right.OBJECTION: _objection,
    Right.PORTABILITY: _portability,
    Right.CONSENT_WITHDRAWAL: _consent,
    Right.OTHER: _other,
    CHILD: _child,
}


def validate_outcome(kind: str, details: Mapping[str, Any], invoked: tuple[Right, ...]) -> dict[str, Any]:
    """The outcome of ``kind`` in canonical form; a right the case does not invoke has no outcome."""
    if kind not in _VALIDATORS:
        raise InputError(f"right: unknown outcome {kind!r}; one of {', '.join(OUTCOME_KINDS)}")
    if kind != CHILD and Right(kind) not in invoked:
        raise InputError(f"right: the case does not invoke {kind}")
    if not isinstance(details, Mapping):
        raise InputError("details: must be an object")
    return _VALIDATORS[kind](details)


def suppression_hash(email: str, salt: str) -> str:
    """What the suppression list keeps of an objector: a salted hash of the e-mail, nothing else."""
    return hashlib.sha256(f"{salt}:{email.strip().casefold()}".encode()).hexdigest()
