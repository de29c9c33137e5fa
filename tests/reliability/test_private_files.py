"""Nothing DPO Desk writes is ever on disk in plain when it should be protected, or readable by others."""

import os
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from dpo_desk import files
from dpo_desk.application.desk import Desk
from dpo_desk.core.settings import PROTECT_ALL_LETTERS
from dpo_desk.gui.pdf import render
from dpo_desk.letters import protect
from dpo_desk.letters.kinds import LetterKind
from tests.conftest import NOW, new_case

CANARY = "Canarysubject Zedlander"


def every_file(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def readable_text(path: Path) -> str:
    """What a PDF reader shows without a password (poppler rebuilds a torn file as far as it can)."""
    return subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True).stdout


def test_a_crash_before_encryption_leaves_no_plain_letter(
    desk: Desk, tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt wrote the plain PDF to the letters folder and pikepdf encrypted it afterwards: killed between the
    two, 18 of 80 rounds left a letter that opened without a password."""
    desk.save_settings({PROTECT_ALL_LETTERS: True})
    case_id = desk.cases.add(new_case(name=CANARY, received=NOW - timedelta(days=5)), actor="dpo", now=NOW)
    folder = tmp_path / "letters"
    folder.mkdir()

    def killed(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt  # the process dies here: nothing after this line runs

    monkeypatch.setattr(protect, "finish", killed)
    with pytest.raises(KeyboardInterrupt):
        desk.letters.generate(case_id, LetterKind.ACKNOWLEDGEMENT, folder / "a.pdf", render, actor="d", now=NOW)
    assert [path for path in every_file(folder) if CANARY in readable_text(path)] == []


def test_every_file_is_owner_only_from_its_first_byte(
    desk: Desk, tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files were created with the umask's 0644 and made private only when published: a crash in between
    left them readable by every user of the laptop."""
    os.umask(0o022)
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=5)), actor="dpo", now=NOW)

    def killed(self: Path, mode: int) -> None:
        raise KeyboardInterrupt  # the process dies when it would make the file private

    monkeypatch.setattr(Path, "chmod", killed)
    writers: list[Callable[[], object]] = [
        lambda: desk.letters.generate(case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", render, actor="d",
                                      now=NOW),
        lambda: desk.export_suppression("json", tmp_path / "list.json"),
        lambda: desk.processors.export("csv", tmp_path / "sheets.csv"),
        lambda: desk.backup(tmp_path / "backup.sqlite"),
    ]  # fmt: skip
    for write in writers:
        with pytest.raises(KeyboardInterrupt):
            write()
    left = every_file(tmp_path)
    assert len(left) >= len(writers)  # each crash left its partial behind
    assert [(path.name, oct(path.stat().st_mode & 0o777)) for path in left if path.stat().st_mode & 0o077] == []


def test_a_symlink_planted_at_a_partial_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "out.txt"
    files.partial_path(target).symlink_to(victim)
    files.write_private(target, b"new")
    assert victim.read_text() == "keep me" and target.read_bytes() == b"new"
