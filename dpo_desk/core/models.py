"""Domain types of a case: what the store keeps and the GUI and command line show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from dpo_desk.core.deadlines import DeadlineInput, Deadlines, Extension, RecordedPause, Rules


class Right(StrEnum):
    """The rights a data subject can invoke (GDPR Arts. 15-22, 7(3), 77)."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"
    PORTABILITY = "portability"
    CONSENT_WITHDRAWAL = "consent-withdrawal"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _RIGHT_LABELS[self]


_RIGHT_LABELS = {
    Right.ACCESS: "Access",
    Right.RECTIFICATION: "Rectification",
    Right.ERASURE: "Erasure",
    Right.RESTRICTION: "Restriction",
    Right.OBJECTION: "Objection",
    Right.PORTABILITY: "Portability",
    Right.CONSENT_WITHDRAWAL: "Consent withdrawal",
    Right.OTHER: "Complaint / other",
}


class Channel(StrEnum):
    EMAIL = "email"
    WEB_FORM = "web-form"
    CHATBOT = "chatbot"
    LETTER = "letter"
    PHONE = "phone"
    IN_PERSON = "in-person"
    MESSENGER = "messenger"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.EMAIL: "E-mail",
    Channel.WEB_FORM: "Web form",
    Channel.CHATBOT: "Chatbot",
    Channel.LETTER: "Letter",
    Channel.PHONE: "Phone",
    Channel.IN_PERSON: "In person",
    Channel.MESSENGER: "Messenger",
}


class Status(StrEnum):
    """Where a case stands; the order of the members is the normal course of a case."""

    RECEIVED = "received"
    IDENTITY_CHECK = "identity-check"
    IN_PROGRESS = "in-progress"
    WAITING_ON_SUBJECT = "waiting-on-subject"
    WAITING_ON_FEE = "waiting-on-fee"
    RESPONSE_READY = "response-ready"
    RESPONDED = "responded"
    CLOSED = "closed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()

    @property
    def is_open(self) -> bool:
        """Open cases still owe the subject an answer, so their deadline counts."""
        return self not in _ANSWERED


_ANSWERED = frozenset({Status.RESPONDED, Status.CLOSED, Status.REFUSED, Status.WITHDRAWN})
OPEN_STATUSES = tuple(s for s in Status if s.is_open)


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as it goes on an envelope; empty lines are left out when printed."""

    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""

    def lines(self) -> list[str]:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return [line for line in (self.street, town, self.country) if line]


@dataclass(frozen=True, slots=True)
class Entity:
    """A legal entity of the group that receives requests and answers them as controller."""

    id: int
    key: str
    name: str
    country: str
    time_zone: str
    calendar: str
    address: Address
    phone: str
    email: str
    org_number: str
    is_eea_representative: bool
    dpo_name: str
    dpo_email: str
    also_known_as: str = ""
    notes: str = ""
    is_controller: bool = True
    address_to_replace: bool = False  # the register says this address must not be printed as it stands

    def letterhead_problems(self) -> list[str]:
        """What keeps this entity's letterhead off a letter, each naming the field; empty when it may print."""
        found = []
        if self.address_to_replace:
            place = ", ".join(part for part in (self.address.city, self.address.country) if part)
            found.append(
                f"{self.name}: the register marks its postal address{f' ({place})' if place else ''} as to be "
                "replaced; give the right one (Register, or dpo-desk entity set), and check the phone given with "
                "it, before printing letters"
            )
        if not self.address.street.strip():
            found.append(f"{self.name}: Street address is missing; give it in the Register before printing letters")
        if not (self.address.postal_code.strip() or self.address.city.strip()):
            found.append(f"{self.name}: Postal code and City are missing; give them in the Register first")
        return found


@dataclass(frozen=True, slots=True)
class SubjectDetails:
    """Who made the request, as the DPO recorded it."""

    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    address: str = ""
    birth_date: date | None = None
    child: bool = False  # known to be a child (under the age of digital consent) without a birth date


@dataclass(frozen=True, slots=True)
class NewCase:
    """A validated request, ready to be stored; built by :mod:`dpo_desk.core.intake`."""

    entity_name: str
    channel: Channel
    received: datetime  # timezone-aware
    rights: tuple[Right, ...]
    subject: SubjectDetails
    text: str = ""
    letter_lang: str = ""  # '': the receiving office's language


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    reference: str
    entity: Entity
    channel: Channel
    received_at: datetime  # UTC
    received_date: date  # the local date at the receiving entity
    rights: tuple[Right, ...]
    subject: SubjectDetails
    text: str
    status: Status
    deadlines: Deadlines
    pauses: tuple[RecordedPause, ...] = ()
    extension: Extension | None = None
    letter_lang: str = ""  # the language its letters are written in; '': the receiving office's

    @property
    def open_pauses(self) -> tuple[RecordedPause, ...]:
        return tuple(p for p in self.pauses if p.end is None)

    @property
    def received_local(self) -> datetime:
        return self.received_at.astimezone(ZoneInfo(self.entity.time_zone))

    def deadline_input(self, rules: Rules, today: date) -> DeadlineInput:
        """What the case's deadline is computed from (an open pause counts up to ``today``)."""
        return DeadlineInput(
            received=self.received_date,
            calendar=self.entity.calendar,
            rules=rules,
            pauses=tuple(pause.as_of(today) for pause in self.pauses),
            extended=self.extension is not None,
            time_zone=self.entity.time_zone,
        )


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One line of a case's history: a status change or another recorded step."""

    at: datetime  # UTC
    actor: str
    action: str
    from_status: Status | None
    to_status: Status | None
    reason: str


@dataclass(frozen=True, slots=True)
class Note:
    at: datetime  # UTC
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """The columns of one row of the case list."""

    id: int
    reference: str
    subject_name: str
    rights: tuple[Right, ...]
    entity_name: str
    received_date: date
    due: date
    status: Status


@dataclass(frozen=True, slots=True)
class EarlierCase:
    """A case received before from the same person, and the identifier both cases share."""

    summary: CaseSummary
    matched_by: str  # "e-mail kari@example.no", "phone +4791234567", "name and address"; for a hint, "name"

    def describe(self) -> str:
        return f"{self.summary.reference} ({self.summary.received_date.isoformat()}, by {self.matched_by})"


class Scope(StrEnum):
    """Which cases the list shows, as the dashboard counts them (``store/statistics.py`` says how)."""

    OPEN = "open"
    ALL = "all"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    PAUSED = "paused"
    EXTENSION_NOTICE_DUE = "extension-notice-due"
    NOTICES_OUTSTANDING = "notices-outstanding"

    @property
    def label(self) -> str:
        return _SCOPE_LABELS[self]


_SCOPE_LABELS = {
    Scope.OPEN: "Open cases",
    Scope.ALL: "All cases",
    Scope.OVERDUE: "Overdue",
    Scope.DUE_SOON: "Due within 7 days",
    Scope.PAUSED: "Waiting on the subject (clock paused)",
    Scope.EXTENSION_NOTICE_DUE: "Extension notice due",
    Scope.NOTICES_OUTSTANDING: "Art. 19 notices to send",
}


class Answer(StrEnum):
    """How a case was answered, against its due date."""

    ON_TIME = "on-time"  # within the first term
    ON_TIME_EXTENDED = "on-time-extended"  # within the extended term
    LATE = "late"

    @property
    def label(self) -> str:
        return {"on-time": "on time", "on-time-extended": "on time after an extension", "late": "late"}[self.value]


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What the case list shows: filters and order, all applied in SQL."""

    scope: Scope = Scope.ALL
    received_from: date | None = None  # a dashboard bar: received in a month
    received_until: date | None = None
    answered_from: date | None = None  # a dashboard bar: first answered in a quarter
    answered_until: date | None = None
    answered_how: Answer | None = None
    due_within_working_days: int | None = None  # a reminder: open and due within so many working days
    text: str = ""
    status: Status | None = None
    right: Right | None = None
    entity_id: int | None = None
    due_within_days: int | None = None
    sort: str = "received"
    descending: bool = True
