"""A case's attachments, kept inside the encrypted store: those its mail brought, and files the DPO attached by
hand. Adding one, opening one and saving one out are case events, audited by the attachment's id; its name
stays in the case's history, which is case content, and out of the audit.

Every read checks the bytes against the SHA-256 recorded when they were added, and refuses them if they
differ: a changed attachment is never given out as if it were the one received.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.errors import NotFoundError, RefusedError
from dpo_desk.store.cases import CaseRepository, parse_utc, utc_text
from dpo_desk.store.transactions import write_transaction

FROM_MAIL, BY_HAND = "mail", "hand"
# A mail's attachments were added when the mail was imported (schema_0016.sql).
_COLUMNS = (
    "a.id, a.case_id, a.name, a.content_type, a.size, a.sha256, a.source,"
    " coalesce(a.added_at, (SELECT min(m.imported_at) FROM mail_imports m WHERE m.case_id = a.case_id))"
)


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    id: int
    case_id: int
    name: str  # as the mail or the DPO's file gave it; never used as a file name on disk as it stands
    content_type: str
    size: int
    sha256: str
    source: str  # FROM_MAIL or BY_HAND
    added_at: datetime

    @property
    def by_hand(self) -> bool:
        return self.source == BY_HAND


def keep(
    db: Database, case_id: int, name: str, content_type: str, content: bytes, *, source: str, added_at: str | None
) -> int:
    """Insert one attachment (part of the caller's transaction); its id."""
    row = db.execute(
        "INSERT INTO attachments (case_id, name, content_type, size, sha256, content, source, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (case_id, name, content_type, len(content), hashlib.sha256(content).hexdigest(), content, source, added_at),
    ).fetchone()
    return int(row[0])


class Attachments:
    def __init__(self, db: Database, cases: CaseRepository) -> None:
        self._db = db
        self.cases = cases

    def of_case(self, case_id: int) -> list[StoredAttachment]:
        """The case's attachments in the order they were added."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM attachments a WHERE a.case_id = ? ORDER BY a.id", (case_id,))
        return [_attachment(row) for row in rows]

    def get(self, case_id: int, attachment_id: int) -> StoredAttachment:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM attachments a WHERE a.case_id = ? AND a.id = ?", (case_id, attachment_id)
        ).fetchone()
        if row is None:
            reference = self.cases.get_by_id(case_id).reference
            raise NotFoundError(f"{reference} has no attachment {attachment_id}")
        return _attachment(row)

    def content(self, case_id: int, attachment_id: int) -> tuple[StoredAttachment, bytes]:
        """The attachment and its bytes, once they are checked against the SHA-256 recorded when it was added."""
        attachment = self.get(case_id, attachment_id)
        content = bytes(
            self._db.execute("SELECT content FROM attachments WHERE id = ?", (attachment_id,)).fetchone()[0]
        )
        if len(content) != attachment.size or hashlib.sha256(content).hexdigest() != attachment.sha256:
            raise RefusedError(
                f"attachment {attachment.name!r}: its content does not match the SHA-256 recorded when it was "
                "added, so it is not given out; run dpo-desk verify on the store"
            )
        return attachment, content

    def add(
        self, case_id: int, name: str, content_type: str, content: bytes, *, actor: str, now: datetime
    ) -> StoredAttachment:
        """Keep a file the DPO attached by hand; the case's history names it, the audit gives its id."""
        with write_transaction(self._db):
            attachment_id = keep(self._db, case_id, name, content_type, content, source=BY_HAND, added_at=utc_text(now))
            self.cases.record_event(
                case_id, now, actor, "attachment-added", f"{name} ({len(content):,} bytes) attached by hand",
                {"attachment": attachment_id},
            )  # fmt: skip
        return self.get(case_id, attachment_id)

    def opened(self, attachment: StoredAttachment, *, actor: str, now: datetime) -> None:
        """The DPO opened the attachment with the desktop's program for its type (a copy left the store)."""
        with write_transaction(self._db):
            self.cases.record_event(
                attachment.case_id, now, actor, "attachment-opened", f"{attachment.name} opened",
                {"attachment": attachment.id},
            )  # fmt: skip

    def saved(self, attachment: StoredAttachment, file_name: str, *, actor: str, now: datetime) -> None:
        """The DPO saved the attachment out of the store, as ``file_name``."""
        with write_transaction(self._db):
            self.cases.record_event(
                attachment.case_id, now, actor, "attachment-saved", f"{attachment.name} saved out as {file_name}",
                {"attachment": attachment.id},
            )  # fmt: skip


def _attachment(row: Sequence[Any]) -> StoredAttachment:
    return StoredAttachment(
        id=int(row[0]),
        case_id=int(row[1]),
        name=str(row[2]),
        content_type=str(row[3]),
        size=int(row[4]),
        sha256=str(row[5]),
        source=str(row[6]),
        added_at=parse_utc(str(row[7])),
    )
