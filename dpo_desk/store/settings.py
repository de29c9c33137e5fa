"""Store-wide settings that change what the rules compute, kept inside the store itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from dpo_desk.core.deadlines import DEFAULT_TARGET_DAYS, Rules
from dpo_desk.core.errors import InputError
from dpo_desk.core.identity import Evidence, IdentityPolicy, check_policy
from dpo_desk.store import audit
from dpo_desk.store.db import write_transaction


@dataclass(frozen=True, slots=True)
class NumberSetting:
    """A whole number kept in the settings table within bounds; each change is audited."""

    key: str
    default: int
    low: int
    high: int
    label: str  # names the setting in a refusal and in the audit entry
    action: str  # the audit action
    unit: str = ""  # as it reads after the number: " months"

    def load(self, db: Database) -> int:
        row = db.execute("SELECT value FROM settings WHERE key = ?", (self.key,)).fetchone()
        return int(row[0]) if row else self.default

    def save(self, db: Database, value: int, *, actor: str, now: datetime) -> None:
        if not self.low <= value <= self.high:
            raise InputError(f"{self.label}: {value}{self.unit}; choose between {self.low} and {self.high}")
        with write_transaction(db):
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (self.key, str(value)))
            audit.record(
                db, actor=actor, action=self.action, entity="settings", entity_id=self.label,
                details={self.key: value}, now=now,
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class DeskSettings:
    rules: Rules = Rules.EU
    target_days: int = DEFAULT_TARGET_DAYS  # internal target, counted from receipt
    due_soon_days: int = 7  # the case list marks cases due within this many days


def load_settings(db: Database) -> DeskSettings:
    stored = {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}
    defaults = DeskSettings()
    return DeskSettings(
        rules=Rules.parse(stored.get("rules", defaults.rules.value)),
        target_days=int(stored.get("target_days", defaults.target_days)),
        due_soon_days=int(stored.get("due_soon_days", defaults.due_soon_days)),
    )


def save_settings(db: Database, settings: DeskSettings) -> None:
    if not 1 <= settings.target_days <= 31:
        raise InputError("target days: choose between 1 and 31 days after receipt")
    if not 0 <= settings.due_soon_days <= 60:
        raise InputError("due soon: choose between 0 and 60 days")
    values = {
        "rules": settings.rules.value,
        "target_days": str(settings.target_days),
        "due_soon_days": str(settings.due_soon_days),
    }
    db.table("settings").upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")


def load_identity_policy(db: Database) -> IdentityPolicy:
    """The identity rule: N independent items out of the trusted types (default: two of all seven)."""
    stored = {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}
    default = IdentityPolicy()
    trusted = stored.get("identity_trusted")
    return IdentityPolicy(
        required=int(stored.get("identity_required", default.required)),
        trusted=tuple(Evidence(v) for v in trusted.split(",")) if trusted else default.trusted,
    )


def save_identity_policy(db: Database, policy: IdentityPolicy, *, actor: str, now: datetime) -> None:
    check_policy(policy)
    audit.record(
        db,
        actor=actor,
        action="identity-policy",
        entity="settings",
        entity_id="identity",
        details={"required": policy.required, "trusted": list(policy.trusted)},
        now=now,
    )
    values = {"identity_required": str(policy.required), "identity_trusted": ",".join(policy.trusted)}
    db.table("settings").upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")


PAPER_SIZES = ("auto", "A4", "Letter")  # auto: US Letter for an entity in the US, A4 elsewhere


@dataclass(frozen=True, slots=True)
class LetterSettings:
    protect_all: bool = False  # letters that disclose data are always protected; this adds every other one
    paper: str = "auto"

    def paper_for(self, entity_country: str) -> str:
        if self.paper != "auto":
            return self.paper
        return "Letter" if entity_country == "US" else "A4"


def load_letter_settings(db: Database) -> LetterSettings:
    stored = {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}
    return LetterSettings(
        protect_all=stored.get("letters_protect_all") == "1", paper=stored.get("letters_paper", "auto")
    )


def save_letter_settings(db: Database, settings: LetterSettings, *, actor: str, now: datetime) -> None:
    if settings.paper not in PAPER_SIZES:
        raise InputError(f"paper: {settings.paper!r}; choose {', '.join(PAPER_SIZES)}")
    audit.record(
        db,
        actor=actor,
        action="letter-settings",
        entity="settings",
        entity_id="letters",
        details={"protect_all": settings.protect_all, "paper": settings.paper},
        now=now,
    )
    values = {"letters_protect_all": "1" if settings.protect_all else "0", "letters_paper": settings.paper}
    db.table("settings").upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")
