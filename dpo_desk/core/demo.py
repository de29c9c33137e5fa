"""Synthetic cases for the demo store: obviously fictitious people, every status, right and entity.

The names are the placeholder names of each country (Ola Nordmann, Matti Meikäläinen,
Jan Kowalski, John Doe…) and every address is at example.com/.org/.net (RFC 2606).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dpo_desk.core.models import Channel, NewCase, Right, Status, SubjectDetails

PLACEHOLDER_PEOPLE = (
    ("Ola", "Nordmann"),
    ("Kari", "Nordmann"),
    ("Matti", "Meikäläinen"),
    ("Maija", "Meikäläinen"),
    ("Jan", "Kowalski"),
    ("Anna", "Kowalska"),
    ("John", "Doe"),
    ("Jane", "Doe"),
    ("Richard", "Roe"),
    ("Erika", "Mustermann"),
    ("Max", "Mustermann"),
    ("Juan", "Pérez"),
    ("Joe", "Bloggs"),
    ("Fred", "Nurk"),
    ("Jean", "Dupont"),
    ("Jens", "Hansen"),
    ("Sven", "Svensson"),
    ("Ivan", "Petrov"),
)
DOMAINS = ("example.com", "example.org", "example.net")
STREETS = ("Example Street", "Sample Road", "Test Avenue", "Placeholder Lane", "Demo Square")

REQUEST_TEXTS = {
    Right.ACCESS: "Please send me a copy of all personal data you hold about me.",
    Right.RECTIFICATION: "My job title and phone number in your records are wrong; please correct them.",
    Right.ERASURE: "Please delete all my personal data and confirm when it is done.",
    Right.RESTRICTION: "I contest the accuracy of my data; please restrict its use until you have checked.",
    Right.OBJECTION: "I object to your marketing e-mails. Stop sending them.",
    Right.PORTABILITY: "Send me the data I gave you in a machine-readable format.",
    Right.CONSENT_WITHDRAWAL: "I withdraw my consent to being contacted about your services.",
    Right.OTHER: "I am unhappy with how my data was handled at your last event.",
}

# How a case in each final or current status got there, from "received".
PATHS = {
    Status.RECEIVED: (),
    Status.IDENTITY_CHECK: (Status.IDENTITY_CHECK,),
    Status.IN_PROGRESS: (Status.IDENTITY_CHECK, Status.IN_PROGRESS),
    Status.WAITING_ON_SUBJECT: (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.WAITING_ON_SUBJECT),
    Status.WAITING_ON_FEE: (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.WAITING_ON_FEE),
    Status.RESPONSE_READY: (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.RESPONSE_READY),
    Status.RESPONDED: (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.RESPONSE_READY, Status.RESPONDED),
    Status.CLOSED: (
        Status.IDENTITY_CHECK,
        Status.IN_PROGRESS,
        Status.RESPONSE_READY,
        Status.RESPONDED,
        Status.CLOSED,
    ),
    Status.REFUSED: (Status.IDENTITY_CHECK, Status.REFUSED),
    Status.WITHDRAWN: (Status.WITHDRAWN,),
}
REASONS = {
    Status.REFUSED: "Manifestly unfounded: the sender offered to withdraw in exchange for a payment.",
    Status.WITHDRAWN: "The subject withdrew the request by e-mail.",
}
# Cases older than this have mostly been answered.
SETTLED_AFTER = timedelta(days=45)


@dataclass(frozen=True, slots=True)
class DemoCase:
    case: NewCase
    steps: tuple[tuple[Status, datetime, str], ...]  # status, when, reason


def demo_cases(count: int, *, seed: int, entity_names: Sequence[str], now: datetime) -> Iterator[DemoCase]:
    """``count`` cases received over the past 12 months, oldest first."""
    rng = random.Random(seed)
    received = sorted(now - timedelta(seconds=rng.uniform(3600, 365 * 86400)) for _ in range(count))
    statuses, rights = list(Status), list(Right)
    # The newest cases walk through every status and right, so even a small demo shows them all.
    showcase = {count - 1 - i: i for i in range(min(count, max(len(statuses), len(rights))))}
    people: list[SubjectDetails] = []
    for index, moment in enumerate(received):
        chosen: tuple[Right, ...]
        if index in showcase:
            slot = showcase[index]
            status = statuses[slot % len(statuses)]
            chosen = (rights[slot % len(rights)],)
        else:
            status = _status_for_age(rng, now - moment)
            chosen = tuple(sorted(rng.sample(rights[:-1], rng.choice((1, 1, 1, 2))), key=rights.index))
        repeat = bool(people) and rng.random() < 0.08  # the same person again: repeat requests
        if status is Status.WAITING_ON_FEE:
            # A fee needs a basis: here, a repeated request (Art. 12(5)).
            repeat = bool(people)
            status = Status.WAITING_ON_FEE if repeat else Status.WAITING_ON_SUBJECT
        subject = rng.choice(people) if repeat else _person(rng, index)
        people.append(subject)
        entity = entity_names[index % len(entity_names)] if index < len(entity_names) else rng.choice(entity_names)
        new = NewCase(
            entity_name=entity,
            channel=rng.choice(list(Channel)),
            received=moment,
            rights=chosen,
            subject=subject,
            text=" ".join(REQUEST_TEXTS[r] for r in chosen),
        )
        yield DemoCase(new, _steps(rng, status, moment, now))


def _status_for_age(rng: random.Random, age: timedelta) -> Status:
    if age > SETTLED_AFTER:
        return rng.choices((Status.CLOSED, Status.RESPONDED, Status.REFUSED, Status.WITHDRAWN), weights=(70, 15, 8, 7))[
            0
        ]
    return rng.choice(list(Status))


def _person(rng: random.Random, index: int) -> SubjectDetails:
    first, last = rng.choice(PLACEHOLDER_PEOPLE)
    local = unicodedata.normalize("NFKD", f"{first}.{last}.{index}").encode("ascii", "ignore").decode()
    email = f"{local.lower()}@{rng.choice(DOMAINS)}"
    address = f"{rng.randint(1, 99)} {rng.choice(STREETS)}\n{rng.randint(1000, 9999)} Exampletown"
    # Ofcom keeps +44 7700 900000-900999 for drama: numbers that look real and reach nobody.
    phones = (f"+44 7700 900{rng.randint(0, 999):03d}",) if rng.random() < 0.4 else ()
    return SubjectDetails(name=f"{first} {last}", emails=(email,), phones=phones, address=address)


def _steps(
    rng: random.Random, status: Status, received: datetime, now: datetime
) -> tuple[tuple[Status, datetime, str], ...]:
    path = PATHS[status]
    if not path:
        return ()
    span = min(now - received, timedelta(days=30))
    moments = sorted(received + span * rng.uniform(0.02, 1.0) for _ in path)
    return tuple((step, moment, REASONS.get(step, "")) for step, moment in zip(path, moments, strict=True))
