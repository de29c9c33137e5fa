"""The layers, as the code is read: Qt stays in dpo_desk.gui; the GUI and the command line reach the store only
through the application layer's Desk; the store's services are built once, by the Desk, and speak no SQLite."""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import dpo_desk
from dpo_desk.application.desk import Desk
from dpo_desk.gui.case_view import PAGE_MODULES, PAGE_SERVICES

PACKAGE = Path(dpo_desk.__file__).parent
SHELLS = [*sorted(PACKAGE.joinpath("gui").glob("*.py")), PACKAGE / "cli.py"]
SERVICES = ("Attachments", "AuditLog", "Backups", "CaseRepository", "Decisions", "LetterStore", "MailStore",
            "Outcomes", "ProcessorStore", "Register", "Retention", "StoreSettings", "Workflow")  # fmt: skip
# What only the store's own code may hold: the connection, under any of the names it goes by.
CONNECTION_NAMES = {"db", "_db", "conn"}


def qt_free_modules() -> list[str]:
    names = [
        module.name
        for module in pkgutil.walk_packages([str(PACKAGE)], prefix="dpo_desk.")
        # __main__ runs the program when imported; it only calls dpo_desk.cli.
        if not module.name.startswith("dpo_desk.gui") and module.name != "dpo_desk.__main__"
    ]
    assert {"dpo_desk.core.deadlines", "dpo_desk.store.cases", "dpo_desk.application.desk", "dpo_desk.cli"} <= set(
        names
    )
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


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("path", SHELLS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_shells_hold_no_database(path: Path) -> None:
    """The GUI and the command line neither import sqlite-utils nor touch a connection: they ask a Desk."""
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"line {node.lineno}: imports {m}" for m in modules if m.split(".")[0] == "sqlite_utils"]
        if isinstance(node, ast.Attribute) and node.attr in CONNECTION_NAMES:
            found.append(f"line {node.lineno}: .{node.attr}")
    assert found == []


@pytest.mark.parametrize("path", SHELLS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_shells_take_only_types_and_constants_from_the_store(path: Path) -> None:
    """A store function takes a connection or a store's path: calling one is reaching the store. The shells
    may name the store's types (a letter record, a refusal's class) and read its constants."""
    found = []
    for node in ast.walk(tree(path)):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("dpo_desk.store"):
            continue
        module = importlib.import_module(node.module or "")
        for alias in node.names:
            value = getattr(module, alias.name)
            if inspect.ismodule(value) or (callable(value) and not isinstance(value, type)):
                found.append(f"line {node.lineno}: {node.module}.{alias.name}")
    assert found == []


def test_each_service_is_built_once_by_the_desk() -> None:
    """No store module builds another service: they are handed the ones they use."""
    found = []
    for path in sorted(PACKAGE.joinpath("store").glob("*.py")):
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SERVICES:
                found.append(f"store/{path.name} line {node.lineno}: {node.func.id}(…)")
    assert found == []


def test_the_desks_services_share_their_collaborators(desk: Desk) -> None:
    assert desk.workflow.cases is desk.decisions.cases is desk.outcomes.cases is desk.mail.cases is desk.cases
    assert desk.attached.cases is desk.cases
    assert desk.letters.cases is desk.cases
    assert desk.letters.processors is desk.processors and desk.cases.register is desk.register


def test_the_services_speak_no_sqlite() -> None:
    """Their methods take and give domain types only, so another backend could sit behind the same ones."""
    found = []
    for name in SERVICES:
        service = next(
            getattr(module, name)
            for module in map(importlib.import_module, (f"dpo_desk.store.{m.name}" for m in pkgutil.iter_modules(
                [str(PACKAGE / "store")])))
            if hasattr(module, name)
        )  # fmt: skip
        for method_name, method in inspect.getmembers(service, inspect.isfunction):
            if method_name.startswith("_"):
                continue
            signature = str(inspect.signature(method))
            if any(word in signature for word in ("Database", "Connection", "rowid", "sqlite")):
                found.append(f"{name}.{method_name}{signature}")
    assert found == []


def printed_by(probe: str) -> str:
    """What ``probe`` prints, run in a fresh interpreter: one that has imported nothing of this test session's."""
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()


def test_the_app_starts_without_the_libraries_only_later_work_needs() -> None:
    """pikepdf, jinja2 and the rest load when a letter, a calendar or an import first needs them (a fresh
    interpreter: this test session has loaded them all); so do our exports and reports, whose classes and
    imports (a thread pool, the statistics module) took about 20 ms of the best of 30 starts, and the demo,
    the bulk writer, the store's check and its size report (29 M of 2,369 M instructions, by callgrind)."""
    later = ("pikepdf", "jinja2", "icalendar", "jsonschema", "holidays", "charset_normalizer", "extract_msg",
             "phonenumbers", "email_validator", "dpo_desk.exports.bundle", "dpo_desk.exports.access_copy",
             "dpo_desk.application.yearly_report", "dpo_desk.application.requests_register",
             "dpo_desk.application.demo", "dpo_desk.store.bulk", "dpo_desk.store.verify",
             "dpo_desk.store.size")  # fmt: skip
    probe = f"import sys, dpo_desk.gui.app; print([m for m in {later!r} if m in sys.modules])"
    assert printed_by(probe) == "[]"


def test_the_window_builds_its_case_page_and_the_pages_and_dialogs_not_shown_when_first_used() -> None:
    """The case page's ten tabs, the processors and register pages, and every dialog were imported with the
    window: 58 ms of a start's 0.32 s of imports, and 17 ms of the window's construction, for parts a start
    shows none of (median of ten starts at 100,000 cases)."""
    later = ("dpo_desk.gui.case_page", "dpo_desk.gui.workflow_tabs", "dpo_desk.gui.letters_tab",
             "dpo_desk.gui.data_tab", "dpo_desk.gui.attachments_tab", "dpo_desk.gui.processors_view",
             "dpo_desk.gui.register_view", "dpo_desk.gui.new_case_dialog", "dpo_desk.gui.mail_import",
             "dpo_desk.gui.batch_letters", "dpo_desk.gui.settings_editors", "dpo_desk.gui.report_dialog",
             "dpo_desk.gui.retention_dialog", "dpo_desk.gui.pdf", "dpo_desk.mail.draft",
             *PAGE_SERVICES)  # fmt: skip
    probe = f"import sys, dpo_desk.cli; dpo_desk.cli.load_app(); print([m for m in {later!r} if m in sys.modules])"
    assert printed_by(probe) == "[]"


def test_the_case_pages_services_are_the_qt_free_modules_it_loads() -> None:
    """They load on a worker thread before the page is built (gui/case_view.py): a module missing from the list
    would load on the window's thread instead, one listed and not needed for nothing."""
    probe = (
        "import sys, dpo_desk.cli\n"
        "dpo_desk.cli.load_app()\n"
        "before = set(sys.modules)\n"
        "import dpo_desk.gui.case_page\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('dpo_desk.')"
        " and not m.startswith('dpo_desk.gui') and not hasattr(sys.modules[m], '__path__')))\n"  # packages
    )
    assert printed_by(probe) == str(sorted(PAGE_SERVICES))


def test_the_case_pages_modules_are_listed_each_after_those_it_imports() -> None:
    """The window imports them one a turn of its event loop: one missing would load in its importer's turn."""
    probe = (
        "import sys, dpo_desk.cli\n"
        "dpo_desk.cli.load_app()\n"
        "before = set(sys.modules)\n"
        "import dpo_desk.gui.case_page\n"
        "print([m for m in sys.modules if m not in before and m.startswith('dpo_desk.gui')])\n"  # as each ended
    )
    assert printed_by(probe) == str(list(PAGE_MODULES))


def test_the_app_loads_its_qt_free_modules_before_qt() -> None:
    """Once the Qt bindings are loaded, their import hook reads the source of every module imported after them:
    the app loads the Qt-free modules its window needs first (cli.load_app). sys.modules keeps the order in
    which imports began."""
    probe = (
        "import sys\n"
        "from dpo_desk.cli import load_app\n"
        "load_app()\n"
        "names = list(sys.modules)\n"
        "qt = names.index('PySide6')\n"
        "print([n for n in names[qt:] if n.startswith('dpo_desk.') and not n.startswith('dpo_desk.gui')])\n"
    )
    assert printed_by(probe) == "[]"


def test_a_desk_opened_for_one_letter_loads_no_dashboard_subject_data_actions_or_mail(tmp_path: Path) -> None:
    """A command that writes a letter or shows a case opened a desk that built every service: the dashboard,
    the subject's data, the workflow's actions and the mail's parts were 150 M of a letter's 2,415 M
    instructions (callgrind). They load when first used."""
    later = ("dpo_desk.application.dashboard", "dpo_desk.application.subject_data", "dpo_desk.application.actions",
             "dpo_desk.application.fields", "dpo_desk.mail.parse", "dpo_desk.mail.draft",
             "dpo_desk.store.records")  # fmt: skip
    probe = f"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from dpo_desk.application.desk import Desk
from dpo_desk.gui.case_view import PAGE_MODULES, PAGE_SERVICES
from dpo_desk.store.db import open_store
path, key = Path({str(tmp_path / "store.sqlite")!r}), bytes(range(32))
desk = Desk(open_store(path, key), path, key, actor="dpo", clock=lambda: datetime.now(UTC))
print([m for m in {later!r} if m in sys.modules])
print(desk.data is desk.data, desk.dashboard is desk.dashboard)
"""
    assert printed_by(probe).split("\n") == ["[]", "True True"]


def test_the_app_starts_without_reading_locale_data_or_the_time_zones() -> None:
    """Babel's English names (the entity form's calendars and countries) and the tz database (its time zones)
    were read when the module declaring the form was imported: 30-40 ms of every start."""
    probe = (
        "import babel.localedata as data, zoneinfo\n"
        "read = []\n"
        "load, zones = data.load, zoneinfo.available_timezones\n"
        "data.load = lambda name, merge_inherited=True: read.append(name) or load(name, merge_inherited)\n"
        "zoneinfo.available_timezones = lambda: read.append('tz database') or zones()\n"
        "import dpo_desk.gui.app\n"
        "print(read)\n"
    )
    assert printed_by(probe) == "[]"


# What the application layer, the store and the letters bring with them: a command that needs none of it
# must not wait for it (importing it all took the command line 0.4 s before `--version` could answer).
NOT_FOR_THE_QUICK_COMMANDS = ("dpo_desk.application.desk", "dpo_desk.application.actions", "dpo_desk.store.db",
                              "sqlite_utils", "keyring", "PySide6", "pikepdf", "jinja2", "babel", "holidays",
                              "phonenumbers", "email_validator")  # fmt: skip


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["due", "--received", "2026-03-02", "--explain"]], ids=" ".join
)
def test_the_quick_commands_load_only_what_they_use(argv: list[str]) -> None:
    """In a fresh interpreter, as the dpo-desk script runs them: each command imports what it uses when it runs."""
    probe = (
        "import sys\n"
        "from dpo_desk.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"  # --version and --help end the parse
        "    pass\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {NOT_FOR_THE_QUICK_COMMANDS!r} or m in "
        f"{NOT_FOR_THE_QUICK_COMMANDS!r}], file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PACKAGE.parent, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"
