"""Which rights a request's words ask for, in English, Norwegian, Finnish and Polish, with the words that said so.

A suggestion, never a decision: the DPO confirms or corrects every right before the case is created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dpo_desk.core.models import Right

# Word stems, matched at the start of a word, case- and accent-sensitive as written by people.
_STEMS: dict[Right, tuple[str, ...]] = {
    Right.ACCESS: (
        "copy of",
        "a copy",
        "access to",
        "subject access",
        "what data",
        "what personal data",
        "which data",
        "innsyn",
        "kopi",
        "hvilke opplysninger",
        "hvilke personopplysninger",
        "tarkastusoikeu",
        "jäljennö",
        "kopio",
        "mitä tietoja",
        "mitä henkilötietoja",
        "kopię",
        "kopii",
        "dostęp",
        "jakie dane",
        "wgląd",
    ),
    Right.ERASURE: (
        "delete",
        "erase",
        "erasure",
        "forget",
        "forgotten",
        "remove my",
        "removal of",
        "slett",
        "glemt",
        "fjern",
        "poista",
        "unohdetuksi",
        "usuń",
        "usunię",
        "usunąć",
        "zapomnian",
    ),
    Right.RECTIFICATION: (
        "correct",
        "rectif",
        "inaccurate",
        "is wrong",
        "are wrong",
        "update my",
        "rette",
        "retting",
        "korriger",
        "er feil",
        "oikaise",
        "oikaisu",
        "korjaa",
        "virheelli",
        "sprostowa",
        "popraw",
        "błędn",
    ),
    Right.RESTRICTION: (
        "restrict",
        "limit the processing",
        "limit processing",
        "begrens",
        "rajoit",
        "ogranicz",
    ),
    Right.OBJECTION: (
        "object to",
        "i object",
        "objection",
        "unsubscribe",
        "stop marketing",
        "stop sending",
        "opt out",
        "opt-out",
        "protest",
        "reservasjon",
        "reserverer",
        "avmeld",
        "slutt å sende",
        "markedsføring",
        "vastusta",
        "kiellän",
        "suoramarkkinoin",
        "peru tilaus",
        "lopettakaa",
        "sprzeciw",
        "wypisz",
        "przestańcie",
        "marketing",
    ),
    Right.PORTABILITY: (
        "portab",
        "machine-readable",
        "machine readable",
        "transfer my data",
        "export my data",
        "dataportabilitet",
        "overføre",
        "overfør mine",
        "siirrettävyy",
        "siirtää tietoni",
        "koneluettav",
        "przenosz",
        "przenieś",
        "przeniesieni",
    ),
    Right.CONSENT_WITHDRAWAL: (
        "withdraw my consent",
        "withdraw consent",
        "revoke my consent",
        "revoke consent",
        "trekke tilbake samtykke",
        "trekker tilbake samtykke",
        "trekker mitt samtykke",
        "peruutan suostumukse",
        "peruuttaa suostumukse",
        "perun suostumukse",
        "wycofuję zgod",
        "wycofanie zgod",
        "cofam zgod",
        "odwołuję zgod",
    ),
}
_PATTERNS = {
    right: re.compile(r"(?<!\w)(" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)
    for right, stems in _STEMS.items()
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    right: Right
    triggers: tuple[str, ...]  # the words in the mail that asked for it

    def explain(self) -> str:
        quoted = ", ".join(f"“{word}”" for word in self.triggers)
        return f"{self.right.label}: {quoted}"


def suggest_rights(text: str) -> list[Suggestion]:
    """The rights the text asks for, in the canonical order, each with up to three triggering words."""
    found = []
    for right in Right:
        pattern = _PATTERNS.get(right)
        if pattern is None:
            continue
        words = list(dict.fromkeys(match.group(0).lower() for match in pattern.finditer(text)))
        if words:
            found.append(Suggestion(right, tuple(words[:3])))
    return found
