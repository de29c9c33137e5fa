"""The data part of the access copy (Art. 15(3)): every accepted record, by source, as the subject reads it.

All the subject's data goes in, inferred data too (access covers it; portability does not). A record of a
few short fields is a row of its source's table; a wider one is folded into a block of field and value,
so that nothing is ever cut off at the page's edge. E-mails are printed as text. The pages come in
batches of records, each its own document after the letter, so that 10,000 records are many small
layouts rather than one long one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from dpo_desk.core.dates import long_date
from dpo_desk.letters.page import Document, Paper

TABLE_FIELDS = 5  # a record of at most this many fields, each short, is a table row
SHORT_VALUE = 40
BATCH_RECORDS = 40  # records a document (an e-mail counts as several): Qt lays a short document out fast
MAIL_FORMATS = ("eml", "mbox")
MAIL_HEAD = (
    ("from", "From"), ("to", "To"), ("cc", "Cc"), ("date", "Date"), ("subject", "Subject"), ("message_id", "Message-ID")
)  # fmt: skip

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
    provenance: str  # "hubspot.csv, SHA-256 …, imported 1 Dec 2026 by dpo"
    is_mail: bool
    records: tuple[tuple[tuple[str, Any], ...], ...]


def data_documents(sources: Sequence[SourceRecords], paper: Paper, *, reference: str) -> tuple[Document, ...]:
    """The data part, as documents of at most about BATCH_RECORDS records each."""
    documents: list[Document] = []
    title = f"Your data, case {reference}"
    intro = (
        f"<h1>{escape(title)}</h1><p>This part of the letter is the copy of the personal data we hold about you "
        f"(Article 15(3) GDPR), by the system it comes from. {_count(sources)}</p>"
    )
    for number, html in enumerate(_batches(sources)):
        documents.append(Document(body=STYLE + (intro if number == 0 else "") + html, paper=paper, title=title))
    if not documents:
        documents.append(Document(body=STYLE + intro, paper=paper, title=title))
    return tuple(documents)


def _count(sources: Sequence[SourceRecords]) -> str:
    records = sum(len(source.records) for source in sources)
    if not records:
        return "No system holds a record about you."
    return f"{plural(records, 'record')} from {plural(len(sources), 'system')}."


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _batches(sources: Sequence[SourceRecords]) -> Iterator[str]:
    parts: list[str] = []
    weight = 0
    for source in sources:
        heading = f"<h2>{escape(source.name)}</h2><p class='sub'>{escape(source.provenance)}</p>"
        chunks = _mail_chunks(source) if source.is_mail else _record_chunks(source)
        first = True
        for chunk, chunk_weight in chunks:
            if weight and weight + chunk_weight > BATCH_RECORDS:
                yield "".join(parts)
                parts, weight = [], 0
            if first:
                parts.append(heading)
                first = False
            elif not parts:
                parts.append(f"<h2>{escape(source.name)} (continued)</h2>")
            parts.append(chunk)
            weight += chunk_weight
    if parts:
        yield "".join(parts)


def _record_chunks(source: SourceRecords) -> Iterator[tuple[str, int]]:
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
        yield f"<p class='record'><span class='sub'>Record {number}</span><br>{lines}</p>", 1


def _mail_chunks(source: SourceRecords) -> Iterator[tuple[str, int]]:
    for record in source.records:
        fields = dict(record)
        if "date" in fields:
            fields["date"] = _mail_date(fields["date"])
        head = "".join(
            f"<b>{label}:</b> {escape(_text(fields.get(key, '')))}<br>" for key, label in MAIL_HEAD if key in fields
        )
        attachments = fields.get("attachments") or []
        listed = f"<b>Attachments:</b> {escape(', '.join(map(str, attachments)))}<br>" if attachments else ""
        body = escape(_text(fields.get("body", "")))
        yield f"<p>{head}{listed}</p><p class='mail'>{body}</p><hr>", 3 + len(body) // 3000


def _mail_date(value: Any) -> Any:
    """'Mon 5 Oct 2026, 10:00 (UTC+02:00)': the sender's clock, as the mail gives it (the bundle keeps ISO 8601)."""
    try:
        sent = datetime.fromisoformat(str(value))
    except ValueError:
        return value
    offset = sent.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return f"{long_date(sent.date())}, {sent:%H:%M}{zone}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _html_value(value: Any) -> str:
    return escape(_text(value)).replace("\n", "<br>")
