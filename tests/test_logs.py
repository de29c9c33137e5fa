"""The log says what was done and what went wrong, and holds no personal data: a run full of canaries (typed
into cases, refused fields, failing tasks, an uncaught exception) leaves none of them in it."""

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dpo_desk import paths
from dpo_desk.application import actions, logs
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, SynchronousRunner, Task
from dpo_desk.cli import main
from dpo_desk.core.errors import InputError
from tests.conftest import new_case

CANARY = "Canary Vexlogthorpe"
CANARY_EMAIL = "vexlogthorpe@example.org"
CANARY_REASON = "Vexlogthorpe asked by phone"
CANARIES = (CANARY, "Vexlogthorpe", "vexlogthorpe", CANARY_EMAIL, CANARY_REASON)


def log_text() -> str:
    folder = paths.log_dir()
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.log*")))


def test_a_run_full_of_canaries_leaves_none_in_the_log(
    desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = logs.start("test")
    assert log_file.parent == paths.log_dir() and log_file.name == "dpo-desk.log"

    # The app's path: actions on a case whose subject, request and reasons are canaries.
    case_id = desk.add_case(new_case(name=CANARY, emails=(CANARY_EMAIL,), text=f"{CANARY} wants a copy"))
    actions.IDENTITY_WAIVE.run(desk, case_id, {"reason": CANARY_REASON})
    with pytest.raises(InputError):
        actions.NOTE.run(desk, case_id, {"note": " "})

    # A task whose work fails with case data in its message, and one that fails unexpectedly.
    failures: list[Exception] = []
    listener: Listener[None] = Listener(done=lambda _: None, failed=failures.append)
    runner = SynchronousRunner()
    runner.start(Task("canary task", lambda task: (_ for _ in ()).throw(InputError(f"name: {CANARY}"))), listener)
    runner.start(Task("buggy task", lambda task: {}[CANARY_EMAIL]), listener)
    assert [type(error) for error in failures] == [InputError, KeyError]

    # An exception nothing caught, with case data in its message (what sys.excepthook now logs first).
    try:
        raise RuntimeError(f"while showing {CANARY}")
    except RuntimeError as error:
        logs.log_uncaught(RuntimeError, error, error.__traceback__)

    # The command line: a case, a refused one naming the bad e-mail, an action.
    store = str(tmp_path / "cli.sqlite")
    document = {
        "entity": "Altoros Norge AS",
        "channel": "email",
        "received": "2026-11-20T10:00:00+01:00",
        "rights": ["access"],
        "subject": {"name": CANARY, "emails": [CANARY_EMAIL]},
        "text": f"Send {CANARY} everything",
    }
    (tmp_path / "case.json").write_text(json.dumps(document))
    assert main(["--store", store, "case", "add", "--json", str(tmp_path / "case.json")]) == 0
    bad = document | {"subject": {"name": CANARY, "emails": ["vexlogthorpe@"]}}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert main(["--store", store, "case", "add", "--json", str(tmp_path / "bad.json")]) == 2
    (tmp_path / "waive.json").write_text(json.dumps({"reason": CANARY_REASON}))
    assert (
        main(["--store", store, "case", "identity-waive", "DSR-2026-0001", "--json", str(tmp_path / "waive.json")]) == 0
    )
    assert "vexlogthorpe@" in capsys.readouterr().err  # the DPO is told; the log is not

    logging.getLogger("dpo_desk").handlers[0].flush()
    text = log_text()
    assert [canary for canary in CANARIES if canary.casefold() in text.casefold()] == []
    # What it does hold: what was done, to which case id, and where each failure came from.
    assert "identity-waive on case 1" in text and "dpo-desk case" in text and "refused (InputError)" in text
    assert "task canary task failed: InputError" in text
    assert "task buggy task failed unexpectedly" in text and "builtins.KeyError (message not logged)" in text
    assert "uncaught exception" in text and "builtins.RuntimeError (message not logged)" in text
    assert "test_logs.py" in text  # the frames of the traceback
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_the_log_file_is_named_by_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.splitlines()[1] == f"log: {paths.log_dir() / logs.LOG_FILE}"


def test_the_crash_file_is_the_owners_only_even_where_an_older_version_left_it_readable(tmp_path: Path) -> None:
    """``crashes.log`` (faulthandler's file) was opened with the umask's 0644, beside a log made 0600."""
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / logs.CRASH_FILE).write_text("an older crash\n")
    (folder / logs.CRASH_FILE).chmod(0o644)
    # A process of its own: pytest owns faulthandler here, and then the crash file is rightly left alone.
    script = f"from pathlib import Path; from dpo_desk.application import logs; logs.start('t', Path({str(folder)!r}))"
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONFAULTHANDLER"}
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60, env=environment)
    crash_file = folder / logs.CRASH_FILE
    assert stat.S_IMODE(crash_file.stat().st_mode) == 0o600
    assert crash_file.read_text() == "an older crash\n"
