"""Demo cases: every status, right and entity, fictitious people, reproducible from the seed."""

from datetime import UTC, datetime, timedelta

from dpo_desk.core import lifecycle
from dpo_desk.core.demo import demo_cases
from dpo_desk.core.models import Right, Status

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
ENTITIES = ["A", "B", "C", "D", "E"]


def test_demo_covers_every_status_right_and_entity() -> None:
    cases = list(demo_cases(40, seed=3, entity_names=ENTITIES, now=NOW))
    assert {c.steps[-1][0] if c.steps else Status.RECEIVED for c in cases} == set(Status)
    assert {r for c in cases for r in c.case.rights} == set(Right)
    assert {c.case.entity_name for c in cases} == set(ENTITIES)


def test_demo_is_reproducible_and_spread_over_a_year() -> None:
    first = list(demo_cases(200, seed=7, entity_names=ENTITIES, now=NOW))
    assert first == list(demo_cases(200, seed=7, entity_names=ENTITIES, now=NOW))
    assert first != list(demo_cases(200, seed=8, entity_names=ENTITIES, now=NOW))
    received = [c.case.received for c in first]
    assert received == sorted(received)
    assert NOW - timedelta(days=365) <= received[0] and received[-1] < NOW
    assert received[-1] - received[0] > timedelta(days=300)


def test_demo_people_are_obviously_fictitious() -> None:
    for demo in demo_cases(300, seed=1, entity_names=ENTITIES, now=NOW):
        for email in demo.case.subject.emails:
            assert email.endswith(("@example.com", "@example.org", "@example.net")), email
            assert email.isascii()


def test_demo_histories_follow_the_lifecycle_in_time_order() -> None:
    for demo in demo_cases(300, seed=2, entity_names=ENTITIES, now=NOW):
        current, last_time = Status.RECEIVED, demo.case.received
        for status, when, reason in demo.steps:
            lifecycle.check_move(current, status, reason)
            assert last_time <= when <= NOW
            current, last_time = status, when
