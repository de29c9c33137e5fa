"""A case's letter language: its office's unless chosen, changed by the DPO (in the history, sealed), taken
by each letter unless that letter is given another, and recorded in the letter register."""

from datetime import timedelta
from pathlib import Path

import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.cli import main
from dpo_desk.core.errors import InputError
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from tests.conftest import NOW, new_case
from tests.letters.samples import LETTERHEADS, read

RECEIVED = NOW - timedelta(days=2)


@pytest.fixture(autouse=True)
def _qt_renders(qapp: object) -> None:
    """Qt lays the letters out."""


@pytest.mark.parametrize(
    ("entity", "lang"),
    [
        ("Altoros Norge AS", "nb"),
        ("Altoros Finland Oy", "fi"),
        ("Altoros Poland", "pl"),
        ("Altoros Americas LLC", "en"),
        ("Altoros A.S.", "en"),
    ],
)
def test_a_case_writes_in_its_offices_language_unless_one_is_chosen(desk: Desk, entity: str, lang: str) -> None:
    office = desk.cases.get_by_id(desk.add_case(new_case(entity=entity, letter_lang="")))
    assert (office.letter_lang, desk.letters.language_of(office)) == ("", lang)
    chosen = desk.cases.get_by_id(desk.add_case(new_case(entity=entity, letter_lang="pl")))
    assert desk.letters.language_of(chosen) == "pl"


def test_the_dpo_changes_the_language_and_each_letter_may_take_another(desk: Desk, tmp_path: Path) -> None:
    desk.update_entity("Altoros Finland Oy", LETTERHEADS["Altoros Finland Oy"])
    finnish = new_case(
        entity="Altoros Finland Oy", letter_lang="", address="Testikatu 1\n00100 Helsinki", received=RECEIVED
    )
    case_id = desk.add_case(finnish)
    first = desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render, target=tmp_path / "1.pdf")
    assert first.record.lang == "fi" and "Your request has been received" not in read(first.record.file)
    desk.set_letter_language(case_id, "en")
    history = desk.cases.history(case_id)[-1]
    assert (history.action, history.reason) == ("letter-language", "Letter language: suomi (Finnish) → English")
    second = desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render, target=tmp_path / "2.pdf")
    assert second.record.lang == "en" and "Your request has been received" in read(second.record.file)
    third = desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render, target=tmp_path / "3.pdf", lang="pl")
    assert third.record.lang == "pl" and desk.cases.get_by_id(case_id).letter_lang == "en"
    assert [letter.lang for letter in desk.letters.letters(case_id)] == ["fi", "en", "pl"]
    assert desk.verify().ok  # the change is sealed like every other


def test_a_language_without_letters_is_refused_by_name(desk: Desk) -> None:
    case_id = desk.add_case(new_case())
    with pytest.raises(InputError, match="letter language: no letters in 'sv'; available: en, "):
        desk.set_letter_language(case_id, "sv")
    with pytest.raises(InputError, match="letter language: no letters in 'de'"):
        desk.add_case(new_case(letter_lang="de"))


def test_the_command_line_sets_shows_and_overrides_it(
    store_path: Path, desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = desk.cases.get_by_id(desk.add_case(new_case(letter_lang="", received=RECEIVED))).reference
    store = str(store_path)
    assert main(["letter", "--list-languages"]) == 0
    assert "nb   norsk bokmål (Norwegian Bokmål)" in capsys.readouterr().out
    assert main(["--store", store, "case", "show", reference]) == 0
    assert "Letters:   norsk bokmål (Norwegian Bokmål)" in capsys.readouterr().out
    assert main(["--store", store, "case", "language", reference, "pl"]) == 0
    assert capsys.readouterr().out == f"{reference}: letters in polski (Polish)\n"
    assert main(["--store", store, "letter", reference, "acknowledgement", "--out", str(tmp_path / "a.pdf")]) == 0
    assert main(["--store", store, "letter", reference, "acknowledgement", "--out", str(tmp_path / "b.pdf"),
                 "--lang", "en"]) == 0  # fmt: skip
    assert [letter.lang for letter in desk.letters.letters(desk.cases.get(reference).id)] == ["pl", "en"]
    assert main(["--store", store, "case", "language", reference, "xx"]) == 2
    assert "letter language: no letters in 'xx'" in capsys.readouterr().err
