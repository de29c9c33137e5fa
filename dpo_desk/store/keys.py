"""The store's key: 32 random bytes that SQLCipher encrypts every page with, kept only in wrapped form.

Two wraps open it:
- the OS keyring (service 'dpo-desk'), which unlocks the store by itself while the OS session is unlocked;
- the recovery passphrase, through the key file beside the store (``store.sqlite.key``): scrypt turns the
  passphrase into a key-encryption key, which AES-256-GCM-wraps the store key. The file holds no secret
  that opens the store without the passphrase; it travels with the store and with every backup.

Changing the passphrase rewraps the same store key and replaces the key file in one rename, so a crash
leaves the old file or the new one: the store opens with the old passphrase or the new, never neither.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dpo_desk.store.driver import is_unencrypted

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dpo_desk import os_keyring
from dpo_desk.core.errors import DeskError, InputError
from dpo_desk.core.passphrase import check_passphrase
from dpo_desk.files import write_private

KEY_BYTES = 32
KEY_FILE_FORMAT = "dpo-desk-store-key"
KEY_FILE_VERSION = 1
MAX_KEY_FILE_BYTES = 64 * 1024
_CHECK_LABEL = b"dpo-desk store key check"


class KeyFileError(DeskError):
    """The key file is missing, unreadable or not a DPO Desk key file."""


class WrongPassphraseError(DeskError):
    """The passphrase does not open this store."""


@dataclass(frozen=True, slots=True)
class KdfCost:
    """scrypt's parameters: memory 128 × n × r bytes. The default (OWASP's minimum) takes ~0.7 s here."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def plausible(self) -> bool:
        """Within what a laptop can compute: a damaged or hostile key file must not exhaust memory."""
        return 2 <= self.n <= 2**20 and self.n & (self.n - 1) == 0 and 1 <= self.r <= 32 and 1 <= self.p <= 16


DEFAULT_COST = KdfCost()


@dataclass(frozen=True, slots=True)
class KeyFile:
    store_id: str
    cost: KdfCost
    salt: bytes
    nonce: bytes
    wrapped: bytes  # the store key under AES-256-GCM with the passphrase's key; the tag tells a wrong passphrase
    check: bytes  # HMAC of a fixed label under the store key: tells a wrong key from a damaged store

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEY_FILE_FORMAT,
                "version": KEY_FILE_VERSION,
                "store_id": self.store_id,
                "kdf": {"name": "scrypt", "n": self.cost.n, "r": self.cost.r, "p": self.cost.p},
                "salt": _b64(self.salt),
                "cipher": "AES-256-GCM",
                "nonce": _b64(self.nonce),
                "wrapped_key": _b64(self.wrapped),
                "key_check": _b64(self.check),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, where: Path) -> KeyFile:
        try:
            data = json.loads(text)
            if data.get("format") != KEY_FILE_FORMAT:
                raise KeyFileError(f"{where} is not a DPO Desk key file")
            if data.get("version") != KEY_FILE_VERSION:
                raise KeyFileError(f"{where}: key file version {data.get('version')!r} is not known to this DPO Desk")
            kdf = data["kdf"]
            if kdf["name"] != "scrypt" or data["cipher"] != "AES-256-GCM":
                raise KeyFileError(f"{where}: unknown key derivation or cipher")
            cost = KdfCost(int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
            if not cost.plausible():
                raise KeyFileError(f"{where}: key derivation parameters out of range ({cost})")
            return cls(
                store_id=str(data["store_id"]),
                cost=cost,
                salt=_unb64(data["salt"]),
                nonce=_unb64(data["nonce"]),
                wrapped=_unb64(data["wrapped_key"]),
                check=_unb64(data["key_check"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise KeyFileError(f"{where} is damaged ({type(error).__name__}: {error})") from None

    def matches(self, key: bytes) -> bool:
        return hmac.compare_digest(self.check, _key_check(key))


def key_file_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".key")


def copy_key_file(store_path: Path, target: Path) -> None:
    """The wrapped key goes with every copy of the store, so that a copy opens with the passphrase on a new
    laptop; it holds nothing that opens the store without the passphrase."""
    source = key_file_path(store_path)
    if source.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(key_file_path(target), source.read_bytes())


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def passphrase_bytes(passphrase: str, *, normalise: bool = True) -> bytearray:
    """The passphrase as a mutable buffer: Python strings cannot be wiped, a bytearray can (best effort).
    In Unicode's composed form (NFC): "å" typed on a Mac (a + ring) is the same passphrase as on Windows."""
    text = unicodedata.normalize("NFC", passphrase) if normalise else passphrase
    try:
        return bytearray(text.encode("utf-8"))
    except UnicodeEncodeError:  # bytes from the environment that are not UTF-8 arrive as lone surrogates
        raise InputError("passphrase: it is not valid UTF-8 text; type it again") from None


def derive_wrapping_key(passphrase: bytearray, salt: bytes, cost: KdfCost) -> bytes:
    """scrypt over the passphrase; the buffer is zeroed afterwards, whatever happens."""
    try:
        return hashlib.scrypt(  # the buffer itself, not a bytes copy that could not be wiped
            passphrase, salt=salt, n=cost.n, r=cost.r, p=cost.p, maxmem=256 * cost.n * cost.r, dklen=32
        )
    finally:
        passphrase[:] = bytes(len(passphrase))


def wrap(key: bytes, passphrase: str, store_id: str, cost: KdfCost) -> KeyFile:
    """A key file for ``key`` that ``passphrase`` opens; refuses a passphrase the policy does not accept."""
    check_passphrase(passphrase)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapping = derive_wrapping_key(passphrase_bytes(passphrase), salt, cost)
    wrapped = AESGCM(wrapping).encrypt(nonce, key, store_id.encode())
    return KeyFile(store_id, cost, salt, nonce, wrapped, _key_check(key))


def unwrap(key_file: KeyFile, passphrase: str) -> bytes:
    forms = [True] + ([False] if unicodedata.normalize("NFC", passphrase) != passphrase else [])
    for normalise in forms:  # a key wrapped before passphrases were normalised: as it was typed then
        wrapping = derive_wrapping_key(passphrase_bytes(passphrase, normalise=normalise), key_file.salt, key_file.cost)
        try:
            return AESGCM(wrapping).decrypt(key_file.nonce, key_file.wrapped, key_file.store_id.encode())
        except InvalidTag:
            continue
    raise WrongPassphraseError("wrong passphrase: it does not open this store")


def read_key_file(store_path: Path) -> KeyFile:
    path = key_file_path(store_path)
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(f"{path} is far too large for a key file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(
            f"{path} is missing: it opens the encrypted store with the passphrase. Every backup has a copy "
            "beside it (backups/*.sqlite.key); put one back under this name"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(f"{path} cannot be read ({error})") from None
    return KeyFile.from_json(text, path)


def write_key_file(store_path: Path, key_file: KeyFile) -> Path:
    """Replace the key file in one rename: after a crash it is the old file or the new, whole."""
    target = key_file_path(store_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_private(target, key_file.to_json().encode("utf-8"))


def create_key(store_path: Path, passphrase: str, *, cost: KdfCost | None = None) -> bytes:
    """A new store key for the store to be made (or encrypted) at ``store_path``: key file written, keyring
    told. Refused for an encrypted store: its key file is the passphrase's only way in."""
    if store_path.exists() and not is_unencrypted(store_path):
        raise KeyFileError(f"{store_path} is an encrypted store already; its key file is never replaced")
    key = new_key()
    key_file = wrap(key, passphrase, secrets.token_hex(16), cost or DEFAULT_COST)
    write_key_file(store_path, key_file)
    keyring_save(key_file.store_id, key)
    return key


def key_from_keyring(store_path: Path) -> bytes | None:
    """The store key the keyring holds for this store; None when it holds none (or a stale one)."""
    key_file = read_key_file(store_path)
    key = keyring_load(key_file.store_id)
    return key if key is not None and key_file.matches(key) else None


def key_from_passphrase(store_path: Path, passphrase: str) -> bytes:
    """Open with the passphrase, and put the key back into the keyring (after a keyring loss, or on a
    new laptop) so that the next start unlocks by itself."""
    key_file = read_key_file(store_path)
    key = unwrap(key_file, passphrase)
    if keyring_load(key_file.store_id) != key:
        keyring_save(key_file.store_id, key)
    return key


def change_passphrase(store_path: Path, key: bytes, new_passphrase: str) -> None:
    """Rewrap the same store key under ``new_passphrase``; the store itself is not rewritten."""
    old = read_key_file(store_path)
    if not old.matches(key):
        raise WrongPassphraseError("the key in use does not belong to this store's key file")
    write_key_file(store_path, wrap(key, new_passphrase, old.store_id, old.cost))


def keyring_save(store_id: str, key: bytes) -> bool:
    """True when the keyring holds the key now; False when no keyring works here."""
    return os_keyring.remember(_account(store_id), key.hex())


def keyring_load(store_id: str) -> bytes | None:
    stored = os_keyring.recall(_account(store_id))
    try:
        return bytes.fromhex(stored) if stored else None
    except ValueError:
        return None  # something else wrote there; the passphrase still opens the store


def _account(store_id: str) -> str:
    return f"{store_id}/store-key"


def _key_check(key: bytes) -> bytes:
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)
