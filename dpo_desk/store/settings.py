"""The store's settings (declared in ``core/settings.py``), kept as text in the settings table; every change
is checked and audited in the transaction that makes it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlite_utils import Database

from dpo_desk.core.identity import IdentityPolicy
from dpo_desk.core.settings import ALL, IDENTITY_REQUIRED, IDENTITY_TRUSTED, Setting, check_together, identity_policy
from dpo_desk.store import audit
from dpo_desk.store.transactions import write_transaction

T = TypeVar("T")


class StoreSettings:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, setting: Setting[T]) -> T:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (setting.key,)).fetchone()
        return setting.default if row is None else setting.decode(str(row[0]))

    def identity_policy(self) -> IdentityPolicy:
        """The identity rule: N independent items out of the trusted types (default: two of all seven)."""
        return identity_policy(self.get(IDENTITY_REQUIRED), self.get(IDENTITY_TRUSTED))

    def check(self, changes: Mapping[Setting[Any], Any]) -> dict[Setting[Any], Any]:
        """The changes as the settings' own values, each checked, and checked together with the others."""
        checked = {setting: setting.check(value) for setting, value in changes.items()}
        check_together({setting: checked.get(setting, self.get(setting)) for setting in ALL})
        return checked

    def save(self, changes: Mapping[Setting[Any], Any], *, actor: str, now: datetime) -> list[str]:
        """Write the settings that changed, one audit entry each, all or none; returns their labels."""
        checked = self.check(changes)
        changed = {setting: value for setting, value in checked.items() if value != self.get(setting)}
        with write_transaction(self._db):
            for setting, value in changed.items():
                text = setting.encode(value)
                self._db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (setting.key, text))
                audit.record(
                    self._db, actor=actor, action="setting", entity="settings", entity_id=setting.key,
                    details={setting.key: text}, now=now,
                )  # fmt: skip
        return [setting.label for setting in changed]
