"""What a letter does not need, it does not do: it searches no earlier cases, reads no processor sheet it does
not print, and compiles its templates once, not in every process that writes one."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jinja2
import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import Right
from dpo_desk.gui.pdf import render
from dpo_desk.letters import compose
from dpo_desk.letters.availability import why_not
from dpo_desk.letters.kinds import LetterKind
from tests.conftest import NOW, new_case


@pytest.fixture(autouse=True)
def _qt_renders(qapp: object) -> None:
    """Qt lays the letters out."""


@pytest.fixture
def fresh_environment() -> Iterator[None]:
    """The templates' environment made again in this test, with its cache folder under this test's home."""
    compose.environment.cache_clear()
    yield
    compose.environment.cache_clear()


def refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("not needed for the letter")


def test_a_letter_does_not_look_for_the_subjects_earlier_cases(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.cases.add(new_case(received=NOW - timedelta(days=90)), actor="dpo", now=NOW)
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2)), actor="dpo", now=NOW)
    assert desk.state(case_id).earlier_cases  # the case view shows the same person's earlier case
    monkeypatch.setattr(desk.cases, "matching", refuse)
    monkeypatch.setattr(desk.cases, "same_name", refuse)
    made = desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render, target=tmp_path / "ack.pdf")
    assert made.record.file.exists()


def test_a_letter_that_prints_no_recipient_reads_no_processor_sheet(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2)), actor="dpo", now=NOW)
    monkeypatch.setattr(desk.processors, "sheets", refuse)
    made = desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render, target=tmp_path / "ack.pdf")
    assert made.record.file.exists()


def test_the_letters_a_case_allows_read_only_its_recipients_sheets(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """Showing a case asks which letters it allows; a recipient notice's rule looks at the case's recipients'
    sheets alone, not at all of them (12-30 ms of showing a case)."""
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2), rights=(Right.RECTIFICATION,)), actor="dpo",
                             now=NOW)  # fmt: skip
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    desk.outcomes.record_outcome(
        case_id, "rectification", {"corrected": "Job title", "done_on": NOW.date().isoformat()}, actor="d", now=NOW
    )
    recipients = {notice.processor_key for notice in desk.state(case_id).notices}
    assert recipients and len(recipients) < len(desk.processors.sheets())
    read: list[set[str]] = []
    of_sources = desk.processors.sheets_of
    monkeypatch.setattr(desk.processors, "sheets", refuse)
    monkeypatch.setattr(desk.processors, "sheet", refuse)
    monkeypatch.setattr(
        desk.processors, "sheets_of", lambda *keys: read.append({s.key for s in of_sources(*keys)}) or of_sources(*keys)
    )
    allowed = desk.letters.available(desk.state(case_id))
    assert allowed[LetterKind.RECIPIENT_NOTICE] == ""
    assert read == [recipients]  # in one query: the notices were proposed from the source's recipients


def test_an_access_case_reads_the_sheets_of_its_sources_recipients_alone(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The access response names the recipients of the sources the data came from (Art. 15(1)(c)): those
    sheets are read, together, and not the others."""
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2), rights=(Right.ACCESS,)), actor="dpo", now=NOW)
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    every = {sheet.key: sheet for sheet in desk.processors.sheets()}
    involved = {key for key, sheet in every.items() if "chatbot" in sheet.sources}
    assert involved and len(involved) < len(every)
    read: list[set[str]] = []
    of_sources = desk.processors.sheets_of
    monkeypatch.setattr(desk.processors, "sheets", refuse)
    monkeypatch.setattr(
        desk.processors, "sheets_of", lambda *keys: read.append({s.key for s in of_sources(*keys)}) or of_sources(*keys)
    )
    state = desk.state(case_id)
    with_every_sheet = why_not(LetterKind.ACCESS_RESPONSE, state, every)
    assert with_every_sheet  # the seeded "Altoros group offices" gives no Country: the rule read the sheets
    assert desk.letters.available(state)[LetterKind.ACCESS_RESPONSE] == with_every_sheet and read == [involved]


@pytest.mark.usefixtures("fresh_environment")
def test_templates_compiled_once_are_read_back_compiled(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2)), actor="dpo", now=NOW)
    context = desk.letters.context(case_id, LetterKind.ACKNOWLEDGEMENT, dated=NOW.date())
    compiled = compose.compose(LetterKind.ACKNOWLEDGEMENT, context, "en")
    compose.environment.cache_clear()  # as a new process finds it
    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    assert compose.compose(LetterKind.ACKNOWLEDGEMENT, context, "en") == compiled


@pytest.mark.usefixtures("fresh_environment")
def test_a_cache_folder_that_cannot_be_made_leaves_the_letters_compiled_each_time(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2)), actor="dpo", now=NOW)
    context = desk.letters.context(case_id, LetterKind.ACKNOWLEDGEMENT, dated=NOW.date())
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    monkeypatch.setenv("DPO_DESK_HOME", str(home))
    assert "Dear Ola Nordmann" in compose.compose(LetterKind.ACKNOWLEDGEMENT, context, "en").text
