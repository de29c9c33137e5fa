"""Finishing a PDF with pikepdf: title, author and subject metadata, and AES-256 for letters carrying data.

The user password is random (about 99 bits), in an alphabet that reads aloud without confusion; the owner
password is random and thrown away. Never log a pikepdf encryption object: its repr holds the password.
"""

from __future__ import annotations

import io
import math
import secrets
from collections.abc import Mapping

# No 0/o, 1/l/i: a password read over the phone or typed from paper must not be ambiguous.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
GROUPS, GROUP_SIZE = 5, 4


def new_password() -> str:
    """Five groups of four, e.g. 'k7dq-m2xp-…': 20 characters of a 31-letter alphabet."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(chars[i : i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def password_bits() -> float:
    return GROUPS * GROUP_SIZE * math.log2(len(ALPHABET))


def load() -> None:
    """Load pikepdf, and what finishing a letter first uses (its XMP support), by finishing a blank page: the
    first letter of a session paid 0.1-0.17 s for it, with Qt loaded (Qt for Python reads the source of every
    module imported after it). Without a password: AES-256's key derivation alone takes 15-20 ms."""
    import pikepdf

    blank = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(blank)
    finish(blank.getvalue(), title="", author="", subject="", password=None)


def finish(
    pdf_data: bytes,
    *,
    title: str,
    author: str,
    subject: str,
    password: str | None,
    attachments: Mapping[str, tuple[bytes, str]] | None = None,  # file name: (content, media type)
) -> bytes:
    """The PDF with its metadata and, with a password, encrypted with AES-256 (R=6); rewritten whole, with no
    update history. In memory: the plain PDF of a protected letter never touches a disk. Attached files
    (a portability bundle) are embedded, and encrypted with the rest."""
    import pikepdf  # loaded when first used: the window's start does not need it

    rewritten = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_data)) as pdf:
        for name, (content, media_type) in (attachments or {}).items():
            pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, content, mime_type=media_type, filename=name)
        pdf.docinfo["/Title"] = title
        pdf.docinfo["/Author"] = author
        pdf.docinfo["/Subject"] = subject
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:creator"] = [author]
            meta["dc:description"] = subject
        encryption = (
            pikepdf.Encryption(owner=secrets.token_urlsafe(32), user=password, R=6, aes=True)
            if password is not None
            else False
        )
        pdf.save(rewritten, encryption=encryption)
    return rewritten.getvalue()
