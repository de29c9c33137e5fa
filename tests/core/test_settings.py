"""Settings declared once: each reads, writes and checks itself, and refusals name it by its label."""

import pytest

from dpo_desk.core.deadlines import Rules
from dpo_desk.core.errors import InputError
from dpo_desk.core.identity import Evidence
from dpo_desk.core.settings import (
    ALL,
    AUTO_LOCK_MINUTES,
    IDENTITY_REQUIRED,
    IDENTITY_TRUSTED,
    LETTER_PAPER,
    PROTECT_ALL_LETTERS,
    RETENTION_MONTHS,
    RULES,
    Paper,
    check_together,
)


def test_every_setting_has_its_own_key_and_a_default_it_accepts() -> None:
    assert len({setting.key for setting in ALL}) == len(ALL)
    for setting in ALL:
        assert setting.check(_as_given(setting.default)) == setting.default, setting.key
        assert setting.decode(setting.encode(setting.default)) == setting.default, setting.key


def _as_given(value: object) -> object:
    """A value as an editor or a script gives it: an enumeration's members by their values."""
    if isinstance(value, tuple):
        return [member.value for member in value]
    return value


def test_stored_text_reads_back_and_unreadable_text_gives_the_default() -> None:
    assert RULES.decode("ico") is Rules.ICO and RULES.decode("maybe") is Rules.EU
    assert RETENTION_MONTHS.decode("72") == 72 and RETENTION_MONTHS.decode("-3") == 36
    assert PROTECT_ALL_LETTERS.encode(True) == "1" and PROTECT_ALL_LETTERS.decode("0") is False
    assert IDENTITY_TRUSTED.decode("passport,signed-letter") == (Evidence.PASSPORT, Evidence.SIGNED_LETTER)
    assert IDENTITY_TRUSTED.decode("") == tuple(Evidence)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (AUTO_LOCK_MINUTES, 0, "Auto-lock after: 0 idle minutes; choose between 1 and 240"),
        (AUTO_LOCK_MINUTES, True, "Auto-lock after: True is not a whole number"),
        (RULES, "uk", "Rule set: 'uk'; choose eu, ico"),
        (IDENTITY_TRUSTED, [], "Trusted evidence: choose at least one"),
        (IDENTITY_TRUSTED, ["passport", "selfie"], "Trusted evidence: unknown 'selfie'"),
        (PROTECT_ALL_LETTERS, "yes", "Passwords: true or false"),
    ],
)
def test_a_refused_value_names_its_setting(setting: object, value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        setting.check(value)  # type: ignore[attr-defined]


def test_the_identity_settings_are_checked_together() -> None:
    values = {setting: setting.default for setting in ALL}
    check_together(values)
    with pytest.raises(InputError, match="between 1 and 1"):
        check_together(values | {IDENTITY_REQUIRED: 2, IDENTITY_TRUSTED: (Evidence.PASSPORT,)})


def test_automatic_paper_follows_the_entity() -> None:
    assert LETTER_PAPER.default.for_country("US") is Paper.LETTER
    assert Paper.AUTO.for_country("NO") is Paper.A4 and Paper.A4.for_country("US") is Paper.A4
