"""The tamper-evident audit log: every change and every disclosure, written in the change's own transaction.

An entry's hash is SHA-256 over the previous entry's hash (as hex text) and the canonical JSON of the entry,
kept as 32 bytes (migration 0018; hex text with the previous hash again before it), so editing,
deleting, swapping or re-hashing entries breaks the chain from that point; an exported anchor (the head's
seq and hash) catches even a chain rebuilt from scratch. Entries hold ids, never case content; an entry about
a case also seals the case's rows as the change left them (:mod:`dpo_desk.store.seals`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring as _json_text  # what json.dumps(ensure_ascii=False) quotes with
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.errors import InputError
from dpo_desk.store.seals import case_state
from dpo_desk.store.transactions import write_transaction

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    hash: str

    def text(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, _, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise InputError(f"anchor: {text.strip()[:80]!r} is not SEQ:SHA256")
        return cls(int(seq), digest)


def canonical(entry: dict[str, Any]) -> str:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode()).hexdigest()


def case_entry(
    prev_hash: str, seq: int, at: str, actor: str, action: str, case_id: int, details: str, state: str
) -> tuple[Any, ...]:
    """The audit row, as migration 0018 stores it, of entry ``seq`` about case ``case_id`` sealed ``state``,
    after the entry hashed ``prev_hash``: ``at`` as :func:`entry_time` gives it, ``details`` canonical
    already. For ``store/bulk.py``, which makes many at once: the entry's canonical JSON is spelt out, not
    walked by the JSON encoder, and gives the hash :func:`entry_row` gives."""
    text = (
        f'{{"action":{_json_text(action)},"actor":{_json_text(actor)},"at":{_json_text(at)},"case":{case_id:d},'
        f'"details":{details},"entity":"case","id":"{case_id:d}","seq":{seq:d},"state":"{state}"}}'
    )
    digest = hashlib.sha256((prev_hash + text).encode()).digest()
    return (seq, at, actor, action, "case", str(case_id), details, digest, case_id, bytes.fromhex(state))


# The columns of a case_entry row, in its order.
CASE_ENTRY_COLUMNS = (
    "seq", "at", "actor", "action", "entity", "entity_id", "details", "hash", "sealed_case", "case_state",
)  # fmt: skip


def entry_time(now: datetime) -> str:
    """An entry's time as the entry holds it."""
    return now.strftime("%Y-%m-%dT%H:%M:%SZ") if now.utcoffset() is not None else now.isoformat()


def record(
    db: Database, *, actor: str, action: str, entity: str, entity_id: object, details: dict[str, Any], now: datetime
) -> None:
    """Append one entry, inside the transaction of the change it records; called outside one, it takes the
    write lock itself, so that no other writer can take the same sequence number in between."""
    with write_transaction(db):
        _append(db, actor=actor, action=action, entity=entity, entity_id=entity_id, details=details, now=now)


def _append(
    db: Database, *, actor: str, action: str, entity: str, entity_id: object, details: dict[str, Any], now: datetime
) -> None:
    last = head(db)
    row = entry_row(
        last.seq + 1, last.hash, actor, action, entity, entity_id, details, now, *_seal(db, entity, entity_id)
    )
    row = stored(row, compact=is_compact(db))
    db.execute(f"INSERT INTO audit ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def is_compact(db: Database) -> bool:
    """The audit as migration 0018 keeps it: hashes as bytes, no prev_hash. Before it (and in the migrations
    before it, which write entries too), hex text and prev_hash."""
    return db.execute("SELECT 1 FROM pragma_table_info('audit') WHERE name = 'prev_hash'").fetchone() is None


def stored(row: dict[str, Any], *, compact: bool) -> dict[str, Any]:
    """An :func:`entry_row` as the audit table holds it."""
    if not compact:
        return row
    kept = {name: value for name, value in row.items() if name != "prev_hash"}
    kept["hash"] = bytes.fromhex(row["hash"])
    if kept.get("case_state") is not None:
        kept["case_state"] = bytes.fromhex(kept["case_state"])
    return kept


def _hex(value: object) -> Any:
    """A hash as the entries' hashes cover it: hex text, whether stored as bytes (0018) or as text."""
    return value.hex() if isinstance(value, bytes) else value


def entry_row(
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    details: dict[str, Any],
    now: datetime,
    sealed_case: int | None = None,
    state: str | None = None,
) -> dict[str, Any]:
    """The audit row of entry ``seq`` after the entry hashed ``prev_hash``: its columns, hash included."""
    entry = _entry_fields(seq, entry_time(now), actor, action, entity, str(entity_id), details, sealed_case, state)
    row = {
        "seq": seq,
        "at": entry["at"],
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entry["id"],
        "details": canonical(details),
        "prev_hash": prev_hash,
        "hash": entry_hash(prev_hash, entry),
    }
    if "case" in entry:
        row |= {"sealed_case": entry["case"], "case_state": entry["state"]}
    return row


def _seal(db: Database, entity: str, entity_id: object) -> tuple[int | None, str | None]:
    """The case an entry is about, and the hash of its rows now; none for other entries, or in a store
    whose audit predates seals (migration 0013)."""
    if entity == "case":
        case_id: int | None = int(str(entity_id))
    elif entity == "letter":
        row = db.execute("SELECT case_id FROM letters WHERE id = ?", (entity_id,)).fetchone()
        case_id = row[0] if row else None
    else:
        return None, None
    if case_id is None or not has_seals(db):
        return None, None
    return case_id, case_state(db, case_id)


def has_seals(db: Database) -> bool:
    return db.execute("SELECT 1 FROM pragma_table_info('audit') WHERE name = 'case_state'").fetchone() is not None


def _entry_fields(
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    details: Any,
    sealed_case: int | None,
    state: str | None,
) -> dict[str, Any]:
    """The fields an entry's hash covers; an entry without a seal hashes as it did before seals existed."""
    fields = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "id": entity_id,
        "details": details,
    }
    if state is not None:
        fields |= {"case": sealed_case, "state": state}
    return fields


def head(db: Database) -> Anchor:
    row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return Anchor(row[0], _hex(row[1])) if row else Anchor(0, GENESIS)


APPEND_ONLY = ("audit_is_append_only_update", "audit_is_append_only_delete")  # schema_0007.sql


def dated_back(db: Database) -> list[str]:
    """Entries dated before the entry before them: the clock was set back (or an entry made elsewhere)."""
    rows = db.execute(
        "SELECT seq, at, previous FROM (SELECT seq, at, lag(at) OVER (ORDER BY seq) AS previous FROM audit)"
        " WHERE at < previous ORDER BY seq"
    )
    return [f"entry {seq} at {at}, after one at {previous}" for seq, at, previous in rows]


def verify_chain(db: Database, anchor: Anchor | None = None) -> list[str]:
    """Every break of the chain (and of the anchor, when given); empty when the log is intact."""
    problems: list[str] = []
    prev_hash, expected_seq = GENESIS, 1
    anchored = anchor is None or anchor.seq == 0
    seals = ", sealed_case, case_state" if has_seals(db) else ", NULL, NULL"
    compact = is_compact(db)
    previous = "NULL" if compact else "prev_hash"  # 0018 keeps each hash once: the next entry's is its own
    for row in db.execute(
        f"SELECT seq, at, actor, action, entity, entity_id, details, {previous}, hash{seals} FROM audit ORDER BY seq"
    ):
        seq, at, actor, action, entity, entity_id, details, stored_prev, stored_hash, sealed_case, state = row
        stored_hash, state = _hex(stored_hash), _hex(state)
        if compact:
            stored_prev = prev_hash
        if seq != expected_seq:
            problems.append(f"audit entry {expected_seq} is missing (the next is {seq})")
            if compact:
                stored_prev = None  # its hash is not of the entry it follows now
        if stored_prev != prev_hash:
            problems.append(f"audit entry {seq} does not follow the entry before it")
        try:
            parsed = json.loads(details)
        except ValueError:
            problems.append(f"audit entry {seq} has unreadable details")
            parsed = details
        entry = _entry_fields(seq, at, actor, action, entity, entity_id, parsed, sealed_case, state)
        if stored_prev is not None and entry_hash(stored_prev, entry) != stored_hash:
            problems.append(f"audit entry {seq} was changed after it was written")
        if anchor is not None and seq == anchor.seq:
            anchored = True
            if stored_hash != anchor.hash:
                problems.append(f"audit entry {seq} differs from the exported anchor")
        prev_hash, expected_seq = stored_hash, seq + 1
        if len(problems) > 20:
            problems.append("… more problems not listed")
            break
    if not anchored:
        problems.append(f"the audit log ends before the exported anchor (entry {anchor.seq if anchor else 0})")
    return problems


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    details: dict[str, Any]
    case_reference: str  # for a case's entries: what the DPO knows the case by; else empty


# The reference is looked up when shown, not stored: the entry itself keeps the id only.
_SELECT = (
    "SELECT audit.seq, audit.at, audit.actor, audit.action, audit.entity, audit.entity_id, audit.details,"
    " coalesce(cases.reference, '') FROM audit"
    " LEFT JOIN cases ON audit.entity = 'case' AND cases.id = CAST(audit.entity_id AS INTEGER)"
)


def latest_entries(db: Database, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    return [_entry(row) for row in db.execute(f"{_SELECT} ORDER BY audit.seq DESC LIMIT ?", (limit,))]


def case_entries(db: Database, case_id: int) -> list[AuditEntry]:
    """What the audit holds about one case: its own entries and those of its letters, oldest first."""
    # The case's entries by the index on their id as a number (audit_by_case), then as the text they hold.
    rows = db.execute(
        f"{_SELECT} WHERE audit.entity = 'case' AND CAST(audit.entity_id AS INTEGER) = ?2 AND audit.entity_id = ?1"
        f" UNION ALL {_SELECT} WHERE audit.entity = 'letter'"
        " AND audit.entity_id IN (SELECT CAST(id AS TEXT) FROM letters WHERE case_id = ?2) ORDER BY 1",
        (str(case_id), case_id),
    )
    return [_entry(row) for row in rows]


def entry_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM audit").fetchone()[0])


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    seq, at, actor, action, entity, entity_id, details, reference = row
    return AuditEntry(seq, datetime.fromisoformat(at), actor, action, entity, entity_id, json.loads(details), reference)


class AuditLog:
    """The log of one open store, as the screens and the command line read it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def latest(self, limit: int) -> list[AuditEntry]:
        return latest_entries(self._db, limit)

    def of_case(self, case_id: int) -> list[AuditEntry]:
        return case_entries(self._db, case_id)

    def count(self) -> int:
        return entry_count(self._db)

    def head(self) -> Anchor:
        return head(self._db)

    def newest_time(self) -> str | None:
        """When the newest entry was made (UTC, as written), or None in an empty log."""
        row = self._db.execute("SELECT at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else None
