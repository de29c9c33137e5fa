"""CSV files a spreadsheet opens safely: every CSV DPO Desk writes goes through :func:`csv_text`.

A cell that a spreadsheet would run as a formula (OWASP "CSV injection") starts with ``= + - @``, a tab,
a carriage return, a line feed or a NUL; it gets a leading apostrophe, which the import takes off again.
Every cell is quoted and rows end in CRLF (RFC 4180), so a carriage return inside a cell can never end a
row for a reader that splits on it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


_RISKY_FIRST = frozenset("'" + "".join(FORMULA_START))  # a cell starting otherwise needs no closer look


def neutralised(cell: str) -> str:
    return "'" + cell if cell[:1] in _RISKY_FIRST and _runs_as_formula(cell) else cell


def unneutralised(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _runs_as_formula(cell[1:]) else cell


def _runs_as_formula(cell: str) -> bool:
    # Apostrophes already leading the cell are looked past, so that a cell written as "'=x" by the DPO
    # gets one more and comes back from the import exactly as it was.
    return cell.lstrip("'").startswith(FORMULA_START)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    risky, runs = _RISKY_FIRST, _runs_as_formula  # neutralised(), inline: a bundle has millions of cells
    writer.writerows([("'" + cell if cell[:1] in risky and runs(cell) else cell) for cell in row] for row in rows)
    return out.getvalue()
