"""E-mail imports in the store: attachments kept inside it (store/attachments.py), Message-IDs for duplicates,
quarantine for the rest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from dpo_desk.core.errors import InputError, NotFoundError, RefusedError
from dpo_desk.core.intake import check_not_future, subject_details
from dpo_desk.core.models import Channel, EarlierCase, NewCase, Right, SubjectDetails
from dpo_desk.files import write_private
from dpo_desk.store import audit
from dpo_desk.store.attachments import FROM_MAIL, keep
from dpo_desk.store.cases import CaseRepository, utc_text
from dpo_desk.store.transactions import write_transaction

if TYPE_CHECKING:  # the mail's parts load with the first mail read: a command that reads none need not load them
    from dpo_desk.mail.draft import MailDraft
    from dpo_desk.mail.parse import ParsedMail


class MailStore:
    def __init__(self, db: Database, cases: CaseRepository) -> None:
        self._db = db
        self.cases = cases

    def duplicates(self, message_id: str) -> list[str]:
        """References of cases already imported from a message with this Message-ID."""
        if not message_id.strip():
            return []
        rows = self._db.execute(
            "SELECT c.reference FROM mail_imports m JOIN cases c ON c.id = m.case_id WHERE m.message_id = ?"
            " ORDER BY c.id",
            (message_id.strip(),),
        )
        return [row[0] for row in rows]

    def same_sender(self, mail: ParsedMail) -> list[EarlierCase]:
        """Cases of a subject with the sender's address: offered for linking, never linked on their own."""
        if not mail.sender_address:
            return []
        return self.cases.matching(SubjectDetails(mail.sender_name, emails=(mail.sender_address,)), "")

    def add_case(
        self,
        draft: MailDraft,
        *,
        entity_name: str,
        rights: tuple[Right, ...],
        actor: str,
        now: datetime,
        same_subject_as: int | None = None,
    ) -> tuple[int, list[str]]:
        """Create the case a mail asks for as it stands (the command line); returns the id and earlier imports."""
        mail = draft.mail
        if not rights:
            raise InputError("rights: the text asks for no right I recognise; choose the rights")
        subject = subject_details(
            mail.sender_name or mail.sender_address, [mail.sender_address] if mail.sender_address else [], [], ""
        )
        received = check_not_future(mail.received, now=now)
        new = NewCase(entity_name, Channel.EMAIL, received, rights, subject, draft.text, draft.language.lang)
        return self.add_reviewed(new, mail, actor=actor, now=now, same_subject_as=same_subject_as)

    def add_reviewed(
        self, new: NewCase, mail: ParsedMail, *, actor: str, now: datetime, same_subject_as: int | None = None
    ) -> tuple[int, list[str]]:
        """Create the case as the DPO confirmed it, keep the mail's attachments; returns the id and earlier imports."""
        duplicates = self.duplicates(mail.message_id)
        with write_transaction(self._db):
            case_id = self.cases.add(new, actor=actor, now=now, same_subject_as=same_subject_as)
            self.attach(case_id, mail, actor=actor, now=now)
        return case_id, duplicates

    def attach(self, case_id: int, mail: ParsedMail, *, actor: str, now: datetime) -> None:
        """Keep the mail's attachments inside the store and remember its Message-ID."""
        with write_transaction(self._db):
            for attachment in mail.attachments:
                keep(
                    self._db, case_id, attachment.name, attachment.content_type, attachment.content,
                    source=FROM_MAIL, added_at=None,
                )  # fmt: skip
            self._db.execute(
                "INSERT INTO mail_imports (case_id, message_id, sender, imported_at) VALUES (?, ?, ?, ?)",
                (case_id, mail.message_id, mail.sender_address, utc_text(now)),
            )
            self.cases.record_event(case_id, now, actor, "mail", f"imported with {len(mail.attachments)} attachment(s)")

    # --- quarantine: files refused at import, kept inside the encrypted store -------------------

    def quarantine(self, source: Path, reason: str, *, actor: str, now: datetime) -> int:
        """Keep a refused file inside the (encrypted) store with the reason, for the DPO to inspect; its id.

        Files over the e-mail size limit keep their name, size and hash, not their content."""
        from dpo_desk.mail.parse import MAX_BYTES

        size = source.stat().st_size
        digest = hashlib.sha256()
        blocks: list[bytes] = []
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
                if size <= MAX_BYTES:
                    blocks.append(block)
        with write_transaction(self._db):
            row = self._db.execute(
                "INSERT INTO quarantine (at, file_name, size, sha256, reason, content) VALUES (?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (utc_text(now), source.name, size, digest.hexdigest(), reason, b"".join(blocks)),
            ).fetchone()
            audit.record(
                self._db, actor=actor, action="quarantined", entity="quarantine", entity_id=row[0], details={},
                now=now,
            )  # fmt: skip
        return int(row[0])

    def quarantined(self) -> list[Quarantined]:
        """What was refused, newest first."""
        rows = self._db.execute("SELECT id, at, file_name, size, reason FROM quarantine ORDER BY id DESC")
        return [Quarantined(int(row[0]), str(row[1]), str(row[2]), int(row[3]), str(row[4])) for row in rows]

    def save_quarantined(self, quarantine_id: int, target: Path, *, actor: str, now: datetime) -> Path:
        """Write a refused file out for inspection, under a name the DPO chose (a disclosure: audited)."""
        row = self._db.execute("SELECT content, size FROM quarantine WHERE id = ?", (quarantine_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no quarantined file {quarantine_id}")
        if len(row[0]) != row[1]:
            from dpo_desk.mail.parse import MAX_BYTES

            raise RefusedError(
                f"quarantined file {quarantine_id}: larger than {MAX_BYTES // (1024 * 1024)} MB, so only its name, "
                "size and SHA-256 were kept; there is nothing to save"
            )
        if target.exists():
            raise InputError(f"{target} already exists; choose a new file")
        write_private(target, bytes(row[0]))
        with write_transaction(self._db):
            audit.record(
                self._db, actor=actor, action="quarantine-saved", entity="quarantine", entity_id=quarantine_id,
                details={"bytes": len(row[0])}, now=now,
            )  # fmt: skip
        return target


@dataclass(frozen=True, slots=True)
class Quarantined:
    id: int
    at: str
    file_name: str
    size: int
    reason: str
