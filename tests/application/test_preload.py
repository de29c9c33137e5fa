"""What the app loads aside once its window is shown: the calendars of the year and the languages' names."""

from datetime import date

import holidays
import pytest

from dpo_desk.application.preload import preload_aside
from dpo_desk.core.calendars import CALENDARS, public_holidays
from dpo_desk.letters.language import LetterLanguage, letter_language_names, letter_languages


def test_the_preload_fills_the_caches_the_first_case_and_letter_read(monkeypatch: pytest.MonkeyPatch) -> None:
    public_holidays.cache_clear()
    letter_language_names.cache_clear()
    preload_aside(2031).join()

    def not_again(*args: object) -> None:
        raise AssertionError("computed again: the preload did not keep it")

    monkeypatch.setattr(holidays, "country_holidays", not_again)
    monkeypatch.setattr(LetterLanguage, "name", property(not_again))
    assert date(2031, 5, 17) in public_holidays("NO", 2031)  # Constitution Day, from the preload's cache
    assert all(isinstance(public_holidays(calendar, 2031), dict) for calendar in CALENDARS)
    assert set(letter_language_names()) == set(letter_languages())
