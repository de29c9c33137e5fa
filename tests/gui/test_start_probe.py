"""The start probe (``--exit-when-shown``): the app opens a store with the passphrase from the environment,
shows the case list, prints the seconds since its process started and quits with 0. A real process, as the
benchmark and the bundle's smoke test run it."""

import os
import subprocess
import sys
from pathlib import Path

from dpo_desk.cli import main
from tests.conftest import TEST_PASSPHRASE

ENV = os.environ | {
    "QT_QPA_PLATFORM": "offscreen",
    "DPO_DESK_PASSPHRASE": TEST_PASSPHRASE,
    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # no keyring: the passphrase opens it
}


def test_the_probe_prints_the_seconds_to_the_case_list_shown_and_exits_0(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    assert main(["--store", str(store), "demo", "--cases", "20"]) == 0  # the passphrase from the environment
    result = subprocess.run(
        [sys.executable, "-m", "dpo_desk", "--store", str(store), "--exit-when-shown"],
        capture_output=True, text=True, env=ENV, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seconds = float(result.stdout.strip())
    assert 0 < seconds < 120


def printed_as_the_window_is(tmp_path: Path, method: str, expression: str, imports: str) -> str:
    """What ``expression`` reads as ``MainWindow.method`` is called, in the start probe on a small demo store."""
    store = tmp_path / "store.sqlite"
    assert main(["--store", str(store), "demo", "--cases", "5"]) == 0
    probe = (
        f"import sys, {imports}\n"
        "from dpo_desk.gui.main_window import MainWindow\n"
        f"original = MainWindow.{method}\n"
        "def wrapped(window, *args):\n"
        f"    print({expression}, flush=True)\n"
        "    original(window, *args)\n"
        f"MainWindow.{method} = wrapped\n"
        "from dpo_desk.cli import main\n"
        f"sys.exit(main(['--store', {str(store)!r}, '--exit-when-shown']))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[0]


def test_the_app_collects_again_once_its_window_is_built(tmp_path: Path) -> None:
    """The command line pauses the cyclic collector while the app loads and builds its window (cli.main); the
    session that follows must collect what it leaves behind."""
    collecting = "'collector on' if gc.isenabled() else 'collector off'"
    assert printed_as_the_window_is(tmp_path, "show", collecting, "gc") == "collector on"


def test_the_app_registers_the_shipped_fonts_before_it_builds_its_window(tmp_path: Path) -> None:
    """Registering a font makes Qt lay out and paint every widget again: registered by the thread preparing
    letters once the window was up, the fonts froze it 166-212 ms in two of six starts at 100,000 cases."""
    registered = "'registered' if dpo_desk.gui.fonts._register.cache_info().currsize else 'not yet'"
    assert printed_as_the_window_is(tmp_path, "__init__", registered, "dpo_desk.gui.fonts") == "registered"
