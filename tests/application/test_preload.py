"""What the app loads aside once its window is shown: the calendars of the year and the languages' names."""

from dpo_desk.application.preload import preload_aside
from dpo_desk.core.calendars import CALENDARS, public_holidays
from dpo_desk.letters.language import letter_language_names, letter_languages


def test_the_preload_fills_the_caches_the_first_case_and_letter_read() -> None:
    public_holidays.cache_clear()
    letter_language_names.cache_clear()
    preload_aside(2031).join()
    assert public_holidays.cache_info().currsize == len(CALENDARS)
    assert public_holidays.cache_info().misses == len(CALENDARS)
    assert set(letter_language_names()) == set(letter_languages())
    assert letter_language_names.cache_info().hits == 1  # read from the cache the preload filled
    assert public_holidays("NO", 2031)  # from the cache, with Norway's holidays
    assert public_holidays.cache_info().misses == len(CALENDARS)
