"""The recovery passphrase: what is accepted (NIST SP 800-63B: length and a blocklist, no composition
rules), and how long to wait after a wrong one."""

from __future__ import annotations

import functools
import string
from importlib import resources

from dpo_desk.core.errors import InputError

MIN_LENGTH = 15
MAX_LENGTH = 1024  # a key derivation over megabytes of text would freeze the app
MAX_DELAY_SECONDS = 60
# Words of the app and its customer: a passphrase made of little else is the first thing to be guessed.
CONTEXT_WORDS = ("dpodesk", "dpo", "desk", "altoros", "dataprotection", "privacy", "gdpr", "password", "passphrase")
# Rows and runs a person slides a finger along; a passphrase inside one is no secret.
SEQUENCES = (
    string.ascii_lowercase * 2,
    string.digits * 3,
    "qwertyuiopasdfghjklzxcvbnm" * 2,
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "q1w2e3r4t5y6u7i8o9p0",
)


def check_passphrase(passphrase: str) -> None:
    """Raise InputError naming why ``passphrase`` is refused; return when it is acceptable."""
    length = len(passphrase)
    if length < MIN_LENGTH:
        raise InputError(f"passphrase: {length} characters; at least {MIN_LENGTH} are needed (a few words will do)")
    if length > MAX_LENGTH:
        raise InputError(f"passphrase: {length} characters; at most {MAX_LENGTH}")
    core = _letters_and_digits(passphrase)
    if core in _blocklist():
        raise InputError("passphrase: it is on the list of common passwords and phrases; choose another")
    if _repeats_a_short_unit(core):
        raise InputError("passphrase: it repeats the same few characters; choose words of your own")
    if any(core in sequence or core in sequence[::-1] for sequence in SEQUENCES):
        raise InputError("passphrase: it is a run of keys or letters; choose words of your own")
    rest = core
    for word in CONTEXT_WORDS:
        rest = rest.replace(word, "")
    if len(rest.strip(string.digits)) < 8:
        raise InputError("passphrase: it is built from this app's or the company's name; choose words of your own")


def unlock_delay(failures: int) -> int:
    """Seconds to wait before the next try after ``failures`` wrong passphrases: 0, then 1, 2, 4 … 60."""
    return 0 if failures <= 0 else min(2 ** (failures - 1), MAX_DELAY_SECONDS)


def _letters_and_digits(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _repeats_a_short_unit(core: str) -> bool:
    return any(len(core) % size == 0 and core == core[:size] * (len(core) // size) for size in range(1, 9))


@functools.cache
def _blocklist() -> frozenset[str]:
    text = resources.files("dpo_desk.resources").joinpath("passphrase-blocklist.txt").read_text(encoding="utf-8")
    return frozenset(_letters_and_digits(line) for line in text.splitlines() if line and not line.startswith("#"))
