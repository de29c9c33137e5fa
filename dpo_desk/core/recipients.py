"""Art. 19: telling each recipient of a rectification, erasure or restriction, or recording why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dpo_desk.core.errors import InputError, NotFoundError
from dpo_desk.core.models import Right
from dpo_desk.core.worded import Worded

NOTIFIABLE = (Right.RECTIFICATION, Right.ERASURE, Right.RESTRICTION)


class NoticeState(Worded):
    TO_NOTIFY = "to-notify"
    NOTIFIED = "notified"
    CONFIRMED = "confirmed"
    NOT_NOTIFIED = "not-notified"  # impossible or disproportionate effort, with the reason

    @property
    def is_open(self) -> bool:
        """Art. 19 asks that recipients be told; their confirmation is good practice, not a condition."""
        return self is NoticeState.TO_NOTIFY


@dataclass(frozen=True, slots=True)
class RecipientNotice:
    processor_key: str
    service: str
    state: NoticeState = NoticeState.TO_NOTIFY
    notified_on: date | None = None
    channel: str = ""
    confirmed_on: date | None = None
    reason: str = ""


def needs_notices(rights: tuple[Right, ...]) -> bool:
    return any(right in NOTIFIABLE for right in rights)


def advance(
    notice: RecipientNotice, state: NoticeState, *, on: date | None, channel: str = "", reason: str = ""
) -> RecipientNotice:
    """The next state of one recipient's notice, refusing what the record could not show."""
    if state is NoticeState.NOTIFIED:
        if on is None or not channel.strip():
            raise InputError("notified: give the date and the channel (e.g. e-mail to privacy@…)")
        return RecipientNotice(notice.processor_key, notice.service, state, on, channel.strip())
    if state is NoticeState.CONFIRMED:
        if notice.notified_on is None or on is None or on < notice.notified_on:
            raise InputError("confirmed: the recipient confirms after being notified; give the date")
        return RecipientNotice(notice.processor_key, notice.service, state, notice.notified_on, notice.channel, on)
    if state is NoticeState.NOT_NOTIFIED:
        if not reason.strip():
            raise InputError("reason: say why notifying is impossible or involves disproportionate effort")
        return RecipientNotice(notice.processor_key, notice.service, state, reason=reason.strip())
    raise InputError(f"state: choose notified, confirmed or not-notified, not {state.value}")


def changed_notices(
    notices: Sequence[RecipientNotice],
    processor_keys: tuple[str, ...],
    state: NoticeState,
    *,
    on: date | None,
    channel: str = "",
    reason: str = "",
) -> list[RecipientNotice]:
    """The notices of ``processor_keys`` moved to ``state`` alike, in the case's order of its recipients; all or
    none. A refusal names the recipient it is about only when not all of them are refused alike: "the channel
    is missing" is the form's fault, not Atlassian's."""
    if not processor_keys:
        raise InputError("recipients: choose at least one")
    by_key = {notice.processor_key: notice for notice in notices}
    unknown = [key for key in processor_keys if key not in by_key]
    if unknown:
        named = ", ".join(map(repr, unknown))
        raise NotFoundError(
            f"recipients: {named} {'is not a recipient' if len(unknown) == 1 else 'are not recipients'} of this case"
        )
    changed: list[RecipientNotice] = []
    refusals: list[tuple[str, str]] = []
    for notice in notices:
        if notice.processor_key in processor_keys:
            try:
                changed.append(advance(notice, state, on=on, channel=channel, reason=reason))
            except InputError as refused:
                refusals.append((str(refused), notice.service))
    if refusals:
        first, service = refusals[0]
        alike = not changed and all(message == first for message, _ in refusals)
        raise InputError(first if alike else f"{first} ({service})")
    return changed


def notice_event(changed: Sequence[RecipientNotice], state: NoticeState) -> str:
    """The history's line for one step: "Drift, HubSpot: notified"."""
    return f"{', '.join(notice.service for notice in changed)}: {state.label.lower()}"
