"""Suite T5: reading never changes a store, and a damaged store is never replaced.

`case list` and `case show` ran the daily pause refresh, a write before any full check and without an
audit entry: a damaged file changed in 97 of 182 damaged variants. A store cut to 1 byte was re-seeded.
"""

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from dpo_desk.cli import main
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import read_key_file, unwrap
from tests.conftest import TEST_PASSPHRASE

RECEIVED = date.today() - timedelta(days=20)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def paused_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store whose paused case has a stored due date from days ago: a refresh would rewrite it."""
    store = tmp_path / "store.sqlite"
    case = {"entity": "Altoros Norge AS", "channel": "email", "received": f"{RECEIVED.isoformat()}T10:00:00+01:00",
            "rights": ["access"], "subject": {"name": "Kari Nordmann", "emails": ["kari@example.no"]}}  # fmt: skip
    (tmp_path / "case.json").write_text(json.dumps(case))
    assert main(["--store", str(store), "case", "add", "--json", str(tmp_path / "case.json")]) == 0
    pause = {"kind": "clarification", "start": (RECEIVED + timedelta(days=2)).isoformat(), "reason": "which?"}
    (tmp_path / "pause.json").write_text(json.dumps(pause))
    reference = f"DSR-{RECEIVED.year}-0001"
    assert main(["--store", str(store), "case", "pause", reference, "--json", str(tmp_path / "pause.json")]) == 0
    key = unwrap(read_key_file(store), TEST_PASSPHRASE)
    with open_store(store, key, create=False) as db:
        db.execute("UPDATE settings SET value = '2000-01-01' WHERE key = 'open_pauses_counted_to'")
        db.execute("UPDATE cases SET due_date = '2000-01-01'")  # as counted long ago
    capsys.readouterr()
    return store


def test_read_commands_change_no_byte_and_show_todays_dates(
    paused_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(paused_store)
    reference = f"DSR-{RECEIVED.year}-0001"
    assert main(["--store", str(paused_store), "case", "list"]) == 0
    listed = capsys.readouterr().out
    assert main(["--store", str(paused_store), "case", "show", reference, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert digest(paused_store) == before
    wal = paused_store.with_name(paused_store.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert "due 2000-01-01" not in listed and shown["due"] != "2000-01-01"  # the pause counted to today
    assert f"due {shown['due']}" in listed


def test_a_store_cut_to_one_byte_is_refused_not_reseeded(
    paused_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paused_store.write_bytes(paused_store.read_bytes()[:1])
    for command in (["case", "list"], ["case", "add", "--json", str(paused_store.parent / "case.json")]):
        assert main(["--store", str(paused_store), *command]) == 2
        assert "holds 1 byte(s) and no store: its content is lost" in capsys.readouterr().err
        assert paused_store.stat().st_size == 1


def test_a_store_on_a_read_only_medium_is_read_and_writing_says_why_not(
    paused_store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing it failed with an EROFS traceback (from making the files private)."""
    import os

    real_statvfs = os.statvfs

    class ReadOnly:
        def __init__(self, path: str) -> None:
            self.f_flag = real_statvfs(path).f_flag | os.ST_RDONLY

    real_chmod = os.chmod

    def chmod(path: object, mode: int, **kwargs: object) -> None:
        if str(path).startswith(str(paused_store.parent)):  # the store's medium, not the log's
            raise OSError(30, "Read-only file system", str(path))
        real_chmod(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "statvfs", ReadOnly)
    monkeypatch.setattr(os, "chmod", chmod)
    assert main(["--store", str(paused_store), "case", "list"]) == 0
    assert "Kari Nordmann" in capsys.readouterr().out
    note = paused_store.parent / "note.json"
    note.write_text('{"note": "called the subject"}')
    assert main(["--store", str(paused_store), "case", "note", f"DSR-{RECEIVED.year}-0001", "--json", str(note)]) == 2
    err = capsys.readouterr().err
    assert "is on a read-only medium: nothing can be recorded there" in err and "Traceback" not in err
