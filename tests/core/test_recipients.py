"""Art. 19 on its own: which rights need notices, and each recipient's notice from "to notify" onwards."""

from datetime import date

import pytest

from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Right
from dpo_desk.core.recipients import NoticeState, RecipientNotice, advance, needs_notices

OPEN = RecipientNotice("drift", "Drift")


def test_only_rectification_erasure_and_restriction_are_told_to_recipients() -> None:
    assert needs_notices((Right.ACCESS, Right.ERASURE))
    assert not needs_notices((Right.ACCESS, Right.OBJECTION, Right.PORTABILITY))
    assert [state for state in NoticeState if state.is_open] == [NoticeState.TO_NOTIFY]


def test_notified_then_confirmed_keeps_the_first_date_and_channel() -> None:
    notified = advance(OPEN, NoticeState.NOTIFIED, on=date(2026, 3, 5), channel=" e-mail to privacy@drift.com ")
    assert (notified.notified_on, notified.channel) == (date(2026, 3, 5), "e-mail to privacy@drift.com")
    confirmed = advance(notified, NoticeState.CONFIRMED, on=date(2026, 3, 7))
    assert confirmed.state is NoticeState.CONFIRMED
    assert (confirmed.notified_on, confirmed.channel, confirmed.confirmed_on) == (
        date(2026, 3, 5),
        "e-mail to privacy@drift.com",
        date(2026, 3, 7),
    )


@pytest.mark.parametrize(
    ("notice", "state", "options", "message"),
    [
        (OPEN, NoticeState.NOTIFIED, {"on": date(2026, 3, 5)}, "give the date and the channel"),
        (OPEN, NoticeState.CONFIRMED, {"on": date(2026, 3, 5)}, "confirms after being notified"),
        (
            RecipientNotice("drift", "Drift", NoticeState.NOTIFIED, date(2026, 3, 5), "e-mail"),
            NoticeState.CONFIRMED,
            {"on": date(2026, 3, 4)},
            "confirms after being notified",
        ),
        (OPEN, NoticeState.NOT_NOTIFIED, {"on": None, "reason": " "}, "impossible or involves disproportionate"),
        (OPEN, NoticeState.TO_NOTIFY, {"on": None}, "choose notified, confirmed or not-notified"),
    ],
)
def test_what_a_notice_record_could_not_show_is_refused(
    notice: RecipientNotice, state: NoticeState, options: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        advance(notice, state, **options)  # type: ignore[arg-type]


def test_not_notified_keeps_only_the_reason() -> None:
    skipped = advance(OPEN, NoticeState.NOT_NOTIFIED, on=None, reason=" storage we control, erased by us ")
    assert (skipped.state, skipped.reason, skipped.notified_on) == (
        NoticeState.NOT_NOTIFIED,
        "storage we control, erased by us",
        None,
    )
