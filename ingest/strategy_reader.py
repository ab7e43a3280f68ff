"""Read a thematic mainstreaming strategy: prose, then a tab-separated WHAT/WHO/.../DPs table.

Handles the quirks of word-processor exports (DESIGN.md section 3): headers repeated at
page breaks, numbered section rows, HTML in cells, placeholders, and cells cut by a page
break that continue (in lower case) on the next row.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ingest.blocks import Block, TableRow
from ingest.errors import IngestError
from ingest.formats.plain import read_plain
from ingest.records import Cell, Mention, Strategy, StrategyRow, StrategySection
from ingest.text import clean_cell, match_key, normalise_punctuation, one_line

#: Columns a strategy table may have, and the words their header cells start with.
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "WHAT": ("what",),
    "WHO": ("who",),
    "WHEN": ("when",),
    "HOW": ("how",),
    "WHY": ("why",),
    "DPS": ("dps", "dp", "development partnership", "partners involved", "which dp"),
}
_SECTION = re.compile(r"^\s*(?:section\s+)?(\d{1,2})\s*[.):]\s*(\S.*?)\s*$", re.IGNORECASE)
_TITLE_THEME = re.compile(r"\bTheme\s+([A-I])\b", re.IGNORECASE)
_TITLE_ROUND = re.compile(r"\bRound\s+([12]|one|two|I{1,2})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(200\d|199\d|201\d)\b")
_ROUND_WORDS = {"1": 1, "2": 2, "one": 1, "two": 2, "i": 1, "ii": 2}
_LEADING_NOISE = re.compile(
    r"^(?:(?:and|or|other|others|various|relevant|all|the|e\.?g\.?|eg|incl\.?|including|such as|"
    r"plus|also|particularly|especially)\b[\s.:]*)+",
    re.IGNORECASE,
)
#: Trailing noise (spaces, punctuation, " etc."), matched on the reversed text from its start: the
#: forward pattern `(?:[\s,;:.]+|\s+etc\.?|\?)+$` backtracked exponentially on ". . . . . x".
_TRAILING_NOISE_REVERSED = re.compile(r"(?:\.?cte\s+|[\s,;:.?])++", re.IGNORECASE)
_END_QUALIFIER = re.compile(r"^(.*?\S)\s*\(([^()]*)\)\s*$")


def column_of(header_cell: str) -> str | None:
    """Return the column a header cell names (WHAT, WHO ... DPS), or None.

    >>> column_of("WHO? The key audiences: Local, Regional")
    'WHO'
    >>> column_of("DPs involved (indicate with * whether")
    'DPS'
    """
    key = match_key(header_cell)
    for column, words in COLUMN_WORDS.items():
        if any(key == word or key.startswith(word + " ") for word in words):
            return column
    return None


def header_of(cells: tuple[str, ...] | list[str]) -> list[str | None] | None:
    """Return the columns a header row's cells name, or None if the row is not a WHAT/WHO header."""
    columns = [column_of(clean_cell(cell)) for cell in cells]
    if "WHAT" in columns and "WHO" in columns:
        return columns
    return None


def is_strategy(blocks: list[Block]) -> bool:
    """Tell whether blocks hold a strategy: a table with a WHAT/WHO header row, or a wide table of text.

    A tab-separated text whose table has no header row is a strategy too, so that the reader can
    say what is missing instead of reading the table as a summary.
    """
    for block in blocks:
        if block.kind != "table":
            continue
        if any(header_of(row.cells) for row in block.rows):
            return True
        if block.rows and max(len(row.cells) for row in block.rows) >= 3 and not any(
                b.kind in ("heading", "field") for b in blocks):
            return True
    return False


def read_strategy(path: str, text: str, levels: dict[str, str]) -> Strategy:
    """Read a strategy's tab-separated text into a Strategy record (see `read_strategy_blocks`)."""
    return read_strategy_blocks(path, read_plain(text), levels)


def read_strategy_blocks(path: str, blocks: list[Block], levels: dict[str, str]) -> Strategy:
    """Read a strategy's blocks into a Strategy record.

    The table is the first one with a WHAT/WHO header row; later tables with as many columns
    (the same table split by a page break) continue it.

    Args:
        path: the file name, for error messages and provenance.
        blocks: the document's blocks, from any format reader.
        levels: audience-level labels (as written, e.g. 'Local/Regional') to level slugs.
    Raises:
        IngestError: there is no table, or the table has no header row.
    """
    tables = [i for i, block in enumerate(blocks) if block.kind == "table"]
    found = next(((i, r) for i in tables for r, row in enumerate(blocks[i].rows) if header_of(row.cells)), None)
    if found is None:
        if tables:
            first = blocks[tables[0]].rows[0] if blocks[tables[0]].rows else None
            raise IngestError(path, "table with no header row: expected a row naming the WHAT and WHO columns "
                                    "before the first data row", first.line if first else blocks[tables[0]].line)
        raise IngestError(path, "no strategy table found (no table with a WHAT/WHO header row)", 1)
    at, header_row = found
    header = blocks[at].rows[header_row]
    columns = header_of(header.cells) or []
    names = [column or f"COL{index + 1}" for index, column in enumerate(columns)]
    rows = list(blocks[at].rows[header_row + 1:])
    for block in blocks[at + 1:]:
        if block.kind == "table" and block.rows and len(block.rows[0].cells) == len(names):
            rows.extend(block.rows)
    texts = [block.text for block in blocks[:at] if block.kind != "table"]
    prose = "\n".join(texts).strip()
    title = one_line(normalise_punctuation(texts[0])) if texts else ""
    strategy = Strategy(path=path, title=title, theme=None, round=None, year=None,
                        sections=[], columns=names, prose=prose)
    _read_title(strategy, prose)
    _read_rows(strategy, rows, names)
    splitter = AudienceSplitter(levels)
    for section, mentions in zip(strategy.sections, splitter.by_section(strategy, "WHO")):
        section.audiences = mentions
    for section, mentions in zip(strategy.sections,
                                 splitter.by_section(strategy, "DPS", with_levels=False)):
        section.dps = mentions
    return strategy


def _read_title(strategy: Strategy, prose: str) -> None:
    """Take theme, round and year from the title, else from the prose."""
    for source in (strategy.title, prose):
        theme = _TITLE_THEME.search(source)
        if theme and strategy.theme is None:
            strategy.theme = theme.group(1).upper()
        round_ = _TITLE_ROUND.search(source)
        if round_ and strategy.round is None:
            strategy.round = _ROUND_WORDS[round_.group(1).lower()]
        year = _YEAR.search(source)
        if year and strategy.year is None:
            strategy.year = int(year.group(1))


def _read_rows(strategy: Strategy, rows: list[TableRow], names: list[str]) -> None:
    """Read data rows after the header into numbered sections; repeated header rows are skipped."""
    section: StrategySection | None = None
    row_number = 0
    for raw in rows:
        if header_of(raw.cells) or not any(cell.strip() for cell in raw.cells):
            continue
        cells = [clean_cell(cell) for cell in raw.cells]
        if len(cells) > len(names):
            cells = cells[: len(names) - 1] + [" ".join(c for c in cells[len(names) - 1:] if c)]
        numbered = _SECTION.match(one_line(cells[0])) if cells[0] else None
        if numbered and not any(cell and cell != cells[0] for cell in cells[1:]):
            row_number += 1
            title = re.sub(r"\s*-\s+", " - ", one_line(numbered.group(2))).strip(" -")
            section = StrategySection(number=int(numbered.group(1)), title=title, line=raw.line)
            section.title_cell = Cell(column=names[0], line=raw.line, text=cells[0], row=row_number)
            strategy.sections.append(section)
            continue
        if not any(cells):
            continue
        if section is not None and section.rows and all(continues_above(c) for c in cells if c):
            _continue_row(section.rows[-1], names, cells)  # the rest of a row cut by a page break
            continue
        if section is None:
            section = StrategySection(number=None, title="General", line=raw.line)
            strategy.sections.append(section)
        row_number += 1
        row = StrategyRow(number=row_number, line=raw.line, cells={
            name: Cell(column=name, line=raw.line, text=text, row=row_number)
            for name, text in zip(names, cells) if text
        })
        section.rows.append(row)


def _continue_row(row: StrategyRow, names: list[str], cells: list[str]) -> None:
    """Append the cells of a row's continuation (every cell starting in lower case) to the row's cells."""
    for name, text in zip(names, cells):
        if not text:
            continue
        known = row.cells.get(name)
        joined = f"{known.text} {text}" if known is not None else text
        row.cells[name] = Cell(column=name, line=row.line, text=joined, row=row.number)


def continues_above(text: str) -> bool:
    """Tell whether a cell continues the cell above: it starts in lower case.

    >>> continues_above("agencies; Business Innovation agencies")
    True
    >>> continues_above("National: DTI")
    False
    """
    first = text.lstrip(" \"'(-")[:1]
    return first.isalpha() and first.islower()


class AudienceSplitter:
    """Split WHO and DPs cells into mentions: levels inline, lists, continuations."""

    def __init__(self, levels: dict[str, str]) -> None:
        self.levels = {match_key(label): slug for label, slug in levels.items()}
        patterns = sorted(levels, key=len, reverse=True)
        alternatives = "|".join(
            r"\s*/\s*".join(r"\s+".join(map(re.escape, part.split())) for part in label.split("/"))
            for label in patterns
        )
        self._label = re.compile(rf"(?<![\w/])({alternatives})\s*:", re.IGNORECASE)

    def by_section(self, strategy: Strategy, column: str,
                   with_levels: bool = True) -> list[list[Mention]]:
        """Return the mentions in a column, one list per section (in section order)."""
        owner: dict[int, int] = {}
        cells: list[Cell] = []
        for index, section in enumerate(strategy.sections):
            for row in section.rows:
                owner[row.number] = index
                if column in row.cells:
                    cells.append(row.cells[column])
        result: list[list[Mention]] = [[] for _ in strategy.sections]
        for group in _logical_cells(cells):
            for mention in self.split(group, with_levels):
                result[owner[mention.cells[0].row or 0]].append(mention)
        return result

    def split(self, group: list[Cell], with_levels: bool = True) -> list[Mention]:
        """Split one logical cell (a cell and its continuations) into mentions."""
        text, starts = "", []
        for cell in group:
            if text:
                text += " "
            starts.append(len(text))
            text += cell.text
        separated = bool(re.search(r"[,;\n]", text.strip(" ,;\n")))
        spans = [(0, len(text), None)]
        if with_levels:
            spans = self._level_spans(text)
        mentions: list[Mention] = []
        for start, end, level in spans:
            for item in re.finditer(r"[^,;\n]+", text[start:end]):
                mention = _mention(item.group(0), level)
                if mention is None:
                    continue
                first = start + item.start()
                last = start + item.end() - 1
                near = slice(max(bisect_right(starts, first) - 1, 0), bisect_right(starts, last))
                touched = tuple(cell for cell, offset in zip(group[near], starts[near])
                                if offset <= last and offset + len(cell.text) > first)
                mentions.append(Mention(text=mention[0], cells=touched or (group[0],), level=level,
                                        separated=separated,
                                        lead=mention[1], qualifier=mention[2]))
        return mentions

    def _level_spans(self, text: str) -> list[tuple[int, int, str | None]]:
        """Cut text at inline level labels ('National:') into (start, end, level) spans."""
        spans: list[tuple[int, int, str | None]] = []
        position, level = 0, None
        for match in self._label.finditer(text):
            spans.append((position, match.start(), level))
            level = self.levels.get(match_key(match.group(1)))
            position = match.end()
        spans.append((position, len(text), level))
        return [span for span in spans if text[span[0]:span[1]].strip()]


def _logical_cells(cells: list[Cell]) -> list[list[Cell]]:
    """Group cells so that a continuation (lower-case start) joins the cell above."""
    groups: list[list[Cell]] = []
    for cell in cells:
        if groups and continues_above(cell.text):
            groups[-1].append(cell)
        else:
            groups.append([cell])
    return groups


def _strip_trailing_noise(text: str) -> str:
    """Remove trailing spaces, punctuation and " etc.", in time linear in the text.

    >>> _strip_trailing_noise("Home Office, etc.,")
    'Home Office'
    """
    found = _TRAILING_NOISE_REVERSED.match(text[::-1])
    return text[: len(text) - found.end()] if found else text


def _mention(item: str, level: str | None) -> tuple[str, bool, str | None] | None:
    """Clean one list item into (name, lead marker, bracketed qualifier), or None if empty.

    >>> _mention(" other RDAs", None)
    ('RDAs', False, None)
    >>> _mention("Futurebuilders (Home Office)", None)
    ('Futurebuilders', False, 'Home Office')
    >>> _mention("One North East*", None)
    ('One North East*', True, None)
    >>> _mention("Regional Centre's of (Procurement) Excellence", None)
    ("Regional Centre's of Procurement Excellence", False, None)
    """
    text = one_line(item)
    lead = "*" in text
    text = re.sub(r"\s*\*+", "*", text)  # keep lead markers on their word; the linker reads them
    qualifier = None
    ending = _END_QUALIFIER.match(text)
    if ending and ending.group(1).count("(") == ending.group(1).count(")"):
        text, qualifier = ending.group(1), ending.group(2).strip() or None
    text = one_line(text.replace("(", " ").replace(")", " "))
    text = _LEADING_NOISE.sub("", text)
    text = _strip_trailing_noise(text).strip(" -\"'")
    if not text or not any(ch.isalnum() for ch in text):
        return None
    return text, lead, qualifier
