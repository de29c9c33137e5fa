"""The data part of the access copy (Art. 15(3)): every accepted record, by source, as the subject reads it.

All the subject's data goes in, inferred data too (access covers it; portability does not). A record of a
few short fields is a row of its source's table; a wider one is folded into a block of field and value,
so that nothing is ever cut off at the page's edge. E-mails are printed as text. The pages come in
batches of records, each its own document after the letter, so that 10,000 records are many small
layouts rather than one long one. Its words are the letter's: the language's catalogue, ``[access_copy]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from dpo_desk.letters.language import LetterLanguage
from dpo_desk.letters.page import Document, Paper

TABLE_FIELDS = 5  # a record of at most this many fields, each short, is a table row
SHORT_VALUE = 40
BATCH_RECORDS = 40  # records a document (an e-mail counts as several): Qt lays a short document out fast
MAIL_FORMATS = ("eml", "mbox")
MAIL_HEAD = ("from", "to", "cc", "date", "subject", "message_id")  # each labelled by the catalogue's mail_<field>

# Qt takes margins in px only (a margin in pt comes out 0), as the letters' base template says.
STYLE = """
<style>
h1 { font-size: 14pt; margin-top: 0px; margin-bottom: 6px; }
h2 { font-size: 11.5pt; margin-top: 18px; margin-bottom: 3px; }
p { font-size: 9.5pt; margin-top: 0px; margin-bottom: 6px; }
p.sub { color: #555555; font-size: 8.5pt; margin-bottom: 8px; }
span.sub { color: #555555; font-size: 8.5pt; }
table.data { border-collapse: collapse; margin-bottom: 8px; }
table.data th { background: #f1f3f4; border: 1px solid #bbbbbb; padding: 2px 4px; font-size: 9pt; text-align: left; }
table.data td { border: 1px solid #bbbbbb; padding: 2px 4px; vertical-align: top; font-size: 9pt; }
p.record { font-size: 9.5pt; margin-bottom: 10px; }
p.mail { font-size: 9.5pt; white-space: pre-wrap; margin-bottom: 10px; }
</style>
"""


@dataclass(frozen=True, slots=True)
class SourceRecords:
    name: str
    provenance: str  # "12 records, from the system's export read on Tue 1 Dec 2026", in the letter's language
    is_mail: bool
    records: tuple[tuple[tuple[str, Any], ...], ...]


def data_documents(
    sources: Sequence[SourceRecords], paper: Paper, *, reference: str, language: LetterLanguage
) -> tuple[Document, ...]:
    """The data part, as documents of at most about BATCH_RECORDS records each."""
    words = language.words("access_copy")
    documents: list[Document] = []
    title = words["title"].format(reference=reference)
    intro = f"<h1>{escape(title)}</h1><p>{escape(words['intro'])} {escape(_count(sources, language))}</p>"
    for number, html in enumerate(_batches(sources, language)):
        documents.append(Document(body=STYLE + (intro if number == 0 else "") + html, paper=paper, title=title))
    if not documents:
        documents.append(Document(body=STYLE + intro, paper=paper, title=title))
    return tuple(documents)


def _count(sources: Sequence[SourceRecords], language: LetterLanguage) -> str:
    records = sum(len(source.records) for source in sources)
    if not records:
        return language.term("access_copy", "no_records")
    return language.term("access_copy", "count").format(
        records=language.counted("records", records), systems=language.counted("systems", len(sources))
    )


def _batches(sources: Sequence[SourceRecords], language: LetterLanguage) -> Iterator[str]:
    words = language.words("access_copy")
    parts: list[str] = []
    weight = 0
    for source in sources:
        heading = f"<h2>{escape(source.name)}</h2><p class='sub'>{escape(source.provenance)}</p>"
        chunks = _mail_chunks(source, language) if source.is_mail else _record_chunks(source, words)
        first = True
        for chunk, chunk_weight in chunks:
            if weight and weight + chunk_weight > BATCH_RECORDS:
                yield "".join(parts)
                parts, weight = [], 0
            if first:
                parts.append(heading)
                first = False
            elif not parts:
                parts.append(f"<h2>{escape(words['continued'].format(source=source.name))}</h2>")
            parts.append(chunk)
            weight += chunk_weight
    if parts:
        yield "".join(parts)


def _record_chunks(source: SourceRecords, words: dict[str, str]) -> Iterator[tuple[str, int]]:
    names = list(dict.fromkeys(name for record in source.records for name, _ in record))
    narrow = len(names) <= TABLE_FIELDS and all(
        len(_text(value)) <= SHORT_VALUE for record in source.records for _, value in record
    )
    if narrow:
        header = "".join(f"<th>{escape(name)}</th>" for name in names)
        for start in range(0, len(source.records), 50):
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(_text(dict(record).get(name, '')))}</td>" for name in names) + "</tr>"
                for record in source.records[start : start + 50]
            )
            yield f"<table class='data' width='100%'><tr>{header}</tr>{rows}</table>", 15  # 50 light rows
        return
    for number, record in enumerate(source.records, start=1):
        # A paragraph, not a table: Qt lays a thousand tables out ten times slower, and a paragraph breaks
        # over a page wherever it must.
        lines = "<br>".join(f"<b>{escape(name)}:</b> {_html_value(value)}" for name, value in record)
        label = escape(words["record"].format(number=number))
        yield f"<p class='record'><span class='sub'>{label}</span><br>{lines}</p>", 1


def _mail_chunks(source: SourceRecords, language: LetterLanguage) -> Iterator[tuple[str, int]]:
    words = language.words("access_copy")
    for record in source.records:
        fields = dict(record)
        if "date" in fields:
            fields["date"] = _mail_date(fields["date"], language)
        head = "".join(
            f"<b>{escape(words['mail_' + key])}:</b> {escape(_text(fields.get(key, '')))}<br>"
            for key in MAIL_HEAD
            if key in fields
        )
        attachments = fields.get("attachments") or []
        label = escape(words["mail_attachments"])
        listed = f"<b>{label}:</b> {escape(', '.join(map(str, attachments)))}<br>" if attachments else ""
        body = escape(_text(fields.get("body", "")))
        yield f"<p>{head}{listed}</p><p class='mail'>{body}</p><hr>", 3 + len(body) // 3000


def _mail_date(value: Any, language: LetterLanguage) -> Any:
    """'Mon 5 Oct 2026, 10:00 (UTC+02:00)': the sender's clock, as the mail gives it (the bundle keeps ISO 8601)."""
    try:
        sent = datetime.fromisoformat(str(value))
    except ValueError:
        return value
    offset = sent.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return f"{language.weekday_text(sent.date())}, {language.time_text(sent)}{zone}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _html_value(value: Any) -> str:
    return escape(_text(value)).replace("\n", "<br>")
