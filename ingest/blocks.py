"""The structure every format reader produces: a document as a list of typed blocks.

A .txt, .html, .docx or .pdf file is first read into the same blocks (title, headings,
paragraphs, list items, captions, field pairs, tables); the summary and strategy readers
read meaning from those blocks only, so there is one reading logic for every format.
`line` is where a block starts in the document's text as stored (`eq:content`): for a text
file its own lines, for other formats the lines of the text rendered from the blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

#: The kinds of block a format reader may produce.
KINDS = ("title", "heading", "paragraph", "item", "caption", "field", "table")


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its cells' texts (paragraphs inside a cell joined by newlines)."""

    cells: tuple[str, ...]
    line: int = 0
    header: bool = False


@dataclass(frozen=True)
class Block:
    """One unit of a document's structure.

    `text` is the block's text (a field's value); `label` a field's label; `rows` a table's rows;
    `level` a heading's level (1 = the largest) or a list item's nesting depth.
    """

    kind: str
    text: str = ""
    line: int = 0
    label: str = ""
    rows: tuple[TableRow, ...] = ()
    level: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")


@dataclass
class Document:
    """A file read into blocks: its format, its blocks and the text stored as its content."""

    path: str
    format: str
    blocks: list[Block]
    text: str
    sha256: str = ""
    notes: list[str] = field(default_factory=list)


def render(blocks: Iterable[Block]) -> tuple[list[Block], str]:
    """Render blocks as plain text, one line per block or table row; return them numbered by that text.

    >>> numbered, text = render([Block("title", "ATLAS"), Block("field", "2", label="Round"),
    ...                          Block("table", rows=(TableRow(("WHAT", "WHO")), TableRow(("a", "DTI"))))])
    >>> text.splitlines()
    ['ATLAS', 'Round: 2', 'WHAT\\tWHO', 'a\\tDTI']
    >>> [b.line for b in numbered], [r.line for r in numbered[2].rows]
    ([1, 2, 3], [3, 4])
    """
    lines: list[str] = []
    numbered: list[Block] = []
    for block in blocks:
        start = len(lines) + 1
        if block.kind == "table":
            rows = []
            for row in block.rows:
                rows.append(replace(row, line=len(lines) + 1))
                lines.append("\t".join(" / ".join(_lines(cell)) for cell in row.cells))
            numbered.append(replace(block, line=start, rows=tuple(rows)))
            continue
        text = ("; " if block.kind == "field" else " ").join(_lines(block.text))
        if block.kind == "field":
            text = f"{block.label}: {text}" if text else f"{block.label}:"
        elif block.kind == "item":
            text = "- " + text
        if not text.strip():
            continue
        lines.append(text)
        numbered.append(replace(block, line=start))
    return numbered, "\n".join(lines) + "\n"


def _lines(text: str) -> list[str]:
    """Return the non-empty lines of a text, stripped."""
    return [part.strip() for part in text.split("\n") if part.strip()]
