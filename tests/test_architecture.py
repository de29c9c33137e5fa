"""Qt stays in dpo_desk.gui: everything else imports and runs without PySide6."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import dpo_desk

PACKAGE = Path(dpo_desk.__file__).parent


def qt_free_modules() -> list[str]:
    names = [
        module.name
        for module in pkgutil.walk_packages([str(PACKAGE)], prefix="dpo_desk.")
        # __main__ runs the program when imported; it only calls dpo_desk.cli.
        if not module.name.startswith("dpo_desk.gui") and module.name != "dpo_desk.__main__"
    ]
    assert {"dpo_desk.core.deadlines", "dpo_desk.store.cases", "dpo_desk.cli"} <= set(names)
    return names


def test_nothing_outside_gui_imports_pyside6() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in qt_free_modules())
        + (
            "leaked = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "assert not leaked, leaked\n"
        )
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_no_source_outside_gui_mentions_pyside6() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "gui" not in path.relative_to(PACKAGE).parts and "PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
