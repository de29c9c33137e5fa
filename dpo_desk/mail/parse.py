"""Reading one e-mail file (.eml or Outlook .msg) into what a new case needs, or a clear, typed error.

Mail is hostile input: the size is checked before anything is parsed, every failure of the parsers
becomes a :class:`MailError` naming the file and the problem, and defects the parser tolerated are
reported so the DPO sees them. ``From:`` can be forged: it is only ever offered, never trusted.
"""

from __future__ import annotations

import email
import hashlib
import inspect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from dpo_desk.core.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENTS = 100
# The standard library's header parsing grows faster than the header (50,000 encoded words in a Subject
# took 92 s, 20,000 To addresses 10 s): headers are measured, as bytes, before anything decodes them. Real
# mail stays far below: a long thread's References or a DKIM signature is a few KB, 1,500 recipients 32 KB.
MAX_HEADER_BYTES = 256 * 1024
MAX_HEADER_FIELDS = 1000
MAX_FIELD_BYTES = 32 * 1024
ADDRESS_TEXT_READ = 16 * 1024  # of To, Cc and Delivered-To together: some 700 addresses
# The parser holds about eight times a part's size while it reads it (a 49 MB text body: 1.9 s, 375 MB), so
# the text a request is written in is measured, raw, before parsing. A request is a few KB; a long
# HTML mail a few hundred. Attachments are not limited by this.
MAX_TEXT_BYTES = 5 * 1024 * 1024
# A Date: header more than this far from the file's own time is not believed.
PLAUSIBLE_SKEW = timedelta(days=366)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


class MailError(InputError):
    """A file that cannot be read as an e-mail; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    content: bytes
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class ParsedMail:
    sender_name: str
    sender_address: str
    receiving: tuple[str, ...]  # To, Cc and Delivered-To addresses
    received: datetime  # timezone-aware
    subject: str
    body: str
    message_id: str
    attachments: tuple[Attachment, ...] = ()
    to: tuple[str, ...] = ()  # as written: "Kari Nordmann <kari@example.no>"
    cc: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())  # what the DPO should see: defects, a date taken from the file


def read_mail(path: Path) -> ParsedMail:
    """Parse ``path``; any failure is a :class:`MailError`, never another exception."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise MailError(f"{path.name}: cannot be read ({error.strerror})") from None
    if size > MAX_BYTES:
        raise MailError(
            f"{path.name}: {size // (1024 * 1024)} MB is larger than the {MAX_BYTES // (1024 * 1024)} MB "
            "limit for an e-mail; not opened"
        )
    if size == 0:
        raise MailError(f"{path.name}: the file is empty")
    try:
        data = path.read_bytes()
        file_time = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as error:
        raise MailError(f"{path.name}: cannot be read ({error.strerror})") from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file: Outlook .msg
        return _guarded(lambda: _read_msg(path, file_time), path.name)
    return read_eml_bytes(data, path.name, file_time)


def read_eml_bytes(data: bytes, name: str, file_time: datetime) -> ParsedMail:
    """One message in RFC 5322 form (a file's, or one of a mailbox's), with the limits of :func:`read_mail`;
    ``file_time`` stands in for a missing or absurd Date:."""
    return _guarded(lambda: _read_eml(data, name, file_time, "the file's time"), name)


PASTED = "the pasted text"
_PASTED_TEXT_TYPE = b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"
_STARTS_WITH_HEADER = re.compile(r"[!-9;-~]+:")


def read_pasted_mail(text: str, now: datetime) -> ParsedMail | None:
    """The mail in a pasted text (its headers, then its body), or None when the text is not one: a letter's
    words, or a mail's body copied without its headers. Only a From: with an address makes it a mail, so
    that no sender is ever taken from words that merely look like a header; ``now`` stands in for a
    missing Date:, as the time it was pasted."""
    text = text.lstrip()
    if not _STARTS_WITH_HEADER.match(text):
        return None
    data = text.encode("utf-8")
    if not _CONTENT_TYPE.search(_header_block(data)):  # the clipboard's text is Unicode, whatever a mail says
        data = _PASTED_TEXT_TYPE + data
    try:
        mail = _guarded(lambda: _read_eml(data, PASTED, now, "the time it was pasted"), PASTED)
    except MailError:
        return None
    return mail if mail.sender_address else None


def _guarded(read: Callable[[], ParsedMail], name: str) -> ParsedMail:
    try:
        return read()
    except MailError:
        raise
    except Exception as error:
        raise MailError(f"{name}: not a readable e-mail ({type(error).__name__}: {error})"[:300]) from None


def _read_eml(data: bytes, name: str, file_time: datetime, stand_in: str) -> ParsedMail:
    if b":" not in data[:4096]:
        raise MailError(f"{name}: no e-mail headers found")
    _check_headers(data, name)
    _check_text_parts(data, name)
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    _check_part_headers(message, name)
    if not any(message.get(h) for h in ("From", "To", "Subject", "Date", "Message-ID")):
        raise MailError(f"{name}: no From, To, Subject or Date header; this is not an e-mail")
    warnings: list[str] = []
    sender_name, sender_address = _sender(message.get_all("From") or [], name)
    receiving = _addresses(message, ("To", "Cc", "Delivered-To"))
    received, date_note = _date(str(message.get("Date", "") or ""), file_time, stand_in)
    if date_note:
        warnings.append(date_note)
    body, body_note = _body(message)
    if body_note:
        warnings.append(body_note)
    attachments = _attachments(message)
    defects = _defects(message)
    if defects:
        warnings.append("the message has defects the parser worked around: " + "; ".join(defects[:5]))
    return ParsedMail(
        sender_name=sender_name,
        sender_address=sender_address,
        receiving=receiving,
        received=received,
        subject=_clean(str(message.get("Subject", "") or "")),
        body=body,
        message_id=str(message.get("Message-ID", "") or "").strip(),
        attachments=attachments,
        to=_people(message, "To"),
        cc=_people(message, "Cc"),
        warnings=tuple(warnings),
    )


def _header_block(data: bytes) -> bytes:
    ends = [index for index in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if index >= 0]
    return data[: min(ends)] if ends else data


def _check_headers(data: bytes, name: str) -> None:
    """Refuse headers too large or too many to parse in good time; one pass over their bytes."""
    block = _header_block(data)
    if len(block) > MAX_HEADER_BYTES:
        raise MailError(
            f"{name}: {len(block) // 1024} KB of headers, more than the {MAX_HEADER_BYTES // 1024} KB limit"
        )
    fields, field, size = 0, b"", 0
    for line in block.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:  # a folded line continues the field before it
            size += len(line) + 1
        else:
            fields, field, size = fields + 1, line.split(b":", 1)[0][:40], len(line) + 1
        if size > MAX_FIELD_BYTES:
            shown = field.decode("ascii", "replace").strip() or "a header"
            raise MailError(f"{name}: the {shown} header is longer than the {MAX_FIELD_BYTES // 1024} KB limit")
    if fields > MAX_HEADER_FIELDS:
        raise MailError(f"{name}: {fields} header fields, more than the limit of {MAX_HEADER_FIELDS}")


_CONTENT_TYPE = re.compile(rb"^content-type:[ \t]*([^;\r\n]*)((?:[^\r\n]|\r?\n[ \t])*)", re.IGNORECASE | re.MULTILINE)
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.IGNORECASE)
_ATTACHED = re.compile(rb"^content-disposition:[ \t]*attachment", re.IGNORECASE | re.MULTILINE)


def _check_text_parts(data: bytes, name: str, start: int = 0, end: int | None = None, depth: int = 0) -> None:
    """Refuse a text part (the body, or a text part of a multipart) larger than MAX_TEXT_BYTES, found in
    the raw bytes by the boundaries, before the parser copies it line by line."""
    end = len(data) if end is None else end
    blank = [index for index in (data.find(b"\r\n\r\n", start, end), data.find(b"\n\n", start, end)) if index >= 0]
    header_end = min(blank) if blank else end
    headers = data[start : min(header_end, start + MAX_HEADER_BYTES)]
    found = _CONTENT_TYPE.search(headers)
    kind = found.group(1).strip().lower() if found else b"text/plain"
    if kind.startswith(b"multipart/"):
        boundary = _BOUNDARY.search(found.group(2) if found else b"")
        if boundary is None or depth >= 3:
            return
        delimiter = re.compile(re.escape(b"\n--" + (boundary.group(1) or boundary.group(2))))
        starts = [match.end() for match in delimiter.finditer(data, header_end, end)]
        for part_start, part_end in itertools.pairwise(starts):
            if part_end - part_start > MAX_TEXT_BYTES:  # only a large part is worth a closer look
                _check_text_parts(data, name, part_start, part_end, depth + 1)
    elif kind.startswith(b"text/") and not _ATTACHED.search(headers):
        size = end - header_end
        if size > MAX_TEXT_BYTES:
            raise MailError(
                f"{name}: the message text is {size / (1024 * 1024):.1f} MB, more than the "
                f"{MAX_TEXT_BYTES // (1024 * 1024)} MB limit for the text of a request; not opened"
            )


def _check_part_headers(message: Message, name: str) -> None:
    """The same limits for the headers of every MIME part, on their raw text: the header registry parses
    a value only when it is read (a part's file name, its type), which is when a hostile one would stall."""
    limit = f"{MAX_FIELD_BYTES // 1024} KB"
    for number, part in enumerate(message.walk()):
        items = list(part.raw_items())
        if len(items) > MAX_HEADER_FIELDS:
            raise MailError(f"{name}: part {number} has {len(items)} header fields, more than {MAX_HEADER_FIELDS}")
        for key, value in items:
            if len(value) > MAX_FIELD_BYTES:
                raise MailError(f"{name}: the {key[:40]} header of part {number} is longer than the {limit} limit")


# getaddresses(strict=True) refuses the ambiguous addresses of CVE-2023-27043; Pythons before 3.11.10
# and 3.12.6 lack it, and there the header registry's parser (as strict) does the work.
_STRICT_GETADDRESSES = "strict" in inspect.signature(getaddresses).parameters


def parse_addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) pairs of address headers, parsed strictly."""
    if _STRICT_GETADDRESSES:
        return getaddresses(values, strict=True)  # type: ignore[call-arg, unused-ignore]
    pairs: list[tuple[str, str]] = []
    for value in values:
        header = policy.default.header_factory("To", value)
        pairs += [(address.display_name, address.addr_spec) for address in getattr(header, "addresses", ())]
    return pairs


def _sender(values: list[object], name: str) -> tuple[str, str]:
    pairs = [(n, a) for n, a in parse_addresses([str(v) for v in values]) if a]
    if not pairs:
        return "", ""
    display, address = pairs[0]
    return _clean(display), address.strip()


def _addresses(message: Message, headers: tuple[str, ...]) -> tuple[str, ...]:
    """The addresses of ``headers``: they tell which of the group's entities received the mail."""
    return tuple(dict.fromkeys(address for _, address in _address_pairs(message, headers)))


def _people(message: Message, header: str) -> tuple[str, ...]:
    """The recipients of ``header`` with their names, as the subject's copy of the mail shows them."""
    pairs = dict.fromkeys(_address_pairs(message, (header,)))
    return tuple(f"{_clean(name)} <{address}>" if _clean(name) else address for name, address in pairs)


def _address_pairs(message: Message, headers: tuple[str, ...]) -> list[tuple[str, str]]:
    """Name and address in ``headers``, from the raw values (parsed once, not again by the header
    registry), the first ADDRESS_TEXT_READ characters of them: a mail sent to thousands would otherwise
    take seconds to read."""
    wanted = {header.lower() for header in headers}
    values, budget = [], ADDRESS_TEXT_READ
    for key, value in message.raw_items():
        if key.lower() in wanted and budget > 0:
            text = re.sub(r"\r?\n", "", str(value))[:budget]
            values.append(text if len(text) < budget else text[: text.rfind(",") + 1 or None].rstrip(","))
            budget -= len(text)
    return [(name, address.strip()) for name, address in parse_addresses(values) if "@" in address]


def _date(header: str, file_time: datetime, stand_in: str) -> tuple[datetime, str]:
    """The Date: header, or ``file_time`` (``stand_in`` says what it is) when it is missing or absurd, and a
    note saying so."""
    if not header.strip():
        return file_time, f"no Date: header; the received time is {stand_in}: check it"
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError, OverflowError):
        return file_time, f"the Date: header {header[:40]!r} is not a date; the received time is {stand_in}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment < EARLIEST or abs(moment - file_time) > PLAUSIBLE_SKEW:
        return file_time, f"the Date: header {header[:40]!r} is implausible; the received time is {stand_in}"
    return moment, ""


def _body(message: EmailMessage) -> tuple[str, str]:
    """The plain-text body (HTML-only mail turned into text), and a note when its charset was unknown."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", ""
    note = ""
    try:
        content = part.get_content()
    except LookupError:  # a charset Python does not know: keep the text, mark what could not be decoded
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
        note = f"unknown charset {part.get_content_charset()!r}: the text was read as UTF-8; check odd characters"
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return clean_text(text), note


def _attachments(message: EmailMessage) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for part in _attached_parts(message):
        if len(found) >= MAX_ATTACHMENTS:
            break
        default = "forwarded message.eml" if part.get_content_type() == "message/rfc822" else "attachment"
        found.append(
            Attachment(_clean(part.get_filename() or default) or "attachment", _payload(part), part.get_content_type())
        )
    return tuple(found)


def _attached_parts(message: EmailMessage) -> Iterator[EmailMessage]:
    """Every attached leaf: a multipart inside the mail (a nested multipart/mixed, a digest) is a container
    whose parts are the attachments, not an attachment itself."""
    for part in message.iter_attachments():
        yield from _leaves(part)


def _leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    if part.get_content_maintype() == "multipart":
        for child in part.iter_parts():
            yield from _leaves(child)  # type: ignore[arg-type]  # the policy makes every part an EmailMessage
    else:
        yield part


def _payload(part: EmailMessage) -> bytes:
    """The attachment's bytes; a type the standard library has no reader for ("aplication/pdf") is kept
    as the raw bytes sent, under the type the mail declares."""
    try:
        content = part.get_content()
    except (KeyError, LookupError, ValueError):
        return part.get_payload(decode=True) or b""  # type: ignore[return-value]
    if isinstance(content, Message):
        return content.as_bytes()
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def _defects(message: Message) -> list[str]:
    defects = [type(defect).__name__ for defect in message.defects]
    for part in message.walk():
        defects += [type(defect).__name__ for defect in getattr(part, "defects", [])]
    return list(dict.fromkeys(defects))


def _read_msg(path: Path, file_time: datetime) -> ParsedMail:
    import extract_msg  # loaded only for Outlook files

    with extract_msg.openMsg(str(path)) as outlook:
        if not isinstance(outlook, extract_msg.Message):
            raise MailError(f"{path.name}: an Outlook file, but not an e-mail ({type(outlook).__name__})")
        sender_name = _clean(str(outlook.sender or ""))
        sender_address = ""
        for stream in ("__substg1.0_0C1F", "__substg1.0_0065", "__substg1.0_5D01"):
            value = outlook.getStringStream(stream)
            if value and "@" in value:
                sender_address = value.strip()
                break
        if not sender_address:
            sender_name, sender_address = _sender([outlook.sender or ""], path.name)
        header_values = [str(outlook.to or ""), str(outlook.cc or "")]
        receiving = tuple(dict.fromkeys(a for _, a in parse_addresses(header_values) if "@" in a))
        warnings: list[str] = []
        moment = outlook.date if isinstance(outlook.date, datetime) else None
        if moment is None:
            moment, note = file_time, "no sent date in the Outlook file; the received time is the file's time: check it"
            warnings.append(note)
        body = outlook.body or ""
        if not body.strip() and outlook.htmlBody:
            body = html_to_text(outlook.htmlBody.decode("utf-8", "replace"))
        attachments = tuple(
            Attachment(
                _clean(str(a.longFilename or a.shortFilename or "attachment")),
                a.data,
                str(getattr(a, "mimetype", "") or "application/octet-stream"),
            )
            for a in outlook.attachments[:MAX_ATTACHMENTS]
            if isinstance(a.data, bytes)  # embedded messages and OLE objects are not files
        )
        return ParsedMail(
            sender_name=sender_name,
            sender_address=sender_address,
            receiving=receiving,
            received=moment,
            subject=_clean(str(outlook.subject or "")),
            body=clean_text(body),
            message_id=str(outlook.messageId or "").strip(),
            attachments=attachments,
            warnings=tuple(warnings),
        )


_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"})


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return clean_text("".join(parser.parts))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(text: str) -> str:
    """One line, no control or bidi characters (a name or subject must not reorder what the DPO reads)."""
    return " ".join(_CONTROL.sub("", text).split())


def clean_text(text: str) -> str:
    """A request's text as a case keeps it: Unix line ends, no control or bidi characters, at most one blank
    line in a row."""
    lines = [_CONTROL.sub("", line).rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
