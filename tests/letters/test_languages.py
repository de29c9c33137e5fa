"""Every letter kind in every language: the catalogues agree with the English one, and a letter in another
language prints no English (read back from the PDF, as a subject reads it). With DPO_DESK_LETTER_SAMPLES set
to a folder, the letters are copied there (with a passwords.txt) for a reviewer to look at."""

from __future__ import annotations

import os
import re
import shutil
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel import Locale

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import PauseKind
from dpo_desk.core.fees import FeeBasis
from dpo_desk.core.identity import Evidence
from dpo_desk.core.models import Right
from dpo_desk.core.processors import TRANSFER_MECHANISMS
from dpo_desk.core.refusal import RefusalGround
from dpo_desk.core.settings import IDENTITY_REQUIRED
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import ENGLISH, letter_language, letter_languages, office_language
from dpo_desk.letters.register_texts import fingerprint, in_language
from tests.letters.samples import LETTERHEADS, OFFICES, every_letter, pending_case, read

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 2, 9, tzinfo=UTC)
OTHERS = [code for code in letter_languages() if code != ENGLISH]
# Words no letter in another language prints: the English of a letter's frame and its citations.
ENGLISH_WORDS = (
    "Page", "Dear", "Reference", "reference", "Article", "GDPR", "Yours", "sincerely", "Recipient", "recipients",
    "Date", "Total", "request", "complaint", "your", "Your",
)  # fmt: skip
# Catalogue entries a language may leave as in English, with why.
SAME_AS_ENGLISH = {
    ("access_copy", "mail_cc"),  # the header's own name, as mail programs show it
    ("access_copy", "mail_message_id"),
}


@pytest.fixture(autouse=True)
def _qt_renders(qapp: object) -> None:
    """Qt lays the letters out."""


def entries(catalogue: dict, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    found: dict[tuple[str, ...], str] = {}
    for key, value in catalogue.items():
        if isinstance(value, dict):
            found |= entries(value, (*prefix, key))
        else:
            found[(*prefix, key)] = value
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_english_catalogue_names_every_code_a_letter_prints() -> None:
    english = letter_language(ENGLISH)
    wanted = {
        "titles": {kind.value for kind in LetterKind},
        "rights": {right.value for right in Right},
        "evidence": {evidence.value for evidence in Evidence},
        "fee_bases": {basis.value for basis in FeeBasis},
        "refusal_grounds": {ground.value for ground in RefusalGround},
        "mechanisms": {m for m in TRANSFER_MECHANISMS if m not in ("", "none")},
    }
    for section, keys in wanted.items():
        assert set(english.words(section)) == keys, section


def test_there_are_letters_in_norwegian_finnish_and_polish() -> None:
    assert set(letter_languages()) >= {"en", "nb", "fi", "pl"}
    assert {country: office_language(country) for country in ("NO", "FI", "PL", "US", "AR")} == {
        "NO": "nb", "FI": "fi", "PL": "pl", "US": "en", "AR": "en"
    }  # fmt: skip


@pytest.mark.parametrize("lang", OTHERS)
def test_a_catalogue_has_every_english_key_translated(lang: str) -> None:
    english = entries(dict(letter_language(ENGLISH).catalogue))
    own = entries(dict(letter_language(lang).catalogue))
    plurals = {key for key in own if key[0] == "plurals"}
    assert {k for k in english if k[0] != "plurals"} == {k for k in own if k[0] != "plurals"}
    for key, value in english.items():
        if key[0] in ("plurals", "formats"):
            continue
        assert own[key].strip(), key
        assert placeholders(own[key]) == placeholders(value), key
        if key not in SAME_AS_ENGLISH:
            assert own[key] != value, f"{lang}: {'.'.join(key)} is still in English"
    # Every plural category the language's rule gives (Babel, CLDR), for every counted noun.
    categories = set(Locale.parse(lang).plural_form.tags) | {"other"}
    for noun in letter_language(ENGLISH).catalogue["plurals"]:
        assert {key[2] for key in plurals if key[1] == noun} == categories, (lang, noun)


@pytest.mark.parametrize("lang", OTHERS)
def test_the_seeded_register_is_translated(desk: Desk, lang: str) -> None:
    for source in desk.letters.source_texts(ENGLISH):
        translated = in_language(source, lang)
        assert translated != source, f"{lang}: no current translation of {source.key} ({fingerprint(source)})"
        assert len(translated.purposes) == len(source.purposes), source.key


def test_an_edited_source_prints_as_the_register_holds_it(desk: Desk) -> None:
    source = desk.letters.source_texts(ENGLISH)[0]
    edited = source.__class__(**{**{f: getattr(source, f) for f in source.__slots__}, "retention": "10 years"})
    assert all(in_language(edited, lang) == edited for lang in OTHERS)


def english_fragments(lang: str) -> set[str]:
    """Each English catalogue text a letter prints, cut at its placeholders, that this language says otherwise."""
    own = entries(dict(letter_language(lang).catalogue))
    fragments: set[str] = set()
    for key, value in entries(dict(letter_language(ENGLISH).catalogue)).items():
        if key[0] == "formats" or key in SAME_AS_ENGLISH:
            continue
        for piece in re.split(r"\{[a-z_]+\}", value):
            piece = piece.strip(" :,.()")
            if len(piece) >= 6 and piece not in own.get(key, ""):
                fragments.add(piece)
    return fragments


@pytest.mark.parametrize("lang", [*OTHERS, ENGLISH])
def test_every_kind_in_the_offices_language_prints_no_english(desk: Desk, tmp_path: Path, lang: str) -> None:
    written = every_letter(desk, tmp_path, lang, received=RECEIVED, now=NOW)
    assert [letter.kind for letter in written] == list(LetterKind)
    samples = os.environ.get("DPO_DESK_LETTER_SAMPLES")
    if samples:
        folder = Path(samples)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "passwords.txt").open("a", encoding="utf-8") as passwords:
            for letter in written:
                shutil.copy(letter.file, folder / letter.file.name)
                passwords.write(f"{letter.file.name} {letter.password or ''}\n")
    title = letter_language(lang).words("titles")
    for letter in written:
        text = letter.text()
        assert title[letter.kind.value] in text, letter.kind
        assert OFFICES[lang][1].splitlines()[0] in text or letter.kind is LetterKind.RECIPIENT_NOTICE
        if lang == ENGLISH:
            assert "Page 1 of" in text
            continue
        text = re.sub(r"\S+\.(zip|json|csv|txt)\b", "", text)  # file names are what they are: DSR-…-portability.zip
        words = set(re.findall(r"[\w'-]+", text))
        english = [word for word in ENGLISH_WORDS if word in words]
        untranslated = [piece for piece in english_fragments(lang) if re.search(rf"\b{re.escape(piece)}\b", text)]
        assert not english and not untranslated, (letter.kind.value, english, untranslated)


ONE_FORM = {
    "en": "Our policy asks for one trusted form of identification, chosen from:",
    "nb": "Retningslinjene våre krever én pålitelig form for identifisering, valgt blant:",
    "fi": "henkilöllisyys varmistetaan yhdellä luotettavalla tunnistamistavalla.",
    "pl": "Nasze zasady wymagają jednej wiarygodnej formy potwierdzenia tożsamości, wybranej spośród",
}


@pytest.mark.parametrize("lang", [ENGLISH, *OTHERS])
def test_a_policy_of_one_id_asks_for_one_form_in_every_language(desk: Desk, tmp_path: Path, lang: str) -> None:
    desk.save_settings({IDENTITY_REQUIRED: 1})
    entity, address = OFFICES[lang]
    if entity in LETTERHEADS:
        desk.update_entity(entity, LETTERHEADS[entity])
    case_id = pending_case(desk, RECEIVED, NOW, PauseKind.IDENTITY, "ola@example.com", entity=entity, address=address)
    for kind in (LetterKind.IDENTITY_REQUEST, LetterKind.ACKNOWLEDGEMENT):
        made = desk.letters.generate(
            case_id, kind, tmp_path / f"{kind.value}.pdf", render, actor="d", now=NOW, lang=lang
        )
        assert ONE_FORM[lang] in read(made.record.file, made.password), kind  # not "1 trusted forms"
