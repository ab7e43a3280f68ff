"""Read a PDF's text layer into blocks with pdfplumber: lines, their fonts and places, and ruled tables.

Text is read line by line with its font size, weight and left edge, and put back together:
running headers and footers (the same line on several pages, page numbers) are dropped, a line
joins the one above when the line above was full (its next word would not have fitted), the
largest type on the first page is the title, bold or larger short lines are headings, indented
or bulleted lines are list items (PDF output often loses the bullet glyphs) and small type is a
caption. Ruled tables are read from their cells. Ligatures (`ﬁ`, `ﬀ`) are unfolded by NFKC.
A PDF without a text layer (a scan) is refused with a message saying so.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import pdfplumber

from ingest.blocks import Block, TableRow
from ingest.errors import IngestError

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_BULLET = re.compile(r"^[\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7\u2013\u2014*-]\s+")
#: Words after which a name goes on to the next line (`HM Prison Service (Kent and` / `Sussex area)`).
_CONNECTORS = frozenset({"and", "of", "for", "the", "in", "on", "with", "to", "at", "by", "&"})
#: Share of the page height at the top and bottom where running headers and footers sit.
_BAND = 0.09


@dataclass
class _Line:
    """One line of text on a page, with what its characters say about it."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first_word: float  # width of the line's first word

    @property
    def height(self) -> float:
        return self.bottom - self.top


_Page = tuple[list[_Line], list[tuple[float, list[list[str | None]]]], float]
"""A page as read: its lines outside tables, its tables (each with its top and rows), its height."""


def read_pdf(path: str, data: bytes) -> list[Block]:
    """Read a PDF's bytes into blocks (IngestError if it is not a PDF or has no text layer)."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError(path, "not a PDF file (no %PDF- header)")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_read_page(number, page) for number, page in enumerate(pdf.pages)]
    except (IngestError, MemoryError):
        raise
    except Exception as error:  # pdfminer raises many kinds on a damaged file
        raise IngestError(path, f"not a readable PDF ({type(error).__name__}: {error})") from None
    if not any(lines or tables for lines, tables, _height in pages):
        raise IngestError(path, "the PDF has no text layer (a scanned image?): run OCR on it first "
                                "(e.g. ocrmypdf) or give its text as .txt")
    return _blocks(_drop_running_lines(pages))




def _read_page(number: int, page: pdfplumber.page.Page) -> _Page:
    """Return a page's lines outside tables, its tables (by top) and its height."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    lines: list[_Line] = []
    for found in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in found["chars"] if c["text"].strip()]
        if not chars:
            continue
        middle_x, middle_y = (found["x0"] + found["x1"]) / 2, (found["top"] + found["bottom"]) / 2
        if any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes):
            continue
        text = unicodedata.normalize("NFKC", found["text"]).strip()
        lines.append(_Line(text, number, found["x0"], found["x1"], found["top"], found["bottom"],
                           Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0],
                           all("bold" in c["fontname"].lower() for c in chars), _first_word(chars, found)))
    extracted = [(table.bbox[1], [[_cell_text(page, cell) if cell else "" for cell in row.cells]
                                  for row in table.rows]) for table in tables]
    return _in_columns(lines, float(page.width)), extracted, float(page.height)


def _in_columns(lines: list[_Line], width: float) -> list[_Line]:
    """Put a page set in two columns (a brochure, a case study with a sidebar) in reading order.

    When enough lines sit wholly left or wholly right of a gutter, the left column is read before
    the right one; lines across the gutter (titles, headings over both) stay where they stand.
    """
    middle = width / 2
    gutter = max((x for x in range(int(width * 0.35), int(width * 0.65), 4)
                  if not any(line.x0 < x < line.x1 for line in lines if line.x1 - line.x0 < width * 0.6)),
                 key=lambda x: -abs(x - middle), default=None)
    if gutter is None:
        return lines
    left = [line for line in lines if line.x1 <= gutter]
    right = [line for line in lines if line.x0 >= gutter]
    if len(left) < 5 or len(right) < 5:
        return lines
    top = min(min(line.top for line in left), min(line.top for line in right))
    bottom = max(max(line.top for line in left), max(line.top for line in right))
    across = [line for line in lines if line not in left and line not in right]
    return ([line for line in across if line.top < top] + left + right
            + [line for line in across if line.top >= top and line.top <= bottom]
            + [line for line in across if line.top > bottom])


def _drop_running_lines(pages: list[_Page]) -> list[_Page]:
    """Drop running headers and footers: page numbers, and lines repeated near the edge of several pages."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    def in_band(line: _Line, height: float) -> bool:
        return line.top < height * _BAND or line.bottom > height * (1 - _BAND)

    seen = Counter(key(line) for lines, _t, height in pages for line in {key(x): x for x in lines
                                                                          if in_band(x, height)}.values())
    repeated = {text for text, count in seen.items() if count >= 2}
    def page_number(line: _Line) -> bool:  # a bare `2` on a one-page form may be a field's value
        return bool(_PAGE_NUMBER.match(line.text)) and (len(pages) > 1 or "page" in line.text.lower())

    return [([line for line in lines if not (in_band(line, height) and (key(line) in repeated or page_number(line)))],
             tables, height) for lines, tables, height in pages]


def _blocks(pages: list[_Page]) -> list[Block]:
    """Put lines back into blocks, in reading order, with each page's tables where they stand."""
    all_lines = [line for lines, _t, _h in pages for line in lines]
    if not all_lines:
        sizes: Counter[float] = Counter()
    else:
        sizes = Counter()
        for line in all_lines:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    lefts = Counter(round(line.x0) for line in all_lines if line.size == body)
    margin = min((x for x, count in lefts.items() if count >= 2), default=min(lefts, default=0))
    right = max((line.x1 for line in all_lines if line.size == body), default=0.0)
    title_size = max((line.size for line in all_lines if line.page == 0), default=body)
    blocks: list[Block] = []
    previous: _Line | None = None
    for lines, tables, _height in pages:
        pending = sorted(tables, key=lambda t: t[0])
        for line in lines:
            while pending and pending[0][0] <= line.top:
                blocks.append(_table(pending.pop(0)[1]))
                previous = None
            kind, level = _kind(line, body, margin, title_size, blocks)
            if previous is not None and blocks and _continues(previous, line, kind, right, blocks[-1]):
                last = blocks[-1]
                blocks[-1] = Block(last.kind, last.text + " " + _BULLET.sub("", line.text), level=last.level)
            else:
                blocks.append(Block(kind, _BULLET.sub("", line.text) if kind == "item" else line.text,
                                    level=level))
            previous = line
        for _top, rows in pending:
            blocks.append(_table(rows))
            previous = None
    return [block for block in blocks if block.kind == "table" or block.text.strip()]


def _kind(line: _Line, body: float, margin: float, title_size: float, blocks: list[Block]) -> tuple[str, int]:
    """Classify a line by its type and place: title, heading, item, caption or paragraph."""
    words = len(line.text.split())
    if line.page == 0 and line.size >= body * 1.3 and line.size == title_size and not any(
            b.kind == "title" for b in blocks):
        return "title", 1
    if words <= 12 and (line.size >= body * 1.1 or (line.bold and line.size >= body * 0.95)):
        return "heading", 2 if line.size >= body * 1.1 else 3
    if _BULLET.match(line.text) or line.x0 > margin + 12:
        return "item", 1
    if line.size < body * 0.85:
        return "caption", 0
    return "paragraph", 0


def _continues(previous: _Line, line: _Line, kind: str, right: float, last: Block) -> bool:
    """Tell whether a line carries on the block above: that block's last line was full and nothing breaks it."""
    if last.kind in ("title", "heading") and kind in ("title", "heading"):  # a title or heading wrapped
        return (line.size == previous.size and line.bold == previous.bold and line.page == previous.page
                and line.top - previous.bottom <= previous.height * 0.6
                and _was_full(previous.x1, previous.size, line.first_word, right))
    if last.kind in ("title", "heading", "table", "caption") or kind in ("title", "heading", "caption"):
        return False
    if _BULLET.match(line.text):
        return False
    if kind == "paragraph" and last.kind == "item":
        return False
    if line.page == previous.page and line.top - previous.bottom > max(previous.height, 1.0) * 1.2:
        return False
    return _was_full(previous.x1, previous.size, line.first_word, right)


def _first_word(chars: list[dict], line: dict) -> float:
    """Return the width of a line's first word (up to the first gap between its characters)."""
    end = next((c["x1"] for c, nxt in zip(chars, [*chars[1:], None])
                if nxt is None or nxt["x0"] - c["x1"] > c["size"] * 0.15), line["x1"])
    return end - line["x0"]


def _was_full(end: float, size: float, first_word: float, right: float) -> bool:
    """Tell whether a line ending at `end` was full: the next line's first word would not have fitted after it."""
    return end + size * 0.3 + first_word > right - size * 0.5


def _table(rows: list[list[str]]) -> Block:
    """Return a table's rows as a block."""
    return Block("table", rows=tuple(TableRow(tuple(row)) for row in rows if any(cell.strip() for cell in row)))


def _cell_text(page: pdfplumber.page.Page, box: tuple[float, float, float, float]) -> str:
    """Return a cell's text: a line joins the one above when the one above was full (wrapped), else starts anew.

    A list written one name per line stays a list; a long name wrapped by the cell's width stays one name.
    """
    x0, top, x1, bottom = box
    try:
        found = page.crop((x0, top, x1, bottom), strict=False).extract_text_lines(return_chars=True, strip=True)
    except ValueError:
        return ""
    padding = min((line["x0"] - x0 for line in found), default=0.0)
    right = x1 - max(padding, 0.0)  # the cell's inner right edge: text wraps there
    read: list[tuple[str, bool]] = []  # each line, and whether the line above it was full
    previous = None
    for line in found:
        chars = [c for c in line["chars"] if c["text"].strip()]
        text = unicodedata.normalize("NFKC", line["text"]).strip()
        if not chars or not text:
            continue
        full = previous is not None and _was_full(previous, chars[0]["size"], _first_word(chars, line), right)
        read.append((text, full))
        previous = line["x1"]
    # running text or a list with separators wraps at every full line; a list of one name a line does
    # not, and there a full line carries on only where the next one cannot stand alone
    flowing = any(";" in text or "," in text for text, _full in read) or (
        len(read) > 2 and sum(full for _text, full in read[1:]) >= (len(read) - 1) / 2)
    lines: list[str] = []
    for text, full in read:
        if lines and full and (flowing or _carries_on(lines[-1], text)):
            lines[-1] += " " + text
        else:
            lines.append(text)
    return "\n".join(lines)


def _carries_on(above: str, line: str) -> bool:
    """Tell whether a line after a full one carries on its name, in a cell that lists one name a line.

    >>> _carries_on("Learning and Skills Council Kent", "and Medway"), _carries_on("Driver Training", "Centre")
    (True, True)
    >>> _carries_on("Aberdeen Housing Association (lead partner)", "Aberdeen City Council")
    False
    """
    last = above.split()[-1].lower()
    return (line[:1].islower() or last in _CONNECTORS or last.endswith(",")
            or (len(line.split()) <= 2 and not above.endswith(")")))
