"""The language a request is written in, proposed for its letters: right on the test corpus (each file named
by its language), nothing where the text does not tell, and stored with the case a mail starts."""

from pathlib import Path

import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.language import guess_language
from dpo_desk.mail.parse import read_mail

CORPUS = Path(__file__).parents[1] / "data" / "mail"
# Mails whose text does not tell its language, and so propose none (the office's language applies).
UNTOLD = {
    "17-pl-apple.eml": "its Polish letters arrive mis-encoded (Ä, Ĺ), which reads as much Finnish as Polish",
    "23-pl-forward-as-attachment.eml": "one English line forwards the Polish request, which is attached",
}


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda path: path.name)
def test_each_mail_of_the_corpus_proposes_the_language_it_is_written_in(path: Path) -> None:
    mail = read_mail(path)
    guess = guess_language(f"{mail.subject}\n{mail.body}")
    expected = "" if path.name in UNTOLD else path.name.split("-")[1]
    assert guess.lang == expected, (guess, path.name)
    assert bool(guess.words) is bool(expected)


@pytest.mark.parametrize(
    "text",
    ["Slett meg", "CRM", "", "Hei, hello, hyvä", "Please slett alle mine opplysninger, thank you and bye"],
)
def test_a_text_too_short_or_mixed_proposes_nothing(text: str) -> None:
    assert guess_language(text).lang == ""


def test_a_short_finnish_request_is_told_by_its_endings() -> None:
    guess = guess_language("Osoitteeni on virheellinen. Korjatkaa se, kiitos.")
    assert guess.lang == "fi" and "korjatkaa" in guess.words


def test_a_mail_carries_the_proposal_and_the_case_it_starts_keeps_it(desk: Desk) -> None:
    entities = desk.register.entities()
    draft = draft_from(read_mail(CORPUS / "32-nb-outlook.msg"), entities)
    assert draft.language.lang == "nb" and "“jeg”" in draft.language.explain()
    case_id, _ = desk.add_case_from_draft(draft, entity_name="Altoros Americas LLC", rights=draft.rights)
    case = desk.cases.get_by_id(case_id)
    assert case.letter_lang == "nb"  # the subject wrote Norwegian: not the US office's English
