"""The register of requests (accountability, Art. 5(2)): one row per case, as a CSV a spreadsheet opens.

UTF-8 with a byte-order mark, so that a spreadsheet shows ø and ł; every cell through ``core/csv_cells``,
so that none runs as a formula. No subject name or address: the reference identifies the case.
"""

from __future__ import annotations

import json
from datetime import date

from dpo_desk.core.csv_cells import csv_text
from dpo_desk.core.fees import FeeBasis
from dpo_desk.core.models import Channel, Status
from dpo_desk.core.refusal import RefusalGround
from dpo_desk.store.statistics import Statistics

HEADER = (
    "Reference", "Entity", "Channel", "Received", "Rights", "Status", "Due", "Extended", "Answered on",
    "Days taken", "On time", "Refusal", "Refusal grounds", "Fee", "Art. 19 notices sent", "Art. 19 notices open",
    "Identity checks passed", "Identity checks failed", "Identity decision",
)  # fmt: skip
DECISIONS = {"not-required": "no check needed", "failed": "could not be established (Art. 11(2))"}
EVERY_YEAR = (date(1900, 1, 1), date(9000, 12, 31))


def register_csv(statistics: Statistics, year: int | None = None) -> tuple[bytes, int]:
    """The CSV of every case received in ``year`` (or ever), oldest first, and how many rows it has."""
    first, last = (date(year, 1, 1), date(year, 12, 31)) if year else EVERY_YEAR
    rows = []
    for case in statistics.received(first, last):
        answered = date.fromisoformat(case["answered_on"]) if case["answered_on"] else None
        received, due = date.fromisoformat(case["received_date"]), date.fromisoformat(case["due_date"])
        refusal = "" if case["refusal_partial"] is None else ("partial" if case["refusal_partial"] else "full")
        rows.append(
            (
                case["reference"], case["entity"], Channel(case["channel"]).label, received.isoformat(),
                case["rights"], Status(case["status"]).label, due.isoformat(), "yes" if case["extended"] else "no",
                answered.isoformat() if answered else "", str((answered - received).days) if answered else "",
                ("yes" if answered <= due else "no") if answered else "", refusal,
                "; ".join(RefusalGround(g).label for g in json.loads(case["refusal_grounds"]))
                if case["refusal_grounds"] else "",
                f"{FeeBasis(case['fee_basis']).label} ({case['fee_state']})" if case["fee_basis"] else "",
                str(case["notices_sent"]), str(case["notices_open"]), str(case["passed_checks"]),
                str(case["failed_checks"]), DECISIONS.get(case["identity_decision"] or "", ""),
            )
        )  # fmt: skip
    return ("\ufeff" + csv_text(HEADER, rows)).encode("utf-8"), len(rows)
