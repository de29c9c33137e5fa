"""The supervisory authority a letter names for a complaint (Art. 77; legal-rules.md §11).

The authorities of the EEA states are data (``authorities.json`` beside this module), each with the source
its details were taken from and that source's date. A postal address is printed only where that source
gives one; otherwise the letter names the authority and its website.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files

from dpo_desk.core.countries import EEA
from dpo_desk.core.models import Entity

# Country names are matched in these languages: the group's, and those of the EEA states' addresses.
_NAME_LOCALES = ("en", "nb", "nn", "fi", "sv", "pl", "da", "de", "fr", "nl", "es", "it", "pt", "is", "et", "lv", "lt")
EDPB_MEMBERS = "edpb.europa.eu/about-edpb/about-edpb/members_en"


@dataclass(frozen=True, slots=True)
class Authority:
    country: str
    name: str  # in English, or the local name with an English description in brackets
    address: tuple[str, ...]  # its last line the country, in English (every address in authorities.json)
    website: str
    source: str
    source_date: str
    local_name: str = ""  # as the authority names itself; '' where no source of ours gives it

    def name_in(self, lang: str) -> str:
        """A letter in English names the authority in English; any other, by its own name."""
        return self.name if lang == "en" or not self.local_name else self.local_name

    def address_in(self, lang: str, countries: Mapping[str, str]) -> list[str]:
        """The address as its source gives it, in a letter in any other language with the country line (every
        address's last) in that language (``countries``: Babel's territory names of the letter's locale)."""
        lines = list(self.address)
        if lines and lang != "en":
            lines[-1] = countries.get(self.country, lines[-1])
        return lines


@dataclass(frozen=True, slots=True)
class ComplaintAuthority:
    """Whom the complaint block names, and why that one."""

    authority: Authority | None  # None: no EEA authority follows from the record (the letter says so)
    basis: str  # "subject" (the country the subject lives in), "entity", "representative" or "none"
    representative_country: str = ""  # its ISO code


@functools.cache
def authorities() -> dict[str, Authority]:
    data = json.loads(files("dpo_desk.letters").joinpath("authorities.json").read_text(encoding="utf-8"))
    return {
        item["country"]: Authority(
            country=item["country"],
            name=item["name_en"],
            address=tuple(item["address"]),
            website=item["website"],
            source=item["source"],
            source_date=item["source_date"],
            local_name=item.get("name_local", ""),
        )
        for item in data["authorities"]
    }


@functools.cache
def _country_names() -> dict[str, str]:
    """Babel's names of the EEA states, as :func:`babel_country_names` gathers them, read from the package:
    gathering them reads 17 locales, 0.2 to 0.4 s of every process's first letter (most addresses name no
    country, so every locale was read). tests/letters/test_authorities.py keeps the file equal to Babel's."""
    names: dict[str, str] = json.loads(files("dpo_desk.letters").joinpath(COUNTRY_NAMES).read_text(encoding="utf-8"))
    return names


COUNTRY_NAMES = "country_names.json"


def babel_country_names() -> dict[str, str]:
    """Each EEA state's name (casefolded) in each of ``_NAME_LOCALES``, to its ISO code; where two languages
    give one name to two states, the language listed first has it."""
    from babel import Locale

    names: dict[str, str] = {}
    for locale in _NAME_LOCALES:
        territories = Locale.parse(locale).territories
        for code in sorted(EEA):
            names.setdefault(territories[code].casefold(), code)
    return names


def country_of_address(lines: Sequence[str]) -> str:
    """The EEA country an address names on its last line ('Norway', 'Suomi', 'Polska'), or ''."""
    for line in reversed(lines):
        if line.strip():
            return _country_names().get(line.strip().rstrip(".").casefold(), "")
    return ""


def complaint_authority(entity: Entity, subject_country: str, representative: Entity | None) -> ComplaintAuthority:
    """Memo §11: the authority of the subject's country where the record shows it; else the entity's; for a
    controller outside the EEA, the state of its EEA representative; else none by name."""
    known = authorities()
    if subject_country in known:
        return ComplaintAuthority(known[subject_country], "subject")
    if entity.country in known:
        return ComplaintAuthority(known[entity.country], "entity")
    if entity.is_controller and representative is not None and representative.country in known:
        return ComplaintAuthority(known[representative.country], "representative", representative.country)
    return ComplaintAuthority(None, "none")
