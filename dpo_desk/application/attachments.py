"""The files side of a case's attachments: reading a file the DPO attaches by hand, within the e-mail limit,
and the name an attachment takes on disk when it is opened or saved out."""

from __future__ import annotations

from pathlib import Path

from dpo_desk.core.errors import InputError
from dpo_desk.mail.parse import MAX_BYTES

MEGABYTE = 1024 * 1024
DISK_NAME_LENGTH = 120
_KEPT_PUNCTUATION = frozenset(" .-_()")


def read_for_attaching(source: Path) -> bytes:
    """The file's bytes, or an InputError naming the file and the problem: unreadable, empty, or larger than
    the 50 MB an e-mail may be (an attachment by hand is held to the same limit as one that came by mail)."""
    try:
        if not source.is_file():
            raise InputError(f"{source}: not a file; choose a file to attach")
        with source.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)  # the file may grow after a size check: read no more
    except OSError as error:
        raise InputError(f"{source}: cannot be read ({error.strerror}); nothing attached") from None
    if len(content) > MAX_BYTES:
        raise InputError(
            f"{source}: larger than the {MAX_BYTES // MEGABYTE} MB limit for an attachment; nothing attached"
        )
    if not content:
        raise InputError(f"{source}: the file is empty; nothing attached")
    return content


def disk_name(name: str, fallback: str) -> str:
    """A file name made of the attachment's name, safe to create in a folder: no path separator, control
    character or leading dot survives (a mail names its attachments as it likes), and the extension stays,
    so that the desktop knows the type. ``fallback`` when nothing of the name is left."""
    cleaned = "".join(c if c.isalnum() or c in _KEPT_PUNCTUATION else "_" for c in name).strip(" .")
    if len(cleaned) > DISK_NAME_LENGTH:
        suffix = Path(cleaned).suffix[:16]
        cleaned = cleaned[: DISK_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return cleaned or fallback
