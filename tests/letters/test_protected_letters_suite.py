"""Reliability suite T14 over 200 letters: every protected letter is AES-256 (R6, V5, AESV3), passes
qpdf --check, opens only with its password, has a single revision (no /Prev, one %%EOF), names no
subject in its metadata and no other subject in its text."""

import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.core.settings import PROTECT_ALL_LETTERS
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.protect import new_password, password_bits
from dpo_desk.store.letters import LetterStore
from tests.conftest import fill_sheets, new_case
from tests.letters.test_letters import read

NOW = datetime.now(UTC).replace(microsecond=0)
SUBJECTS = 40
LETTERS_PER_SUBJECT = 5
TWO_TRUSTED_CHECKS = ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN))


def canary(number: int) -> str:
    return f"Canarysubject{number:02d} Zedlander"


@pytest.fixture
def letters(desk: Desk, qapp: object) -> LetterStore:
    return desk.letters


def verified_cases(desk: Desk) -> list[int]:
    """Cases whose record allows several kinds: identity verified, the sources known, an erasure done."""
    cases, workflow = desk.cases, desk.workflow
    fill_sheets(desk)
    ids = []
    for number in range(SUBJECTS):
        received = NOW - timedelta(days=10)
        case_id = cases.add(
            new_case(
                name=canary(number),
                emails=(f"canary{number:02d}@example.org",),
                received=received,
                rights=(Right.ACCESS, Right.ERASURE),
            ),
            actor="dpo",
            now=NOW,
        )
        at = received + timedelta(hours=1)
        for evidence, method in (
            (Evidence.PASSPORT, Method.VIDEO_CALL),
            (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN),
        ):
            check = IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED)
            workflow.record_check(case_id, check, actor="dpo", now=NOW)
        desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
        erased = {
            "ground": "17(1)(a)",
            "systems": ["CRM"],
            "backups_beyond_use": True,
            "done_on": NOW.date().isoformat(),
        }
        desk.outcomes.record_outcome(case_id, "erasure", erased, actor="dpo", now=NOW)
        ids.append(case_id)
    return ids


@pytest.mark.slow
def test_two_hundred_protected_letters_meet_t14(letters: LetterStore, desk: Desk, tmp_path: Path) -> None:
    desk.save_settings({PROTECT_ALL_LETTERS: True})
    made = []
    for number, case_id in enumerate(verified_cases(desk)):
        # A recipient notice goes to a recipient, not the subject: it cannot leak another subject's data here.
        available = letters.available(desk.state(case_id)).items()
        kinds = [kind for kind, reason in available if not reason and kind is not LetterKind.RECIPIENT_NOTICE]
        for turn in range(LETTERS_PER_SUBJECT):
            kind = kinds[turn % len(kinds)]
            target = tmp_path / f"{number:02d}-{turn}.pdf"
            made.append((number, letters.generate(case_id, kind, target, render, actor="dpo", now=NOW)))
    assert len(made) == SUBJECTS * LETTERS_PER_SUBJECT == 200
    kinds_used = Counter(letter.record.kind for _, letter in made)
    assert len(kinds_used) >= 3

    for number, letter in made:
        path, password = letter.record.file, letter.password
        assert password is not None
        raw = path.read_bytes()
        assert raw.count(b"%%EOF") == 1 and b"/Prev" not in raw, path.name
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(path)
        with pikepdf.open(path, password=password) as pdf:
            encryption = pdf.encryption
            assert (encryption.R, encryption.V) == (6, 5)
            assert encryption.stream_method == encryption.string_method == pikepdf.models.EncryptionMethod.aesv3
            metadata = str(dict(pdf.docinfo)) + str(pdf.open_metadata())
        assert "Canarysubject" not in metadata and "Zedlander" not in metadata, path.name
        check = subprocess.run(["qpdf", f"--password={password}", "--check", str(path)], capture_output=True)
        assert check.returncode == 0, check.stdout.decode()[-300:]
        text = read(path, password)
        others = [other for other in range(SUBJECTS) if other != number and canary(other) in text]
        assert others == [], f"{path.name} names other subjects {others}"

    passwords = [letter.password for _, letter in made]
    assert len(set(passwords)) == len(passwords) and password_bits() >= 80


def test_letter_passwords_do_not_repeat_in_a_hundred_thousand() -> None:
    assert len({new_password() for _ in range(100_000)}) == 100_000
