"""The declared workflow actions, without Qt: each names its fields, says when it is allowed, and does one
thing through the desk; the command line reads its JSON through the same fields."""

from datetime import date, timedelta
from typing import Any

import pytest

from dpo_desk.application import actions
from dpo_desk.application.actions import COMMAND_LINE, Action, Family
from dpo_desk.application.desk import Desk
from dpo_desk.application.fields import Field, Kind, read_document, setting_fields, summary
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.models import Right, Status
from dpo_desk.core.settings import DEADLINE_SETTINGS, IDENTITY_SETTINGS, LETTER_SETTINGS, Setting
from tests.conftest import NOW, assert_keyed_apart, new_case

EVERY_ACTION: list[Action[object]] = [
    entry
    for value in COMMAND_LINE.values()
    for entry in (value.members.values() if isinstance(value, Family) else [value])
]


def test_every_action_is_declared_whole() -> None:
    assert len(EVERY_ACTION) == 28
    assert len({action.name for action in EVERY_ACTION}) == len(EVERY_ACTION)
    for action in EVERY_ACTION:
        names = [field.name for field in action.fields]
        assert len(set(names)) == len(names), action.name
        assert action.button.count("&") <= 1 and action.summary, action.name
        for field in action.fields:
            assert field.label.count("&") <= 1 and field.describe().startswith(field.name), (action.name, field)
        assert_keyed_apart(action.fields)


@pytest.mark.parametrize("settings", [DEADLINE_SETTINGS, IDENTITY_SETTINGS, LETTER_SETTINGS])
def test_each_settings_form_is_keyed_apart(settings: tuple[Setting[Any], ...]) -> None:
    assert_keyed_apart(setting_fields(settings))  # "&Paper" and "&Passwords" were both on P


@pytest.fixture
def case_id(desk: Desk) -> int:
    return desk.add_case(new_case(received=NOW - timedelta(days=5), rights=(Right.ACCESS, Right.ERASURE)))


def values(action: Action[object], desk: Desk, case_id: int, **given: object) -> dict[str, object]:
    """The action's fields as its form starts, with ``given`` typed in."""
    form = desk.form(desk.state(case_id))
    return {field.name: field.initial(form) for field in action.fields} | {name: value for name, value in given.items()}


def test_run_does_the_action_and_says_what_happened(desk: Desk, case_id: int) -> None:
    today = NOW.date()
    message = actions.PAUSE.run(
        desk, case_id, values(actions.PAUSE, desk, case_id, kind="clarification", reason="Which systems?")
    )
    assert message.startswith("paused (clarification); due while paused: ")
    assert desk.state(case_id).case.open_pauses[0].start == today
    assert [event.action for event in desk.cases.history(case_id)] == ["created", "pause", "status"]
    assert desk.state(case_id).case.status is Status.WAITING_ON_SUBJECT  # the status follows the pause


def test_an_action_the_state_does_not_allow_is_refused_with_its_reason_and_changes_nothing(
    desk: Desk, case_id: int
) -> None:
    with pytest.raises(RefusedError, match="no pause of the clock is open"):
        actions.RESUME.run(desk, case_id, {"kind": "identity", "end": NOW.date()})
    desk.cases.change_status(case_id, Status.WITHDRAWN, actor="dpo", reason="withdrew", now=NOW)
    reason = actions.IDENTITY_WAIVE.allowed(desk.state(case_id))
    assert reason == "the case is withdrawn: reopen it (move it back to in progress) to change it"
    with pytest.raises(RefusedError, match="the case is withdrawn"):
        actions.IDENTITY_WAIVE.run(desk, case_id, {"reason": "logged in"})
    assert desk.state(case_id).decision is None
    assert actions.STATUS.allowed(desk.state(case_id)) is None  # it can always be reopened or closed


def test_the_core_refuses_as_the_dpo_types(desk: Desk, case_id: int) -> None:
    form = desk.form(desk.state(case_id))
    typed = values(actions.EXTEND, desk, case_id, reasons="complex", notice_sent_on=NOW.date() + timedelta(days=1))
    with pytest.raises(InputError, match="notice_sent_on: the notice date is in the future"):
        actions.EXTEND.check(typed, form)
    with pytest.raises(InputError, match="note: required"):  # a required field left empty, by its name
        actions.NOTE.check({"note": "  "}, form)


def test_options_follow_the_case(desk: Desk, case_id: int) -> None:
    state = desk.state(case_id)
    form = desk.form(state)
    to = next(field for field in actions.STATUS.fields if field.name == "to")
    assert [value for value, _ in to.choices(form)][:1] == ["identity-check"]  # the normal next step first
    assert dict(to.choices(form))["closed"] == "Closed  (needs a reason)"
    # Refused and waiting follow a refusal, a pause or a fee: without one the move is refused, saying why.
    refused = values(actions.STATUS, desk, case_id, to="refused", reason="Third request")
    with pytest.raises(RefusedError, match=r"to: refused: record the refusal .* first; the status follows it"):
        actions.STATUS.build(refused, form)
    assert actions.OUTCOMES["rectification"].allowed(state) == "the case does not invoke rectification"
    assert actions.OUTCOMES["child-deletion"].allowed(state) is None


def test_a_json_document_is_read_through_the_fields(desk: Desk, case_id: int) -> None:
    form = desk.form(desk.state(case_id))
    fields = actions.FEE_ANSWER.fields
    assert read_document(fields, {"state": "paid", "on": "2026-11-20"}, form) == {
        "state": "paid",
        "on": date(2026, 11, 20),
    }
    for document, message in (
        ({"state": "paid"}, "on: missing field"),
        ({"state": "paid", "on": "20/11/2026"}, "on: '20/11/2026' is not a valid date YYYY-MM-DD"),
        ({"state": "later", "on": "2026-11-20"}, "state: 'later' is not one of accepted, paid, waived, withdrawn"),
        ({"state": "paid", "on": "2026-11-20", "amount": 5}, "amount: not a field of this action"),
        ([], "the document must be a JSON object"),
    ):
        with pytest.raises(InputError, match=message):
            read_document(fields, document, form)


def test_fields_read_each_kind_and_name_the_fault() -> None:
    from datetime import UTC, datetime

    from dpo_desk.application.fields import Form

    form = Form(NOW, "dpo")
    assert Field("n", "N", Kind.INT, low=1, high=5).read_json({"n": 3}, form) == 3
    assert Field("b", "B", Kind.BOOL, required=False).read_json({}, form) is None  # left out: the rules decide
    with pytest.raises(InputError, match="b: missing field"):  # a yes-or-no is never taken as "no" unasked
        Field("b", "B", Kind.BOOL).read_json({}, form)
    assert Field("l", "L", Kind.LIST).read_json({"l": [" a ", ""]}, form) == ["a"]
    moment = Field("t", "T", Kind.DATETIME).read_json({"t": "2026-11-01T10:00:00+01:00"}, form)
    assert moment == datetime(2026, 11, 1, 9, tzinfo=UTC)
    items = Field("i", "I", Kind.COST_ITEMS).read_json(
        {"i": [{"description": "x", "quantity": 2, "unit_cost": 3}]}, form
    )
    assert items[0].amount == 6
    for field, document, message in (
        (Field("n", "N", Kind.INT, low=1, high=5), {"n": 9}, "n: 9; choose between 1 and 5"),
        (Field("n", "N", Kind.INT, low=1, high=5), {"n": True}, "n: must be a whole number"),
        (Field("b", "B", Kind.BOOL), {"b": "yes"}, "b: must be true or false"),
        (Field("t", "T", Kind.DATETIME), {"t": "2026-11-01T10:00"}, "t: .* has no UTC offset"),
        (Field("s", "S"), {"s": 4}, "s: must be text"),
    ):
        with pytest.raises(InputError, match=message):
            field.read_json(document, form)


def test_a_stored_record_reads_in_its_forms_words() -> None:
    fields = actions.OUTCOME_FIELDS[Right.OBJECTION]
    record = {"direct_marketing": False, "assessment": "Legitimate interest outweighs", "upheld": None}
    record |= {"done_on": "2026-11-30", "legacy": 1}
    # No for a no, nothing for a yes-or-no never answered, and a key older than the form still shown.
    assert summary(fields, record) == (
        "Direct marketing: no; Assessment: Legitimate interest outweighs; Done on: 2026-11-30; legacy: 1"
    )
    exception = next(field for field in actions.OUTCOME_FIELDS[Right.ERASURE] if field.name == "exception")
    assert exception.shown("") == "" and exception.shown("17(3)(b)") == "17(3)(b)"
