"""Art. 8: whether the subject is a child under the age of digital consent of the receiving entity's country.

The policy promises that a child's data is deleted. The age differs by country (Norway and Finland 13,
Poland and the GDPR's default 16), so it is a setting per country; the entity that received the request
decides which one applies (an entity outside the EEA takes the default, the conservative reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dpo_desk.core.models import SubjectDetails


@dataclass(frozen=True, slots=True)
class Child:
    """A subject under the age of digital consent when the request arrived, and what shows it."""

    age_of_consent: int
    where: str  # whose age it is: "Norway", or "the GDPR's default, for an entity in US"
    shown_by: str  # "born 2014-03-12: 12 when the request arrived", or the DPO's mark

    def describe(self) -> str:
        return f"under {self.age_of_consent}, the age of digital consent in {self.where}; {self.shown_by}"


def age_on(born: date, day: date) -> int:
    """Whole years completed on ``day`` (a 29 February birthday is reached on 1 March in other years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def child_of(subject: SubjectDetails, received: date, age_of_consent: int, where: str) -> Child | None:
    """The subject as a child, or None: a birth date decides; without one, the DPO's mark does."""
    if subject.birth_date is not None:
        age = age_on(subject.birth_date, received)
        if age >= age_of_consent:
            return None
        shown_by = f"born {subject.birth_date.isoformat()}: {age} when the request arrived"
        return Child(age_of_consent, where, shown_by)
    if subject.child:
        return Child(age_of_consent, where, "marked as a child when the case was recorded")
    return None
