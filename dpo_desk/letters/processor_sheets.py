"""Processor contact sheets as printable HTML: one sheet, or the booklet a DPO keeps on the desk.

The booklet is the offline manual: a front page with the dates its sources were read, the contents,
then one sheet a page: who they are, how to reach their privacy team, their erasure and export
procedure as numbered steps, what to give them to find a person, and the documents each fact comes from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from dpo_desk.core.dates import day_month_year
from dpo_desk.core.processors import Citation, ProcessorSheet, review_note
from dpo_desk.letters.language import ENGLISH, letter_language

_STYLE = """
<style>
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 14pt; margin-bottom: 0; }
h3 { font-size: 10.5pt; margin-top: 9pt; margin-bottom: 2pt; }
p, li { font-size: 9.5pt; }
.sub { color: #555555; font-size: 9pt; }
.unpublished { color: #6d4c41; font-size: 9pt; }
.stale { color: #b71c1c; font-weight: bold; }
.cite { color: #555555; font-size: 7.5pt; }
p.source { font-size: 8pt; margin-top: 0; margin-bottom: 3pt; }
.where { color: #555555; font-size: 7.5pt; }
table.sheet { border-collapse: collapse; margin-top: 4pt; }
table.sheet td { border: 1px solid #bbbbbb; padding: 3px 6px; vertical-align: top; font-size: 9.5pt; }
td.label { background: #f1f3f4; font-weight: bold; width: 30%; }
</style>
"""
ROLE_LABELS = {
    "processor": "Processor",
    "independent-controller": "Independent controller",
    "joint-controller": "Joint controller",
}
TRANSFER_LABELS = {
    "": "not recorded",
    "adequacy": "Adequacy decision",
    "sccs": "Standard contractual clauses",
    "dpf": "EU-US Data Privacy Framework",
    "none": "None (no transfer outside the EEA)",
}
IDENTIFIER_LABELS = {
    "email": "e-mail address",
    "cookie-id": "cookie or client ID",
    "user-id": "user ID or user name",
    "phone": "phone number",
    "ip-address": "IP address",
}
NOT_RECORDED = "<span class='sub'>—</span>"


def citation_text(citation: Citation) -> str:
    """'https://… (dated 18 Sep 2024; read 1 Dec 2026)': how a sheet names the document behind a field."""
    dated = f"dated {day_month_year(citation.dated)}" if citation.dated else "undated"
    read = f"; read {day_month_year(citation.read_on)}" if citation.read_on else ""
    return f"{citation.url} ({dated}{read})"


CONTACT_FIELDS = (("privacy_email", "e-mail"), ("web_form_url", "web form"), ("postal_address", "post"))


def contact_ways(sheet: ProcessorSheet) -> str:
    """'e-mail, post': how their privacy team can be reached; or that the documents read gave no way, or none is
    recorded."""
    ways = [label for name, label in CONTACT_FIELDS if sheet.is_filled(name)]
    if ways:
        return ", ".join(ways)
    return "not found" if any(name in sheet.not_published for name, _ in CONTACT_FIELDS) else "none recorded"


def has_cited_contact(sheet: ProcessorSheet) -> bool:
    """A way to reach their privacy team that a published document gives."""
    return any(sheet.is_filled(name) and name in sheet.sources_cited for name, _ in CONTACT_FIELDS)


class _Notes:
    """The documents a sheet cites, numbered in the order its fields first name them."""

    def __init__(self, sheet: ProcessorSheet) -> None:
        self._sheet = sheet
        self.cited: list[Citation] = []

    def mark(self, name: str) -> str:
        citation = self._sheet.sources_cited.get(name)
        if citation is None:
            return ""
        same = [n for n, c in enumerate(self.cited, 1) if (c.url, c.dated) == (citation.url, citation.dated)]
        if not same:
            self.cited.append(citation)
        return f" <span class='cite'>[{same[0] if same else len(self.cited)}]</span>"

    def value(self, name: str, text: str) -> str:
        """A field's value with its citation mark, or what was searched when it is not published."""
        if text:
            return escape(text).replace("\n", "<br>") + self.mark(name)
        searched = self._sheet.not_published.get(name)
        if searched:
            return f"<span class='unpublished'>not found in the published documents read: {escape(searched)}</span>"
        return NOT_RECORDED


def sheet_html(sheet: ProcessorSheet, source_names: Mapping[str, str], today: date, number: int = 0) -> str:
    """One sheet: who they are, how to reach them, their procedure, and the documents behind each fact."""
    notes = _Notes(sheet)
    title = f"{number}. {sheet.service}" if number else sheet.service
    entity = escape(sheet.legal_entity) + notes.mark("legal_entity") if sheet.legal_entity else ""
    role = ROLE_LABELS.get(sheet.role, sheet.role)
    who = " · ".join(part for part in (entity, role, escape(sheet.category)) if part)
    parts = [f"<h2>{escape(title)}</h2><p class='sub'>{who} · key {escape(sheet.key)}</p>"]
    parts.append("<h3>Their privacy team</h3>" + _table(_contact_rows(sheet, notes)))
    steps = notes.mark("procedure") if sheet.procedure else ""
    parts.append(f"<h3>To erase or export one person's data{steps}</h3>" + _procedure(sheet, notes))
    parts.append("<h3>Where the data goes, and the documents</h3>" + _table(_transfer_rows(sheet, notes)))
    parts.append("<h3>In our register</h3>" + _table(_register_rows(sheet, source_names, today)))
    parts.append("<h3>Sources</h3>" + _sources(sheet, notes))
    return "".join(parts)


def _table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td class='label'>{label}</td><td>{value}</td></tr>" for label, value in rows)
    return f"<table class='sheet' width='100%'>{cells}</table>"


def _contact_rows(sheet: ProcessorSheet, notes: _Notes) -> list[tuple[str, str]]:
    return [
        ("Privacy / DPO e-mail", notes.value("privacy_email", sheet.privacy_email)),
        ("Web form", notes.value("web_form_url", sheet.web_form_url)),
        ("Postal address", notes.value("postal_address", sheet.postal_address)),
    ]


def _procedure(sheet: ProcessorSheet, notes: _Notes) -> str:
    steps = [line.strip() for line in sheet.procedure.splitlines() if line.strip()]
    if steps:
        items = "".join(f"<li>{escape(step)}</li>" for step in steps)
        body = f"<ol>{items}</ol>"
    else:
        body = f"<p>{notes.value('procedure', '')}</p>"
    given = ", ".join(IDENTIFIER_LABELS.get(i, i) for i in sheet.identifiers)
    rows = [
        ("Give them the person's", notes.value("identifiers", given)),
        ("Turnaround they state", notes.value("turnaround", sheet.turnaround)),
    ]
    return body + _table(rows)


def _transfer_rows(sheet: ProcessorSheet, notes: _Notes) -> list[tuple[str, str]]:
    country = f"{letter_language(ENGLISH).country_name(sheet.country)} ({sheet.country})" if sheet.country else ""
    mechanism = (
        TRANSFER_LABELS.get(sheet.transfer_mechanism, sheet.transfer_mechanism) if sheet.transfer_mechanism else ""
    )
    return [
        ("Country of the legal entity", notes.value("country", country)),
        ("Transfer mechanism", notes.value("transfer_mechanism", mechanism)),
        ("Privacy policy", notes.value("privacy_policy_url", sheet.privacy_policy_url)),
        ("Data-protection terms (DPA or controller terms)", notes.value("dpa_url", sheet.dpa_url)),
    ]


def _register_rows(sheet: ProcessorSheet, source_names: Mapping[str, str], today: date) -> list[tuple[str, str]]:
    reviewed = day_month_year(sheet.last_reviewed) if sheet.last_reviewed else "never"
    note = review_note(sheet, today)
    stale = f" <span class='stale'>— {note}</span>" if note else ""
    used_by = ", ".join(source_names.get(key, key) for key in sheet.sources)
    return [
        ("Used by sources", escape(used_by) or NOT_RECORDED),
        ("Data categories", escape(", ".join(sheet.data_categories)) or NOT_RECORDED),
        ("In the privacy policy", escape(sheet.policy_mention) or NOT_RECORDED),
        ("Notes", escape(sheet.notes).replace("\n", "<br>") or NOT_RECORDED),
        ("Last reviewed by the DPO", f"{reviewed}{stale}"),
    ]


def _sources(sheet: ProcessorSheet, notes: _Notes) -> str:
    if not notes.cited:
        return "<p class='sub'>No field of this sheet cites a published document.</p>"
    return "".join(  # numbered as the marks beside the fields are: [1], [2], …
        f"<p class='source'>[{number}] {escape(citation_text(c))}{_where(sheet, c)}</p>"
        for number, c in enumerate(notes.cited, 1)
    )


def _where(sheet: ProcessorSheet, citation: Citation) -> str:
    said = sorted(
        {
            c.where
            for name, c in sheet.sources_cited.items()
            if (c.url, c.dated) == (citation.url, citation.dated) and c.where
        }
    )
    return f"<br><span class='where'>{escape(' · '.join(said))}</span>" if said else ""


def booklet_html(
    sheets: Sequence[ProcessorSheet], source_names: Mapping[str, str], today: date, organisation: str
) -> str:
    """A front page, the contents, then one sheet a page."""
    return (
        _STYLE
        + _front_page(sheets, today, organisation)
        + _contents(sheets, today)
        + "".join(
            f"<div style='page-break-before: always'>{sheet_html(sheet, source_names, today, number)}</div>"
            for number, sheet in enumerate(sheets, 1)
        )
    )


def _front_page(sheets: Sequence[ProcessorSheet], today: date, organisation: str) -> str:
    read = sorted({c.read_on for s in sheets for c in s.sources_cited.values() if c.read_on})
    if not read:
        when = "No sheet cites a published document yet."
    elif len(read) == 1:
        when = f"The published documents cited were read, from stored copies, on {day_month_year(read[0])}."
    else:
        first, last = day_month_year(read[0]), day_month_year(read[-1])
        when = f"The published documents cited were read, from stored copies, between {first} and {last}."
    contact = sum(1 for s in sheets if has_cited_contact(s))
    stale = sum(1 for s in sheets if review_note(s, today))  # never reviewed, or not in 12 months
    return (
        f"<h1>Processor and recipient contact sheets</h1>"
        f"<p class='sub'>{escape(organisation)} · printed {day_month_year(today)}</p>"
        f"<p>{len(sheets)} sheets: {contact} with a privacy contact taken from a published document (the contents "
        f"give the year of that document), {len(sheets) - contact} without one; {stale} not reviewed by the DPO in "
        "the last 12 months.</p>"
        f"<p>{when} A fact taken from a published document is marked with the number of that document, listed at "
        "the foot of the sheet with the date the document bears; a fact without a mark comes from the privacy policy "
        "or was entered by the DPO, and roles are the usual arrangement unless the notes cite the vendor's terms. "
        "A field no document gave says what was searched. Documents change: check the live page before relying on "
        "a sheet, then mark it reviewed.</p>"
    )


def _contents(sheets: Sequence[ProcessorSheet], today: date) -> str:
    rows = "".join(
        f"<tr><td>{number}</td><td>{escape(s.service)}</td><td>{escape(s.legal_entity)}</td>"
        f"<td>{escape(contact_ways(s))}{_contact_year(s)}</td>"
        f"<td>{review_note(s, today)}</td></tr>"
        for number, s in enumerate(sheets, 1)
    )
    return (
        "<h3>Contents</h3><table class='sheet' width='100%'><tr><td class='label'>Sheet</td>"
        "<td class='label'>Service</td><td class='label'>Legal entity</td><td class='label'>Privacy contact</td>"
        f"<td class='label'>Review</td></tr>{rows}</table>"
    )


def _contact_year(sheet: ProcessorSheet) -> str:
    """' (2018)': the year of the oldest document a cited contact comes from, so an old one shows."""
    cited = [
        sheet.sources_cited[name] for name, _ in CONTACT_FIELDS if sheet.is_filled(name) and name in sheet.sources_cited
    ]
    if not cited:
        return ""
    years = [c.dated.year for c in cited if c.dated]
    return f" ({min(years)})" if len(years) == len(cited) else " (undated)"


def single_sheet_html(sheet: ProcessorSheet, source_names: Mapping[str, str], today: date) -> str:
    return _STYLE + sheet_html(sheet, source_names, today)
