"""Where things sit on a posted letter, in millimetres: the window of the envelope it travels in, the fold
and punch marks, and what the pages after the first repeat. Qt-free: the GUI's PDF writer draws from it.

A4 follows DIN 5008 form B (the address field 20 mm from the left and 45 mm from the top, 85 x 45 mm, a
5 mm return-address line at its top; folds at 105 and 210 mm, the punch mark at 148.5 mm). US Letter
follows a #10 window envelope (a 4 x 1 1/8 inch window about 7/8 inch from the left and 2 inches from the
top of the tri-folded sheet; folds at thirds).

On both, nothing but the return-address line and the addressee prints in the window: the letterhead sits top
right and ends above it, the information block (date, reference) beside it from 125 mm (DIN 5008 B), the
body starts 8.5 mm below the address field (98.5 mm on A4), aligned with the address 5 mm inside the
window's edge. Later pages carry a running header from 10 mm and their body from 25 mm; every body ends
20 mm above the foot, where page 1 says "Page 1 of N".
"""

from __future__ import annotations

from dataclasses import dataclass

MARGIN_RIGHT = 20  # every page of a letter
MARGIN_BOTTOM = 20  # the body ends here; "Page X of Y" sits below it
ADDRESS_INDENT = 5  # the address and the body start this far right of the window's edge
INFO_LEFT = 125  # DIN 5008 B: the information block (date, reference) starts here
INFO_GAP = 5  # beside the window: never nearer to it than this
BODY_GAP = 8.5  # DIN 5008 B: the body starts this far below the address field (98.5 mm on A4)
LETTERHEAD_TOP = 10
CONTINUATION_TOP = 10  # the running header of the pages after the first
CONTINUATION_BODY = 25  # and their body
MARK_LEFT, MARK_LENGTH, PUNCH_LENGTH = 4.0, 5.0, 7.0  # fold and punch marks at the left edge


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True, slots=True)
class Paper:
    name: str  # "A4" or "Letter", as the LETTER_PAPER setting names it
    width: float
    height: float
    window: Box  # the whole address field, return-address line included
    return_line: float  # height of the return-address line at the top of the window
    folds: tuple[float, ...]  # distances from the top edge
    punch: float
    address_top: float = 0  # where the addressee's first line goes when it fits (0: just below the return line)

    @property
    def text_left(self) -> float:
        """The left edge of the address, the body and the continuation header."""
        return self.window.left + ADDRESS_INDENT

    @property
    def text_width(self) -> float:
        return self.width - MARGIN_RIGHT - self.text_left

    @property
    def return_box(self) -> Box:
        return Box(self.text_left, self.window.top, self.window.right - 2 - self.text_left, self.return_line)

    @property
    def address_box(self) -> Box:
        """Inside the window, below the return-address line."""
        top = self.window.top + self.return_line + 1
        return Box(self.text_left, top, self.window.right - 2 - self.text_left, self.window.bottom - 1 - top)

    @property
    def info(self) -> Box:
        """Beside the window, from its top (below the return-address line) to the start of the body."""
        left = max(INFO_LEFT, self.window.right + INFO_GAP)
        top = self.window.top + self.return_line
        return Box(left, top, self.width - MARGIN_RIGHT - left, self.body_top - 3 - top)

    @property
    def letterhead(self) -> Box:
        """Top right, ending above the window (and so above the information block)."""
        left = self.window.right
        return Box(left, LETTERHEAD_TOP, self.width - MARGIN_RIGHT - left, self.window.top - 2 - LETTERHEAD_TOP)

    @property
    def body_top(self) -> float:
        """Where the body (its title first) starts on the first page."""
        return self.window.bottom + BODY_GAP

    @property
    def body_bottom(self) -> float:
        return self.height - MARGIN_BOTTOM


A4 = Paper(
    "A4",
    210,
    297,
    window=Box(20, 45, 85, 45),
    return_line=5,
    folds=(105, 210),
    punch=148.5,
    address_top=62.7,  # DIN 5008: 12.7 mm of endorsement zone below the return line, then the address zone
)
LETTER = Paper(
    "Letter",
    215.9,
    279.4,
    window=Box(22.2, 50.8, 101.6, 28.6),
    return_line=4,
    folds=(93.1, 186.3),
    punch=139.7,
)
PAPERS = {paper.name: paper for paper in (A4, LETTER)}


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The fixed parts of a posted letter's first page, each HTML laid out in its own box."""

    letterhead: str  # the sender, top right
    return_address: str  # plain text: one line at the top of the window
    address: str  # the addressee, in the window
    info: str  # date and reference, beside the window (never in it)


@dataclass(frozen=True, slots=True)
class Document:
    """What the PDF writer renders: HTML flowing over the pages, and for a posted letter its first page."""

    body: str
    paper: Paper
    title: str  # the PDF's title
    style: str = ""  # CSS for the body and every part of the first page
    author: str = ""
    first_page: FirstPage | None = None  # a posted letter: address field, fold and punch marks
    running_header: str = ""  # plain text on every page after the first, beside "Page X of Y"
    page_number: str = "Page {number} of {count}"  # a letter's, in its language (its catalogue)
    # Documents printed after this one in the same PDF, its pages numbered on (an access copy's data): each
    # laid out on its own, so that a long appendix is many small layouts, not one long one.
    appendix: tuple[Document, ...] = ()
    # An appendix part printed as the letter's later pages: its margins, and its running header on each page.
    continues_letter: bool = False


@dataclass(frozen=True, slots=True)
class Frame:
    """Where a document's text flows, in mm: the same left edge and width on every page, a first page that
    may start lower (a letter's body starts below the address field), and where the page numbers go."""

    left: float
    width: float
    first_top: float  # the body of page 1
    top: float  # the body of the pages after it
    bottom: float  # the body of every page ends here
    footer: Box  # "Page X of Y" on page 1 (on every page of a document that is not a letter)
    header: Box | None  # a letter's later pages: the running header and "Page X of Y", a rule below

    @property
    def page_height(self) -> float:
        """The body's height on the pages after the first; page 1 holds ``first_top - top`` less."""
        return self.bottom - self.top


def frame(document: Document) -> Frame:
    paper = document.paper
    if document.first_page is None and not document.continues_letter:
        # a sheet or a booklet: margins 20 / 18 / 20 / 14 mm, an 8 mm footer
        bottom = paper.height - 22
        return Frame(20, paper.width - 40, 18, 18, bottom, Box(20, bottom, paper.width - 40, 8), None)
    left, width = paper.text_left, paper.text_width
    return Frame(
        left,
        width,
        CONTINUATION_BODY if document.continues_letter else paper.body_top,
        CONTINUATION_BODY,
        paper.body_bottom,
        footer=Box(left, paper.body_bottom + 2, width, 6),
        header=Box(left, CONTINUATION_TOP, width, 6),
    )
