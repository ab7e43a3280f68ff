"""Read plain text (.txt, copied web pages, tab-separated exports) and Markdown into blocks.

Each line is a block: bullets and numbered lines are list items, other lines paragraphs;
Markdown `#` lines are headings (the first `# ` the title). From the first line with two tabs
on, up to the last line holding a tab, the lines form a table, one row per line, as word
processors export tables; lines after it are text again. Line numbers
are the file's own, and the file's text is what is stored.
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
    outside = [(n, line) for n, line in enumerate(lines, start=1) if table_at is None or not table_at < n <= table_end]
    for number, line in outside:
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
