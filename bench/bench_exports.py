"""Suite figures for the exports: a portability bundle of 100 MB of records against Python's zipfile writing
the same bytes, in the same run; and the access copy of 10,000 records, its time and peak memory.

Run: .venv/bin/python -m bench.bench_exports [MB] [RECORDS]   Prints figures; asserts nothing.
"""

import hashlib
import io
import json
import random
import resource
import sys
import time
import tracemalloc
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from dpo_desk.exports.access_copy import SourceRecords, data_documents
from dpo_desk.exports.bundle import LEVEL, BundleFacts, BundleSource, write_bundle
from dpo_desk.gui.pdf import headless_renderer
from dpo_desk.letters.page import A4, Document
from dpo_desk.letters.protect import finish, new_password

WORDS = (
    "pricing",
    "demo",
    "invoice",
    "Øst",
    "contract",
    "renewal",
    "webinar",
    "support",
    "ticket",
    "Oslo",
    "Helsinki",
    "Kraków",
    "migration",
    "cloud",
    "licence",
    "meeting",
    "follow-up",
    "quote",
    "trial",
    "API",
)


def record(number: int) -> dict[str, object]:
    """A CRM record as real ones vary (a seeded sequence, so every run has the same bytes): synthetic data
    that repeated one sentence would compress 15:1 and flatter the baseline's deflate."""
    pick = random.Random(number)
    return {
        "Record ID": str(100_000 + number),
        "Email": f"kari.nordmann+{pick.getrandbits(32):x}@example.no",
        "Company": f"{pick.choice(WORDS).title()} {pick.choice(('AS', 'Oy', 'Sp. z o.o.'))}",
        "Lifecycle Stage": pick.choice(("lead", "customer", "subscriber")),
        "Create Date": f"2025-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d}",
        "Page views": pick.randint(0, 5000),
        "Notes": " ".join(pick.choice(WORDS) for _ in range(pick.randint(6, 14))),
        "Consents": pick.sample(["newsletter", "events", "webinars"], pick.randint(0, 2)),
    }


def bundle_seconds(megabytes: int) -> tuple[float, float, float]:
    """Seconds for write_bundle and for zipfile alone writing the same members, and the members' MB."""
    ours, baseline, written, _ = _bundle_runs(megabytes)
    return ours, baseline, written


def _bundle_runs(megabytes: int) -> tuple[float, float, float, "BundleRun"]:
    sample = len(json.dumps(record(1), ensure_ascii=False).encode())
    count = megabytes * 2**20 // sample
    sources = tuple(
        BundleSource(key, key, tuple(record(n) for n in range(part, count, 2)))
        for part, key in enumerate(("crm", "web-forms"))
    )
    facts = BundleFacts("DSR-2026-0001", "Kari Nordmann", "kari@example.no", {"name": "Altoros Norge AS"},
                        datetime(2026, 12, 1, tzinfo=UTC), sources)  # fmt: skip
    started = time.perf_counter()
    ours = io.BytesIO()
    written = write_bundle(facts, ours)
    seconds = time.perf_counter() - started
    payload = sum(entry["bytes"] for entry in written.manifest["files"])
    # The baseline: zipfile deflating the same members' bytes, at the same level, nothing else.
    with zipfile.ZipFile(ours) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()]
    started = time.perf_counter()
    with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as baseline:
        for name, content in members:
            baseline.writestr(name, content)
    baseline_seconds = time.perf_counter() - started
    return seconds, baseline_seconds, payload / 2**20, BundleRun(facts, count, ours.getvalue())


@dataclass(frozen=True, slots=True)
class BundleRun:
    facts: BundleFacts
    records: int
    zipped: bytes


def bundle_figures(megabytes: int) -> None:
    seconds, baseline_seconds, megabytes_written, run = _bundle_runs(megabytes)
    print(
        f"bundle: {run.records:,} records, {megabytes_written:.0f} MB of members,"
        f" {len(run.zipped) / 2**20:.0f} MB zipped"
    )
    print(
        f"  write_bundle   {seconds:6.2f} s  {megabytes_written / seconds:6.1f} MB/s"
        " (records to JSON, CSV, schemas, hashes, ZIP)"
    )
    print(
        f"  zipfile alone  {baseline_seconds:6.2f} s  {megabytes_written / baseline_seconds:6.1f} MB/s (the same bytes)"
    )
    print(f"  ratio {baseline_seconds / seconds:.2f} of the baseline's speed (goal: at least 0.5)")
    again = io.BytesIO()
    write_bundle(run.facts, again)
    same = hashlib.sha256(again.getvalue()).digest() == hashlib.sha256(run.zipped).digest()
    print(f"  a second run gives the same bytes: {same}")


def access_copy_figures(records: int) -> None:
    render = headless_renderer()
    source = SourceRecords("CRM", f"{records} records", False, tuple(tuple(record(n).items()) for n in range(records)))
    pages = data_documents([source], A4, reference="DSR-2026-0001")
    letter = Document(body="<p>The access response letter.</p>", paper=A4, title="Access", appendix=pages)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    pdf = finish(render(letter), title="Access", author="bench", subject="access", password=new_password())
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"access copy: {records:,} records in {len(pages)} documents, {len(pdf) / 2**20:.1f} MB PDF, {seconds:.1f} s"
          f" (goal: under 60 s); peak memory {after / 1024:.0f} MB (+{(after - before) / 1024:.0f} MB while"
          f" rendering; Python objects {python_peak:.0f} MB)")  # fmt: skip


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    bundle_figures(megabytes)
    access_copy_figures(records)


if __name__ == "__main__":
    main()
