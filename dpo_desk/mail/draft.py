"""From a parsed e-mail to the new-case form, prefilled: what the DPO then confirms or corrects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Entity, Right
from dpo_desk.mail.language import LanguageGuess, guess_language
from dpo_desk.mail.parse import MAX_TEXT_BYTES, ParsedMail, clean_text, read_pasted_mail
from dpo_desk.mail.rights import Suggestion, suggest_rights


@dataclass(frozen=True, slots=True)
class MailDraft:
    mail: ParsedMail
    entity: Entity | None  # guessed from the receiving address, when exactly one entity owns it
    entity_note: str
    suggestions: tuple[Suggestion, ...]
    language: LanguageGuess  # the language the request is written in, proposed for its letters

    @property
    def rights(self) -> tuple[Right, ...]:
        return tuple(s.right for s in self.suggestions)

    @property
    def text(self) -> str:
        """The request as the case keeps it: the subject line, then the body."""
        return f"{self.mail.subject}\n\n{self.mail.body}".strip()


def guess_entity(receiving: Sequence[str], entities: Sequence[Entity]) -> tuple[Entity | None, str]:
    """The entity whose contact address received the mail, if exactly one does; else why not."""
    wanted = {address.casefold() for address in receiving}
    owners = [e for e in entities if {e.email.casefold(), e.dpo_email.casefold()} & wanted]
    if len(owners) == 1:
        return owners[0], f"received at {owners[0].email or owners[0].dpo_email}"
    if not owners:
        shown = ", ".join(receiving) or "no receiving address"
        return None, f"{shown} belongs to no entity: choose the entity"
    return (
        None,
        f"{', '.join(sorted(wanted & {e.email.casefold() for e in owners}))} is shared by "
        f"{len(owners)} entities: choose the entity",
    )


def draft_from(mail: ParsedMail, entities: Sequence[Entity]) -> MailDraft:
    entity, note = guess_entity(mail.receiving, entities)
    words = f"{mail.subject}\n{mail.body}"
    return MailDraft(mail, entity, note, tuple(suggest_rights(words)), guess_language(words))


@dataclass(frozen=True, slots=True)
class TextDraft:
    """A request pasted as text (a letter typed up, a mail's body copied without its headers): the request as
    written and the rights its words suggest. No sender and no entity: the text names neither reliably."""

    text: str
    suggestions: tuple[Suggestion, ...]

    @property
    def rights(self) -> tuple[Right, ...]:
        return tuple(s.right for s in self.suggestions)


def draft_from_paste(text: str, entities: Sequence[Entity], now: datetime) -> MailDraft | TextDraft:
    """A pasted mail drafts as a mail file does; any other text is the request, with the rights it suggests."""
    mail = read_pasted_mail(text, now)
    if mail is not None:
        return draft_from(mail, entities)
    request = clean_text(text)
    if not request:
        raise InputError("the clipboard holds no text to start a case from")
    size = len(request.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise InputError(
            f"the pasted text is {size / (1024 * 1024):.1f} MB, more than the {MAX_TEXT_BYTES // (1024 * 1024)} MB "
            "limit for the text of a request"
        )
    return TextDraft(request, tuple(suggest_rights(request)))
