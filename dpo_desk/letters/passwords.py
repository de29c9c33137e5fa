"""Letter passwords in the OS keyring, under service 'dpo-desk', keyed by store and letter.

They are never written to the store, the logs, the case notes or the PDF metadata. Where no keyring
works (a headless Linux without a Secret Service), saving says so and the app shows the password once.
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError

SERVICE = "dpo-desk"


def _account(store_id: str, letter_id: int) -> str:
    return f"{store_id}/letter-{letter_id}"


def remember(store_id: str, letter_id: int, password: str) -> bool:
    """True when the keyring holds it; False when no keyring works here."""
    try:
        keyring.set_password(SERVICE, _account(store_id, letter_id), password)
    except KeyringError:
        return False
    return True


def recall(store_id: str, letter_id: int) -> str | None:
    try:
        return keyring.get_password(SERVICE, _account(store_id, letter_id))
    except KeyringError:
        return None
