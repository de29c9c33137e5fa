"""What the app loads aside once its window is shown: the calendars of the year and the languages' names."""

import subprocess
import sys
from datetime import date

import holidays
import pytest

from dpo_desk.application.preload import preload
from dpo_desk.core.calendars import CALENDARS, public_holidays
from dpo_desk.letters.language import LetterLanguage, letter_language_names, letter_languages


def test_the_preload_fills_the_caches_the_first_case_and_letter_read(monkeypatch: pytest.MonkeyPatch) -> None:
    public_holidays.cache_clear()
    letter_language_names.cache_clear()
    preload(2031)

    def not_again(*args: object) -> None:
        raise AssertionError("computed again: the preload did not keep it")

    monkeypatch.setattr(holidays, "country_holidays", not_again)
    monkeypatch.setattr(LetterLanguage, "name", property(not_again))
    assert date(2031, 5, 17) in public_holidays("NO", 2031)  # Constitution Day, from the preload's cache
    assert all(isinstance(public_holidays(calendar, 2031), dict) for calendar in CALENDARS)
    assert set(letter_language_names()) == set(letter_languages())


def test_the_preload_loads_the_phone_and_e_mail_libraries() -> None:
    """In a fresh interpreter (this test session has loaded them): the first case shown no longer loads them."""
    probe = (
        "import sys\n"
        "from dpo_desk.application.preload import preload\n"
        "before = [name for name in ('phonenumbers', 'email_validator') if name in sys.modules]\n"
        "preload(2031)\n"
        "print(before, [name for name in ('phonenumbers', 'email_validator') if name in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[] ['phonenumbers', 'email_validator']"
