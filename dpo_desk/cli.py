"""The ``dpo-desk`` command: no sub-command opens the app, sub-commands run headless.

Scripts depend on the forms documented in the README; every refusal exits 2 with one line on stderr that
names the problem, and changes nothing. The commands are a thin shell: each opens one :class:`Desk` and
asks it; the workflow actions, their JSON fields and their help come from ``application/actions.py``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dpo_desk import __version__, paths
from dpo_desk.application import logs
from dpo_desk.core.errors import DeskError, InputError, RefusedError
from dpo_desk.hardening import keep_memory_private

# Each command imports what it uses when it runs: `--version`, `--help` and `due` start in a fraction of the
# time that importing the application layer takes (tests/test_architecture.py keeps it so).
if TYPE_CHECKING:
    from dpo_desk.application.actions import Action, Family
    from dpo_desk.application.desk import Desk
    from dpo_desk.application.stores import Filler
    from dpo_desk.core import deadlines
    from dpo_desk.core.case_state import CaseState
    from dpo_desk.core.models import Case
    from dpo_desk.letters.page import Document
    from dpo_desk.store.letters import GeneratedLetter
    from dpo_desk.store.opening import PassphraseFor

EXIT_REFUSED = 2
EXIT_BUG = 70  # EX_SOFTWARE: something DPO Desk did not expect; the log has the traceback
NEW_PASSPHRASE_VARIABLE = "DPO_DESK_NEW_PASSPHRASE"
log = logging.getLogger(__name__)
T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> int:
    with _collector_paused():
        return _main(argv)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector off while a command runs, and while the app loads and builds its window (the app
    turns it on once the window is built: gui/app.py). What a start imports and builds lives as long as the
    process, and each collection walked it again: 85 ms of a letter written, 55 ms of the app's imports,
    3 s of 23 of a 10,000-case demo. Reference counts still free what a command drops (the demo's peak
    memory was the same without the collector); what it would find in cycles goes with the process."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:  # a caller in the same process (the tests) gets its collector back
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    keep_memory_private()  # before any key is read, for the app and every command alike
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _open_app(args)
    logs.start("cli")
    log.info("dpo-desk %s", args.command)  # the command's name only: its arguments may name a subject
    # The process ends with the command: what it made goes with it. Left to the collector, the interpreter's
    # exit walked every object again (0.15-0.2 s of a letter written, once Qt and pikepdf are loaded).
    atexit.register(gc.freeze)
    try:
        result: int = args.run(args)
        return result
    except DeskError as error:
        if _raised_by_the_store(error, "DamagedStoreError"):
            from dpo_desk.application.stores import latest_backup_of

            print(f"dpo-desk: {error}", file=sys.stderr)
            latest = latest_backup_of(_store_path(args))
            if latest is not None:
                print(f"dpo-desk: the latest backup is {latest}; dpo-desk restore it --to a new file", file=sys.stderr)
            return EXIT_REFUSED
        log.info("refused (%s)", type(error).__name__)
        print(f"dpo-desk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:  # the reader (say `head`) stopped early; nothing went wrong here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        if _raised_by_the_store(error, "DatabaseError"):  # damage the quick checks at open cannot see
            log.warning("the store failed while in use", exc_info=error)
            print(f"dpo-desk: the store failed while in use ({error}); run dpo-desk verify", file=sys.stderr)
            return EXIT_REFUSED
        # A bug: one line for the user, the traceback for the log.
        log.error("unexpected error", exc_info=error)
        print(
            f"dpo-desk: unexpected error ({type(error).__name__}); nothing more was done. "
            f"The details are in {logs.where()}",
            file=sys.stderr,
        )
        return EXIT_BUG


def _raised_by_the_store(error: Exception, name: str) -> bool:
    """Whether ``error`` is the store's error class ``name`` (see store/db.py). Only a command that opened a
    store can have raised one, and then the store is loaded: the others (``due``) are not made to load it, and
    SQLite's driver, sqlite-utils and the keyring with it, just to find out."""
    db = sys.modules.get("dpo_desk.store.db")
    return db is not None and isinstance(error, getattr(db, name))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dpo-desk",
        description="DPO Desk: data-subject requests from intake to letter. Without a command, opens the app.",
        formatter_class=argparse.RawDescriptionHelpFormatter,  # --version prints its two lines as they are
    )
    parser.add_argument(
        "--version", action="version", version=f"dpo-desk {__version__}\nlog: {paths.log_dir() / logs.LOG_FILE}"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--store", type=Path, metavar="PATH", help="the store file (default: your data folder)")
    where.add_argument("--demo", action="store_true", help="use the demo store, created with demo cases if missing")
    parser.add_argument(
        "--exit-when-shown",
        action="store_true",
        help="open the app, print the seconds until its window shows the case list painted, and quit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Command)
    for name, (summary, arguments) in COMMANDS.items():
        commands.add_parser(name, help=summary, arguments=arguments)
    return parser


Arguments = Callable[[argparse.ArgumentParser], None]


class _Command(argparse.ArgumentParser):
    """A command's parser, given its arguments only once the command is chosen: their choices and help come
    from the modules that do the work, and building every command's imported most of DPO Desk before even
    ``--version`` could answer. ``dpo-desk --help`` needs the commands' names and summaries only."""

    def __init__(self, *args: Any, arguments: Arguments | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._arguments = arguments

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> tuple[Any, list[str]]:
        if self._arguments is not None:
            arguments, self._arguments = self._arguments, None
            arguments(self)
        return super().parse_known_args(args, namespace)


def _demo_arguments(demo: argparse.ArgumentParser) -> None:
    from dpo_desk.application.demo import DEMO_CASES, DEMO_SEED

    demo.add_argument(
        "--cases", type=_count, default=DEMO_CASES, metavar="N", help="how many cases (default %(default)s)"
    )
    demo.add_argument("--seed", type=int, default=DEMO_SEED, metavar="S", help="random seed (default %(default)s)")
    demo.set_defaults(run=_demo)


def _case_arguments(case: argparse.ArgumentParser) -> None:
    from dpo_desk.application.actions import COMMAND_LINE

    case.epilog = actions_help()
    case.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = case.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a case; prints its reference")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--json", metavar="FILE", help="the case as JSON ('-' reads stdin)")
    source.add_argument("--eml", type=Path, metavar="FILE", help="an e-mail (.eml, or Outlook .msg) that asks")
    add.add_argument("--entity", metavar="NAME", help="with --eml: the receiving entity (else guessed)")
    add.add_argument("--rights", metavar="a,b", help="with --eml: the rights (else suggested from the text)")
    add.set_defaults(run=_case_add)
    listing = actions.add_parser("list", help="list every case, newest first")
    listing.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    listing.set_defaults(run=_case_list)
    show = actions.add_parser("show", help="show one case and its history")
    show.add_argument("reference", metavar="REF")
    show.add_argument("--json", action="store_true", help="JSON instead of text")
    show.set_defaults(run=_case_show)
    language = actions.add_parser("language", help="set the language the case's letters are written in")
    language.add_argument("reference", metavar="REF")
    language.add_argument("lang", metavar="CODE", help="see dpo-desk letter --list-languages")
    language.set_defaults(run=_case_language)
    for name, entry in COMMAND_LINE.items():
        step = actions.add_parser(
            name,
            help=entry.summary,
            description="\n".join(_fields_help(entry)),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        step.add_argument("reference", metavar="REF")
        step.add_argument("--json", required=True, metavar="FILE", help="the action as JSON ('-' reads stdin)")
        step.set_defaults(run=_case_action, entry=entry)


def _processors_arguments(processors: argparse.ArgumentParser) -> None:
    from dpo_desk.store.processors import FORMATS

    sheets = processors.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sheets.add_parser("export", help="write every sheet to a CSV or JSON file")
    export.add_argument("--format", required=True, choices=FORMATS, help="csv or json")
    export.add_argument("--out", required=True, type=Path, metavar="FILE")
    export.set_defaults(run=_processors_export)
    load = sheets.add_parser("import", help="compare a CSV or JSON file with the store; --apply writes it")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--apply", action="store_true", help="write the added and changed sheets")
    load.set_defaults(run=_processors_import)


def _suppression_arguments(listed: argparse.ArgumentParser) -> None:
    from dpo_desk.core import suppression

    listing_actions = listed.add_subparsers(dest="action", metavar="ACTION", required=True)
    check_one = listing_actions.add_parser("check", help="exit 0 if the e-mail or phone is on the list, 1 if not")
    check_one.add_argument("identifier", metavar="EMAIL_OR_PHONE")
    check_one.add_argument(
        "--country", default="", metavar="CC", help="read a phone without its +code as one of this country (NO)"
    )
    check_one.set_defaults(run=_suppression_check)
    export_list = listing_actions.add_parser(
        "export", help="write the hashes with their salt and recipe, for a marketing tool (audited)"
    )
    export_list.add_argument("--format", required=True, choices=suppression.FORMATS, help="json or csv")
    export_list.add_argument("--out", required=True, type=Path, metavar="FILE")
    export_list.set_defaults(run=_suppression_export)


def _data_arguments(data: argparse.ArgumentParser) -> None:
    from dpo_desk.collection import read as source_files

    data_actions = data.add_subparsers(dest="action", metavar="ACTION", required=True)
    take = data_actions.add_parser(
        "import", help="read a file, match its records to the subject, keep the matched ones; prints the counts"
    )
    take.add_argument("reference", metavar="REF")
    take.add_argument("file", type=Path, metavar="FILE")
    take.add_argument("--source", required=True, metavar="NAME", help="a register source's key or name, or a new name")
    take.add_argument("--format", choices=source_files.FORMATS, help="instead of the one the file name tells")
    take.add_argument("--encoding", metavar="NAME", help="instead of the one detected (such as cp1252)")
    take.add_argument("--delimiter", choices=source_files.DELIMITERS, help="a CSV's, instead of the one detected")
    take.add_argument("--accept-matched", action="store_true", help="accept the matched records without review")
    take.add_argument(
        "--portable", choices=("yes", "no"), help="whether the source holds data the subject provided (Art. 20)"
    )
    take.add_argument("--keep-file", action="store_true", help="keep the source file itself inside the store")
    take.set_defaults(run=_data_import)
    shown = data_actions.add_parser("list", help="the case's imports, records and exports")
    shown.add_argument("reference", metavar="REF")
    shown.add_argument("--json", action="store_true", help="as JSON, for scripts")
    shown.set_defaults(run=_data_list)
    judged = data_actions.add_parser("review", help="accept or drop records waiting for review")
    judged.add_argument("reference", metavar="REF")
    judged.add_argument("--accept", type=int, nargs="*", default=[], metavar="ID")
    judged.add_argument("--drop", type=int, nargs="*", default=[], metavar="ID")
    judged.set_defaults(run=_data_review)


def _export_arguments(exported: argparse.ArgumentParser) -> None:
    exported.add_argument("reference", metavar="REF")
    exported.add_argument(
        "--kind",
        required=True,
        choices=("access", "portability"),
        help="access: the access response with the data and the bundle embedded, AES-256; portability: the "
        "plain ZIP, for a transfer to another controller (Art. 20(2))",
    )
    exported.add_argument("--out", required=True, type=Path, metavar="PATH")
    exported.add_argument(
        "--password-file", type=Path, metavar="FILE", help="access: also write the PDF's password here (owner-only)"
    )
    exported.add_argument("--lang", metavar="CODE", help="access: the letter's language (default: the case's)")
    exported.set_defaults(run=_export)


def _verify_bundle_arguments(checked_bundle: argparse.ArgumentParser) -> None:
    checked_bundle.add_argument("bundle", type=Path, metavar="FILE.zip")
    checked_bundle.set_defaults(run=_verify_bundle)


def _calendar_arguments(calendar: argparse.ArgumentParser) -> None:
    calendar.add_argument("--out", required=True, type=Path, metavar="FILE.ics")
    calendar.add_argument("--days", type=int, metavar="N", help="only what is due within N days")
    calendar.set_defaults(run=_calendar)


def _register_arguments(register: argparse.ArgumentParser) -> None:
    register.add_argument("--out", required=True, type=Path, metavar="FILE.csv")
    register.add_argument("--year", type=int, metavar="YYYY", help="only the cases received in that year")
    register.set_defaults(run=_register)


def _report_arguments(report: argparse.ArgumentParser) -> None:
    report.add_argument("--year", required=True, type=int, metavar="YYYY")
    report.add_argument("--entity", metavar="NAME", help="one entity (default: all)")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf|FILE.csv")
    report.set_defaults(run=_report)


def _backup_arguments(save: argparse.ArgumentParser) -> None:
    save.add_argument("destination", type=Path, metavar="DEST")
    save.set_defaults(run=_backup)


def _restore_arguments(back: argparse.ArgumentParser) -> None:
    back.add_argument("backup", type=Path, metavar="BACKUP")
    back.add_argument("--to", type=Path, required=True, metavar="NEW_STORE", help="a new file; never the current")
    back.set_defaults(run=_restore)


def _attachments_arguments(attached: argparse.ArgumentParser) -> None:
    attached_actions = attached.add_subparsers(dest="action", metavar="ACTION", required=True)
    listed_files = attached_actions.add_parser("list", help="id, name, type, bytes, when added and where from")
    listed_files.add_argument("reference", metavar="REF")
    listed_files.add_argument("--json", action="store_true", help="as JSON, for scripts")
    listed_files.set_defaults(run=_attachments_list)
    saved_file = attached_actions.add_parser("save", help="write one out, checked against its SHA-256 (audited)")
    saved_file.add_argument("reference", metavar="REF")
    saved_file.add_argument("id", type=int, metavar="ID")
    saved_file.add_argument("--out", type=Path, required=True, metavar="FILE", help="a new file")
    saved_file.set_defaults(run=_attachments_save)
    added_file = attached_actions.add_parser("add", help="attach a file by hand, up to 50 MB (audited)")
    added_file.add_argument("reference", metavar="REF")
    added_file.add_argument("file", type=Path, metavar="FILE")
    added_file.set_defaults(run=_attachments_add)


def _quarantine_arguments(refused: argparse.ArgumentParser) -> None:
    kept = refused.add_subparsers(dest="action", metavar="ACTION", required=True)
    kept.add_parser("list", help="id, time, file name, size and reason of each").set_defaults(run=_quarantine_list)
    save_one = kept.add_parser("save", help="write one out for inspection (audited)")
    save_one.add_argument("id", type=int, metavar="ID")
    save_one.add_argument("--out", type=Path, required=True, metavar="FILE", help="a new file")
    save_one.set_defaults(run=_quarantine_save)


def _encrypt_arguments(lock: argparse.ArgumentParser) -> None:
    lock.add_argument(
        "--forget-unencrypted",
        action="store_true",
        help="after checking the encrypted store opens, delete the unencrypted copy and older plain backups",
    )
    lock.set_defaults(run=_encrypt)


def _change_passphrase_arguments(rewrap: argparse.ArgumentParser) -> None:
    rewrap.set_defaults(run=_change_passphrase)


def _retention_arguments(keep: argparse.ArgumentParser) -> None:
    keep.add_argument("--months", type=int, metavar="N", help="the period (default: the store's setting)")
    keep.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD", help="count from this day")
    what = keep.add_mutually_exclusive_group()
    what.add_argument("--purge", action="store_true", help="delete the listed cases (audited)")
    what.add_argument(
        "--anonymise", action="store_true", help="keep the listed cases without subject or free text (audited)"
    )
    keep.add_argument("--yes", action="store_true", help="do it without asking (scripts); the list is printed first")
    keep.set_defaults(run=_retention)


def _verify_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("--anchor", type=Path, metavar="FILE", help="verify against an anchor exported earlier")
    check.add_argument("--export-anchor", type=Path, metavar="FILE", help="write the audit head (SEQ:SHA256) here")
    check.set_defaults(run=_verify)


def _store_size_arguments(sized: argparse.ArgumentParser) -> None:
    sized.set_defaults(run=_store_size)


def _letter_arguments(letter: argparse.ArgumentParser) -> None:
    letter.add_argument("reference", nargs="?", metavar="REF")
    letter.add_argument("kind", nargs="?", metavar="KIND", help="see --list-kinds")
    letter.add_argument("--out", type=Path, metavar="FILE.pdf")
    letter.add_argument(
        "--lang", metavar="CODE", help="this letter's language (default: the case's; see --list-languages)"
    )
    letter.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="also write a protected letter's password here (mode 0600), for scripts",
    )
    letter.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the day the letter was actually sent, where that was before today (the letter bears it)",
    )
    letter.add_argument(
        "--recipient", metavar="KEY", help="a recipient notice's recipient (its processor key; see case show)"
    )
    letter.add_argument("--list-kinds", action="store_true", help="list the letter kinds and exit")
    letter.add_argument("--list-languages", action="store_true", help="list the letter languages and exit")
    letter.set_defaults(run=_letter)


def _entity_arguments(register: argparse.ArgumentParser) -> None:
    from dpo_desk.core.calendars import CALENDARS
    from dpo_desk.core.entities import ADDABLE, SETTABLE

    entity_actions = register.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = entity_actions.add_parser("list", help="every entity with its letterhead fields")
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(run=_entity_list)
    setting = entity_actions.add_parser(
        "set",
        help=f"set fields of an entity (audited): FIELD=VALUE, FIELD one of {', '.join(SETTABLE)}; calendar "
        f"one of {', '.join(CALENDARS)}, time_zone an IANA zone such as Europe/Oslo (both move open cases' dates)",
    )
    setting.add_argument("name", metavar="NAME", help="the entity's name or key")
    setting.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    setting.set_defaults(run=_entity_set)
    adding = entity_actions.add_parser(
        "add",
        help="add an entity, such as your own company (audited): FIELD=VALUE, with name, country (ISO 3166 code), "
        f"calendar and time_zone required; FIELD one of {', '.join(ADDABLE)}",
    )
    adding.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    adding.set_defaults(run=_entity_add)


def _due_arguments(due: argparse.ArgumentParser) -> None:
    from dpo_desk.core.calendars import CALENDARS

    due.add_argument("--received", required=True, metavar="YYYY-MM-DD", help="local date of receipt")
    due.add_argument("--calendar", default="none", metavar="|".join(CALENDARS), help="holidays (default none)")
    due.add_argument("--rules", default="eu", metavar="eu|ico", help="how pauses count (default eu)")
    due.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="YYYY-MM-DD:YYYY-MM-DD",
        help="asked for ID on the first date, received it on the second (repeatable)",
    )
    due.add_argument("--extended", action="store_true", help="extended by two further months")
    due.add_argument("--explain", action="store_true", help="print the steps after the date")
    due.set_defaults(run=_due)


# Every command in `dpo-desk --help`'s order: its summary, and what adds its arguments once it is chosen.
COMMANDS: dict[str, tuple[str, Arguments]] = {
    "demo": ("create a store with the register and synthetic cases", _demo_arguments),
    "case": ("add, list, show cases and take workflow actions", _case_arguments),
    "processors": ("export and import processor contact sheets", _processors_arguments),
    "suppression": (
        "the direct-marketing suppression list: check an e-mail or phone, export the hashes",
        _suppression_arguments,
    ),
    "data": ("the subject's data collected from the source systems' files", _data_arguments),
    "export": (
        "write a case's access copy (protected PDF, the bundle embedded) or portability bundle (ZIP)",
        _export_arguments,
    ),
    "verify-bundle": (
        "check a bundle against its manifest and schemas; exit 1 on a mismatch",
        _verify_bundle_arguments,
    ),
    "calendar": (
        "write the open cases' deadlines as iCalendar (.ics): references and next steps, no names",
        _calendar_arguments,
    ),
    "register": ("write the register of requests as CSV: one row per case, no names", _register_arguments),
    "report": (
        "write the yearly report of requests as PDF or CSV (by the name's ending); no personal data",
        _report_arguments,
    ),
    "backup": ("copy the store with SQLite's online backup API", _backup_arguments),
    "restore": ("check a backup, then copy it into a new store", _restore_arguments),
    "attachments": ("a case's attachments: list them, save one out, add a file", _attachments_arguments),
    "quarantine": ("files refused at import, kept inside the store", _quarantine_arguments),
    "encrypt": (
        "encrypt a store made before encryption at rest (passphrase from DPO_DESK_PASSPHRASE or typed)",
        _encrypt_arguments,
    ),
    "change-passphrase": (
        "set a new recovery passphrase (from DPO_DESK_NEW_PASSPHRASE or typed); the store is not rewritten",
        _change_passphrase_arguments,
    ),
    "retention": (
        "list the cases past the retention period; --purge deletes them, --anonymise strips them",
        _retention_arguments,
    ),
    "verify": ("check the store's integrity and its audit chain; exit 1 on a problem", _verify_arguments),
    "store-size": ("the store's bytes per table and index, and per case", _store_size_arguments),
    "letter": ("write a letter of a case to PDF; prints the letter id", _letter_arguments),
    "entity": ("the register's legal entities: list them, set their fields, add one", _entity_arguments),
    "due": ("compute an Art. 12(3) due date; the first line is YYYY-MM-DD", _due_arguments),
}


def actions_help() -> str:
    """``dpo-desk case --help``'s list of workflow actions, from their declarations."""
    from dpo_desk.application.actions import COMMAND_LINE

    lines = ["workflow actions: dpo-desk --store PATH case ACTION REF --json FILE ('-' reads stdin)", ""]
    for name, entry in COMMAND_LINE.items():
        lines.append(f"  {name}: {entry.summary}")
        lines += [f"      {line}" for line in _fields_help(entry)]
    return "\n".join(lines)


def _fields_help(entry: Action[Any] | Family) -> list[str]:
    from dpo_desk.application.actions import Action

    if isinstance(entry, Action):
        return [f"JSON fields: {', '.join(field.describe() for field in entry.fields)}"]
    where = f' and "{entry.nested}": {{the fields}}' if entry.nested else " and the fields"
    lines = [f'JSON: "{entry.selector}": one of {", ".join(entry.members)}{where}']
    for key, member in entry.members.items():
        lines.append(f"{entry.selector} {key}: {', '.join(field.describe() for field in member.fields)}")
    return lines


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError("choose between 0 and 1,000,000 cases")
    return value


def _store_path(args: argparse.Namespace) -> Path:
    if args.store is not None:
        return Path(args.store)
    return paths.demo_store() if args.demo else paths.default_store()


class TerminalUnlocker:
    """How the command line answers when opening a store: passphrases from the environment (for scripts) or
    typed at a terminal. It never encrypts an old store on its own (``dpo-desk encrypt`` does) and never
    restores a backup over a store (``dpo-desk restore`` makes a new file)."""

    def choose_passphrase(self, store: Path, purpose: PassphraseFor) -> str:
        return _passphrase(new=True)

    def enter_passphrase(self, store: Path, reason: str, attempt: Callable[[str], bytes]) -> bytes:
        return attempt(_passphrase(new=False))

    def restore_backup(self, store: Path, problem: str, backup: Path | None) -> bool:
        from dpo_desk.store.db import DamagedStoreError

        raise DamagedStoreError(problem)

    def restored(self, backup: Path, kept: Path) -> None:
        raise AssertionError("the command line never restores over a store")

    def slow(self, what: str, work: Callable[[], T]) -> T:
        return work()


@contextlib.contextmanager
def _desk(
    args: argparse.Namespace, *, create: bool = False, fill: Filler | None = None, read_only: bool = False
) -> Iterator[Desk]:
    """The store, unlocked by the keyring or else by the passphrase; a new one gets a key first. A command
    that only reads opens it ``read_only``: reading never changes a store."""
    from dpo_desk.application.stores import open_desk
    from dpo_desk.store.db import StoreError

    desk = open_desk(
        _store_path(args), TerminalUnlocker(), actor=_actor(), clock=_now, create=create, encrypt_old=False,
        fill=fill, read_only=read_only,
    )  # fmt: skip
    if desk is None:  # the terminal's unlocker refuses rather than gives up
        raise StoreError(f"{_store_path(args)} was not opened")
    with desk:
        behind = desk.clock_behind()
        if behind:
            print(f"warning: {behind}", file=sys.stderr)
        yield desk


def _passphrase(*, new: bool, variable: str | None = None) -> str:
    """From the environment (``variable``, by default DPO_DESK_PASSPHRASE: for scripts) or typed at a
    terminal; never from an argument, which other users can read in the process list."""
    from dpo_desk.application.stores import PASSPHRASE_VARIABLE  # loaded already: a store is being opened

    variable = variable or PASSPHRASE_VARIABLE
    given = os.environ.get(variable)
    if given is None:
        if not sys.stdin.isatty():
            what = "a new store needs a recovery passphrase" if new else "no keyring holds this store's key"
            raise InputError(f"{what}: set {variable}, or run this at a terminal to type it")
        given = getpass.getpass("Recovery passphrase: " if new else "Passphrase: ")
        if new and getpass.getpass("The same again: ") != given:
            raise InputError("passphrase: the two entries differ")
    if new:
        from dpo_desk.core.passphrase import check_passphrase

        check_passphrase(given)
    return given


def _now() -> datetime:
    return datetime.now(UTC)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "dpo"


def load_app() -> Callable[..., int]:
    """The app's ``run``, imported as the app starts (Qt is loaded only when the app opens): the application
    layer before Qt, since once the Qt bindings are loaded their import hook reads the source of every module
    imported after them (for their __feature__ switches), 0.3 ms each, 40-50 ms of a start. Every Qt-free module
    the window's start loads is here (tests/test_architecture.py checks it)."""
    import dpo_desk.application.dashboard
    import dpo_desk.application.demo
    import dpo_desk.application.jobs
    import dpo_desk.application.preload
    import dpo_desk.application.stores
    import dpo_desk.instance_lock
    import dpo_desk.os_keyring
    import dpo_desk.store.opening  # noqa: F401
    from dpo_desk.gui.app import run

    return run


def _open_app(args: argparse.Namespace) -> int:
    store = _store_path(args)
    return load_app()(
        store,
        actor=_actor(),
        demo=args.demo or store == paths.demo_store(),
        exit_when_shown=args.exit_when_shown,
        first_run=args.store is None and not args.demo,
    )


def _demo(args: argparse.Namespace) -> int:
    from dpo_desk.application.demo import populate
    from dpo_desk.store.db import StoreError

    # Without --store the demo goes to the demo folder: never into the DPO's real store.
    store = Path(args.store) if args.store is not None else paths.demo_store()
    if store.exists():
        raise StoreError(f"{store} already exists; the demo never overwrites a store")
    args.store = store
    with _desk(args, create=True, fill=lambda desk: populate(desk, cases=args.cases, seed=args.seed)):
        pass
    print(f"created {store} with {args.cases} demo cases")
    return 0


def _read_json(source: str) -> Any:
    name = "stdin" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{name}: cannot read it ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{name}: not valid JSON ({error})") from None


def _case_add(args: argparse.Namespace) -> int:
    if args.eml is not None:
        return _case_add_from_mail(args)
    if args.entity or args.rights:
        raise InputError("--entity and --rights go with --eml; put them in the JSON document")
    document = _read_json(args.json)
    if isinstance(document, list):  # what `case list --json` prints: every case is added, or none
        return _case_add_all(args, document)
    from dpo_desk.core.intake import new_case_from_json

    new = new_case_from_json(document, now=_now())
    with _desk(args, create=True) as desk:
        case_id = desk.add_case(new)
        reference = desk.cases.get_by_id(case_id).reference
        repeat = desk.decisions.repeat_warning(case_id)
    print(reference)
    if repeat:
        print(f"warning: {repeat}", file=sys.stderr)
    return 0


def _case_add_all(args: argparse.Namespace, documents: list[Any]) -> int:
    from dpo_desk.core.intake import new_case_from_json

    news = []
    for number, document in enumerate(documents, start=1):
        try:
            news.append(new_case_from_json(document, now=_now()))
        except InputError as error:
            raise InputError(f"case {number}: {error}") from None
    with _desk(args, create=True) as desk:
        references = [desk.cases.get_by_id(case_id).reference for case_id in desk.add_cases(news)]
    print("\n".join(references) if references else "no cases in the list")
    return 0


def _case_add_from_mail(args: argparse.Namespace) -> int:
    from dpo_desk.core.intake import parse_rights
    from dpo_desk.mail.draft import draft_from
    from dpo_desk.mail.parse import MailError, read_mail

    try:
        mail = read_mail(args.eml)
    except MailError as error:
        if not args.eml.is_file():
            raise
        with _desk(args, create=True) as desk:
            kept = desk.quarantine(args.eml, str(error))
        raise MailError(f"{error} (kept in the store: dpo-desk quarantine save {kept} --out FILE)") from None
    with _desk(args, create=True) as desk:
        draft = draft_from(mail, desk.register.entities())
        entity = desk.register.entity(args.entity) if args.entity else draft.entity
        if entity is None:
            raise InputError(f"entity: cannot guess it ({draft.entity_note}); give --entity NAME")
        rights = parse_rights(args.rights.split(",")) if args.rights else draft.rights
        case_id, duplicates = desk.add_case_from_draft(draft, entity_name=entity.name, rights=rights)
        reference = desk.cases.get_by_id(case_id).reference
    print(reference)
    for warning in mail.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if duplicates:
        print(f"warning: the same Message-ID was imported before: {', '.join(duplicates)}", file=sys.stderr)
    return 0


def _case_list(args: argparse.Namespace) -> int:
    from dpo_desk.core.models import CaseQuery

    with _desk(args, read_only=True) as desk:
        ids = desk.cases.find_ids(CaseQuery(sort="received", descending=True), today=desk.today())
        cases = desk.cases.with_deadlines_to_today(desk.cases.cases(ids), today=desk.today())
    if args.json:
        print(json.dumps([case_json(case) for case in cases], ensure_ascii=False, indent=2))
        return 0
    for case in cases:
        print(
            f"{case.reference}  {case.status.value:<18}  due {case.deadlines.due}  "
            f"{case.entity.name:<22}  {case.subject.name}  [{', '.join(r.value for r in case.rights)}]"
        )
    return 0


def _case_show(args: argparse.Namespace) -> int:
    with _desk(args, read_only=True) as desk:
        case = desk.cases.with_deadlines_to_today([desk.cases.get(args.reference)], today=desk.today())[0]
        history = desk.cases.history(case.id)
        state = desk.state(case.id)
    if args.json:
        document = case_json(case) | workflow_json(state)
        document["history"] = [
            {
                "at": event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "actor": event.actor,
                "action": event.action,
                "from": event.from_status.value if event.from_status else None,
                "to": event.to_status.value if event.to_status else None,
                "reason": event.reason,
            }
            for event in history
        ]
        document["earlier_cases"] = [
            {"reference": e.summary.reference, "matched_by": e.matched_by} for e in state.earlier_cases
        ]
        document["same_name_only"] = [e.summary.reference for e in state.same_name]
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    print(f"{case.reference}  {case.status.label}")
    print(f"Entity:    {case.entity.name}")
    print(f"Received:  {case.received_local.isoformat()} via {case.channel.label}")
    print(f"Due:       {case.deadlines.due}  (extension notice by {case.deadlines.extension_notice_due})")
    print(f"Rights:    {', '.join(r.label for r in case.rights)}")
    print(f"Letters:   {desk.letter_language_name(desk.letters.language_of(case))}")
    print(f"Subject:   {case.subject.name}  {' '.join((*case.subject.emails, *case.subject.phones))}")
    if state.child is not None:
        print(f"Child:     {state.child.describe()}")
    if state.earlier_cases:
        print(f"Earlier:   {', '.join(e.describe() for e in state.earlier_cases)}")
    if state.same_name:
        hints = ", ".join(e.describe() for e in state.same_name)
        print(f"Same name: {hints} (a hint only: check before relying on it)")
    if case.text:
        print(f"\n{case.text}\n")
    for event in history:
        if event.to_status is None:  # a recorded step, not a move of the status
            change = event.action
        else:
            change = f"{event.from_status.value if event.from_status else '-'} → {event.to_status.value}"
        print(f"{event.at:%Y-%m-%d %H:%M}Z  {event.actor:<10} {change}  {event.reason}".rstrip())
    return 0


def _case_action(args: argparse.Namespace) -> int:
    from dpo_desk.application.fields import read_document

    data = _read_json(args.json)
    if not isinstance(data, dict):
        raise InputError(f"{args.json}: the action must be a JSON object")
    with _desk(args) as desk:
        case = desk.cases.get(args.reference)
        action, document = _chosen_action(args.entry, data)
        state = desk.state(case.id)
        refused = action.allowed(state)
        if refused is not None:
            raise RefusedError(refused)
        message = action.run(desk, case.id, read_document(action.fields, document, desk.form(state)))
    for line in message.splitlines():
        print(line, file=sys.stderr if line.startswith("warning:") else sys.stdout)
    return 0


def _chosen_action(entry: Action[Any] | Family, data: dict[str, Any]) -> tuple[Action[Any], dict[str, Any]]:
    """The declared action a JSON document asks for, and the part of it that holds the action's fields."""
    from dpo_desk.application.actions import Action

    if isinstance(entry, Action):
        return entry, data
    chosen = data.get(entry.selector)
    if chosen is None:
        raise InputError(f"{entry.selector}: missing field")
    if not isinstance(chosen, str) or chosen not in entry.members:
        raise InputError(f"{entry.selector}: {chosen!r} is not one of {', '.join(entry.members)}")
    action = entry.members[chosen]
    if entry.nested:
        unknown = sorted(set(data) - {entry.selector, entry.nested})
        if unknown:
            raise InputError(f"{unknown[0]}: not a field here; the fields go in {entry.nested!r}")
        fields = data.get(entry.nested, {})
        if not isinstance(fields, dict):
            raise InputError(f"{entry.nested}: must be an object")
        return action, fields
    # One document shape serves every member: a field of another member is let through unused.
    others = {field.name for member in entry.members.values() for field in member.fields}
    own = {field.name for field in action.fields}
    return action, {
        key: value for key, value in data.items() if key != entry.selector and (key in own or key not in others)
    }


def workflow_json(state: CaseState) -> dict[str, Any]:
    """Where the case stands in the workflow: identity, pauses, extension, fee, refusal, outcomes, recipients."""
    case, fee, refusal = state.case, state.fee, state.refusal
    return {
        "identity": state.identity.value,
        "pauses": [
            {
                "kind": p.kind.value,
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "reason": p.reason,
            }
            for p in case.pauses
        ],
        "extension": {"reasons": case.extension.reasons, "notice_sent_on": case.extension.notice_sent_on.isoformat()}
        if case.extension
        else None,
        "fee": {"basis": fee.basis.value, "total": str(fee.total), "currency": fee.currency, "state": fee.state.value}
        if fee
        else None,
        "refusal": {"partial": refusal.partial, "grounds": [g.value for g in refusal.grounds]} if refusal else None,
        "outcomes": dict(state.recorded_outcomes),
        "sources": list(state.sources),
        "recipients": [
            {"recipient": n.processor_key, "service": n.service, "state": n.state.value} for n in state.notices
        ],
    }


def _case_language(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        case = desk.cases.get(args.reference)
        desk.set_letter_language(case.id, args.lang)
        print(f"{case.reference}: letters in {desk.letter_language_name(args.lang)}")
    return 0


def case_json(case: Case) -> dict[str, Any]:
    """A case as ``case list/show --json`` prints it; ``case add`` accepts the same fields back."""
    return {
        "reference": case.reference,
        "status": case.status.value,
        "entity": case.entity.name,
        "channel": case.channel.value,
        "received": case.received_local.isoformat(),
        "rights": [right.value for right in case.rights],
        "subject": {
            "name": case.subject.name,
            "emails": list(case.subject.emails),
            "phones": list(case.subject.phones),
            "address": case.subject.address,
            "birth_date": case.subject.birth_date.isoformat() if case.subject.birth_date else None,
            "child": case.subject.child,
        },
        "text": case.text,
        "letter_lang": case.letter_lang,  # '': the receiving office's language
        "due": case.deadlines.due.isoformat(),
        "extension_notice_due": case.deadlines.extension_notice_due.isoformat(),
        "target": case.deadlines.target.isoformat(),
    }


def _suppression_check(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        entry = desk.outcomes.suppressed(args.identifier, args.country)
    if entry is None:
        print(f"{args.identifier.strip()}: not on the suppression list")
        return 1
    print(f"{args.identifier.strip()}: on the suppression list since {entry.added_on} ({entry.kind})")
    return 0


def _suppression_export(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        count = desk.export_suppression(args.format, args.out)
    entries = "entry" if count == 1 else "entries"
    print(f"wrote {count} {entries} to {args.out}; it holds the salt, so it goes only to the marketing tool")
    return 0


def _data_import(args: argparse.Namespace) -> int:
    portable = None if args.portable is None else args.portable == "yes"
    with _desk(args) as desk:
        case = desk.cases.get(args.reference)
        source = desk.data.source(args.source, portable=portable)
        preview = desk.data.preview(
            case.id, args.file, fmt=args.format, encoding=args.encoding, delimiter=args.delimiter
        )
        taken = desk.data.take(case.id, preview, source, accept_matched=args.accept_matched, keep_file=args.keep_file)
    print(f"{args.file.name}: {preview.read.detected()}; {taken.read:,} records read")
    print(f"matched {taken.matched}, unmatched {taken.read - taken.matched} (of them {taken.hinted} by name only)")
    print(
        f"kept {taken.accepted + taken.pending}: {taken.accepted} accepted, {taken.pending} waiting for review; "
        f"{taken.left_out} not kept (no identifier of the subject)"
    )
    return 0


def _data_list(args: argparse.Namespace) -> int:
    import dataclasses

    with _desk(args, read_only=True) as desk:
        case = desk.cases.get(args.reference)
        imports = desk.data.store.imports(case.id)
        records = desk.data.store.records(case.id)
        exports = desk.data.store.exports(case.id)
    if args.json:
        document = {
            "case": case.reference,
            "imports": [dataclasses.asdict(entry) for entry in imports],
            "records": [dataclasses.asdict(record) | {"fields": dict(record.fields)} for record in records],
            "exports": [dataclasses.asdict(export) for export in exports],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2, default=_json_value))
        return 0
    if not imports:
        print(f"{case.reference}: no data imported")
    for entry in imports:
        mine = [r for r in records if r.import_id == entry.id]
        accepted = sum(1 for r in mine if r.state == "accepted")
        print(
            f"import {entry.id}: {entry.source.name} ({'portable' if entry.source.portable else 'not portable'}), "
            f"{entry.file_name}, {entry.records_read} read, {accepted} accepted, {len(mine) - accepted} to review"
        )
        for r in mine:
            if r.state != "accepted":
                print(f"  record {r.id} ({r.place}): {r.matched_by or 'taken by hand'}, waiting for review")
    for e in exports:
        print(f"export {e.id}: {e.kind}, {e.records:,} records, {e.file} ({e.made_at:%Y-%m-%d %H:%M} UTC)")
    return 0


def _json_value(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _data_review(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        case = desk.cases.get(args.reference)
        desk.data.review(case.id, accept=args.accept, drop=args.drop)
    print(f"{case.reference}: {len(args.accept)} accepted, {len(args.drop)} dropped")
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.kind == "portability":
        with _desk(args) as desk:
            made = desk.data.export_portability(desk.cases.get(args.reference).id, args.out)
        print(f"wrote {made.file}: {made.records:,} records, SHA-256 {made.sha256}")
        return 0
    with _desk(args) as desk:
        letter = desk.data.export_access(desk.cases.get(args.reference).id, args.out, _render, lang=args.lang)
    print(f"wrote {letter.record.file}: letter {letter.record.id}, SHA-256 {letter.record.sha256}")
    _hand_over_password(letter, args.password_file)
    return 0


def _render(document: Document) -> bytes:
    """Qt renders the PDFs, loaded for the first page to render: after the store and the letter's own modules,
    and after pikepdf, which finishes the PDF Qt writes, since Qt for Python's import hook reads the source of
    every Python module imported after it (0.1 s of a letter's CPU when Qt came first, 30 ms of pikepdf's)."""
    from dpo_desk.letters import protect

    protect.load()
    from dpo_desk.gui.pdf import headless_renderer

    return headless_renderer()(document)


def _hand_over_password(made: GeneratedLetter, password_file: Path | None) -> None:
    if made.password is None:
        return
    from dpo_desk.files import write_private

    if password_file is not None:  # owner-only, and a symlink at the name is replaced, not followed
        write_private(password_file, (made.password + "\n").encode("utf-8"))
    elif not made.in_keyring:
        print(f"warning: no keyring works here; record this password now: {made.password}", file=sys.stderr)


def _calendar(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        events = desk.export_calendar(args.out, days=args.days)
    print(f"wrote {args.out}: {events} events")
    return 0


def _register(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        rows = desk.export_register(args.out, year=args.year)
    print(f"wrote {args.out}: {rows:,} cases")
    return 0


def _report(args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".csv"):
        raise InputError(f"{args.out}: the report is written as .pdf or .csv, not {suffix or 'a name without ending'}")
    with _desk(args) as desk:
        report = desk.yearly_report(args.year, args.entity)
        desk.export_report(report, args.out, _render if suffix == ".pdf" else None)
    print(f"wrote {args.out}: {report.received:,} cases received in {report.year}, {report.entity}")
    return 0


def _verify_bundle(args: argparse.Namespace) -> int:
    from dpo_desk.exports.bundle import verify_bundle

    problems = verify_bundle(args.bundle)
    for problem in problems:
        print(f"{args.bundle.name}: {problem}")
    if not problems:
        print(f"{args.bundle.name}: every file matches the manifest, and the JSON its schemas")
    return 1 if problems else 0


def _backup(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        made = desk.backup(args.destination)
    print(f"backup written to {made}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from dpo_desk.application.stores import restore_into

    checked = restore_into(args.backup, args.to, TerminalUnlocker())
    assert checked is not None  # the terminal's unlocker refuses rather than gives up
    print(f"restored {checked.cases:,} cases into {args.to}; open it with --store {args.to}")
    return 0


def _attachments_list(args: argparse.Namespace) -> int:
    import dataclasses

    with _desk(args, read_only=True) as desk:
        case = desk.cases.get(args.reference)
        attachments = desk.attachments(case.id)
    if args.json:
        document = {"case": case.reference, "attachments": [dataclasses.asdict(a) for a in attachments]}
        print(json.dumps(document, ensure_ascii=False, indent=2, default=_json_value))
        return 0
    if not attachments:
        print(f"{case.reference}: no attachments")
    for a in attachments:
        origin = "attached by hand" if a.by_hand else "from the e-mail"
        print(f"{a.id}  {a.added_at:%Y-%m-%d %H:%M} UTC  {a.size:>10} bytes  {a.content_type}  {origin}  {a.name}")
    return 0


def _attachments_save(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        written = desk.save_attachment(desk.cases.get(args.reference).id, args.id, args.out)
    print(f"wrote {written}")
    return 0


def _attachments_add(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        case = desk.cases.get(args.reference)
        added = desk.attach_file(case.id, args.file)
    print(f"{case.reference}: attachment {added.id}, {added.name} ({added.size} bytes)")
    return 0


def _quarantine_list(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        for item in desk.mail.quarantined():
            print(f"{item.id}  {item.at}  {item.size:>10} bytes  {item.file_name}  {item.reason}")
    return 0


def _quarantine_save(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        written = desk.save_quarantined(args.id, args.out)
    print(f"wrote {written}")
    return 0


def _encrypt(args: argparse.Namespace) -> int:
    if args.forget_unencrypted:
        with _desk(args) as desk:  # the encrypted store must open before its plain copies go
            gone = desk.forget_unencrypted()
        print(f"deleted {len(gone)} unencrypted copies" + "".join(f"\n  {path}" for path in gone))
        return 0
    from dpo_desk.application.stores import encrypt_old_store

    store = _store_path(args)
    encrypted = encrypt_old_store(store, _passphrase(new=True))
    print(f"encrypted {store}; its key file is {store.name}.key (keep it with the store)")
    print(f"the unencrypted copy is kept as {encrypted.kept_copy}", file=sys.stderr)
    if encrypted.leftovers:
        print(
            f"warning: {len(encrypted.leftovers)} unencrypted files remain (that copy and older backups); once the "
            "store opens, delete them with: dpo-desk encrypt --forget-unencrypted",
            file=sys.stderr,
        )
    return 0


def _change_passphrase(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        desk.change_passphrase(_passphrase(new=True, variable=NEW_PASSPHRASE_VARIABLE))
    print("passphrase changed; backups made before keep the old one (or open with the keyring)")
    return 0


def _retention(args: argparse.Namespace) -> int:
    from dpo_desk.core.settings import RETENTION_MONTHS

    with _desk(args) as desk:
        months = args.months if args.months is not None else desk.settings.get(RETENTION_MONTHS)
        today = args.today or desk.today()
        expired = desk.retention.expired(today=today, months=months)
        for case in expired:  # named before anything is deleted, and what stays outside the store
            letters = f"; {case.letters} letter file(s) saved outside the store" if case.letters else ""
            print(f"{case.reference}  {case.status} on {case.ended_on}{letters}")
        if not (args.purge or args.anonymise):
            print(
                f"{len(expired):,} case(s) ended more than {months} months before {today}; "
                "--purge deletes them, --anonymise keeps them without who asked or what they wrote"
            )
            return 0
        verb = "purge" if args.purge else "anonymise"
        if expired and not (args.yes or _confirmed(f"{verb.capitalize()} these {len(expired):,} case(s)?")):
            raise RefusedError(
                f"retention: nothing was changed; add --yes to {verb} the {len(expired):,} case(s) listed"
            )
        ids = [case.case_id for case in expired]
        act, done = (desk.purge, "purged") if args.purge else (desk.anonymise, "anonymised")
        for reference in act(ids, today=today, months=months):
            print(f"{done} {reference}")
    return 0


def _confirmed(question: str) -> bool:
    """A yes typed at a terminal; a script (no terminal) must say --yes instead."""
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _store_size(args: argparse.Namespace) -> int:
    with _desk(args, read_only=True) as desk:
        size = desk.store_size()
        cases = desk.cases.count()
    for line in size.lines(cases):
        print(line)
    return 0


def _verify(args: argparse.Namespace) -> int:
    anchor = None
    if args.anchor is not None:
        from dpo_desk.store.audit import Anchor

        try:
            anchor = Anchor.parse(args.anchor.read_text(encoding="utf-8"))
        except OSError as error:
            raise InputError(f"{args.anchor}: cannot read the anchor ({error.strerror})") from None
    with _desk(args) as desk:
        report = desk.verify(anchor)
    for line in report.lines():
        print(line)
    if args.export_anchor is not None:
        args.export_anchor.write_text(report.head.text() + "\n", encoding="utf-8")
    return 0 if report.ok else 1


def _letter(args: argparse.Namespace) -> int:
    from dpo_desk.letters.kinds import LetterKind
    from dpo_desk.letters.language import letter_language, letter_languages

    if args.list_kinds:
        for kind in LetterKind:
            print(f"{kind.value:<24} {kind.heading}")
        return 0
    if args.list_languages:
        for code in letter_languages():
            print(f"{code:<4} {letter_language(code).name}")
        return 0
    if not (args.reference and args.kind and args.out):
        raise InputError("letter: give REF, KIND and --out FILE.pdf (or --list-kinds)")
    try:
        kind = LetterKind(args.kind)
    except ValueError:
        raise InputError(f"unknown letter kind {args.kind!r}; see dpo-desk letter --list-kinds") from None
    from dpo_desk.store.letters import PastDateError

    dated = _iso_date(args.date, "--date") if args.date else None
    with _desk(args) as desk:
        case = desk.cases.get(args.reference)
        try:
            made = desk.write_letter(
                case.id, kind, _render, target=args.out, lang=args.lang, dated=dated, recipient=args.recipient
            )
        except PastDateError as error:  # the window asks for the day in a dialog; here it is an option
            raise PastDateError(f"{error} (--date YYYY-MM-DD)") from None
    print(made.record.id)
    _hand_over_password(made, args.password_file)
    return 0


def _entity_list(args: argparse.Namespace) -> int:
    from dpo_desk.core.entities import entity_columns

    with _desk(args) as desk:
        entities = desk.register.entities()
    if args.json:
        rows = [{"key": e.key, "country": e.country} | entity_columns(e) for e in entities]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for entity in entities:
        problems = entity.letterhead_problems()
        print(f"{entity.key}  {entity.name} ({entity.country})")
        print(f"    {' · '.join(entity.address.lines()) or '(no postal address)'}")
        print(f"    deadlines: calendar {entity.calendar}, receipts read in {entity.time_zone}")
        print(f"    letters: {problems[0] if problems else 'may be printed'}")
    return 0


def _entity_set(args: argparse.Namespace) -> int:
    from dpo_desk.application.entity_fields import ENTITY_FIELDS
    from dpo_desk.application.fields import labelled

    changes = _entity_assignments(args.assignments)
    with _desk(args) as desk:
        try:
            entity, moved = desk.update_entity(args.name, changes)
        except InputError as error:
            raise InputError(labelled(ENTITY_FIELDS, str(error))) from None
    problems = entity.letterhead_problems()
    print(f"{entity.name}: saved; letters: {problems[0] if problems else 'may be printed'}")
    for case in moved:
        print(f"moved: {case.reference}: {case.changes()}")
    return 0


def _entity_add(args: argparse.Namespace) -> int:
    from dpo_desk.application.entity_fields import NEW_ENTITY_FIELDS
    from dpo_desk.application.fields import labelled

    values = _entity_assignments(args.assignments)
    with _desk(args) as desk:
        try:
            entity = desk.add_entity(values)
        except InputError as error:
            raise InputError(labelled(NEW_ENTITY_FIELDS, str(error))) from None
    problems = entity.letterhead_problems()
    print(f"{entity.key}: {entity.name} added; letters: {problems[0] if problems else 'may be printed'}")
    return 0


def _entity_assignments(assignments: Sequence[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for assignment in assignments:
        field, equals, value = assignment.partition("=")
        if not equals:
            raise InputError(f"{assignment!r}: write FIELD=VALUE, e.g. street='Kongens gate 3'")
        values[field.strip()] = _entity_value(field.strip(), value)
    return values


def _entity_value(field: str, value: str) -> object:
    if field != "address_to_replace":
        return value
    if value.strip().lower() not in ("true", "false"):
        raise InputError("address_to_replace: true or false")
    return value.strip().lower() == "true"


def _processors_export(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        count = desk.processors.export(args.format, args.out)
    print(f"wrote {count} sheets to {args.out}")
    return 0


def _processors_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    with _desk(args) as desk:
        preview = desk.processors.preview_import(args.file)
        for label, sheets in (("added", preview.added), ("changed", preview.changed)):
            for sheet in sheets:
                print(f"{label}: {sheet.key} ({sheet.service})")
        for error in preview.errors:
            print(f"rejected: {error}", file=sys.stderr)
        print(preview.summary())
        if preview.errors:
            return EXIT_REFUSED
        if args.apply:
            desk.import_processors(preview)
            print("applied")
    return 0


def _due(args: argparse.Namespace) -> int:
    from dpo_desk.core import deadlines
    from dpo_desk.core.calendars import check_calendar

    request = deadlines.DeadlineInput(
        received=_iso_date(args.received, "--received"),
        calendar=check_calendar(args.calendar),
        rules=deadlines.Rules.parse(args.rules),
        pauses=tuple(_pause(text) for text in args.pause),
        extended=args.extended,
    )
    if not args.explain:
        print(deadlines.due_date(request).isoformat())
        return 0
    explanation = deadlines.explain(request)
    print(explanation.due.isoformat())
    for step in explanation.steps:
        print(step)
    for warning in explanation.warnings:
        print(f"warning: {warning}")
    return 0


def _iso_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InputError(f"{option}: {text!r} is not a valid date YYYY-MM-DD ({error})") from None


def _pause(text: str) -> deadlines.Pause:
    from dpo_desk.core import deadlines

    start, separator, end = text.partition(":")
    if not separator:
        raise InputError(f"--pause: {text!r} must be START:END, such as 2026-03-04:2026-03-11")
    return deadlines.Pause(_iso_date(start, "--pause start"), _iso_date(end, "--pause end"))
