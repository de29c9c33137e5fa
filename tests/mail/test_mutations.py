"""5,000 mutated variants of the corpus: each gives a case or a clear MailError; nothing else escapes."""

import random
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import DeskError
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.parse import MailError, read_mail
from dpo_desk.store.transactions import write_transaction

CORPUS = sorted((Path(__file__).parents[1] / "data" / "mail").iterdir())
VARIANTS = 5000
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
HEADERS = (
    b"From: ",
    b"To: ",
    b"Subject: ",
    b"Date: ",
    b"Content-Type: ",
    b"Content-Transfer-Encoding: ",
    b"MIME-Version: ",
    b"Message-ID: ",
)
NASTY = (
    b"=?utf-8?b?////?=",
    b"=?x-unknown?q?=FF?=",
    b"\x00",
    b"\r\n\r\n",
    b"--",
    b'boundary=""',
    b"charset=utf-7",
    b"\xff\xfe",
    b"<<<<",
    b"=\r\n",
    b"filename*=UTF-8''%FF%FE",
    b"multipart/mixed",
    b"message/rfc822",
    b"@@@",
    b'"""',
    b"\t" * 50,
    b"A" * 5000,
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four of: flip bytes, cut, splice nasty text, duplicate or drop a header, shuffle lines."""
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        if choice == 0 and data:
            position = rng.randrange(len(data))
            data = data[:position] + bytes([rng.randrange(256)]) + data[position + 1 :]
        elif choice == 1 and data:
            data = data[: rng.randrange(len(data))]
        elif choice == 2:
            position = rng.randrange(len(data) + 1)
            data = data[:position] + rng.choice(NASTY) + data[position:]
        elif choice == 3:
            header = rng.choice(HEADERS)
            data = header + rng.choice(NASTY) + b"\r\n" + data
        elif choice == 4:
            header = rng.choice(HEADERS)
            data = b"\r\n".join(line for line in data.split(b"\r\n") if not line.startswith(header))
        elif choice == 5:
            lines = data.split(b"\n")
            rng.shuffle(lines)
            data = b"\n".join(lines)
        else:
            position = rng.randrange(len(data) + 1)
            data = data[:position] + rng.randbytes(rng.randint(1, 64)) + data[position:]
    return data


def test_mutated_mail_gives_a_case_or_a_clear_error(tmp_path: Path, desk: Desk, db: Database) -> None:
    rng = random.Random(20261129)
    mails = desk.mail
    entities = mails.cases.register.entities()
    outcomes = {"case": 0, "error": 0}
    path = tmp_path / "mutant"
    with write_transaction(db):
        for number in range(VARIANTS):
            source = CORPUS[number % len(CORPUS)]
            path.write_bytes(mutate(source.read_bytes(), rng))
            try:
                draft = draft_from(read_mail(path), entities)
                mails.add_case(draft, entity_name="Altoros Norge AS", rights=draft.rights, actor="fuzz", now=NOW)
            except MailError as error:
                assert str(error).startswith("mutant: "), error
                outcomes["error"] += 1
            except DeskError as error:  # a readable mail that cannot be a case: no sender, no right, future date…
                assert str(error).split(":")[0] in {"subject.name", "subject", "subject.emails", "rights", "received"}
                outcomes["error"] += 1
            else:
                outcomes["case"] += 1
    assert sum(outcomes.values()) == VARIANTS
    assert outcomes["case"] > VARIANTS // 4  # most mutants of real mail are still mail
    assert mails.cases.count() == outcomes["case"]
