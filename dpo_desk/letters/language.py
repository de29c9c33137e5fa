"""A letter language: a folder of templates under ``letters/templates/<code>/`` with its ``catalogue.toml``.

The catalogue holds the words a letter prints that its templates do not write themselves: names of the
codes the record holds (rights, evidence, grounds, safeguards), the labels of the letterhead and the page,
counted nouns and the patterns of dates and money. Babel formats those for the language's locale (CLDR:
"31. januar 2026", "1 234,50 zł", "Norja"), so no language needs code of its own. English is the
reference: every key of its catalogue must be in every other (tests/letters/test_languages.py).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.languages import get_official_languages
from babel.numbers import format_currency, format_decimal

from dpo_desk.core.errors import InputError

ENGLISH = "en"
CATALOGUE = "catalogue.toml"


@dataclass(frozen=True, slots=True)
class LetterLanguage:
    code: str  # the folder's name, a CLDR locale: "nb", "fi", "pl"
    catalogue: Mapping[str, Any]

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def name(self) -> str:
        """As the DPO's lists show it, in the language itself and in English: "norsk bokmål (Norwegian Bokmål)"."""
        own, english = self.locale.get_display_name(self.code) or self.code, self.locale.get_display_name(ENGLISH)
        return own if own == english or not english else f"{own} ({english})"

    def term(self, section: str, key: str) -> str:
        return str(self.catalogue[section][key])

    def words(self, section: str) -> dict[str, str]:
        return {key: str(value) for key, value in self.catalogue[section].items()}

    def date_text(self, day: date) -> str:
        return format_date(day, self.term("formats", "date"), locale=self.code)

    def weekday_text(self, day: date) -> str:
        return format_date(day, self.term("formats", "weekday_date"), locale=self.code)

    def time_text(self, moment: datetime) -> str:
        return format_time(moment, self.term("formats", "time"), locale=self.code)

    def money_text(self, amount: Decimal, currency: str) -> str:
        return format_currency(amount, currency, self.term("formats", "money") or None, locale=self.code)

    def number_text(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self.code)

    def country_name(self, code: str) -> str:
        return self.locale.territories.get(code, code) if code else ""

    def counted(self, noun: str, count: int) -> str:
        """'3 records', '3 rekordy', '5 rekordów': the form the language's plural rule gives ``count``."""
        forms = self.catalogue["plurals"][noun]
        form = forms.get(self.locale.plural_form(count), forms["other"])
        return str(form).format(count=self.number_text(count))


@functools.cache
def letter_languages() -> tuple[str, ...]:
    """Every language with letters: each folder of templates that holds a catalogue, English first."""
    root = files("dpo_desk.letters").joinpath("templates")
    found = sorted(entry.name for entry in root.iterdir() if entry.joinpath(CATALOGUE).is_file())
    return tuple(sorted(found, key=lambda code: code != ENGLISH))


@functools.cache
def letter_language(code: str) -> LetterLanguage:
    if code not in letter_languages():
        raise InputError(f"lang: no letters in {code!r}; available: {', '.join(letter_languages())}")
    text = files("dpo_desk.letters").joinpath("templates", code, CATALOGUE).read_text(encoding="utf-8")
    return LetterLanguage(code, tomllib.loads(text))


@functools.cache
def letter_language_name(code: str) -> str:
    """The name of one language there are letters in (see :attr:`LetterLanguage.name`). Cached, and apart from
    the others': Babel reads a language's locale data for its name (10 ms each, the first time)."""
    return letter_language(code).name


@functools.cache
def letter_language_names() -> Mapping[str, str]:
    """Every language there are letters in, by code, with its name for a list: "norsk bokmål (Norwegian
    Bokmål)". Reads every language's locale data (30 ms at first): for the lists, while one name is enough
    for a case shown."""
    return MappingProxyType({code: letter_language_name(code) for code in letter_languages()})


def office_language(country: str) -> str:
    """The letter language of an office in ``country``: its first official language that has letters
    (Norway nb, Finland fi, Poland pl), else English."""
    available = letter_languages()
    return next((code for code in get_official_languages(country, de_facto=True) if code in available), ENGLISH)
