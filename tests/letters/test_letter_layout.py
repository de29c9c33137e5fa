"""Letters laid out for the post, read back with poppler as a printer would see them: only the return line
and the addressee in the envelope window (DIN 5008 form B on A4, a #10 window on US Letter), the date and
reference beside it, fold and punch marks, a running header on later pages, headings at their sizes, no line
printed twice at a page break, tables clear of the footer, and no signature alone on its page."""

import html
import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from dpo_desk.application.desk import Desk
from dpo_desk.gui import pdf
from dpo_desk.letters import page
from dpo_desk.letters.compose import environment
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import ENGLISH, letter_language
from dpo_desk.letters.page import Box, Document, FirstPage, Paper
from tests.conftest import NOW, new_case

MM = 72 / 25.4  # PDF points in a millimetre
SLACK = 0.5 * MM  # what a glyph's box may stick out
CONTEXT: dict[str, Any] = {
    "font": "DejaVu Sans",
    "title": "Your request has been received",
    "today": "1 Dec 2026",
    "case": {"reference": "DSR-2026-0042"},
    "entity": {
        "name": "Altoros Norge AS",
        "address_lines": ["Kongens gate 3", "0153 Oslo", "Norway"],
        "org_number": "894 684 992",
        "phone": "+47 21 92 93 00",
        "dpo_name": "Aleksey Lekontsev",
        "dpo_email": "dpo@altoros.com",
    },
    "addressee": {"name": "Kari Nordmann", "lines": ["Storgata 5", "0155 Oslo", "Norway"]},
    "words": letter_language(ENGLISH).words("labels"),
}
RETURN_LINE = "Altoros Norge AS · Kongens gate 3 · 0153 Oslo · Norway"
ADDRESSEE = "Kari Nordmann Storgata 5 0155 Oslo Norway"
CLOSING = "<p>Yours sincerely,</p>"


def part(name: str) -> str:
    """A block of the letters' base template (templates/base.html.j2), as the letters use it."""
    base = environment().get_template("base.html.j2")
    return "".join(base.blocks[name](base.new_context(CONTEXT))).strip()


def letter(body: str, paper: Paper = page.A4, *, signed: bool = True) -> Document:
    """A posted letter: the base template's first page and style, ``body`` after the title."""
    ending = CLOSING + part("signature") if signed else ""
    return Document(
        body=f"<h1>{CONTEXT['title']}</h1>{body}{ending}",
        paper=paper,
        title="Test letter",
        style=part("style"),
        author="Altoros Norge AS",
        first_page=FirstPage(
            letterhead=part("letterhead"),
            return_address=" ".join(part("return_address").split()),
            address=part("address"),
            info=part("info"),
        ),
        running_header="Altoros Norge AS · DSR-2026-0042",
    )


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def within(self, box: Box) -> bool:
        """Wholly inside ``box`` (millimetres)."""
        return (
            self.x0 >= box.left * MM - SLACK
            and self.x1 <= box.right * MM + SLACK
            and self.y0 >= box.top * MM - SLACK
            and self.y1 <= box.bottom * MM + SLACK
        )

    def touches(self, box: Box) -> bool:
        return not (
            self.x1 <= box.left * MM
            or self.x0 >= box.right * MM
            or self.y1 <= box.top * MM
            or self.y0 >= box.bottom * MM
        )

    @property
    def height(self) -> float:
        return self.y1 - self.y0


_WORD = re.compile(r'<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def words(path: Path) -> list[Word]:
    """Every word poppler reads, with its page and box (points from the sheet's top left)."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found: list[Word] = []
    number = 0
    for match in _WORD.finditer(bbox):
        if match.group(0) == "<page ":
            number += 1
            continue
        text = unicodedata.normalize("NFKC", html.unescape(match.group(5)))  # "Oﬃcer" back to "Officer"
        found.append(Word(number, *(float(match.group(n)) for n in range(1, 5)), text))
    return found


def write(document: Document, tmp_path: Path, name: str = "letter.pdf") -> tuple[int, list[Word]]:
    target = tmp_path / name
    pages = pdf.write_pdf(document, target)
    return pages, words(target)


def text_of(found: list[Word]) -> str:
    return " ".join(word.text for word in found)


def marginal(word: Word, paper: Paper) -> bool:
    """The running header and the page numbers: outside the body's area."""
    frame = page.frame(letter("", paper))
    return word.y1 <= frame.top * MM or word.y0 >= frame.bottom * MM


def paragraphs(count: int, words_each: int, prefix: str = "p") -> str:
    """Numbered paragraphs whose every word is unique (p07w12), so a word printed twice shows."""
    return "".join(
        "<p>" + " ".join(f"{prefix}{n:03d}w{k:02d}" for k in range(words_each)) + "</p>" for n in range(count)
    )


# --- the first page ------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", [page.A4, page.LETTER], ids=lambda p: p.name)
def test_the_window_shows_the_return_line_and_the_addressee_only(qapp: object, tmp_path: Path, paper: Paper) -> None:
    body = paragraphs(3, 40)
    pages, found = write(letter(body, paper), tmp_path)
    first = [word for word in found if word.page == 1]
    in_window = [word for word in first if word.touches(paper.window)]
    assert text_of(in_window) == f"{RETURN_LINE} {ADDRESSEE}"
    assert all(word.within(paper.window) for word in in_window)
    return_line = in_window[: len(RETURN_LINE.split())]
    assert all(word.within(paper.return_box) for word in return_line)
    assert all(word.height < 9 for word in return_line)  # ~7pt: its box is 8pt high
    assert len({round(word.y0) for word in return_line}) == 1  # one line
    address = in_window[len(return_line) :]
    assert all(word.y0 >= paper.return_box.bottom * MM for word in address)
    if paper is page.A4:  # DIN 5008: the address zone, below the 12.7 mm endorsement zone
        assert address[0].y0 >= 62.7 * MM - SLACK
    # The date and the reference beside the window, in the information block; the title below the field.
    info = [word for word in first if word.text in ("Dec", "DSR-2026-0042")]
    assert len(info) == 2 and all(word.within(paper.info) and word.x0 >= paper.window.right * MM for word in info)
    title = [word for word in first if word.text in ("Your", "received")][:2]
    assert all(word.y0 >= paper.window.bottom * MM for word in title)
    assert abs(title[0].y0 - paper.body_top * MM) < 3 * MM
    # The letterhead top right, ending above the window (and the information block).
    head = [word for word in first if word.y1 < paper.window.top * MM]
    assert "Altoros Norge AS" in text_of(head) and "dpo@altoros.com" in text_of(head)
    assert all(word.x0 >= paper.window.right * MM - SLACK for word in head)
    assert "Page 1 of 1" in text_of(first) and pages == 1
    with pikepdf.open(tmp_path / "letter.pdf") as document:
        size = [float(v) for v in document.pages[0].mediabox][2:]
    assert [round(v / MM) for v in size] == [round(paper.width), round(paper.height)]


def test_a4_and_letter_put_the_address_where_their_envelopes_have_the_window(qapp: object, tmp_path: Path) -> None:
    placed = {}
    for paper in (page.A4, page.LETTER):
        _, found = write(letter("<p>Short.</p>", paper), tmp_path, f"{paper.name}.pdf")
        name = next(word for word in found if word.text == "Kari")
        placed[paper.name] = (name.x0 / MM, name.y0 / MM)
        assert name.within(paper.window)
    assert placed["A4"][1] > 60 and 52 < placed["Letter"][1] < 60  # DIN address zone; just below the return line
    assert page.A4.window != page.LETTER.window


def _dark(image: Image.Image, x_mm: float, y_mm: float, dpi: int) -> bool:
    x, y = round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi)
    gray = image.convert("L")
    return min(int(gray.getpixel((x, row)) or 0) for row in range(y - 1, y + 2)) < 200


@pytest.mark.parametrize("paper", [page.A4, page.LETTER], ids=lambda p: p.name)
def test_fold_and_punch_marks_at_the_left_edge(qapp: object, tmp_path: Path, paper: Paper) -> None:
    target = tmp_path / "letter.pdf"
    pdf.write_pdf(letter(paragraphs(60, 30), paper), target)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "2", str(target), str(tmp_path / "page")], check=True
    )
    with Image.open(tmp_path / "page-1.png") as first, Image.open(tmp_path / "page-2.png") as second:
        for fold in paper.folds:
            assert _dark(first, 6.5, fold, 100) and not _dark(first, 10.5, fold, 100)
            assert not _dark(first, 6.5, fold + 3, 100)
            assert not _dark(second, 6.5, fold, 100)  # the first page only
        assert _dark(first, 6.5, paper.punch, 100) and _dark(first, 10.5, paper.punch, 100)  # the longer mark


# --- the pages after the first --------------------------------------------------------------------


def test_no_line_is_printed_twice_and_later_pages_carry_the_running_header(qapp: object, tmp_path: Path) -> None:
    pages, found = write(letter(paragraphs(60, 34)), tmp_path)
    assert pages >= 3
    body = [word for word in found if re.fullmatch(r"p\d{3}w\d{2}", word.text)]
    counts = Counter(word.text for word in body)
    assert set(counts) == {f"p{n:03d}w{k:02d}" for n in range(60) for k in range(34)}
    assert [text for text, count in counts.items() if count != 1] == []
    assert [word.text for word in body] == sorted(word.text for word in body)  # in reading order
    frame = page.frame(letter(""))
    for number in range(1, pages + 1):
        on_page = [word for word in found if word.page == number]
        top = frame.first_top if number == 1 else frame.top
        lines = [word for word in body if word.page == number]
        assert all(top * MM - SLACK <= word.y0 and word.y1 <= frame.bottom * MM + SLACK for word in lines)
        assert number == 1 or abs(min(word.y0 for word in lines) - top * MM) < SLACK  # from the top of the page
        header = text_of([word for word in on_page if word.y1 <= frame.top * MM])
        footer = text_of([word for word in on_page if word.y0 >= frame.bottom * MM])
        if number == 1:
            assert footer == f"Page 1 of {pages}"
        else:
            assert header == f"Altoros Norge AS · DSR-2026-0042 Page {number} of {pages}"
            assert footer == ""
    assert "sincerely," in text_of([word for word in found if word.page == pages])


def test_headings_print_at_the_sizes_the_style_gives(qapp: object, tmp_path: Path) -> None:
    body = "<p>Plain body text here.</p><h2>Your right to complain</h2><p>More plain text.</p>"
    _, found = write(letter(body), tmp_path)
    height = {word.text: word.height for word in found if word.page == 1}
    ten_points = height["Plain"]  # 10pt body text
    assert height["received"] / ten_points == pytest.approx(1.3, abs=0.03)  # h1 13pt
    assert height["complain"] / ten_points == pytest.approx(1.1, abs=0.03)  # h2 11pt
    assert height["Kari"] / ten_points == pytest.approx(1.0, abs=0.03)


def _ink(image: Image.Image, box: Box, dpi: int) -> int:
    """The darkest pixel in ``box`` (millimetres) of a page rendered at ``dpi``: 255 is blank."""
    scale = dpi / 25.4
    area = (round(box.left * scale), round(box.top * scale), round(box.right * scale), round(box.bottom * scale))
    low, _ = image.convert("L").crop(area).getextrema()
    return int(low)


def test_a_long_table_stays_clear_of_the_footer_and_the_header(qapp: object, tmp_path: Path) -> None:
    tall = "".join(f"<br>line {k} of a tall cell" for k in range(60))  # a row taller than what is left of page 1
    rows = "".join(f"<tr><td>r{n:03d}a</td><td>r{n:03d}b and some text{tall * (n == 20)}</td></tr>" for n in range(140))
    body = f"<p>The recipients:</p><table class='data' width='100%'><tr><th>Who</th><th>What</th></tr>{rows}</table>"
    target = tmp_path / "letter.pdf"
    pages = pdf.write_pdf(letter(body, signed=False), target)
    found = words(target)
    assert pages >= 3
    cells = Counter(word.text for word in found if re.fullmatch(r"r\d{3}[ab]", word.text))
    assert set(cells.values()) == {1} and len(cells) == 280  # each row once, none lost at a break
    frame = page.frame(letter(""))
    for word in found:
        top = frame.first_top if word.page == 1 else frame.top
        if not marginal(word, page.A4) and (word.page > 1 or word.y0 >= page.A4.window.bottom * MM):
            assert top * MM - SLACK <= word.y0 and word.y1 <= frame.bottom * MM + SLACK, word
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "2", str(target), str(tmp_path / "p")], check=True)
    assert frame.header is not None
    for number, image_path in enumerate(sorted(tmp_path.glob("p-*.png")), start=1):
        with Image.open(image_path) as image:
            # Table borders and text end with the body: blank down to the page number, and (page 2) from
            # the header's rule to the body.
            assert _ink(image, Box(frame.left, frame.bottom + 0.4, frame.width, 2.5), 72) > 230
            if number == 2:
                assert _ink(image, Box(frame.left, frame.header.bottom + 1.6, frame.width, 6), 72) > 230
                assert _ink(image, Box(frame.left, frame.top + 1, frame.width, 20), 72) < 150  # the table


# --- the signature ---------------------------------------------------------------------------------


def _last_page_words(document: Document, tmp_path: Path) -> tuple[int, str]:
    pages, found = write(document, tmp_path)
    return pages, text_of([word for word in found if word.page == pages and not marginal(word, document.paper)])


def test_the_signature_keeps_the_last_paragraph_on_its_page(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tail = "Yours sincerely, Aleksey Lekontsev Data Protection Officer, Altoros Norge AS dpo@altoros.com"

    def body(count: int) -> str:
        filler = "long enough to take two lines of the page, with words that say nothing in particular. " * 2
        return "".join(f"<p>Paragraph {n:02d}: {filler}</p>" for n in range(count))

    # Without the rule, some length leaves the closing and the signature alone on the last page.
    with monkeypatch.context() as patched:
        patched.setattr(pdf, "_signature_alone", lambda *args: None)
        count = next(n for n in range(20, 60) if _last_page_words(letter(body(n)), tmp_path)[1] == tail)
    pages, last = _last_page_words(letter(body(count)), tmp_path)
    assert pages >= 2 and last.endswith(tail) and last != tail
    assert last.startswith(f"Paragraph {count - 1:02d}:")  # the whole paragraph went over with it
    _, found = write(letter(body(count)), tmp_path)
    numbers = Counter(word.text for word in found if re.fullmatch(r"\d{2}:", word.text))
    assert set(numbers.values()) == {1} and len(numbers) == count


def test_a_heading_is_not_left_last_on_a_page(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def body(count: int) -> str:
        return paragraphs(count, 12) + "<h2>Your right to complain</h2>" + paragraphs(3, 30, "q")

    def heading_ends_a_page(document: Document) -> tuple[bool, int, list[Word]]:
        _, found = write(document, tmp_path)
        heading = next(word for word in found if word.text == "complain")
        after = [word for word in found if word.page == heading.page and word.y0 > heading.y1]
        return not [word for word in after if not marginal(word, document.paper)], heading.page, found

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "_heading_left_behind", lambda *args: None)
        count = next(n for n in range(20, 60) if heading_ends_a_page(letter(body(n), signed=False))[0])
        _, left_on, _ = heading_ends_a_page(letter(body(count), signed=False))
    alone, number, found = heading_ends_a_page(letter(body(count), signed=False))
    assert not alone and number == left_on + 1
    heading = next(word for word in found if word.text == "complain")
    frame = page.frame(letter(""))
    assert abs(heading.y0 - frame.top * MM) < 1.5 * MM  # at the top of the next page, its paragraph below


# --- documents that are not letters -----------------------------------------------------------


def test_a_heading_and_a_list_item_moved_over_a_page_break_share_the_next_page(qapp: object, tmp_path: Path) -> None:
    """A list item running over a page goes over whole; when its heading follows it, no page is left holding
    the heading alone (as the booklet's 'Sources' once was)."""
    item = " ".join(f"s000w{k:02d}" for k in range(90))
    for count in range(24, 52):
        body = f"<h1>Contact sheet</h1>{paragraphs(count, 12)}<h3>Sources</h3><ol><li>{item}</li></ol>"
        pages, found = write(Document(body=body, paper=page.A4, title="Sheet"), tmp_path)
        heading = next(word for word in found if word.text == "Sources")
        first = next(word for word in found if word.text == "s000w00")
        assert heading.page == first.page, (
            f"{count} paragraphs: the heading on page {heading.page}, its list on {first.page}"
        )
        assert pages == max(
            word.page for word in found if not word.text.startswith(("Page", "of")) and not word.text.isdigit()
        )


def test_no_heading_is_left_last_on_a_page_of_a_long_booklet(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A booklet of many sheets needs many more keep-together moves than a letter: here every sheet would
    leave its heading last on its first page."""

    def booklet(count: int, sheets: int) -> Document:
        sections = "".join(
            f"<div style='page-break-before: always'>{paragraphs(count, 12, f's{n:02d}')}"
            f"<h3>Heading{n:02d}</h3>{paragraphs(2, 30, f'b{n:02d}')}</div>"
            for n in range(sheets)
        )
        return Document(body=f"<h1>Contact sheets</h1>{sections}", paper=page.A4, title="Sheets")

    def headings_left_last(document: Document) -> list[str]:
        _, found = write(document, tmp_path)
        return [
            heading.text
            for heading in found
            if heading.text.startswith("Heading")
            and not [
                w for w in found if w.page == heading.page and w.y0 > heading.y1 and not marginal(w, document.paper)
            ]
        ]

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "_heading_left_behind", lambda *args: None)
        count = next(n for n in range(20, 60) if headings_left_last(booklet(n, 1)))
        assert len(headings_left_last(booklet(count, 29))) > 20  # far more than a letter ever needs moved
    assert headings_left_last(booklet(count, 29)) == []


def test_a_plain_document_numbers_every_page_at_the_foot(qapp: object, tmp_path: Path) -> None:
    document = Document(body=f"<h1>Contact sheets</h1>{paragraphs(40, 30)}", paper=page.A4, title="Sheets")
    pages, found = write(document, tmp_path)
    assert pages >= 2
    for number in range(1, pages + 1):
        lowest = max((word for word in found if word.page == number), key=lambda word: word.y1)
        assert text_of([word for word in found if word.page == number and word.y0 >= lowest.y0 - 1]) == (
            f"Page {number} of {pages}"
        )
    assert min(word.y0 for word in found if word.page == 2) >= 17 * MM  # plain margins, no header
    counts = Counter(word.text for word in found if re.fullmatch(r"p\d{3}w\d{2}", word.text))
    assert len(counts) == 1200 and set(counts.values()) == {1}


# --- through the app -------------------------------------------------------------------------------


def test_an_acknowledgement_written_by_the_app_is_a_posted_letter(desk: Desk, qapp: object, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=NOW - timedelta(days=2), name="Kari Nordmann"), actor="dpo", now=NOW)
    made = desk.letters.generate(
        case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", pdf.render, actor="dpo", now=NOW
    )
    found = words(made.record.file)
    paper = page.A4
    first = [word for word in found if word.page == 1]
    in_window = text_of([word for word in first if word.touches(paper.window)])
    reference = desk.cases.get_by_id(case_id).reference
    assert in_window.startswith("Altoros Norge AS · ") and "Kari Nordmann" in in_window
    assert reference not in in_window and "Date:" not in in_window and "received" not in in_window
    assert any(word.text == reference and word.within(paper.info) for word in first)
    assert "Page 1 of" in text_of(first)
