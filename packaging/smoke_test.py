#!/usr/bin/env python3
"""The desktop bundle's smoke test: a built bundle run as on a laptop without Python.

    python3 packaging/smoke_test.py [BUNDLE]     # BUNDLE: the folder packaging/build made, dist/dpo-desk

The bundle is copied to a temporary folder and made read-only, and each run gets an empty environment apart from
PATH=/usr/bin:/bin and a HOME of its own (as `env -i` gives): --version; demo into a temporary store, and without
--store into the user's data folder; due; a letter in every language the bundle lists; one offscreen start of
the app to its case list (--exit-when-shown). Then nothing in the bundle's folder may have changed (compared
file by file, since root may write to a read-only folder). One line per check; exit 0 when all pass.
Standard library only, so any python3 can run it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "violet tractor under a quiet harbour"
ENTITY_WITH_LETTERHEAD = "Altoros Norge AS"
TIMEOUT = 180  # seconds a command may take; a start of the app takes one or two


class SmokeTestError(Exception):
    pass


def expected_version() -> str:
    text = (ROOT / "dpo_desk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SmokeTestError("dpo_desk/__init__.py names no __version__")
    return match.group(1)


def shipped_languages() -> set[str]:
    templates = ROOT / "dpo_desk" / "letters" / "templates"
    return {folder.name for folder in templates.iterdir() if (folder / "catalogue.toml").is_file()}


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry's size, modification time and mode, by its path in the folder."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        status = path.lstat()
        found[str(path.relative_to(folder))] = (status.st_size, status.st_mtime_ns, status.st_mode)
    return found


def make_read_only(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        if not path.is_symlink():
            path.chmod(path.lstat().st_mode & ~0o222)


class Bundle:
    def __init__(self, program: Path, home: Path) -> None:
        self.program = program
        self.home = home

    def run(self, *args: str, stdin: str | None = None, gui: bool = False) -> str:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            # No keyring in a bare session: the store's key comes from its passphrase, as on such a laptop.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "DPO_DESK_PASSPHRASE": PASSPHRASE,
        }
        if gui:
            env["QT_QPA_PLATFORM"] = "offscreen"
        try:
            done = subprocess.run(
                [str(self.program), *args], input=stdin, capture_output=True, text=True, env=env, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise SmokeTestError(f"dpo-desk {' '.join(args)}: no answer in {TIMEOUT} s") from None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise SmokeTestError(f"dpo-desk {' '.join(args)}: exit {done.returncode}: {last}")
        return done.stdout


def check(name: str, result: str) -> None:
    print(f"ok    {name}: {result}")


def smoke(bundle_dir: Path, work: Path) -> None:
    copy = work / "bundle"
    shutil.copytree(bundle_dir, copy, symlinks=True)
    make_read_only(copy)
    before = snapshot(copy)
    desk = Bundle(copy / "dpo-desk", work / "home")
    desk.home.mkdir()
    store = str(work / "store.sqlite")

    version = desk.run("--version").splitlines()[0]
    if version != f"dpo-desk {expected_version()}":
        raise SmokeTestError(f"--version says {version!r}, the checkout is {expected_version()}")
    check("--version", version)

    check("demo", desk.run("--store", store, "demo", "--cases", "20").strip())
    desk.run("demo", "--cases", "5")
    in_data_folder = desk.home / ".local" / "share" / "dpo-desk" / "demo" / "store.sqlite"
    if not in_data_folder.is_file():
        raise SmokeTestError(f"demo without --store made no {in_data_folder}")
    check("demo without --store", f"made {in_data_folder.relative_to(desk.home)} under HOME")

    due = desk.run("due", "--received", "2026-01-31", "--calendar", "NO").splitlines()[0]
    if due != "2026-03-02":
        raise SmokeTestError(f"due --received 2026-01-31 --calendar NO printed {due}, not 2026-03-02")
    check("due --received 2026-01-31 --calendar NO", due)

    listed = {line.split()[0] for line in desk.run("letter", "--list-languages").splitlines() if line.strip()}
    if listed != shipped_languages():
        raise SmokeTestError(
            f"the bundle lists letter languages {sorted(listed)}, the checkout has {sorted(shipped_languages())}"
        )
    received = datetime.now(UTC).replace(microsecond=0).isoformat()  # today: the acknowledgement's promise holds
    new_case = {
        "entity": ENTITY_WITH_LETTERHEAD,
        "channel": "email",
        "received": received,
        "rights": ["access"],
        "subject": {"name": "Ola Nordmann", "emails": ["ola@example.com"], "phones": [], "address": ""},
        "text": "Please send me a copy of my data.",
    }
    reference = desk.run("--store", store, "case", "add", "--json", "-", stdin=json.dumps(new_case)).strip()
    for code in sorted(listed):
        pdf = work / f"acknowledgement-{code}.pdf"
        desk.run("--store", store, "letter", reference, "acknowledgement", "--lang", code, "--out", str(pdf))
        check(f"letter in {code}", describe_letter(pdf, reference))

    seconds = desk.run("--store", store, "--exit-when-shown", gui=True).strip().splitlines()[-1]
    if not re.fullmatch(r"\d+\.\d+", seconds):
        raise SmokeTestError(f"--exit-when-shown printed {seconds!r}, not the seconds to the case list")
    check("app start, offscreen, to the case list painted", f"{seconds} s")

    after = snapshot(copy)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        raise SmokeTestError(f"the runs wrote inside the bundle: {', '.join(changed[:5])}")
    check("read-only bundle", f"{len(before)} entries unchanged")


def describe_letter(pdf: Path, reference: str) -> str:
    """What the PDF is, read as a PDF reader would where poppler is installed."""
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise SmokeTestError(f"{pdf.name} is not a PDF")
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        return f"{len(data):,} bytes of PDF"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    if reference not in text:
        raise SmokeTestError(f"{pdf.name} does not name the case {reference}")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    embedded = sorted({line.split()[0] for line in fonts.splitlines()[2:] if " yes " in line})
    if not any(name.endswith("DejaVuSans") for name in embedded):
        raise SmokeTestError(f"{pdf.name} does not embed the DejaVu Sans the app ships ({fonts.strip()})")
    return f"{len(data):,} bytes, names {reference}, fonts embedded: {', '.join(embedded)}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    bundle_dir = Path(args[0] if args else ROOT / "dist" / "dpo-desk").resolve()
    if not (bundle_dir / "dpo-desk").is_file():
        print(f"smoke test: {bundle_dir} holds no dpo-desk; build it with packaging/build", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="dpo-desk-smoke-"))
    try:
        smoke(bundle_dir, work)
    except SmokeTestError as failure:
        print(f"FAIL  {failure}", file=sys.stderr)
        return 1
    finally:
        for path in work.rglob("*"):  # the read-only copy, so that it can go
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)
        work.chmod(0o700)
        shutil.rmtree(work)
    print(f"smoke test passed: {bundle_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
