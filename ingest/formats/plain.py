"""Read plain text (.txt, copied web pages, tab-separated exports) and Markdown into blocks.

Each line is a block: bullets and numbered lines are list items, other lines paragraphs;
Markdown `#` lines are headings (the first `# ` the title), Markdown pipe tables are tables.
From the first line with two tabs on, up to the last line holding a tab, the lines form a
table, one row per line, as word processors export tables; lines after it are text again.
Line numbers are the file's own, and the file's text is what is stored.
"""

from __future__ import annotations

import re

from ingest.blocks import Block, TableRow
from ingest.text import BULLET

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def read_plain(text: str, markdown: bool = False) -> list[Block]:
    """Split text into blocks, keeping each block's line number.

    >>> [(b.kind, b.text, b.line) for b in read_plain("ATLAS\\n\\nThe aim was:\\n- to help\\n")]
    [('paragraph', 'ATLAS', 1), ('paragraph', 'The aim was:', 3), ('item', 'to help', 4)]
    >>> read_plain("# ATLAS\\n## Aim\\n", markdown=True)[0].kind
    'title'
    """
    lines = text.split("\n")
    blocks: list[Block] = []
    table_at = next((i for i, line in enumerate(lines) if line.count("\t") >= 2), None)
    table_end = max((i for i, line in enumerate(lines) if "\t" in line), default=-1) + 1
    titled = False
    piped = _pipe_tables(lines) if markdown else []
    in_pipes = {row.line for table in piped for row in table.rows} | {table.line + 1 for table in piped}
    outside = [(n, line) for n, line in enumerate(lines, start=1) if n not in in_pipes
               and (table_at is None or not table_at < n <= table_end)]
    blocks.extend(piped)
    for number, line in unwrap(outside):
        if not line.strip():
            continue
        if markdown:
            line = _EMPHASIS.sub(r"\2", line)
            heading = _MARKDOWN_HEADING.match(line)
            if heading:
                level = len(heading.group(1))
                kind = "title" if level == 1 and not titled else "heading"
                titled = titled or kind == "title"
                blocks.append(Block(kind, heading.group(2), number, level=level))
                continue
        bullet = BULLET.match(line)
        if bullet:
            depth = len(line) - len(line.lstrip())
            blocks.append(Block("item", line[bullet.end():].strip(), number, level=1 + depth // 2))
        else:
            blocks.append(Block("paragraph", line.strip(), number))
    if table_at is not None:
        rows = tuple(TableRow(tuple(line.split("\t")), line=number)
                     for number, line in enumerate(lines[table_at:table_end], start=table_at + 1) if line.strip())
        blocks.append(Block("table", line=table_at + 1, rows=rows))
    blocks.sort(key=lambda block: block.line)
    return blocks


#: A Markdown table's separator row (`|---|:---:|`), under its header row.
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_tables(lines: list[str]) -> list[Block]:
    """Read Markdown pipe tables: a header row, a separator row, then rows while lines hold a `|`.

    >>> [[r.cells for r in t.rows] for t in _pipe_tables(["| Organisation | Role |", "|---|---|", "| NCC | Lead |"])]
    [[('Organisation', 'Role'), ('NCC', 'Lead')]]
    """
    tables: list[Block] = []
    index = 0
    while index + 1 < len(lines):
        if "|" in lines[index] and _PIPE_SEPARATOR.match(lines[index + 1]) and "-" in lines[index + 1]:
            end = index + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            rows = tuple(TableRow(tuple(cell.strip() for cell in line.strip().strip("|").split("|")), line=number + 1)
                         for number, line in [(index, lines[index]), *((n, lines[n]) for n in range(index + 2, end))])
            tables.append(Block("table", line=index + 1, rows=rows))
            index = end
        else:
            index += 1
    return tables


#: A page number left in text copied from a printed page (`- 3 -`, `Page 3 of 9`, `3`).
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*\d{1,3}\s*-|(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?)\s*$", re.IGNORECASE)


def unwrap(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join the lines of text copied from a printed page back into paragraphs.

    Such text breaks every line near one width, hyphenates words across lines and keeps page
    numbers and running titles. When most lines end near one width (50-110 characters), a line
    that reaches it carries on into the next (`employ-` + `ment` -> `employment`); page numbers
    and lines repeated on three or more pages are dropped. Other text is left as it is.

    >>> text = ["The partnership worked with employers across the region to open up jobs for"] * 6
    >>> unwrap(list(enumerate([*text, "people who had been out of work.", "", "- 2 -"], start=1)))[0][0]
    1
    >>> len(unwrap(list(enumerate([*text, "people who had been out of work.", "", "- 2 -"], start=1))))
    1
    """
    filled = [len(line.rstrip()) for _n, line in lines if line.strip()]
    if len(filled) < 8:
        return lines
    width = sorted(filled)[int(len(filled) * 0.9)]
    if not 50 <= width <= 110 or sum(n >= 0.75 * width for n in filled) < 0.5 * len(filled):
        return lines
    seen: dict[str, int] = {}
    for _n, line in lines:
        seen[line.strip()] = seen.get(line.strip(), 0) + 1
    out: list[tuple[int, str]] = []
    carries = False
    kept: set[str] = set()
    for number, line in lines:
        text = line.strip()
        running = seen.get(text, 0) >= 3 and len(text.split()) <= 12 and text in kept  # kept once: it may name the DP
        kept.add(text)
        if not text or _PAGE_NUMBER.match(text) or running:
            carries = carries and bool(text)  # a dropped page number or title does not break a paragraph
            continue
        if carries and out and not BULLET.match(line):
            joined = out[-1][1]
            joined = joined[:-1] + text if joined.endswith("-") and text[:1].islower() else f"{joined} {text}"
            out[-1] = (out[-1][0], joined)
        else:
            out.append((number, line))
        carries = len(line.rstrip()) >= 0.75 * width
    return out
