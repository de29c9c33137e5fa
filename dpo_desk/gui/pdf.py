"""HTML to PDF through Qt: QTextDocument laid out on a QPdfWriter, with "Page X of Y" on every page.

The one place that knows how Qt prints; letters and sheet booklets hand it HTML.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from dpo_desk.files import partial_path, publish

RESOLUTION = 300
MARGINS_MM = QMarginsF(20, 18, 20, 14)
FOOTER_MM = 8


@functools.cache
def load_shipped_fonts() -> tuple[str, ...]:
    """Register the fonts shipped in dpo_desk/resources/fonts, so letters look the same on every laptop."""
    families: list[str] = []
    for font in sorted(files("dpo_desk.resources").joinpath("fonts").iterdir(), key=lambda f: f.name):
        if font.name.endswith(".ttf"):
            with as_file(font) as path:
                families += QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))
    return tuple(dict.fromkeys(families))


def render(html: str, target: Path, title: str, paper: str) -> int:
    """The renderer the letter store takes (see dpo_desk.store.letters.Renderer)."""
    return write_pdf(html, target, title=title, page=paper)


def headless_renderer() -> Callable[[str, Path, str, str], int]:
    """For the command line: a Qt application that never opens a window, then :func:`render`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if QGuiApplication.instance() is None:
        _APPLICATIONS.append(QGuiApplication([]))
    return render


_APPLICATIONS: list[QGuiApplication] = []  # keeps the command line's application alive until exit


def write_pdf(html: str, target: Path, *, title: str, author: str = "", page: str = "A4") -> int:
    """Render ``html`` to ``target``; returns the number of pages. A partial file never takes the name."""
    load_shipped_fonts()
    partial = partial_path(target)
    writer = QPdfWriter(str(partial))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(author or "DPO Desk")
    size = QPageSize(QPageSize.PageSizeId.Letter if page == "Letter" else QPageSize.PageSizeId.A4)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    # WORKAROUND: without the writer as paint device, text comes out a third of its size (platform-notes.md).
    document.documentLayout().setPaintDevice(writer)
    document.setHtml(html)
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer = FOOTER_MM / 25.4 * RESOLUTION
    body_height = area.height() - footer
    document.setPageSize(QSizeF(area.width(), body_height))
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            painter.save()
            painter.translate(0, -number * body_height)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, number * body_height, area.width(), body_height)
            document.documentLayout().draw(painter, context)
            painter.restore()
            painter.setFont(QFont("DejaVu Sans", 8))
            painter.drawText(
                QRectF(0, body_height, area.width(), footer),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"Page {number + 1} of {pages}",
            )
    finally:
        painter.end()
    del writer  # closes the file
    publish(partial, target)
    return pages
