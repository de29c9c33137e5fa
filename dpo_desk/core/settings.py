"""Every setting of a store, declared once: its key, type, default, bounds and label.

The store keeps each one as text under its key (``store/settings.py``), audits every change, and refuses a
value out of bounds with a message that names the setting by its label. Editors and the command line read
the same declarations. Window geometry is not here: it belongs to the computer, not to the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from dpo_desk.core.deadlines import DEFAULT_TARGET_DAYS, Rules
from dpo_desk.core.errors import InputError
from dpo_desk.core.identity import Evidence, IdentityPolicy, check_policy

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True, eq=False)  # a setting is itself: compared and hashed by identity
class Setting(Generic[T]):
    """One setting; the subclasses say how its value reads, is kept as text and is checked."""

    key: str
    label: str
    default: T
    help: str = ""

    def decode(self, text: str) -> T:
        """The stored text as a value; text this version cannot read (a hand edit) gives the default."""
        raise NotImplementedError

    def encode(self, value: T) -> str:
        return str(value)

    def check(self, value: Any) -> T:
        """The value when it is allowed, else an error naming the setting by its label."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True, eq=False)
class IntSetting(Setting[int]):
    low: int = 0
    high: int = 0
    unit: str = ""  # as it reads after the number: "months"

    def decode(self, text: str) -> int:
        try:
            return self.check(int(text))
        except (ValueError, InputError):
            return self.default

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{self.label}: {value!r} is not a whole number")
        if not self.low <= value <= self.high:
            unit = f" {self.unit}" if self.unit else ""
            raise InputError(f"{self.label}: {value}{unit}; choose between {self.low} and {self.high}")
        return value


@dataclass(frozen=True, slots=True, eq=False)
class TextSetting(Setting[str]):
    """Free text of a few lines, kept as written (trimmed); may be empty."""

    longest: int = 1000

    def decode(self, text: str) -> str:
        return text

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise InputError(f"{self.label}: give text")
        if len(value.strip()) > self.longest:
            raise InputError(f"{self.label}: at most {self.longest} characters")
        return value.strip()


@dataclass(frozen=True, slots=True, eq=False)
class BoolSetting(Setting[bool]):
    def decode(self, text: str) -> bool:
        return text == "1"

    def encode(self, value: bool) -> str:
        return "1" if value else "0"

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise InputError(f"{self.label}: true or false")
        return value


@dataclass(frozen=True, slots=True, eq=False)
class ChoiceSetting(Setting[E]):
    """One of an enumeration's members, each with the words an editor shows."""

    labels: Mapping[E, str] | None = None

    def options(self) -> list[tuple[str, str]]:
        assert self.labels is not None
        return [(member.value, text) for member, text in self.labels.items()]

    def decode(self, text: str) -> E:
        try:
            return self.check(text)
        except InputError:
            return self.default

    def check(self, value: Any) -> E:
        assert self.labels is not None
        for member in self.labels:
            if value == member.value:
                return member
        raise InputError(f"{self.label}: {value!r}; choose {', '.join(m.value for m in self.labels)}")


@dataclass(frozen=True, slots=True, eq=False)
class SetSetting(Setting[tuple[E, ...]]):
    """Some of an enumeration's members (at least one), kept in the enumeration's order."""

    labels: Mapping[E, str] | None = None

    def options(self) -> list[tuple[str, str]]:
        assert self.labels is not None
        return [(member.value, text) for member, text in self.labels.items()]

    def decode(self, text: str) -> tuple[E, ...]:
        try:
            return self.check([part for part in text.split(",") if part])
        except InputError:
            return self.default

    def encode(self, value: tuple[E, ...]) -> str:
        return ",".join(member.value for member in value)

    def check(self, value: Any) -> tuple[E, ...]:
        assert self.labels is not None
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise InputError(f"{self.label}: a list of {', '.join(m.value for m in self.labels)}")
        unknown = [v for v in value if v not in {m.value for m in self.labels}]
        if unknown:
            raise InputError(f"{self.label}: unknown {', '.join(map(repr, unknown))}")
        chosen = tuple(member for member in self.labels if member.value in value)
        if not chosen:
            raise InputError(f"{self.label}: choose at least one")
        return chosen


class Paper(StrEnum):
    AUTO = "auto"  # US Letter for an entity in the US, A4 elsewhere
    A4 = "A4"
    LETTER = "Letter"

    def for_country(self, entity_country: str) -> Paper:
        if self is not Paper.AUTO:
            return self
        return Paper.LETTER if entity_country == "US" else Paper.A4


RULES = ChoiceSetting(
    "rules",
    "Rule set",
    Rules.EU,
    "how a pause of the clock counts",
    labels={
        Rules.EU: "EU (Reg. 1182/71): a pause suspends the clock for its length",
        Rules.ICO: "ICO: the month restarts when the awaited ID or fee arrives",
    },
)
TARGET_DAYS = IntSetting(
    "target_days", "Internal target", DEFAULT_TARGET_DAYS, "the date the DPO aims for", 1, 31, "days after receipt"
)
DUE_SOON_DAYS = IntSetting(
    "due_soon_days", "Due soon", 7, "the case list marks cases due this close", 0, 60, "days before the due date"
)
REMINDER_WORKING_DAYS = IntSetting(
    "reminder_working_days", "Remind of cases due within", 3,
    "at start and hourly, the app reminds of open cases due this close (each entity's working days)", 0, 30,
    "working days",
)  # fmt: skip
IDENTITY_REQUIRED = IntSetting(
    "identity_required", "Independent items required", 2, "how many trusted IDs prove identity", 1, len(Evidence)
)
IDENTITY_TRUSTED = SetSetting(
    "identity_trusted",
    "Trusted evidence",
    tuple(Evidence),
    "the kinds of evidence that count",
    labels={evidence: evidence.label for evidence in Evidence},
)
LETTER_PAPER = ChoiceSetting(
    "letters_paper",
    "Paper",
    Paper.AUTO,
    "the page size of letters",
    labels={Paper.AUTO: "A4; US Letter for the US entity", Paper.A4: "A4 always", Paper.LETTER: "US Letter always"},
)
PROTECT_ALL_LETTERS = BoolSetting(
    "letters_protect_all", "Passwords", False, "protect every letter, not only those carrying personal data"
)
BACKUPS_KEPT = IntSetting(
    "backups_kept", "Backups kept", 7, "daily backups beside the store; the oldest go first", 1, 365, "backups"
)
RETENTION_MONTHS = IntSetting(
    "retention_months", "Retention", 36, "how long ended cases stay in the store", 1, 240, "months"
)
AUTO_LOCK_MINUTES = IntSetting(
    "auto_lock_minutes", "Auto-lock after", 10, "the window locks after this long without a key or mouse", 1, 240,
    "idle minutes",
)  # fmt: skip


def _consent_age(key: str, country: str, default: int, basis: str) -> IntSetting:
    # Art. 8(1): 16, or lower by national law but not below 13 (legal-rules.md §10).
    return IntSetting(key, country, default, basis, 13, 16, "years")


CONSENT_AGE_NO = _consent_age("consent_age_no", "Norway", 13, "personopplysningsloven § 5; a 2025 bill proposes 15")
CONSENT_AGE_FI = _consent_age("consent_age_fi", "Finland", 13, "tietosuojalaki 1050/2018 § 5")
CONSENT_AGE_PL = _consent_age("consent_age_pl", "Poland", 16, "no national derogation: Art. 8(1) GDPR")
CONSENT_AGE_OTHER = _consent_age("consent_age_other", "Other countries", 16, "Art. 8(1); entities outside the EEA too")
CONSENT_AGES: Mapping[str, IntSetting] = {"NO": CONSENT_AGE_NO, "FI": CONSENT_AGE_FI, "PL": CONSENT_AGE_PL}
CHILD_SETTINGS: tuple[Setting[Any], ...] = (*CONSENT_AGES.values(), CONSENT_AGE_OTHER)


def consent_age_setting(country: str) -> tuple[IntSetting, str]:
    """The age-of-digital-consent setting that applies to an entity of ``country``, and where it applies."""
    setting = CONSENT_AGES.get(country.upper())
    if setting is None:
        return CONSENT_AGE_OTHER, f"the GDPR's default, for an entity in {country.upper() or 'no country'}"
    return setting, setting.label


DEADLINE_SETTINGS: tuple[Setting[Any], ...] = (RULES, TARGET_DAYS, DUE_SOON_DAYS, REMINDER_WORKING_DAYS)
IDENTITY_SETTINGS: tuple[Setting[Any], ...] = (IDENTITY_REQUIRED, IDENTITY_TRUSTED)
FEE_PAYMENT = TextSetting(
    "letters_fee_payment",
    "How a fee is paid",
    "",
    "printed in fee notices, e.g. 'bank transfer to IBAN NO93 8601 1117 947, quoting the reference'",
)
LETTER_SETTINGS: tuple[Setting[Any], ...] = (LETTER_PAPER, PROTECT_ALL_LETTERS, FEE_PAYMENT)
ALL: tuple[Setting[Any], ...] = (
    *DEADLINE_SETTINGS,
    *IDENTITY_SETTINGS,
    *LETTER_SETTINGS,
    *CHILD_SETTINGS,
    BACKUPS_KEPT,
    RETENTION_MONTHS,
    AUTO_LOCK_MINUTES,
)


def identity_policy(required: int, trusted: tuple[Evidence, ...]) -> IdentityPolicy:
    """The identity rule the two identity settings make together; refused when it cannot be met."""
    return check_policy(IdentityPolicy(required, trusted))


def check_together(values: Mapping[Setting[Any], Any]) -> None:
    """Rules that span settings: the identity policy must be one that a case can meet."""
    identity_policy(values[IDENTITY_REQUIRED], values[IDENTITY_TRUSTED])
