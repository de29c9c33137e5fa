"""Kill -9 durability harness (reliability suite T1).

A child process drives DPO Desk's real write paths headless (new case, e-mail import with attachments, fee
decision, extension, letter) and prints ``ACK kind id digest`` only after each commit (and, for a letter,
after its file is published). The parent kills it with SIGKILL at a random moment and then holds it to every
promise: each ACKed item is there with the same content, no case is half-written, integrity and the audit
chain hold, the store opens again without help, and no half-written file is visible.

Run the child alone: python -m tests.reliability.kill9 STORE LETTERS_DIR SEED
"""

from __future__ import annotations

import hashlib
import itertools
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.core.deadlines import Extension
from dpo_desk.core.fees import FeeBasis, FeeDecision, cost_item
from dpo_desk.core.models import Channel, NewCase, Right, SubjectDetails
from dpo_desk.core.settings import PROTECT_ALL_LETTERS
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.parse import read_mail
from dpo_desk.store.db import open_store
from dpo_desk.store.verify import verify
from tests.conftest import TEST_KEY, desk_on

MAIL_WITH_ATTACHMENTS = Path(__file__).parents[1] / "data" / "mail" / "23-pl-forward-as-attachment.eml"
ENTITY = "Altoros Norge AS"
# 25 days ago: an extension notice 1-20 days after receipt lies in the past, and an acknowledgement's
# promised date (one month after receipt) in the future, whatever day the suite runs.
RECEIVED = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=25)
KINDS = ("case", "mail", "fee", "extension", "letter")


def case_digest(name: str, text: str, rights: list[str], attachments: list[str]) -> str:
    """What the child promised about a case, recomputable from the store after the crash."""
    return hashlib.sha256("\x1f".join([name, text, *sorted(rights), *sorted(attachments)]).encode()).hexdigest()[:16]


def stored_case_digest(db: Database, case_id: int) -> str | None:
    row = db.execute(
        "SELECT subjects.name, cases.request_text FROM cases JOIN subjects ON subjects.id = cases.subject_id"
        " WHERE cases.id = ?",
        (case_id,),
    ).fetchone()
    if row is None:
        return None
    rights = [r[0] for r in db.execute("SELECT right FROM case_rights WHERE case_id = ?", (case_id,))]
    attachments = [r[0] for r in db.execute("SELECT sha256 FROM attachments WHERE case_id = ?", (case_id,))]
    return case_digest(row[0], row[1], rights, attachments)


def say(line: str) -> None:
    """One line to the parent, flushed at once: a promise not yet on the pipe when the kill comes was not made."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def child(store: Path, letters_dir: Path, seed: int) -> None:
    from dpo_desk.gui.pdf import headless_renderer  # Qt only in the child, which renders letters

    render = headless_renderer()
    rng = random.Random(seed)
    desk = desk_on(open_store(store, TEST_KEY), store, TEST_KEY)
    desk.save_settings({PROTECT_ALL_LETTERS: True})  # every letter is a protected one: none may leak in plain
    cases, mails, decisions, letters = desk.cases, desk.mail, desk.decisions, desk.letters
    entities = cases.register.entities()
    mail = read_mail(MAIL_WITH_ATTACHMENTS)
    say("READY")

    def ack(kind: str, item: int, digest: str) -> None:
        say(f"ACK {kind} {item} {digest}")

    def new_case(number: int) -> int:
        name, text = f"Crash {seed}-{number}", f"request {rng.getrandbits(64):x} " * rng.randint(1, 40)
        rights = rng.sample([Right.ACCESS, Right.ERASURE, Right.OBJECTION, Right.PORTABILITY], rng.randint(1, 3))
        subject = SubjectDetails(name, (f"crash{seed}.{number}@example.com",), (), "")
        case_id = cases.add(
            NewCase(ENTITY, Channel.EMAIL, RECEIVED, tuple(rights), subject, text), actor="kill9", now=datetime.now(UTC)
        )
        ack("case", case_id, case_digest(name, text, [r.value for r in rights], []))
        return case_id

    for number in itertools.count():
        kind = rng.choice(KINDS)
        if kind == "case":
            new_case(number)
        elif kind == "mail":
            draft = draft_from(mail, entities)
            case_id, _ = mails.add_case(
                draft, entity_name=ENTITY, rights=(Right.ERASURE,), actor="kill9", now=datetime.now(UTC)
            )
            name = mail.sender_name or mail.sender_address
            ack("mail", case_id, case_digest(name, draft.text, ["erasure"], [a.sha256 for a in mail.attachments]))
        elif kind == "fee":
            case_id = new_case(number)
            amount = Decimal(rng.randint(1, 500))
            decision = FeeDecision(
                FeeBasis.FURTHER_COPY, "a second paper copy", (), (cost_item("copy", 1, amount),), "NOK", date.today()
            )
            decisions.decide_fee(case_id, decision, actor="kill9", now=datetime.now(UTC))
            ack("fee", case_id, str(decision.total))
        elif kind == "extension":
            case_id = new_case(number)
            notice = RECEIVED.date() + timedelta(days=rng.randint(1, 20))
            desk.workflow.extend(case_id, Extension("six systems", notice), actor="kill9", now=datetime.now(UTC))
            ack("extension", case_id, notice.isoformat())
        else:
            case_id = new_case(number)
            target = letters_dir / f"letter-{seed}-{number}.pdf"
            made = letters.generate(
                case_id, LetterKind.ACKNOWLEDGEMENT, target, render, actor="kill9", now=datetime.now(UTC)
            )
            ack("letter", made.record.id, hashlib.sha256(target.read_bytes()).hexdigest())


@dataclass
class Result:
    rounds: int = 0
    acked: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)
    broken_rounds: list[str] = field(default_factory=list)
    visible_partials: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)  # files that show a subject's name without a password
    read_files: dict[str, float] = field(default_factory=dict)  # each file read, by its name and mtime
    hidden_partials: int = 0
    cases_in_store: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.torn or self.broken_rounds or self.visible_partials or self.leaked)


def complete_lines(output: str) -> list[str]:
    """A line cut by the kill is no promise: only lines that reached their newline count."""
    lines = output.split("\n")
    return lines[:-1]


def run(rounds: int, folder: Path, *, seed: int = 1) -> Result:
    store, letters_dir = folder / "store.sqlite", folder / "letters"
    letters_dir.mkdir(parents=True, exist_ok=True)
    open_store(store, TEST_KEY).close()
    rng = random.Random(seed)
    result = Result()
    promises: list[tuple[str, int, str]] = []
    started = time.perf_counter()
    for round_number in range(rounds):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.kill9",
                str(store),
                str(letters_dir),
                str(seed * 10_000 + round_number),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[2],
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        if first != "READY\n":
            process.kill()
            result.broken_rounds.append(f"round {round_number}: the child did not start ({first!r})")
            continue
        # The kill lands after the first promise, however slow the machine: every round puts work at risk.
        acknowledged = process.stdout.readline()
        time.sleep(rng.uniform(0, 0.2))
        process.kill()
        output, errors = process.communicate()
        if process.returncode != -signal.SIGKILL:  # it died of itself before the kill: a broken write path
            last = errors.strip().splitlines()[-1:] or [f"exit {process.returncode}"]
            result.broken_rounds.append(f"round {round_number}: the child failed on its own: {last[0]}")
        for line in complete_lines(acknowledged + output):
            _, kind, item, digest = line.split(" ")
            promises.append((kind, int(item), digest))
            result.acked[kind] = result.acked.get(kind, 0) + 1
        check_round(store, letters_dir, promises, result, round_number)
        result.rounds += 1
    result.seconds = time.perf_counter() - started
    return result


def check_round(
    store: Path, letters_dir: Path, promises: list[tuple[str, int, str]], result: Result, round_number: int
) -> None:
    try:
        db = open_store(store, TEST_KEY, create=False)  # the app would open it just like this, without help
    except Exception as error:  # any failure to open is the finding
        result.broken_rounds.append(f"round {round_number}: the store does not open ({error})")
        return
    try:
        report = verify(db)
        if not report.ok:
            result.broken_rounds.append(f"round {round_number}: {'; '.join(report.lines())}")
        result.lost.extend(
            f"round {round_number}: {kind} {item}"
            for kind, item, digest in promises
            if not kept(db, kind, item, digest)
        )
        result.torn.extend(f"round {round_number}: case {case_id}" for case_id in torn_cases(db))
        result.cases_in_store = int(db.execute("SELECT count(*) FROM cases").fetchone()[0])
    finally:
        db.close()
    visible = [p.name for p in letters_dir.iterdir() if not p.name.startswith(".") and p.suffix != ".pdf"]
    result.visible_partials.extend(visible)
    result.hidden_partials = sum(1 for p in letters_dir.iterdir() if p.name.startswith("."))
    for path in letters_dir.iterdir():  # finished letters and partials alike, each read once
        mtime = path.stat().st_mtime
        if result.read_files.get(path.name) != mtime:
            result.read_files[path.name] = mtime
            if "Crash " in readable_text(path):
                result.leaked.append(f"round {round_number}: {path.name}")


def readable_text(path: Path) -> str:
    """What a PDF reader shows without a password; poppler rebuilds a torn file as far as it can."""
    return subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True).stdout


def kept(db: Database, kind: str, item: int, digest: str) -> bool:
    if kind in ("case", "mail"):
        return stored_case_digest(db, item) == digest
    desk = desk_on(db, Path("store.sqlite"), TEST_KEY)
    if kind == "fee":
        fee = desk.decisions.fee(item)
        return fee is not None and str(fee.total) == digest
    if kind == "extension":
        extension = desk.cases.get_by_id(item).extension
        return extension is not None and extension.notice_sent_on.isoformat() == digest
    row = db.execute("SELECT file, sha256 FROM letters WHERE id = ?", (item,)).fetchone()
    return (
        row is not None
        and row[1] == digest
        and Path(row[0]).is_file()
        and hashlib.sha256(Path(row[0]).read_bytes()).hexdigest() == digest
    )


def torn_cases(db: Database) -> list[int]:
    """A case without its subject, a right, its first event or its audit entry was half-written."""
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM cases WHERE subject_id NOT IN (SELECT id FROM subjects)"
            " OR id NOT IN (SELECT case_id FROM case_rights)"
            " OR id NOT IN (SELECT case_id FROM case_events)"
            " OR CAST(id AS TEXT) NOT IN (SELECT entity_id FROM audit WHERE entity = 'case' AND action = 'created')"
        )
    ]


if __name__ == "__main__":
    child(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
