"""The OS keyring, under service 'dpo-desk': the one place DPO Desk talks to it.

Store keys and letter passwords go there. A backend that writes secrets to a plain file (keyrings.alt) is
taken for no keyring at all: a secret in it is no safer than one beside the store. Where no keyring works
(a headless Linux without a Secret Service), saving says so and the caller falls back: the passphrase
for the store, a password shown once for a letter.
"""

from __future__ import annotations

import sys

import keyring
from keyring.errors import KeyringError

if sys.platform != "darwin":
    # keyring imports every backend it ships to find the one that works here. Off macOS, the Keychain's looked
    # for its three frameworks (ctypes.util.find_library: ldconfig, a C compiler and ld, nine programs run,
    # 40-70 ms of each start) only for its priority to answer "macOS required", which it checks first. Blocked,
    # that import fails as it does wherever the frameworks are missing, which keyring catches: the backend it
    # picks, and so where each secret is kept, is the same.
    sys.modules["keyring.backends.macOS.api"] = None  # type: ignore[assignment]

SERVICE = "dpo-desk"
# Backends that keep secrets in a file in the user's home.
WEAK_BACKENDS = ("keyrings.alt",)


def works() -> bool:
    """A keyring that keeps secrets out of plain files: the OS's (or, in tests, a stand-in)."""
    if _weak():
        return False
    try:
        keyring.get_password(SERVICE, "probe")
    except KeyringError:
        return False
    return True


def remember(account: str, secret: str) -> bool:
    """True when the keyring holds ``secret`` now; False when no keyring (worth the name) works here."""
    if _weak():
        return False
    try:
        keyring.set_password(SERVICE, account, secret)
    except KeyringError:
        return False
    return True


def recall(account: str) -> str | None:
    if _weak():
        return None
    try:
        return keyring.get_password(SERVICE, account)
    except KeyringError:
        return None


def _weak() -> bool:
    return type(keyring.get_keyring()).__module__.startswith(WEAK_BACKENDS)
