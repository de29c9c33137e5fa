"""What the first letter of a session needs is made ready aside, once the window is shown."""

from collections.abc import Iterator
from datetime import timedelta

import jinja2
import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.gui.letters_aside import prepare_letters_aside
from dpo_desk.letters import compose
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import letter_languages
from tests.conftest import NOW, new_case


@pytest.fixture
def fresh_environment() -> Iterator[None]:
    compose.environment.cache_clear()
    yield
    compose.environment.cache_clear()


def never(*args: object, **kwargs: object) -> None:
    raise AssertionError("the template should have been loaded aside")


@pytest.mark.usefixtures("fresh_environment")
@pytest.mark.parametrize("lang", letter_languages())
def test_after_it_a_letter_loads_no_template(
    desk: Desk, qapp: object, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2), letter_lang=lang), actor="dpo", now=NOW)
    context = desk.letters.context(case_id, LetterKind.ACKNOWLEDGEMENT, dated=NOW.date(), lang=lang)
    prepare_letters_aside().join()
    monkeypatch.setattr(jinja2.BaseLoader, "load", never)  # neither compiled nor read from the cache now
    assert compose.compose(LetterKind.ACKNOWLEDGEMENT, context, lang).parts["page"]
