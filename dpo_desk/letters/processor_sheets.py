"""Processor contact sheets as printable HTML: one sheet, or all of them as a booklet for the binder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from dpo_desk.core.dates import day_month_year
from dpo_desk.core.processors import ProcessorSheet, is_stale

_STYLE = """
<style>
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 14pt; margin-bottom: 0; }
.sub { color: #555555; font-size: 9pt; }
.stale { color: #b71c1c; font-weight: bold; }
table.sheet { border-collapse: collapse; margin-top: 6pt; }
table.sheet td { border: 1px solid #bbbbbb; padding: 4px 6px; vertical-align: top; font-size: 9.5pt; }
td.label { background: #f1f3f4; font-weight: bold; width: 32%; }
</style>
"""
_ROLE_LABELS = {
    "processor": "Processor",
    "independent-controller": "Independent controller",
    "joint-controller": "Joint controller",
}
_TRANSFER_LABELS = {
    "": "not recorded",
    "adequacy": "Adequacy decision",
    "sccs": "Standard contractual clauses",
    "dpf": "EU-US Data Privacy Framework",
    "none": "None (no transfer outside the EEA)",
}


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>") if value else "<span class='sub'>—</span>"


def sheet_html(sheet: ProcessorSheet, source_names: Mapping[str, str], today: date) -> str:
    """One sheet: who to write to, what they need to find a person, and how their own procedure works."""
    reviewed = day_month_year(sheet.last_reviewed) if sheet.last_reviewed else "never"
    stale = " <span class='stale'>— review due</span>" if is_stale(sheet, today) else ""
    rows = [
        ("Legal entity", _text(sheet.legal_entity)),
        ("Role", _ROLE_LABELS.get(sheet.role, sheet.role)),
        ("Category", _text(sheet.category)),
        ("Privacy / DPO e-mail", _text(sheet.privacy_email)),
        ("Postal address", _text(sheet.postal_address)),
        ("Web form", _text(sheet.web_form_url)),
        ("Privacy policy", _text(sheet.privacy_policy_url)),
        ("Data processing agreement", _text(sheet.dpa_url)),
        ("Country", _text(sheet.country)),
        ("Transfer mechanism", _TRANSFER_LABELS.get(sheet.transfer_mechanism, sheet.transfer_mechanism)),
        ("Data categories", _text(", ".join(sheet.data_categories))),
        ("Used by sources", _text(", ".join(source_names.get(key, key) for key in sheet.sources))),
        ("Identifiers they need", _text(", ".join(sheet.identifiers))),
        ("Their erasure / export procedure", _text(sheet.procedure)),
        ("Expected turnaround", _text(sheet.turnaround)),
        ("Notes", _text(sheet.notes)),
        ("In the privacy policy", _text(sheet.policy_mention)),
        ("Last reviewed", f"{reviewed}{stale}"),
    ]
    cells = "".join(f"<tr><td class='label'>{label}</td><td>{value}</td></tr>" for label, value in rows)
    return (
        f"<h2>{escape(sheet.service)}</h2><p class='sub'>Sheet {escape(sheet.key)}</p>"
        f"<table class='sheet' width='100%'>{cells}</table>"
    )


def booklet_html(
    sheets: Sequence[ProcessorSheet], source_names: Mapping[str, str], today: date, organisation: str
) -> str:
    """A cover with the contents, then one sheet a page."""
    stale = sum(1 for sheet in sheets if is_stale(sheet, today))
    contents = "".join(
        f"<tr><td>{escape(s.service)}</td><td>{escape(s.category)}</td>"
        f"<td>{'review due' if is_stale(s, today) else ''}</td></tr>"
        for s in sheets
    )
    cover = (
        f"{_STYLE}<h1>Processor and recipient contact sheets</h1>"
        f"<p class='sub'>{escape(organisation)} · printed {day_month_year(today)} · {len(sheets)} sheets, "
        f"{stale} due for review</p><table class='sheet' width='100%'>"
        f"<tr><td class='label'>Service</td><td class='label'>Category</td><td class='label'>Review</td></tr>"
        f"{contents}</table>"
    )
    pages = "".join(
        f"<div style='page-break-before: always'>{sheet_html(sheet, source_names, today)}</div>" for sheet in sheets
    )
    return cover + pages


def single_sheet_html(sheet: ProcessorSheet, source_names: Mapping[str, str], today: date) -> str:
    return _STYLE + sheet_html(sheet, source_names, today)
