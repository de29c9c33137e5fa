"""A :class:`~dpo_desk.letters.page.Document` to PDF through Qt: QTextDocument laid out on a QPdfWriter.

A posted letter (a document with a first page) is laid out as letters/page.py says: the letterhead top right,
the return-address line and the addressee in the envelope window and nothing else there, the date and
reference beside it, fold and punch marks at the left edge; the body starts below the address field and
flows over pages that start below a running header. Any other document (a sheet booklet) gets plain
margins. Every page says "Page X of Y".

Pagination is Qt's own: the body is one QTextDocument whose page size is the body area of the pages after
the first, an empty first block taking up what page 1 lacks; page N paints exactly the document's page N,
translated by whole pages and clipped to the body area, so nothing (table borders neither) crosses into the
header or the footer. Before painting, a heading left last on a page, or a closing and signature left
without the paragraph before them, get a page break before them; a paragraph running over a page break is
split there (see :func:`_paginate`: else Qt prints its last line of one page again on the next).

The one place that knows how Qt prints; letters and sheet booklets hand it a Document.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
)

from dpo_desk.core.progress import Progress
from dpo_desk.files import write_private
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.letters import page
from dpo_desk.letters.page import Box, Document, FirstPage, Frame

RESOLUTION = 300
FONT = "DejaVu Sans"
SIGNATURE_ANCHOR = "signature"  # <a name="signature"> opens a letter's signature (templates/base.html.j2)
RETURN_ADDRESS_PT = (7.0, 6.5, 6.0, 5.5)  # the largest that fits the window's width on one line
MARGINAL_PT = 8  # the running header and the page numbers
_EDGE = 1.0  # device pixels: a line ending on a page's last pixel belongs to that page only
# Each split, move or margin dropped lays the body out again; a booklet of many pages needs many of them.
_STEPS_PER_PAGE = 8  # at most this many layouts of a body, a page (and at least 200)
_MOVES_PER_PAGE = 2  # at most this many keep-together page breaks, a page (and at least 12)
_PAPER_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
_GREY = QColor("#444444")


def render(document: Document, progress: Progress | None = None) -> bytes:
    """The renderer the letter store takes (see dpo_desk.store.letters.Renderer): the PDF, in memory, so
    that a letter to be encrypted never reaches a disk in plain."""
    return pdf_bytes(document, progress)[0]


def headless_renderer() -> Callable[[Document], bytes]:
    """For the command line: a Qt application that never opens a window, then :func:`render`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if QGuiApplication.instance() is None:
        _APPLICATIONS.append(QGuiApplication([]))
    return render


_APPLICATIONS: list[QGuiApplication] = []  # keeps the command line's application alive until exit


def pdf_bytes(document: Document, progress: Progress | None = None) -> tuple[bytes, int]:
    """``document`` as a PDF in memory, and its number of pages."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(document.title)
    writer.setCreator(document.author or "DPO Desk")
    pages = paint(document, writer, progress)
    del writer  # ends the PDF
    buffer.close()
    return bytes(buffer.data().data()), pages


def write_pdf(document: Document, target: Path) -> int:
    """Render ``document`` to ``target``, whole or not at all and readable by its owner only; returns the
    number of pages."""
    data, pages = pdf_bytes(document)
    write_private(target, data)
    return pages


def paint(document: Document, device: QPagedPaintDevice, progress: Progress | None = None) -> int:
    """Lay ``document`` out on ``device`` (a PDF writer, a printer, a print preview), sized to its paper and
    measured from the sheet's edge; returns the number of pages. ``progress`` hears each part laid out and
    each page painted, n of N (and may raise to stop: an access copy of 10,000 records has 250 parts)."""
    report = progress or (lambda done, total, text: None)
    load_shipped_fonts()
    paper = document.paper
    size = (
        QPageSize(_PAPER_SIZES[paper.name])
        if paper.name in _PAPER_SIZES
        else QPageSize(QSizeF(paper.width, paper.height), QPageSize.Unit.Millimeter)
    )
    if hasattr(device, "setFullPage"):  # a printer: its coordinates start at the sheet's edge, not the margin
        device.setFullPage(True)
    layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    if not device.setPageLayout(layout):  # a printer that cannot print to the edge keeps its margins
        device.setPageSize(size)
    documents = (document, *document.appendix)
    parts: list[_LaidOut] = []
    for done, each in enumerate(documents):
        report(done, len(documents), f"Laying out part {done + 1:,} of {len(documents):,}…")
        parts.append(_laid_out(each, device))
    total = sum(part.pages for part in parts)
    painter = QPainter(device)
    try:
        number = 0
        for part in parts:
            for index in range(part.pages):
                if number:
                    device.newPage()
                if len(documents) > 1:  # a letter alone paints in a moment
                    report(number, total, f"Writing page {number + 1:,} of {total:,}…")
                number += 1
                part.paint_page(painter, index, document.page_number.format(number=number, count=total))
    finally:
        painter.end()
    return total


@dataclass(frozen=True, slots=True)
class _LaidOut:
    """One document laid out for the device, its pages ready to paint."""

    document: Document
    sheet: _Sheet
    flow: Frame
    body: QTextDocument
    pages: int

    def paint_page(self, painter: QPainter, index: int, number: str) -> None:
        document, sheet, flow = self.document, self.sheet, self.flow
        if index == 0 and document.first_page is not None:
            sheet.first_page(painter, document.paper, document.first_page)
        if flow.header is not None and (index or document.continues_letter):
            sheet.header(painter, flow.header, document.running_header, number)
        else:
            sheet.marginal(painter, flow.footer, number, Qt.AlignmentFlag.AlignRight)
        sheet.body_page(painter, self.body, flow, index)


def _laid_out(document: Document, device: QPagedPaintDevice) -> _LaidOut:
    sheet = _Sheet(device, document.style)
    flow = page.frame(document)
    body = sheet.text(document.body, flow.width)
    body.setPageSize(QSizeF(sheet.mm(flow.width), sheet.mm(flow.page_height)))
    _reserve_top(body, sheet.mm(flow.first_top - flow.top), sheet.dpi)
    return _LaidOut(document, sheet, flow, body, _paginate(body))


# --- laying text out ---------------------------------------------------------------------------------


def _layout(body: QTextDocument) -> int:
    """Lay the whole body out again; returns its pages. (After blocks were inserted or reformatted, Qt's
    incremental layout can leave later blocks where they were, overlapping or with gaps.)"""
    body.markContentsDirty(0, body.characterCount())
    return body.pageCount()


def _sizes_as_written(document: QTextDocument) -> None:
    """Qt's HTML import gives h1 to h3 (and big, small) a size step on top of any size the style sheet
    gives them, so an h1 of 13pt prints at 20pt: where the text has a size of its own, drop the step."""
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            form = fragment.charFormat()
            if form.hasProperty(QTextFormat.Property.FontSizeAdjustment) and form.fontPointSize() > 0:
                form.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(form)
            fragments += 1
        block = block.next()


def _reserve_top(body: QTextDocument, height: float, dpi: float) -> None:
    """Page 1's body starts lower than the others' (below the address field): an empty block goes first,
    its bottom margin the difference. (Qt drops the top margin of a page's first block, and scales block
    margins from CSS pixels to the device, so the margin is measured, not computed.)"""
    if height <= 0:
        return
    _layout(body)
    cursor = QTextCursor(body)
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.insertBlock()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    spacer = QTextBlockFormat()
    cursor.setBlockFormat(spacer)
    tiny = QTextCharFormat()
    tiny.setFontPointSize(1)
    cursor.setBlockCharFormat(tiny)
    layout = body.documentLayout()
    for _ in range(3):
        _layout(body)
        top = layout.blockBoundingRect(body.begin().next()).top()
        if abs(top - height) < 0.5:
            return
        spacer.setBottomMargin(spacer.bottomMargin() + (height - top) * 96 / dpi)
        cursor.setBlockFormat(spacer)


# --- keeping things together ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    """A block or a table of the body's top level, and where its lines lie (document pixels)."""

    block: QTextBlock | None
    frame: QTextFrame | None
    lines: tuple[tuple[float, float], ...]  # (top, bottom) of each line; a table's whole extent

    @property
    def top(self) -> float:
        return self.lines[0][0]

    @property
    def bottom(self) -> float:
        return self.lines[-1][1]


def _lines(body: QTextDocument, block: QTextBlock) -> tuple[tuple[float, float], ...]:
    """The (top, bottom) of each line of ``block``, in the body's coordinates (tables' cells included)."""
    text = block.layout()
    y = body.documentLayout().blockBoundingRect(block).top()
    return tuple(
        (y + text.lineAt(n).y(), y + text.lineAt(n).y() + text.lineAt(n).height()) for n in range(text.lineCount())
    )


def _items(body: QTextDocument) -> Iterator[_Item]:
    layout = body.documentLayout()
    children = body.rootFrame().begin()
    while not children.atEnd():
        frame, block = children.currentFrame(), children.currentBlock()
        if frame is not None:
            box = layout.frameBoundingRect(frame)
            yield _Item(None, frame, ((box.top(), box.bottom()),))
        elif block.isValid() and block.text().strip():
            lines = _lines(body, block)
            if lines:
                yield _Item(block, None, lines)
        children += 1


def _paginate(body: QTextDocument) -> int:
    """Lay the body out until its page breaks fall well; returns its pages.

    No heading is left last on a page, and no closing and signature on a page without at least two lines
    of the paragraph before them: such a heading or paragraph gets a page break before it.

    Every page break falls between blocks. QTextLayout::draw also paints the last line above the clip
    (qtextlayout.cpp: ``firstLine = i`` for a line above it), so a paragraph running over a page break
    would print its last line of one page again at the top of the next; the painter's clip hides it from
    the eye, not from the PDF's text. So such a paragraph becomes two blocks at the break, its lines
    staying where they were.

    And every page after the first starts at its top: Qt carries the bottom margin of a page's last block
    over to the top of the next page; that margin goes."""
    height = body.pageSize().height()
    moves = 0
    first = _layout(body)
    most_moves = max(12, _MOVES_PER_PAGE * first)
    for _ in range(max(200, _STEPS_PER_PAGE * first)):
        pages = _layout(body)
        items = list(_items(body))
        move = (_heading_left_behind(items, height) or _signature_alone(items, height)) if moves < most_moves else None
        if move is not None:
            _break_before(move)
            moves += 1
            continue
        found = next(((block, line) for block in _blocks(body) if (line := _first_on_next_page(body, block))), None)
        if found is not None:
            _split(*found)
        elif not _close_gap_at_page_top(items, height):
            return pages
    return _layout(body)


def _break_before(item: _Item) -> None:
    if item.frame is not None:
        frame_format = item.frame.frameFormat()
        frame_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        item.frame.setFrameFormat(frame_format)
    elif item.block is not None:
        block_format = QTextBlockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(item.block).mergeBlockFormat(block_format)
        following = item.block.next()
        if item.block.blockFormat().headingLevel() and following.isValid():
            # the paragraph a heading keeps with may have been moved to a new page itself (a list item that
            # ran over one); now that the heading goes first, it follows the heading, not a second break
            auto = QTextBlockFormat()
            auto.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
            QTextCursor(following).mergeBlockFormat(auto)


def _split(block: QTextBlock, line: int) -> None:
    """``block`` as two blocks, the second starting with ``line`` on a new page."""
    if block.textList() is not None:  # splitting an item would add a bullet: it goes over whole
        moved = QTextBlockFormat()
        moved.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(block).mergeBlockFormat(moved)
        return
    start = block.layout().lineAt(line).textStart()
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + start)
    if block.text()[start - 1] == "\u2028":  # a <br> ended the line before: the block break replaces it
        cursor.deletePreviousChar()
    rest = block.blockFormat()
    rest.setTopMargin(0)
    rest.setTextIndent(0)
    rest.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    cursor.insertBlock(rest)
    ends = block.blockFormat()
    ends.setBottomMargin(0)
    QTextCursor(block).setBlockFormat(ends)


def _close_gap_at_page_top(items: list[_Item], height: float) -> bool:
    """Drop the margins between the first item of a page that starts below the page's top and the last item
    of the page before; whether there were any."""
    for before, item in itertools.pairwise(items):
        number = _page(item.top, height)
        starts_low = number > _last_page(before.bottom, height) and item.top > number * height + _EDGE
        if starts_low and (_no_margin(before, bottom=True) | _no_margin(item, bottom=False)):  # both go
            return True
    return False


def _no_margin(item: _Item, *, bottom: bool) -> bool:
    """Set the item's bottom (or top) margin to 0; whether it had one."""
    form: QTextFrameFormat | QTextBlockFormat
    if item.frame is not None:
        form = item.frame.frameFormat()
    else:
        assert item.block is not None
        form = item.block.blockFormat()
    had = form.bottomMargin() if bottom else form.topMargin()
    if bottom:
        form.setBottomMargin(0)
    else:
        form.setTopMargin(0)
    if isinstance(form, QTextFrameFormat) and item.frame is not None:
        item.frame.setFrameFormat(form)
    elif isinstance(form, QTextBlockFormat) and item.block is not None:
        QTextCursor(item.block).setBlockFormat(form)
    return had > 0


def _first_on_next_page(body: QTextDocument, block: QTextBlock) -> int:
    """The first line of ``block`` on a later page than its first line; 0 when it is on one page."""
    height = body.pageSize().height()
    lines = _lines(body, block)
    first = _page(lines[0][0], height) if lines else 0
    return next((number for number, (top, _) in enumerate(lines) if _page(top, height) > first), 0)


def _blocks(body: QTextDocument) -> Iterator[QTextBlock]:
    block = body.begin()
    while block.isValid():
        yield block
        block = block.next()


def _page(top: float, height: float) -> int:
    """The page a line starting at ``top`` is on."""
    return int((top + _EDGE) // height)


def _last_page(bottom: float, height: float) -> int:
    """The page a line ending at ``bottom`` is on."""
    return int((bottom - _EDGE) // height)


def _starts_page(items: list[_Item], index: int, height: float) -> bool:
    """Whether the item is the first on its page already (so a page break before it moves nothing)."""
    return index == 0 or _page(items[index].top, height) > _last_page(items[index - 1].bottom, height)


def _heading_left_behind(items: list[_Item], height: float) -> _Item | None:
    """A heading whose next paragraph (its first two lines) or table starts on a later page."""
    for index, (item, after) in enumerate(itertools.pairwise(items)):
        if item.block is None or item.block.blockFormat().headingLevel() == 0:
            continue
        if after.block is None:
            starts = _page(after.top, height)
        else:
            starts = _last_page(after.lines[min(1, len(after.lines) - 1)][1], height)
        if starts > _page(item.top, height) and not _starts_page(items, index, height):
            return item
    return None


def _signature_alone(items: list[_Item], height: float) -> _Item | None:
    """The paragraph before the closing, when the closing and the signature do not share a page with two of
    its lines (or all of them, or the end of a table)."""
    signature = next(
        (n for n, item in enumerate(items) if item.block is not None and SIGNATURE_ANCHOR in _anchors(item.block)),
        None,
    )
    if signature is None or signature < 2:
        return None
    before, closing, last = items[signature - 2], items[signature - 1], items[signature]
    page_number = _last_page(last.bottom, height)
    together = _page(closing.top, height) == page_number
    if before.block is not None:
        shared = sum(1 for top, _ in before.lines if _page(top, height) == page_number)
        together &= shared >= min(2, len(before.lines))
    else:
        together &= _last_page(before.bottom, height) == page_number
    if together or _starts_page(items, signature - 2, height):
        return None
    return before


def _anchors(block: QTextBlock) -> list[str]:
    names: list[str] = []
    fragments = block.begin()
    while not fragments.atEnd():
        names += fragments.fragment().charFormat().anchorNames()
        fragments += 1
    return names


# --- painting ------------------------------------------------------------------------------------


class _Sheet:
    """Paints on one device, in its pixels: millimetres converted at its resolution."""

    def __init__(self, device: QPagedPaintDevice, style: str) -> None:
        self.device = device
        self.style = style
        self.dpi = float(device.logicalDpiY())
        self.layout_device: QPagedPaintDevice = device
        if not isinstance(device, QPdfWriter):
            # WORKAROUND: PySide6 refuses the printer QPrintPreviewDialog hands over as a text layout's paint
            # device ("Internal C++ object already deleted"); a PDF writer into memory at the printer's
            # resolution lays the text out the same way, and the painting still goes to the printer.
            self._buffer = QBuffer()
            writer = QPdfWriter(self._buffer)
            writer.setResolution(round(self.dpi))
            self.layout_device = writer

    def mm(self, value: float) -> float:
        return value / 25.4 * self.dpi

    def rect(self, box: Box) -> QRectF:
        return QRectF(self.mm(box.left), self.mm(box.top), self.mm(box.width), self.mm(box.height))

    def text(self, html: str, width_mm: float) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(QFont(FONT, 10))
        document.setDefaultStyleSheet(self.style)
        # WORKAROUND: without the device as paint device, text comes out a third of its size (platform-notes.md).
        document.documentLayout().setPaintDevice(self.layout_device)
        document.setDocumentMargin(0)  # the boxes of letters/page.py are the text's own edges
        document.setHtml(html)
        _sizes_as_written(document)
        document.setTextWidth(self.mm(width_mm))
        return document

    def body_page(self, painter: QPainter, body: QTextDocument, flow: Frame, index: int) -> None:
        """Page ``index`` of the body's own pagination, exactly: the translation by whole pages matches
        QTextDocument's page breaks, and the clip keeps everything (table borders too) in the body area."""
        height = body.pageSize().height()
        top = flow.first_top if index == 0 else flow.top
        painter.save()
        painter.setClipRect(self.rect(Box(flow.left, top, flow.width, flow.bottom - top)))
        painter.translate(self.mm(flow.left), self.mm(flow.top) - index * height)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = QRectF(0, index * height + _EDGE, body.textWidth(), height - 2 * _EDGE)
        body.documentLayout().draw(painter, context)
        painter.restore()

    def first_page(self, painter: QPainter, paper: page.Paper, first: FirstPage) -> None:
        self.marks(painter, paper)
        self.html(painter, first.letterhead, paper.letterhead)
        self.html(painter, first.info, paper.info)
        self.return_address(painter, first.return_address, paper.return_box)
        box = paper.address_box
        if paper.address_top:  # the address zone below the endorsement zone, when the address fits in it
            height = self.text(first.address, box.width).size().height() / self.mm(1)
            if paper.address_top + height <= box.bottom:
                box = Box(box.left, paper.address_top, box.width, box.bottom - paper.address_top)
        self.html(painter, first.address, box)

    def html(self, painter: QPainter, html: str, box: Box) -> None:
        """``html`` in ``box``: scaled down to fit when it is too tall, and cut at its edges whatever happens."""
        if not html.strip():
            return
        text = self.text(html, box.width)
        scale = min(1.0, self.mm(box.height) / max(text.size().height(), 1.0))
        if scale < 1:
            text.setTextWidth(self.mm(box.width) / scale)  # right-aligned lines still end at the box's edge
        painter.save()
        painter.setClipRect(self.rect(box))
        painter.translate(self.mm(box.left), self.mm(box.top))
        painter.scale(scale, scale)
        text.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def return_address(self, painter: QPainter, line: str, box: Box) -> None:
        """One small line at the top of the window, with a rule under it."""
        if not line:
            return
        width = self.mm(box.width)
        font = QFont(FONT)
        for points in RETURN_ADDRESS_PT:
            font.setPointSizeF(points)
            if QFontMetricsF(font, self.device).horizontalAdvance(line) <= width:
                break
        metrics = QFontMetricsF(font, self.device)
        line = metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
        baseline = self.mm(box.bottom - 1.3)
        left = self.mm(box.left)
        painter.save()
        painter.setFont(font)
        painter.setPen(_GREY)
        painter.drawText(QPointF(left, baseline), line)
        rule = baseline + self.mm(0.6)
        painter.setPen(QPen(_GREY, self.mm(0.1)))
        painter.drawLine(QPointF(left, rule), QPointF(left + metrics.horizontalAdvance(line), rule))
        painter.restore()

    def marks(self, painter: QPainter, paper: page.Paper) -> None:
        """Fold marks, and the longer punch mark, as short lines at the left edge."""
        painter.save()
        painter.setPen(QPen(_GREY, self.mm(0.2)))
        marks = [(fold, page.MARK_LENGTH) for fold in paper.folds] + [(paper.punch, page.PUNCH_LENGTH)]
        for y, length in marks:
            start, end = (
                QPointF(self.mm(page.MARK_LEFT), self.mm(y)),
                QPointF(self.mm(page.MARK_LEFT + length), self.mm(y)),
            )
            painter.drawLine(start, end)
        painter.restore()

    def header(self, painter: QPainter, box: Box, running_header: str, number: str) -> None:
        """A letter's later pages: who and which case on the left, the page on the right, a rule below."""
        if running_header:
            self.marginal(painter, box, running_header, Qt.AlignmentFlag.AlignLeft)
        self.marginal(painter, box, number, Qt.AlignmentFlag.AlignRight)
        painter.save()
        painter.setPen(QPen(QColor("#999999"), self.mm(0.15)))
        rule = self.mm(box.bottom + 1)
        painter.drawLine(QPointF(self.mm(box.left), rule), QPointF(self.mm(box.right), rule))
        painter.restore()

    def marginal(self, painter: QPainter, box: Box, text: str, align: Qt.AlignmentFlag) -> None:
        painter.save()
        painter.setFont(QFont(FONT, MARGINAL_PT))
        painter.setPen(_GREY)
        painter.drawText(self.rect(box), int(align | Qt.AlignmentFlag.AlignBottom), text)
        painter.restore()
