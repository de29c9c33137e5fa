"""From the files the source systems exported to the subject's portability bundle, for one case.

The steps, each one call: :meth:`SubjectDataDesk.preview` reads a file and matches every record to the
subject; :meth:`SubjectDataDesk.take` keeps what the DPO took (matched records, name hints for review,
rows chosen by hand) and nothing else; :meth:`SubjectDataDesk.review` accepts or drops what waits for
review; :meth:`SubjectDataDesk.export_portability` writes the bundle of accepted, portable records.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dpo_desk.collection.match import NO_MATCH, Identity, Match, match
from dpo_desk.collection.read import Record, SourceFile, read_source_file
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.models import Case
from dpo_desk.core.progress import Progress
from dpo_desk.files import create_private, new_file_target, partial_path, publish
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import ENGLISH, LetterLanguage, letter_language
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.letters import Enclosure, GeneratedLetter, LetterStore, Renderer
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.records import ACCEPTED, PENDING, DataExport, ImportSource, StoredRecord, SubjectData
from dpo_desk.store.register import Register

# The exports are imported by the methods that make one: the window's start need not load them (the
# bundle's thread pool, the access copy's layout).
if TYPE_CHECKING:
    from dpo_desk.exports.access_copy import SourceRecords
    from dpo_desk.exports.bundle import BundleFacts

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
        self,
        data: SubjectData,
        cases: CaseRepository,
        register: Register,
        letters: LetterStore,
        outcomes: Outcomes,
        *,
        actor: str,
        now: Callable[[], datetime],
    ) -> None:
        self.store = data
        self._cases = cases
        self._register = register
        self._letters = letters
        self._outcomes = outcomes
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
        delimiter: str | None = None, progress: Callable[[int], None] | None = None,
    ) -> Preview:  # fmt: skip
        case = self._cases.get_by_id(case_id)
        read = read_source_file(
            file, fmt=fmt, encoding=encoding, delimiter=delimiter, country=case.entity.country, progress=progress
        )
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
        skip: Sequence[int] = (),  # indexes of rows the DPO left out although they matched
        keep_file: bool = False,
    ) -> Taken:
        """Keep the matched records (accepted, or waiting for review), the name hints (waiting) and the rows
        chosen by hand (accepted), except those skipped; other rows never enter the store."""
        bad = [index for index in (*chosen, *skip) if not 0 <= index < len(preview.matches)]
        if bad:
            raise InputError(f"rows: {bad[0] + 1} is not a row of {preview.file.name}")
        picked, skipped = set(chosen), set(skip)
        taken: list[tuple[Record, Match, bool]] = []
        for index, (record, found) in enumerate(zip(preview.read.records, preview.matches, strict=True)):
            if index in skipped:
                continue
            if found.matched:
                taken.append((record, found, accept_matched))
            elif index in picked:
                taken.append((record, found if found.kind else NO_MATCH, True))
            elif found.kind == "name":
                taken.append((record, found, False))
        with self.store.transaction():
            import_id = self.store.add_import(
                case_id, preview.file, preview.read, source, taken, keep_file=keep_file, actor=self._actor,
                now=self._now(),
            )  # fmt: skip
            self._name_as_source(case_id, source)
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

    def _name_as_source(self, case_id: int, source: ImportSource) -> None:
        """Data taken from a register source came from it: the case says so (its letters describe the source
        and its recipients get their Art. 19 notices)."""
        named = self._outcomes.sources(case_id)
        known = {entry.key for entry in self._register.sources()}
        if source.key in known and source.key not in named:
            self._outcomes.set_sources(case_id, [*named, source.key], actor=self._actor, now=self._now())

    def review(self, case_id: int, *, accept: Sequence[int] = (), drop: Sequence[int] = ()) -> None:
        self.store.decide(case_id, accept, drop, actor=self._actor, now=self._now())

    def bundle_facts(self, case_id: int) -> BundleFacts:
        """The accepted records of portable sources, without the fields flagged as inferred, by source."""
        from dpo_desk.exports.bundle import BundleFacts, BundleSource

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

    def why_no_access_copy(self, case_id: int, *, state: CaseState | None = None) -> str:
        """'' when the access copy can be made now, else why not (for a disabled button's tooltip); ``state``,
        the case's when the caller holds it."""
        if self.store.records(case_id, state=PENDING):
            return self._unreviewed(case_id)
        if not self.store.records(case_id, state=ACCEPTED):
            return "no data of the subject has been imported and accepted; import it first (data import)"
        with_data = {source.name for source in self._access_sources(case_id, letter_language(ENGLISH))}
        names = {entry.key: entry.name for entry in self._register.sources()}
        missing = [names[key] for key in self._outcomes.sources(case_id) if names.get(key) not in with_data]
        if missing:
            return (
                f"{', '.join(missing)}: named as a source of the subject's data, but none of its data has been"
                " imported and accepted; import it, or take it off the case's sources (Recipients)"
            )
        return self._letters.why_not(case_id, LetterKind.ACCESS_RESPONSE, state=state)

    def why_no_bundle(self, case_id: int, *, state: CaseState | None = None) -> str:
        """'' when a portability bundle can be made now, else why not: it discloses data, so it passes the
        portability cover's gate (the right invoked, the identity verified, the Art. 20 conditions met);
        ``state``, the case's when the caller holds it."""
        if self.store.records(case_id, state=PENDING):
            return self._unreviewed(case_id)
        return self._letters.why_not(case_id, LetterKind.PORTABILITY_COVER, state=state)

    def _unreviewed(self, case_id: int) -> str:
        waiting = len(self.store.records(case_id, state=PENDING))
        return f"{waiting:,} record(s) wait for review; accept or drop them first, so that the copy is complete"

    def export_portability(self, case_id: int, target: Path, progress: Progress | None = None) -> DataExport:
        """Write the bundle to ``target`` (never over a file), through a hidden partial: a crash, an error or
        a cancel (``progress`` raising) leaves no half bundle under the name. Registered and audited."""
        from dpo_desk.exports.bundle import write_bundle

        reason = self.why_no_bundle(case_id)
        if reason:
            raise RefusedError(reason)
        target = new_file_target(target, "an export")
        facts = self.bundle_facts(case_id)
        partial = partial_path(target)
        create_private(partial)
        try:
            with partial.open("r+b") as out:
                written = write_bundle(facts, out, progress)
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

    def export_access(
        self,
        case_id: int,
        target: Path | None,
        render: Renderer,
        progress: Progress | None = None,
        *,
        lang: str | None = None,
    ) -> GeneratedLetter:
        """The access copy: the access response letter, the data after it, and the portability bundle
        embedded; protected like every letter that discloses data, and registered as the case's letter and
        its export. Refused while records wait for review (the copy would be incomplete) or with none.
        ``progress`` hears the bundle being written; ``render`` reports the layout itself."""
        from dpo_desk.exports.access_copy import data_documents
        from dpo_desk.exports.bundle import write_bundle

        case = self._cases.get_by_id(case_id)
        reason = self.why_no_access_copy(case_id)
        if reason:
            raise RefusedError(reason)
        lang = lang or self._letters.language_of(case)
        language = letter_language(lang)
        sources = self._access_sources(case_id, language)
        attachments: dict[str, tuple[bytes, str]] = {}
        bundle_name = ""
        facts = self.bundle_facts(case_id)
        if any(source.records for source in facts.sources):
            bundle = io.BytesIO()
            write_bundle(facts, bundle, progress)
            bundle_name = f"{case.reference}-portability.zip"
            attachments[bundle_name] = (bundle.getvalue(), "application/zip")
        records = sum(len(source.records) for source in sources)
        enclosure = Enclosure(
            data_documents(sources, self._letters.paper(case), reference=case.reference, language=language),
            attachments,
            {"records": records, "sources": [source.name for source in sources], "bundle": bundle_name},
        )
        target = target or self._letters.next_file(case, LetterKind.ACCESS_RESPONSE)
        made = self._letters.generate(
            case_id, LetterKind.ACCESS_RESPONSE, target, render, actor=self._actor, now=self._now(), lang=lang,
            enclosed=enclosure,
        )  # fmt: skip
        size = made.record.file.stat().st_size
        self.store.record_export(
            case_id, "access", made.record.file, made.record.sha256, size, records, actor=self._actor, now=self._now()
        )
        return made

    def export_cover(
        self, case_id: int, target: Path | None, render: Renderer, *, lang: str | None = None,
        dated: date | None = None,
    ) -> GeneratedLetter:  # fmt: skip
        """The portability cover letter with the bundle embedded: the channel the policy promises (a
        password-protected PDF). Its text is the bundle's manifest: what it holds and from which systems."""
        from dpo_desk.exports.bundle import write_bundle

        case = self._cases.get_by_id(case_id)
        facts = self.bundle_facts(case_id)
        bundle = io.BytesIO()
        written = write_bundle(facts, bundle)
        name = f"{case.reference}-portability.zip"
        manifest = written.manifest
        lang = lang or self._letters.language_of(case)
        names = {source.key: source.name for source in self._letters.source_texts(lang)}
        enclosure = Enclosure(
            (),
            {name: (bundle.getvalue(), "application/zip")} if written.records else {},
            {
                "bundle": name,
                "records": written.records,
                "sources": [names.get(key, name) for key, name in manifest["sources"].items()],
                "files": len(manifest["files"]) + 1,
                "as_of": facts.created.date(),
            },
        )
        target = target or self._letters.next_file(case, LetterKind.PORTABILITY_COVER)
        made = self._letters.generate(
            case_id, LetterKind.PORTABILITY_COVER, target, render, actor=self._actor, now=self._now(), lang=lang,
            dated=dated, enclosed=enclosure,
        )  # fmt: skip
        size = made.record.file.stat().st_size
        self.store.record_export(
            case_id, "portability", made.record.file, made.record.sha256, size, written.records, actor=self._actor,
            now=self._now(),
        )  # fmt: skip
        return made

    def _access_sources(self, case_id: int, language: LetterLanguage) -> list[SourceRecords]:
        """Every accepted record, by source in the order first imported: inferred data too (access covers it)."""
        from dpo_desk.exports.access_copy import MAIL_FORMATS, SourceRecords

        imports = {entry.id: entry for entry in self.store.imports(case_id)}
        names = {source.key: source.name for source in self._letters.source_texts(language.code)}
        grouped: dict[str, list[StoredRecord]] = {}
        for record in self.store.records(case_id, state=ACCEPTED):
            grouped.setdefault(imports[record.import_id].source.key, []).append(record)
        sources = []
        for records in grouped.values():
            first = imports[records[0].import_id]
            days = sorted({imports[r.import_id].imported_at.date() for r in records})
            dates = ", ".join(language.weekday_text(day) for day in days)
            sources.append(
                SourceRecords(
                    names.get(first.source.key, first.source.name),
                    language.term("access_copy", "provenance").format(
                        records=language.counted("records", len(records)), dates=dates
                    ),
                    first.format in MAIL_FORMATS,
                    tuple(record.fields for record in records),
                )
            )
        return sources

    def _identity(self, case: Case) -> Identity:
        return Identity.of(case.subject, case.entity.country)
