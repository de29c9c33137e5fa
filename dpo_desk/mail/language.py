"""Which language a request is written in, proposed from its commonest words: the language its letters
are then written in (Art. 12(1): the subject reads the answer). A proposal the DPO confirms at intake.

No language detector library is used: the well-kept ones carry models of tens of megabytes for a hundred languages
(lingua) or need numpy (py3langid), and the request only has to be told apart among the group's four.
Function words settle that for a sentence or more; a text too short, or mixed, proposes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Frequent words that are rare in the other three (none shared: "i", "on", "en" are left out).
_WORDS = {
    "en": frozenset(
        [
            "the",
            "and",
            "my",
            "me",
            "to",
            "of",
            "please",
            "you",
            "your",
            "is",
            "have",
            "with",
            "for",
            "this",
            "that",
            "would",
            "like",
            "regards",
            "dear",
            "hello",
            "request",
            "all",
            "about",
            "which",
            "what",
        ]
    ),
    "nb": frozenset(
        [
            "jeg",
            "og",
            "ikke",
            "meg",
            "min",
            "mine",
            "mitt",
            "har",
            "vil",
            "ønsker",
            "om",
            "på",
            "av",
            "til",
            "med",
            "hilsen",
            "vennlig",
            "hei",
            "kan",
            "det",
            "som",
            "er",
            "et",
            "alle",
            "opplysninger",
            "personopplysninger",
            "hvilke",
            "dere",
            "takk",
        ]
    ),
    "fi": frozenset(
        [
            "minä",
            "minun",
            "minua",
            "ja",
            "ei",
            "että",
            "olen",
            "haluan",
            "pyydän",
            "tietoni",
            "tietojeni",
            "tiedot",
            "henkilötiedot",
            "henkilötietoni",
            "kiitos",
            "terveisin",
            "ystävällisin",
            "hyvä",
            "teidän",
            "kaikki",
            "mitä",
            "koskevat",
            "tietoja",
        ]
    ),
    "pl": frozenset(
        [
            "nie",
            "mnie",
            "moje",
            "moich",
            "mój",
            "proszę",
            "na",
            "że",
            "się",
            "jest",
            "dane",
            "danych",
            "osobowe",
            "osobowych",
            "dzień",
            "dobry",
            "pozdrawiam",
            "poważaniem",
            "chcę",
            "wszystkie",
            "które",
            "są",
            "mojej",
            "moim",
        ]
    ),
}
# Letters only one of the four writes, and Finnish endings no other has (adjectives, imperatives, cases):
# they tell a short request ("Osoitteeni on virheellinen. Korjatkaa se.") that has few function words.
_LETTERS = {"nb": frozenset("æøå"), "fi": frozenset("äö"), "pl": frozenset("ąćęłńóśźż")}
_ENDINGS = {"fi": ("nen", "kaa", "kää", "uksen", "ssä", "llä", "ltä", "stä")}
_TOKEN = re.compile(r"[^\W\d_]+")
MIN_WORDS = 2  # fewer telling words than this propose nothing


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str  # "en", "nb", "fi", "pl"; '' when the text does not tell
    words: tuple[str, ...]  # up to five of the words that told it

    def explain(self) -> str:
        return ", ".join(f"“{word}”" for word in self.words)


def guess_language(text: str) -> LanguageGuess:
    """The language most of the text's telling words belong to, when clearly ahead of the next."""
    tokens = [token.casefold() for token in _TOKEN.findall(text)]
    hits = {lang: [t for t in tokens if _tells(t, lang)] for lang in _WORDS}
    ranked = sorted(hits, key=lambda lang: len(hits[lang]), reverse=True)
    best, second = ranked[0], ranked[1]
    if len(hits[best]) < MIN_WORDS or len(hits[best]) < 2 * len(hits[second]):
        return LanguageGuess("", ())
    return LanguageGuess(best, tuple(word for word, _ in Counter(hits[best]).most_common(5)))


def _tells(token: str, lang: str) -> bool:
    return (
        token in _WORDS[lang]
        or not _LETTERS.get(lang, frozenset()).isdisjoint(token)
        or token.endswith(_ENDINGS.get(lang, ()))
    )
