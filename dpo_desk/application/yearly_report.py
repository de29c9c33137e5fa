"""The yearly report, for management and supervisory authorities: "how did we do?", for one year and entity.

It counts the cases *received* in the year: per right, channel and entity; the days taken to answer them
(median and 90th percentile, nearest rank); on time, on time after an extension, late; refusals by ground;
fees; Art. 19 notices; and identity checks that failed. It holds no personal data (no name, address or
reference), so the PDF needs no password. As CSV (section, item, value) and as a PDF laid out by the
letters' renderer, with its charts drawn as table bars.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from typing import Any

from dpo_desk.core.csv_cells import csv_text
from dpo_desk.core.dates import MONTHS, day_month_year
from dpo_desk.core.fees import FeeBasis
from dpo_desk.core.models import Channel, Right, Status
from dpo_desk.core.refusal import RefusalGround
from dpo_desk.letters.page import A4, Document
from dpo_desk.store.statistics import Statistics

BAR_COLOUR = "#1f77b4"
ON_TIME, EXTENDED, LATE = "#2e7d32", "#81c784", "#c62828"


@dataclass(frozen=True, slots=True)
class YearReport:
    year: int
    entity: str  # an entity's name, or "all entities"
    received: int
    by_right: dict[str, int]
    by_channel: dict[str, int]
    by_entity: dict[str, int]
    by_month: dict[int, int]
    answered: int
    open: int
    open_overdue: int  # still open on the day the report was made, and past their due date
    withdrawn: int
    median_days: float | None
    p90_days: int | None
    on_time: int
    on_time_extended: int
    late: int
    by_quarter: dict[int, tuple[int, int, int]]  # quarter → on time, on time extended, late
    refusals_full: int
    refusals_partial: int
    refusal_grounds: dict[str, int]
    fees: dict[str, int]
    notices_sent: int
    cases_with_notices: int
    notices_open: int
    failed_checks: int
    identity_failed: int  # cases closed as "identity could not be established" (Art. 11(2))
    made: datetime = field(compare=False)

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        """31 Dec, or the day the report was made in the year itself."""
        return min(date(self.year, 12, 31), self.made.date())

    def rows(self) -> list[tuple[str, str, str]]:
        """Every figure as (section, item, value): the CSV, and what the tests compare."""
        rows = [("report", "year", str(self.year)), ("report", "entity", self.entity)]
        rows += [
            ("report", "received from", self.first.isoformat()),
            ("report", "received until", self.last.isoformat()),
        ]
        rows += [("requests", "received", str(self.received))]
        rows += [("per right", name, str(count)) for name, count in self.by_right.items()]
        rows += [("per channel", name, str(count)) for name, count in self.by_channel.items()]
        rows += [("per entity", name, str(count)) for name, count in self.by_entity.items()]
        rows += [("per month", MONTHS[month - 1], str(count)) for month, count in self.by_month.items()]
        rows += [
            ("answers", "answered", str(self.answered)),
            ("answers", "still open", str(self.open)),
            ("answers", "still open and past the due date", str(self.open_overdue)),
            ("answers", "withdrawn", str(self.withdrawn)),
            ("answers", "median days to answer", _number(self.median_days)),
            ("answers", "90th percentile days to answer", _number(self.p90_days)),
            ("answers", "on time", str(self.on_time)),
            ("answers", "on time after an extension", str(self.on_time_extended)),
            ("answers", "late", str(self.late)),
            (
                "answers",
                "answered on time, of those answered",
                _rate(self.on_time + self.on_time_extended, self.answered),
            ),
        ]
        rows += [
            (f"received in Q{quarter}", what, str(count))
            for quarter, counts in self.by_quarter.items()
            for what, count in zip(("on time", "on time after an extension", "late"), counts, strict=True)
        ]
        rows += [("refusals", "full", str(self.refusals_full)), ("refusals", "partial", str(self.refusals_partial))]
        rows += [("refusal grounds", name, str(count)) for name, count in self.refusal_grounds.items()]
        rows += [("fees announced", name, str(count)) for name, count in self.fees.items()]
        rows += [
            ("Art. 19", "notices sent", str(self.notices_sent)),
            ("Art. 19", "cases with notices sent", str(self.cases_with_notices)),
            ("Art. 19", "notices still to send", str(self.notices_open)),
            ("identity", "checks failed", str(self.failed_checks)),
            ("identity", "cases where identity could not be established", str(self.identity_failed)),
        ]
        return rows

    def csv(self) -> bytes:
        return ("\ufeff" + csv_text(("Section", "Item", "Value"), self.rows())).encode("utf-8")

    def document(self) -> Document:
        title = f"Data-subject requests {self.year}: {self.entity}"
        rate = _rate(self.on_time + self.on_time_extended, self.answered)
        parts = [
            f"<h1>{escape(title)}</h1>",
            f"<p class='sub'>Cases received from {day_month_year(self.first)} to {day_month_year(self.last)}"
            f"{' (the year so far)' if self.last < date(self.year, 12, 31) else ''}, as recorded in DPO Desk on "
            f"{day_month_year(self.made.date())}. No personal data.</p>",
            "<h2>Requests</h2>",
            _facts(
                [
                    ("Received", str(self.received)),
                    ("Answered", str(self.answered)),
                    ("Still open", str(self.open)),
                    ("Still open and past the due date", str(self.open_overdue)),
                    ("Withdrawn by the subject", str(self.withdrawn)),
                ]
            ),
            "<h3>Per month</h3>",
            _bars([(MONTHS[m - 1], count) for m, count in self.by_month.items()]),
            "<h3>Per right</h3>",
            _bars(list(self.by_right.items())),
            "<h3>Per channel</h3>",
            _bars(list(self.by_channel.items())),
            "<h3>Per entity</h3>",
            _bars(list(self.by_entity.items())),
            "<h2>Answers</h2>",
            _facts(
                [
                    ("Median days to answer", _number(self.median_days)),
                    ("90th percentile, days", _number(self.p90_days)),
                    ("On time (first term)", str(self.on_time)),
                    ("On time after an extension (Art. 12(3))", str(self.on_time_extended)),
                    ("Late", str(self.late)),
                    ("Answered on time, of those answered", rate),
                ]
            ),
            "<h3>Per quarter of receipt</h3>",
            _stacked([(f"Q{q}", counts) for q, counts in self.by_quarter.items()]),
            f"<p class='sub'><font color='{ON_TIME}'>■</font> on time &nbsp; <font color='{EXTENDED}'>■</font> on"
            f" time after an extension &nbsp; <font color='{LATE}'>■</font> late</p>",
            "<h2>Refusals and fees</h2>",
            _facts([("Refused in full", str(self.refusals_full)), ("Refused in part", str(self.refusals_partial))]),
            "<h3>Grounds</h3>",
            _bars(list(self.refusal_grounds.items())) if self.refusal_grounds else "<p>No refusal.</p>",
            "<h3>Fees announced</h3>",
            _bars(list(self.fees.items())) if self.fees else "<p>No fee was announced.</p>",
            "<h2>Notifications to recipients (Art. 19)</h2>",
            _facts(
                [
                    ("Notices sent", str(self.notices_sent)),
                    ("Cases with notices sent", str(self.cases_with_notices)),
                    ("Notices still to send", str(self.notices_open)),
                ]
            ),
            "<h2>Identity</h2>",
            _facts(
                [
                    ("Identity checks that failed", str(self.failed_checks)),
                    ("Cases where identity could not be established (Art. 11(2))", str(self.identity_failed)),
                ]
            ),
        ]
        return Document(body=STYLE + "".join(parts), paper=A4, title=title, author="DPO Desk")


STYLE = """<style>
h1 { font-size: 15pt; margin-top: 0px; margin-bottom: 4px; }
h2 { font-size: 12pt; margin-top: 16px; margin-bottom: 6px; }
h3 { font-size: 10pt; margin-top: 10px; margin-bottom: 4px; }
p { font-size: 9.5pt; margin-top: 0px; margin-bottom: 6px; }
p.sub { color: #555555; font-size: 8.5pt; }
td { font-size: 9pt; padding: 1px 4px; }
</style>"""


def yearly_report(
    statistics_: Statistics, year: int, *, entity_id: int | None, entity_name: str, made: datetime
) -> YearReport:
    first, last = date(year, 1, 1), date(year, 12, 31)
    cases = statistics_.received(first, last, entity_id)
    rights: Counter[str] = Counter()
    for case in cases:
        rights.update(Right(key).label for key in (case["right_keys"] or "").split(",") if key)
    answered = [case for case in cases if case["answered_on"]]
    days = sorted(
        (date.fromisoformat(case["answered_on"]) - date.fromisoformat(case["received_date"])).days for case in answered
    )
    quarters = {quarter: [0, 0, 0] for quarter in range(1, 5)}
    for case in answered:
        quarter = (date.fromisoformat(case["received_date"]).month - 1) // 3 + 1
        quarters[quarter][_how(case)] += 1
    grounds: Counter[str] = Counter()
    for case in cases:
        if case["refusal_grounds"]:
            grounds.update(RefusalGround(ground).label for ground in json.loads(case["refusal_grounds"]))
    months = Counter(date.fromisoformat(case["received_date"]).month for case in cases)
    return YearReport(
        year=year,
        entity=entity_name,
        received=len(cases),
        by_right=_ordered(rights, [right.label for right in Right]),
        by_channel=_ordered(Counter(Channel(c["channel"]).label for c in cases), [ch.label for ch in Channel]),
        by_entity=dict(sorted(Counter(case["entity"] for case in cases).items())),
        by_month={month: months.get(month, 0) for month in range(1, 13)},
        answered=len(answered),
        open=sum(1 for case in cases if Status(case["status"]).is_open),
        open_overdue=sum(
            1 for case in cases if Status(case["status"]).is_open and case["due_date"] < made.date().isoformat()
        ),
        withdrawn=sum(1 for case in cases if case["status"] == Status.WITHDRAWN and not case["answered_on"]),
        median_days=statistics.median(days) if days else None,
        p90_days=days[math.ceil(0.9 * len(days)) - 1] if days else None,
        on_time=sum(1 for case in answered if _how(case) == 0),
        on_time_extended=sum(1 for case in answered if _how(case) == 1),
        late=sum(1 for case in answered if _how(case) == 2),
        by_quarter={quarter: (a, b, c) for quarter, (a, b, c) in quarters.items()},
        refusals_full=sum(1 for case in cases if case["refusal_partial"] == 0),
        refusals_partial=sum(1 for case in cases if case["refusal_partial"] == 1),
        refusal_grounds=dict(grounds.most_common()),
        fees=_ordered(
            Counter(FeeBasis(case["fee_basis"]).label for case in cases if case["fee_basis"]),
            [basis.label for basis in FeeBasis],
        ),
        notices_sent=sum(case["notices_sent"] for case in cases),
        cases_with_notices=sum(1 for case in cases if case["notices_sent"]),
        notices_open=sum(case["notices_open"] for case in cases),
        failed_checks=sum(case["failed_checks"] for case in cases),
        identity_failed=sum(1 for case in cases if case["identity_decision"] == "failed"),
        made=made,
    )


def _how(case: dict[str, Any]) -> int:
    """0 on time, 1 on time after an extension, 2 late."""
    if case["answered_on"] > case["due_date"]:
        return 2
    return 1 if case["extended"] else 0


def _ordered(counts: Counter[str], order: list[str]) -> dict[str, int]:
    return {name: counts[name] for name in order if counts.get(name)}


def _number(value: float | None) -> str:
    if value is None:
        return "none answered"
    return f"{value:g}"


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "none answered"


def _facts(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td width='60%'>{escape(k)}</td><td align='right'>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table width='70%' cellspacing='0'>{cells}</table>"


def _bars(rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as a table: Qt honours a cell's width in per cent (not a nested table's), so
    each bar is a coloured cell beside an empty one, and no image is needed."""
    top = max((count for _, count in rows), default=0) or 1
    lines = []
    for name, count in rows:
        bar = _bar([(count, BAR_COLOUR)], count / top)
        lines.append(f"<tr><td width='28%'>{escape(name)}</td><td width='62%'>{bar}</td>")
        lines.append(f"<td align='right'>{count:,}</td></tr>")
    return f"<table width='100%' cellspacing='1'>{''.join(lines)}</table>"


def _stacked(rows: list[tuple[str, tuple[int, int, int]]]) -> str:
    top = max((sum(counts) for _, counts in rows), default=0) or 1
    lines = []
    for name, counts in rows:
        total = sum(counts)
        bar = _bar(list(zip(counts, (ON_TIME, EXTENDED, LATE), strict=True)), total / top)
        rate = _rate(counts[0] + counts[1], total)
        lines.append(
            f"<tr><td width='20%'>{name}</td><td width='50%'>{bar}</td>"
            f"<td align='right'>{total:,} answered, {rate} on time</td></tr>"
        )
    return f"<table width='100%' cellspacing='1'>{''.join(lines)}</table>"


def _bar(segments: list[tuple[int, str]], share: float) -> str:
    """Coloured cells, together ``share`` of the width, each as wide as its count; then the rest, empty."""
    total = sum(count for count, _ in segments)
    if not total:
        return ""
    cells = "".join(
        f"<td width='{max(1, round(100 * share * count / total))}%' bgcolor='{colour}'>&nbsp;</td>"
        for count, colour in segments
        if count
    )
    rest = 100 - round(100 * share)
    return f"<table width='100%' cellspacing='0' cellpadding='0'><tr>{cells}<td width='{rest}%'></td></tr></table>"
