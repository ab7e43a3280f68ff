"""Write a generated document as a PDF by hand: Courier text, ruled tables, running headers and page numbers.

No PDF library is used: the file is PDF 1.4 syntax written here (objects, content streams, an xref
table), with the standard Courier fonts, whose glyphs are all 0.6 em wide, so that lines wrap where
a real word processor would. Table header rows repeat on each page a table continues on, as
printed strategies do. Nothing here reads documents.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, replace
from itertools import groupby

from ingest.blocks import Block
from ingest.synthetic.files import NUMBERED, area_row, title_of, top_heading

PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 56.0
TEXT_W = PAGE_W - 2 * MARGIN
EM, LEADING, PAD, GAP = 0.6, 1.25, 2.5, 6.0  # Courier advance per point of size; line height; cell padding


@dataclass(frozen=True)
class _Cell:
    """One laid-out table cell: its left edge, width, wrapped lines and font."""

    x: float
    w: float
    lines: list[str]
    bold: bool
    size: float


def _chars(width: float, size: float) -> int:
    """Return how many Courier characters of a size fit in a width."""
    return max(1, int(width / (EM * size) + 1e-6))


def _wrap(text: str, chars: int) -> list[str]:
    """Break text into lines of at most `chars` characters, greedily at spaces; cut long words after / or -."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split():
            if line and len(line) + 1 + len(word) <= chars:
                line += " " + word
                continue
            lines += [line] if line else []
            while len(word) > chars:
                cut = max(word.rfind("/", 0, chars), word.rfind("-", 0, chars)) + 1 or chars
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines += [line] if line else []
    return lines or [""]


def _pdf_text(text: str) -> str:
    """Encode text as the body of a PDF literal string: cp1252 bytes (as latin-1 characters), escaped."""
    raw = text.replace("\t", " ").encode("cp1252", errors="replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _height(row: list[_Cell]) -> float:
    """Return a table row's height: its tallest cell's lines plus padding."""
    size = row[0].size
    return 2 * PAD + size + (max(len(c.lines) for c in row) - 1) * size * LEADING


class _Pages:
    """Lay blocks out top to bottom on A4 pages, as content-stream operators per page."""

    def __init__(self) -> None:
        """Start with one empty page."""
        self.pages: list[list[str]] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        """Start a new page, its cursor at the top margin."""
        self.pages.append(["0 G 0.5 w"])
        self.y = PAGE_H - MARGIN

    def text(self, x: float, y: float, text: str, size: float, bold: bool) -> None:
        """Draw one line of text with its baseline at (x, y)."""
        self.pages[-1].append(f"BT /{'F2' if bold else 'F1'} {size:g} Tf {x:.2f} {y:.2f} Td ({_pdf_text(text)}) Tj ET")

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Draw a straight line (a table border)."""
        self.pages[-1].append(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")

    def lines(self, lines: list[str], size: float, bold: bool, x: float = MARGIN, gap: float = GAP,
              bullet: str = "", keep: float = 0.0) -> None:
        """Draw lines of text, breaking the page when one is full; keep room for `keep` points after them."""
        step = size * LEADING
        if keep and self.y - step * len(lines) - keep < MARGIN and self.y < PAGE_H - MARGIN:
            self.new_page()
        for i, line in enumerate(lines):
            if self.y - step < MARGIN:
                self.new_page()
            if bullet and i == 0:
                self.text(x - EM * size * (len(bullet) + 1), self.y - size, bullet, size, bold)
            self.text(x, self.y - size, line, size, bold)
            self.y -= step
        self.y -= gap

    def row(self, row: list[_Cell], ruled_top: bool) -> None:
        """Draw one table row at the cursor, every cell boxed by lines, and move below it."""
        top, height = self.y, _height(row)
        x0, x1 = row[0].x, row[-1].x + row[-1].w
        if ruled_top:
            self.rule(x0, top, x1, top)
        self.rule(x0, top - height, x1, top - height)
        for x in [c.x for c in row] + [x1]:
            self.rule(x, top, x, top - height)
        for cell in row:
            for k, line in enumerate(cell.lines):
                baseline = top - PAD - 0.85 * cell.size - k * cell.size * LEADING
                self.text(cell.x + PAD, baseline, line, cell.size, cell.bold)
        self.y = top - height

    def grid(self, rows: list[list[_Cell]], heads: int) -> None:
        """Draw a ruled table; rows never split over pages; the leading header rows repeat on each new page."""
        head, top = rows[:heads], PAGE_H - MARGIN
        room = top - MARGIN - sum(_height(r) for r in head) - 1
        body = [part for r in rows[heads:] for part in _split(r, room)]
        first = sum(_height(r) for r in head) + (_height(body[0]) if body else 0)
        if self.y - first < MARGIN and self.y < top:
            self.new_page()
        ruled, rows = True, head + body
        for i, row in enumerate(rows):
            keep = _height(rows[i + 1]) if i + 1 < len(rows) and _section(row) else 0.0
            if i >= heads and self.y - _height(row) - keep < MARGIN:
                self.new_page()
                ruled = True
                for h in head:
                    self.row(h, ruled)
                    ruled = False
            self.row(row, ruled)
            ruled = False
        self.y -= GAP


def _section(row: list[_Cell]) -> bool:
    """Tell whether a laid-out row is a numbered section row, to be kept on a page with the row after it."""
    return bool(NUMBERED.match(row[0].lines[0])) and not any(line for c in row[1:] for line in c.lines)


def _split(row: list[_Cell], room: float) -> list[list[_Cell]]:
    """Cut a row taller than a page into rows that fit (only such rows are ever split)."""
    parts = []
    while _height(row) > room and max(len(c.lines) for c in row) > 1:
        n = max(1, int((room - 2 * PAD - row[0].size) / (row[0].size * LEADING)) + 1)
        parts.append([replace(c, lines=c.lines[:n]) for c in row])
        row = [replace(c, lines=c.lines[n:] or [""]) for c in row]
    return [*parts, row]


def _grid_rows(block: Block, size: float, proportional: bool, span: bool) -> tuple[list[list[_Cell]], int]:
    """Lay a table's rows out across the text width, equal or proportional columns; return them and the heads."""
    width = max((len(r.cells) for r in block.rows), default=1)
    padded = [list(r.cells) + [""] * (width - len(r.cells)) for r in block.rows]
    longest = [min(24, max((len(word) for row in padded for word in row[i].split()), default=1)) for i in range(width)]
    floor = [n * EM * size + 2 * PAD + 1 for n in longest]
    if sum(floor) > TEXT_W and size > 8.0:
        size = 8.0  # a smaller font rather than words cut in narrow columns
        floor = [n * EM * size + 2 * PAD + 1 for n in longest]
    widths = [TEXT_W / width] * width
    if sum(floor) < TEXT_W:  # each column fits its longest word; the rest shared equally or by text length
        weights = [min(60.0, max(4.0, sum(len(row[i]) for row in padded) / len(padded))) if proportional else 1.0
                   for i in range(width)]
        widths = [f + (TEXT_W - sum(floor)) * w / sum(weights) for f, w in zip(floor, weights)]
    xs = [MARGIN + sum(widths[:i]) for i in range(width)]
    rows = []
    for row, cells in zip(block.rows, padded):
        if span and area_row(row):
            rows.append([_Cell(MARGIN, TEXT_W, _wrap(cells[0], _chars(TEXT_W - 2 * PAD, size)), True, size)])
            continue
        rows.append([_Cell(x, w, _wrap(text, _chars(w - 2 * PAD, size)), row.header, size)
                     for x, w, text in zip(xs, widths, cells)])
    heads = next((i for i, r in enumerate(block.rows) if not r.header), len(block.rows))
    return rows, heads


def _field_rows(fields: list[Block]) -> list[list[_Cell]]:
    """Lay consecutive fields out as the rows of a two-column table, the label column as wide as it needs."""
    label_w = min(0.35 * TEXT_W, max(0.2 * TEXT_W, max(len(f.label) for f in fields) * EM * 10 + 2 * PAD + 1))
    value_w, chars = TEXT_W - label_w, _chars(label_w - 2 * PAD, 10)
    return [[_Cell(MARGIN, label_w, _wrap(f.label, chars), True, 10),
             _Cell(MARGIN + label_w, value_w, _wrap(f.text, _chars(value_w - 2 * PAD, 10)), False, 10)]
            for f in fields]


def _pdf_file(pages: list[list[str]], header: str, title: str, stamp: str) -> bytes:
    """Write laid-out pages as a PDF 1.4 file, with running header, 'Page N of M' footer, xref and trailer."""
    info = title.encode("ascii", errors="replace").decode("ascii")
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [" + " ".join(f"{6 + 2 * k} 0 R" for k in range(len(pages)))
               + f"] /Count {len(pages)} >>",
               *(f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
                 for name in ("Courier", "Courier-Bold")),
               f"<< /Title ({_pdf_text(info)}) /Producer (Acrobat Distiller 5.0 \\(Windows\\)) "
               f"/CreationDate (D:{stamp}) >>"]
    encoded = [o.encode("latin-1") for o in objects]
    for k, ops in enumerate(pages):
        foot = f"Page {k + 1} of {len(pages)}"
        marks = [f"BT /F1 7 Tf {PAGE_W - MARGIN - len(header) * EM * 7:.2f} {PAGE_H - 36:.2f} Td "
                 f"({_pdf_text(header)}) Tj ET",
                 f"BT /F1 7 Tf {(PAGE_W - len(foot) * EM * 7) / 2:.2f} 30 Td ({foot}) Tj ET"]
        stream = zlib.compress("\n".join(ops[:1] + marks + ops[1:]).encode("latin-1"), 6)
        encoded.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W:g} {PAGE_H:g}] /Resources "
                       f"<< /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {7 + 2 * k} 0 R >>".encode("latin-1"))
        encoded.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode("latin-1")
                       + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(encoded, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("latin-1") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(encoded) + 1}\n0000000000 65535 f \n".encode("latin-1")
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode("latin-1")
    out += f"trailer\n<< /Size {len(encoded) + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_bytes(blocks: list[Block], rng: random.Random, header: str = "GB EQUAL - DP summaries") -> bytes:
    """Write blocks as a hand-made PDF in Courier: wrapped text, ruled field and data tables, numbered pages."""
    bullet = "-" if rng.random() < 0.3 else ""
    proportional, size, span = rng.random() < 0.5, rng.choice((10.0, 8.0)), rng.random() < 0.5
    top, pages = top_heading(blocks), _Pages()
    for kind, group in groupby(blocks, key=lambda b: b.kind):
        run = list(group)
        if kind == "field":
            pages.grid(_field_rows(run), 0)
            continue
        base = min(b.level for b in run)
        for i, b in enumerate(run):
            if kind == "table" and b.rows:
                pages.grid(*_grid_rows(b, size, proportional, span))
            elif kind == "table" or not b.text.strip():
                continue
            elif kind == "title":
                pages.lines(_wrap(b.text, _chars(TEXT_W, 16)), 16, True, gap=10)
            elif kind == "heading":
                heading = 12.0 if b.level <= top else 11.0
                pages.lines(_wrap(b.text, _chars(TEXT_W, heading)), heading, True, gap=4, keep=30)
            elif kind == "item":
                x = MARGIN + 18 * (b.level - base + 1)
                gap = GAP if i == len(run) - 1 else 2.0
                pages.lines(_wrap(b.text, _chars(PAGE_W - MARGIN - x, 10)), 10, False, x, gap, bullet)
            else:
                fsize = 7.5 if kind == "caption" else 10
                pages.lines(_wrap(b.text, _chars(TEXT_W, fsize)), fsize, False)
    stamp = f"{rng.randint(2002, 2007)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(8, 17):02d}0000Z"
    return _pdf_file(pages.pages, header, title_of(blocks, header), stamp)
