"""From the files the source systems exported to the subject's portability bundle, for one case.

The steps, each one call: :meth:`SubjectDataDesk.preview` reads a file and matches every record to the
subject; :meth:`SubjectDataDesk.take` keeps what the DPO took (matched records, name hints for review,
rows chosen by hand) and nothing else; :meth:`SubjectDataDesk.review` accepts or drops what waits for
review; :meth:`SubjectDataDesk.export_portability` writes the bundle of accepted, portable records.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dpo_desk.collection.match import NO_MATCH, Identity, Match, match
from dpo_desk.collection.read import Record, SourceFile, read_source_file
from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Case
from dpo_desk.exports.bundle import BundleFacts, BundleSource, write_bundle
from dpo_desk.files import create_private, partial_path, publish
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.records import ACCEPTED, DataExport, ImportSource, SubjectData
from dpo_desk.store.register import Register

_CUSTOM_KEY = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Preview:
    """A file as read and matched, before anything is kept."""

    file: Path
    read: SourceFile
    matches: tuple[Match, ...]  # one per record, in the file's order

    @property
    def matched(self) -> int:
        return sum(1 for found in self.matches if found.matched)

    @property
    def hinted(self) -> int:
        return sum(1 for found in self.matches if found.kind == "name")

    @property
    def unmatched(self) -> int:
        return len(self.matches) - self.matched


@dataclass(frozen=True, slots=True)
class Taken:
    import_id: int
    read: int
    matched: int
    hinted: int
    accepted: int
    pending: int
    left_out: int  # rows of other people (or of no one known): never stored


class SubjectDataDesk:
    def __init__(
        self, data: SubjectData, cases: CaseRepository, register: Register, *, actor: str, now: Callable[[], datetime]
    ) -> None:
        self.store = data
        self._cases = cases
        self._register = register
        self._actor = actor
        self._now = now

    def source(self, name: str, *, portable: bool | None = None, category: str = "") -> ImportSource:
        """A register source by its key or name, or a custom source by a name of the DPO's; a custom source's
        data is portable only when the DPO says so."""
        for known in self._register.sources():
            if name.strip().casefold() in (known.key, known.name.casefold()):
                flag = known.portable if portable is None else portable
                return ImportSource(known.key, known.name, flag, category or ", ".join(known.data_categories[:3]))
        key = _CUSTOM_KEY.sub("-", name.strip().casefold()).strip("-")[:40]
        if not key:
            raise InputError("source: give a register source's key or name, or a name for a custom source")
        return ImportSource(f"custom-{key}", name.strip(), bool(portable), category)

    def preview(
        self, case_id: int, file: Path, *, fmt: str | None = None, encoding: str | None = None,
        delimiter: str | None = None,
    ) -> Preview:  # fmt: skip
        case = self._cases.get_by_id(case_id)
        read = read_source_file(file, fmt=fmt, encoding=encoding, delimiter=delimiter, country=case.entity.country)
        identity = self._identity(case)
        return Preview(file, read, tuple(match(record, identity) for record in read.records))

    def take(
        self,
        case_id: int,
        preview: Preview,
        source: ImportSource,
        *,
        accept_matched: bool,
        chosen: Sequence[int] = (),  # indexes of rows the DPO takes although they matched nothing
        keep_file: bool = False,
    ) -> Taken:
        """Keep the matched records (accepted, or waiting for review), the name hints (waiting) and the rows
        chosen by hand (accepted); other rows never enter the store."""
        bad = [index for index in chosen if not 0 <= index < len(preview.matches)]
        if bad:
            raise InputError(f"rows: {bad[0] + 1} is not a row of {preview.file.name}")
        picked = set(chosen)
        taken: list[tuple[Record, Match, bool]] = []
        for index, (record, found) in enumerate(zip(preview.read.records, preview.matches, strict=True)):
            if found.matched:
                taken.append((record, found, accept_matched))
            elif index in picked:
                taken.append((record, found if found.kind else NO_MATCH, True))
            elif found.kind == "name":
                taken.append((record, found, False))
        import_id = self.store.add_import(
            case_id, preview.file, preview.read, source, taken, keep_file=keep_file, actor=self._actor,
            now=self._now(),
        )  # fmt: skip
        accepted = sum(1 for _, _, now_accepted in taken if now_accepted)
        return Taken(
            import_id,
            len(preview.matches),
            preview.matched,
            preview.hinted,
            accepted,
            len(taken) - accepted,
            len(preview.matches) - len(taken),
        )

    def review(self, case_id: int, *, accept: Sequence[int] = (), drop: Sequence[int] = ()) -> None:
        self.store.decide(case_id, accept, drop, actor=self._actor, now=self._now())

    def bundle_facts(self, case_id: int) -> BundleFacts:
        """The accepted records of portable sources, without the fields flagged as inferred, by source."""
        case = self._cases.get_by_id(case_id)
        imports = {entry.id: entry for entry in self.store.imports(case_id)}
        by_source: dict[str, tuple[str, list[dict[str, object]]]] = {}
        for record in self.store.records(case_id, state=ACCEPTED):
            source = imports[record.import_id].source
            if not source.portable:
                continue
            fields = {name: value for name, value in record.fields if name not in source.not_portable}
            by_source.setdefault(source.key, (source.name, []))[1].append(fields)
        entity = case.entity
        changed = self.store.last_change(case_id) or case.received_at
        return BundleFacts(
            case_reference=case.reference,
            subject_name=case.subject.name,
            subject_email=case.subject.emails[0] if case.subject.emails else "",
            controller={
                "name": entity.name,
                "address": ", ".join(entity.address.lines()),
                "country": entity.country,
                "org_number": entity.org_number,
            },
            created=changed,
            sources=tuple(BundleSource(key, name, tuple(rows)) for key, (name, rows) in sorted(by_source.items())),
        )

    def export_portability(self, case_id: int, target: Path) -> DataExport:
        """Write the bundle to ``target`` (never over a file), through a hidden partial: a crash or an error
        leaves no half bundle under the name. Registered and audited."""
        target = target.absolute()
        if target.exists():
            raise InputError(f"{target} already exists; an export never overwrites a file, choose a new name")
        if not target.parent.is_dir():
            raise InputError(f"{target.parent}: no such folder; create it, or choose another for the export")
        facts = self.bundle_facts(case_id)
        partial = partial_path(target)
        create_private(partial)
        try:
            with partial.open("r+b") as out:
                written = write_bundle(facts, out)
            publish(partial, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
        content = target.read_bytes()
        export_id = self.store.record_export(
            case_id, "portability", target, hashlib.sha256(content).hexdigest(), len(content), written.records,
            actor=self._actor, now=self._now(),
        )  # fmt: skip
        return next(export for export in self.store.exports(case_id) if export.id == export_id)

    def _identity(self, case: Case) -> Identity:
        return Identity.of(case.subject, case.entity.country)
