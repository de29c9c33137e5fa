"""Letter passwords in the OS keyring, keyed by store and letter.

They are never written to the store, the logs, the case notes or the PDF metadata. Where no keyring
works, saving says so and the app shows the password once.
"""

from __future__ import annotations

from dpo_desk import os_keyring


def _account(store_id: str, letter_id: int) -> str:
    return f"{store_id}/letter-{letter_id}"


def remember(store_id: str, letter_id: int, password: str) -> bool:
    """True when the keyring holds it; False when no keyring works here."""
    return os_keyring.remember(_account(store_id, letter_id), password)


def recall(store_id: str, letter_id: int) -> str | None:
    return os_keyring.recall(_account(store_id, letter_id))
