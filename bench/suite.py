"""``./desk bench``: every performance figure of the 100,000-case store, one line each, against a baseline
measured in the same run.

Each line gives the median of several runs, the baseline (the floor the figure cannot go below, or the bare
library doing the same work), their ratio, the target and whether it is met. The store is built once per
version of what it is made of (the schema, the demo, the bulk writer) and kept in the cache folder; each run
works on a copy, so figures that write (letters, due dates) leave the cache as it was built.

Run: ./desk bench [--quick] [--cases N]   (--quick: 10,000 cases, targets scaled where they grow with the
store). Prints figures; asserts nothing. The figures' code is in :mod:`bench.figures`.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import BENCH_PASSPHRASE, Figure, Probe, gui_figures, library_figures, process_figures
from dpo_desk import __version__
from dpo_desk.store.keys import key_from_passphrase

FULL_CASES = 100_000
QUICK_CASES = 10_000
CACHE = Path(os.environ.get("DPO_DESK_BENCH_CACHE", Path.home() / ".cache" / "dpo-desk" / "bench"))
PACKAGE = Path(__file__).resolve().parent.parent / "dpo_desk"
# What the demo store is made of: a change to any of these builds it again.
STORE_SOURCES = ("store/*.sql", "store/bulk.py", "store/seals.py", "application/demo.py", "core/demo.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./desk bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CASES:,} cases instead of {FULL_CASES:,}")
    parser.add_argument("--cases", type=int, help="another number of cases")
    args = parser.parse_args(argv)
    cases = args.cases or (QUICK_CASES if args.quick else FULL_CASES)
    started = time.perf_counter()
    # An installed DPO Desk starts from its bytecode (pip compiles a wheel's, PyInstaller bundles it); this
    # checkout may have none, where PYTHONDONTWRITEBYTECODE is set, and every start would compile the package.
    compileall.compile_dir(PACKAGE, quiet=1)
    logging.getLogger("dpo_desk.stalls").disabled = True  # the stall figure names them; no stacks in between
    print(
        f"DPO Desk {__version__} bench at {cases:,} cases, {os.cpu_count()} cores,"
        f" {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    with tempfile.TemporaryDirectory(prefix="dpo-desk-bench-") as folder:
        # This process's keyring is the bench's file one (never the desktop's): unlocking a store puts its key
        # there, where the processes started on it find it.
        os.environ.update(PYTHON_KEYRING_BACKEND="bench.file_keyring.FileKeyring",
                          DPO_DESK_BENCH_KEYRING=str(Path(folder) / "keyring.json"))  # fmt: skip
        cached, built = cached_store(cases)
        work = Path(folder) / "store.sqlite"
        for part in cached.parent.glob(cached.name + "*"):
            shutil.copyfile(part, work.with_name(work.name + part.name.removeprefix(cached.name)))
        unlocking = time.perf_counter()
        key = key_from_passphrase(work, BENCH_PASSPHRASE)
        probe = Probe(work, Path(folder), cases, time.perf_counter() - unlocking)
        print(Figure.header())
        for group in (
            lambda: built,
            lambda: process_figures(probe),
            lambda: gui_figures(probe, key),
            lambda: library_figures(100 if cases >= FULL_CASES else 20),
        ):
            for figure in group():
                print(figure.line(), flush=True)
    print(f"bench done in {time.perf_counter() - started:.0f} s")
    return 0


def cached_store(cases: int) -> tuple[Path, list[Figure]]:
    """The demo store of ``cases`` for this version, built now if the cache has none, and its figures."""
    store = CACHE / f"{__version__}-{_fingerprint()}-{cases}" / "store.sqlite"
    facts = store.with_name("built.json")
    if not facts.exists():
        if store.parent.exists():
            shutil.rmtree(store.parent)  # a build that did not finish
        store.parent.mkdir(parents=True)
        print(f"building the {cases:,}-case store in {store.parent} (once for this version)", flush=True)
        seconds = _build(store, cases)
        from bench.figures import bare_insert_seconds, table_rows

        rows, payload = table_rows(store, key_from_passphrase(store, BENCH_PASSPHRASE))
        bare = bare_insert_seconds(Path(store.parent), rows, payload)
        facts.write_text(
            json.dumps({"seconds": seconds, "bare": bare, "rows": rows, "built": f"{datetime.now(UTC):%Y-%m-%d %H:%M}"})
        )
    return store, _built_figures(store, facts, cases)


def _build(store: Path, cases: int) -> float:
    """``dpo-desk demo`` as the DPO runs it, a process with a recovery passphrase and no keyring."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dpo_desk", "--store", str(store), "demo", "--cases", str(cases)],
        env=Probe.environment(store.parent, keyring=False),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _built_figures(store: Path, facts_file: Path, cases: int) -> list[Figure]:
    from bench.figures import store_size_figure

    facts = json.loads(facts_file.read_text())
    scale = cases / FULL_CASES
    demo = Figure(
        f"demo --cases {cases:,} (built {facts['built']})",
        facts["seconds"], "s", facts["bare"], f"{facts['rows']:,} rows, bare executemany", 60 * scale,
    )  # fmt: skip
    return [demo, store_size_figure(store, key_from_passphrase(store, BENCH_PASSPHRASE), 250 * scale)]


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for pattern in STORE_SOURCES:
        for path in sorted(PACKAGE.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


if __name__ == "__main__":
    sys.exit(main())
