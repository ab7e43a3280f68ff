"""Lay out a DP summary's blocks: its title, its sections and its field blocks, in any format.

Real DP pages name the DP only in their title, leave the aim and objectives without headings,
put tab labels, straplines and photo captions between the lines, glue headings to the text
before them, write headings as bullets, and give facts as field blocks (a label line and its
value lines, `Label: value`, or a two-column table). This module reads that structure from the
blocks of any format; `summary_reader` reads the DP, theme and partners from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.blocks import Block
from ingest.records import Cell
from ingest.summary_words import HEADINGS, SENTENCE_END, SINGLE, fact_of, is_short, section_of, words
from ingest.text import BULLET, CONTACT_DETAILS, match_key, normalise_punctuation

_CAPTION = re.compile(r"^\s*(?:\[\s*(?:photo|picture|image|photograph)\s*\]|\(?(?:photo|picture|image|photograph|"
                      r"caption|pictured)\s*(?:[:\-\u2013)]|\s+by\b))", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(?:[<\u00ab\u2039]+\s*)?(?:back to top|top of page|print this page|print|back|home|return to top|"
    r"(?:back|return) to (?:the )?(?:top|list|index|home|search|results|previous|page|dps?|theme|menu|contents)"
    r".{0,30}|page last updated.*|last updated.*|share this page|email this page|"
    r"close window|skip to content|printer friendly version|site map|accessibility)\s*[>\u00bb\u203a]*$"
    r"|^.{0,60}\b(?:web\s*)?site\s+(?:is\s+|was\s+)?(?:supported|funded|sponsored|maintained|hosted|designed|"
    r"managed|run)\s+by\b|.*(?:\u00a9|\(c\)\s*(?:19|20)\d\d|\bcopyright\b)", re.IGNORECASE)
_LEAD_IN = re.compile(r"\b(?:objectives?|aims?|priorities|goals?|set out to|aimed to|intended to|were to|was to|"
                      r"sought to|planned to|wanted to|would)\b[^:]{0,40}:$", re.IGNORECASE)
_GLUED = re.compile(r"(?<=[a-z0-9.!?)\]'\"])\s*([A-Z][A-Za-z']+(?:\s+[A-Za-z']+){0,3})\s*:?$")
#: The mark of the lead partner in a list of organisations.
_LEAD_PARTNER = re.compile(r"\(\s*lead(?:\s+partner)?\s*\)", re.IGNORECASE)
#: A lead-in line for the partnership's list (`The DP brought together the following members:`).
_LISTS_PARTNERS = re.compile(r"\b(?:partners|members|partner organisations)\b[^:]{0,40}:$|\b(?:following|these)\s+"
                             r"(?:partners|members|organisations)\b", re.IGNORECASE)
#: A place where another field label may start inside a field line (`... labour market Round: 1`).
_LABEL_START = re.compile(r"\s(?=[A-Z])")


@dataclass
class FieldBlock:
    """A labelled fact of the page: its label as written, what it gives, its values, where it stands."""

    label: str
    fact: str
    values: list[str]
    line: int


@dataclass
class Layout:
    """A summary's structure: title, sections (with their blocks) and fields."""

    title: Block | None
    sections: list[tuple[str, list[Block]]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    fields: list[FieldBlock] = field(default_factory=list)
    headings: int = 0
    #: Lines that are neither name nor text (tab labels, `Pillar: ... Theme F`, headings of their own wording).
    stray: list[Block] = field(default_factory=list)
    #: Lines that hold contact details (a `Contact` field or section): never stored.
    private: list[int] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        """Return each section as a Cell: the section's name, first line and text (contact sections left out)."""
        return [Cell(column=name, line=start, text="\n".join(_render(b) for b in blocks))
                for (name, blocks), start in zip(self.sections, self.starts) if blocks and name != "contact"]


def _render(block: Block) -> str:
    return f"- {block.text}" if block.kind == "item" else block.text


def clean(text: str) -> str:
    """Fold ligatures and compatibility forms (NFKC), curly quotes and dashes; trim."""
    return normalise_punctuation(unicodedata.normalize("NFKC", text)).strip()


def normalise(blocks: list[Block]) -> list[Block]:
    """Clean texts, drop boilerplate, split glued headings, and read two-column tables as fields."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "table":
            out.extend(_table_fields(block))
            continue
        text = clean(block.text)
        if not any(ch.isalnum() for ch in text) or (block.kind not in ("field", "title") and _BOILERPLATE.match(text)):
            continue
        parts = split_fields(text) if block.kind == "paragraph" else []
        if len(parts) > 1:  # `Round: 1 Region: North West`, run together by a PDF
            out.extend(Block("paragraph", part, block.line) for part in parts)
            continue
        if block.kind == "paragraph" and _CAPTION.match(text):
            out.append(Block("caption", text, block.line))
            continue
        glued = _GLUED.search(text) if block.kind == "paragraph" and words(text) > 4 else None
        if glued and match_key(glued.group(1)) in HEADINGS and not text[:glued.start(1)].rstrip().endswith(","):
            out.append(Block("paragraph", text[:glued.start(1)].rstrip(), block.line))
            out.append(Block("heading", glued.group(1), block.line, level=4))
            continue
        bullet = BULLET.match(text) if block.kind == "paragraph" else None
        if bullet:
            block, text = Block("item", text[bullet.end():], block.line, level=1), text[bullet.end():].strip()
        if block.kind == "item" and match_key(text) in HEADINGS:
            out.append(Block("heading", text, block.line, level=4))
            continue
        out.append(Block(block.kind, text, block.line, label=clean(block.label), level=block.level))
    return out


def _table_fields(block: Block) -> list[Block]:
    """Read a summary's table: label-and-value rows as fields, a list of partners (`Organisation | Role`)
    as the partners field, a framed box (one cell a row) as its lines; other rows as their text."""
    rows = [[clean(cell) for cell in row.cells] for row in block.rows]
    head = [match_key(cell) for cell in rows[0]] if rows else []
    if len(rows) > 1 and head and len(head) >= 2 and set(head[0].split()) & {"partner", "organisation", "member"}:
        names = [r[0] + (" (lead partner)" if any("lead" in c.lower() for c in r[1:]) else "")
                 for r in rows[1:] if r and r[0]]
        return [Block("field", "\n".join(names), block.rows[1].line, label="Partners")]
    out: list[Block] = []
    for row, cells in zip(block.rows, rows):
        filled = [cell for cell in cells if cell]
        if len(filled) >= 2 and is_short(filled[0], 6):
            out.append(Block("field", "\n".join(filled[1:]), row.line, label=filled[0].rstrip(":")))
        elif len(filled) == 1:
            out.extend(Block("paragraph", line.strip(), row.line) for line in filled[0].split("\n") if line.strip())
        elif filled:
            out.append(Block("paragraph", " ".join(filled), row.line))
    return out


def split_fields(text: str) -> list[str]:
    """Split a line that runs several `Label: value` fields together; [] if it does not start with one.

    >>> split_fields("Equal theme: Gender gaps Round: 1 Development Partnership Members: A; B")
    ['Equal theme: Gender gaps', 'Round: 1', 'Development Partnership Members: A; B']
    >>> split_fields("Aim: to help. Round the clock care: yes")
    []
    """
    label, colon, _rest = text.partition(":")
    if not colon or fact_of(label) is None:
        return []
    cuts, inside = [0], len(label)
    for start in _LABEL_START.finditer(text):
        at = start.end()
        if at <= inside:
            continue
        head = text[at:at + 60]
        for size in (4, 3, 2, 1):
            candidate = " ".join(head.split(" ", size)[:size])
            if candidate.endswith(":") and fact_of(candidate[:-1]):
                cuts.append(at)
                inside = at + len(candidate)
                break
    parts = [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)])]
    return parts if len(parts) > 1 and all(fact_of(p.partition(":")[0]) for p in parts) else []


def field_at(blocks: list[Block], index: int) -> tuple[FieldBlock, int] | None:
    """Read a field starting at a block: a field block, `Label: value`, or a label line and its values.

    Returns the field and the index of the block after it, or None if no field starts there.
    """
    block = blocks[index]
    if block.kind == "field":
        return FieldBlock(block.label, fact_of(block.label) or "other", block.text.split("\n"), block.line), index + 1
    if block.kind not in ("paragraph", "heading", "item"):
        return None
    label, colon, value = block.text.partition(":")
    fact = fact_of(label) if colon else None
    if fact and value.strip():
        values = [value.strip()]
        end = index + 1
        if fact not in SINGLE:
            more, end = _values(blocks, end, fact)
            values += more
        return FieldBlock(label.strip(), fact, values, block.line), end
    fact = fact_of(block.text)
    if fact is None or not is_short(block.text.rstrip(":"), 6):
        return None
    values, end = _values(blocks, index + 1, fact, single=fact in SINGLE)
    if not values:
        return None
    return FieldBlock(block.text.rstrip(": "), fact, values, block.line), end


def _values(blocks: list[Block], index: int, fact: str, single: bool = False) -> tuple[list[str], int]:
    """Collect the value lines of a label: short lines up to the next label, heading or long text."""
    values: list[str] = []
    while index < len(blocks):
        block = blocks[index]
        listed = fact == "partners" and len(re.findall(r"[,;]", block.text)) >= 2 and not SENTENCE_END.search(
            block.text)
        if block.kind not in ("paragraph", "item") or not (listed or is_short(block.text, 16)):
            break
        label, colon, _rest = block.text.partition(":")
        other = fact_of(block.text) or (fact_of(label) if colon else None)
        if (other and other != fact) or (not colon and section_of(block.text)):
            break
        values.append(block.text)
        index += 1
        if single:
            break
    return values, index


def lay_out(blocks: list[Block]) -> Layout:
    """Read the title, the sections and the fields of a summary's blocks."""
    blocks = normalise(blocks)
    title_at = find_title(blocks)
    layout = Layout(title=blocks[title_at] if title_at is not None else None)
    index = _skip_tab_bar(blocks, title_at + 1) if title_at is not None else 0
    if title_at is not None:
        layout.stray = [b for b in blocks[title_at + 1:index] if b.kind in ("paragraph", "heading")]
    section, current, opened_at = "intro", [], 0
    in_list = False  # inside an objectives list opened by a lead-in line ("... were to:")

    def close() -> None:
        nonlocal current, opened_at
        if current:
            layout.sections.append((section, current))
            layout.starts.append(opened_at or current[0].line)
        current, opened_at = [], 0

    while index < len(blocks):
        block = blocks[index]
        if block.kind == "caption" or (title_at is not None and index <= title_at):
            index += 1
            continue
        found = field_at(blocks, index)
        if found is not None and found[0].fact == "other" and block.kind == "field" and (
                section_of(block.label) or not is_short(block.text, 16)):
            close()  # `Aims | To help ...` in a form's table: a section, not a fact
            section, in_list, opened_at = section_of(block.label, explicit=True) or "intro", False, block.line
            layout.headings += 1
            current.extend(Block("paragraph", line, block.line) for line in block.text.split("\n") if line.strip())
            index += 1
            continue
        if found is not None and not (block.kind == "heading" and found[0].fact == "partners"
                                      and not found[0].values):
            layout.fields.append(found[0])
            if found[0].fact == "contact":
                layout.private.extend(b.line for b in blocks[index:found[1]])
            index = found[1]
            continue
        if block.kind == "paragraph" and block.text.endswith(":") and _LISTS_PARTNERS.search(block.text):
            values, end = _values(blocks, index + 1, "partners")  # `... Our partners are:` and a list
            if values:
                layout.fields.append(FieldBlock("partners", "partners", values, block.line))
                index = end
                continue
        if block.kind in ("paragraph", "item") and _LEAD_PARTNER.search(block.text) and is_short(block.text, 14):
            run = 0  # a list of organisations, one marked `(lead partner)`: the partnership, whatever its heading
            while run < len(current) and current[-1 - run].kind in ("paragraph", "item") and is_short(
                    current[-1 - run].text, 14):
                run += 1
            values, end = _values(blocks, index + 1, "partners")
            listed = [b.text for b in current[len(current) - run:]] + [block.text] + values
            del current[len(current) - run:]
            layout.fields.append(FieldBlock("partners", "partners", listed, block.line))
            index = end
            continue
        if block.kind == "paragraph" and CONTACT_DETAILS.search(block.text):
            layout.private.append(block.line)  # a phone number or e-mail address: contact details
            index += 1
            continue
        heading = section_of(block.text, explicit=block.kind == "heading") if block.kind in (
            "heading", "paragraph") else None
        if block.kind == "heading" and fact_of(block.text) == "contact":
            heading = "contact"  # a `Contact` section: its lines are personal data, never stored
        if heading is not None and (block.kind == "heading" or not current or _opens(blocks, index)):
            close()
            section, in_list, opened_at = heading, False, block.line
            layout.headings += 1
            if block.kind == "heading" and not section_of(block.text):
                layout.stray.append(block)  # a heading of its own wording may name the DP (`How the NEP DP ...`)
            index += 1
            continue
        label, colon, rest = block.text.partition(":")
        if block.kind == "paragraph" and colon and rest.strip() and match_key(label) in HEADINGS:
            close()  # `Aims: The Bridges DP trained refugees.`
            section, in_list, opened_at = HEADINGS[match_key(label)], False, block.line
            layout.headings += 1
            current.append(Block("paragraph", rest.strip(), block.line))
            index += 1
            continue
        introduces = block.text.endswith(":") and index + 1 < len(blocks) and blocks[index + 1].kind == "item"
        if block.kind == "paragraph" and section in ("intro", "aim") and (
                _LEAD_IN.search(block.text) or (introduces and not any(b.kind == "item" for b in current))):
            close()
            section, in_list = "objectives", True
        elif in_list and block.kind == "paragraph" and any(b.kind == "item" for b in current):
            close()
            section, in_list = "intro", False
        current.append(block)
        index += 1
    close()
    for name, members in layout.sections:
        if name == "contact":
            layout.private.extend(b.line for b in members)
    return layout


def _opens(blocks: list[Block], index: int) -> bool:
    """Tell whether a heading-like line opens a section: text, not another label, follows it."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following is not None and following.kind != "heading"


def find_title(blocks: list[Block]) -> int | None:
    """Return the index of the block that titles the page, or None if the page has no title line."""
    for index, block in enumerate(blocks):  # a format that marks its title (`<h1>`, Word's Title style)
        if block.kind == "title" and not (_generic(block.text) or section_of(block.text)):
            return index
    for index, block in enumerate(blocks[:4]):
        if (block.kind not in ("paragraph", "heading") or _generic(block.text) or MAIL_HEADER.match(block.text)
                or _FORM_ENTRY.match(block.text)):
            continue
        if (is_short(block.text, 24) and section_of(block.text) is None and fact_of(block.text) is None
                and field_at(blocks, index) is None):
            return index
        return None
    return None





#: The header lines of an e-mail (a forwarded bulletin): who sent it and when, never a title.
MAIL_HEADER = re.compile(r"(?:from|sent|to|cc|bcc|date|subject|reply-to|importance)\s*:", re.IGNORECASE)
#: A form's numbered entry (`Claim number: 7 Claim period: ...`): what the page is, never a title.
_FORM_ENTRY = re.compile(r"[^:]{1,30}:\s*\d")
#: Words that say a line names a kind of page, not a DP (`Social Initiative` is a DP; `EQUAL summary` is not).
_PAGE_WORDS = {"equal", "development", "partnership", "partnerships", "dp", "dps", "summary", "summaries", "page",
               "programme", "program", "profile", "case", "study", "directory", "news", "newsletter", "report",
               "evaluation", "bulletin", "press", "release", "section", "chapter", "archive", "archived", "welcome",
               "home", "publication", "facts", "form", "round", "part", "fiche", "minutes", "poster", "record"}
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january",
           "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"}
#: Words a line that only says what the page is may hold: page words, months, and words of the programme.
_GENERIC = _PAGE_WORDS | _MONTHS | {"gb", "uk", "the", "of", "and", "community", "initiative", "european", "social",
                                     "fund", "esf", "great", "britain", "england", "about", "us", "final", "for",
                                     "immediate", "pillar", "employability", "adaptability", "entrepreneurship",
                                     "opportunities", "project", "information", "sheet", "claim", "progress",
                                     "action", "common", "database", "ecdb", "ukgb"}


#: A DP's programme reference (`UKgb-2I-004`, `UKgb 1A 12`): says which DP, never names it.
_DP_REFERENCE = re.compile(r"\bUKgb[-\s]*\d[A-I][-\s]*\d+\b", re.IGNORECASE)


def _generic(text: str) -> bool:
    """Tell whether a line names only the kind of page ('EQUAL Development Partnership summary') or a date."""
    words = match_key(_DP_REFERENCE.sub(" ", text)).split()
    if words and all(word in _MONTHS or word.isdigit() for word in words):
        return True
    return all(word in _GENERIC or word.isdigit() for word in words) and any(word in _PAGE_WORDS for word in words)


def _skip_tab_bar(blocks: list[Block], index: int) -> int:
    """Skip the tab labels and strapline under a title; keep a last heading that opens the aim.

    The first line under the title may be a longer strapline (up to 20 words, no full stop).
    """
    start = index
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "caption":
            index += 1
            continue
        most = 20 if index == start else 12
        if block.kind not in ("paragraph", "heading") or not is_short(block.text, most) or field_at(blocks, index):
            break
        if block.kind == "heading" and section_of(block.text, explicit=True) in ("aim", "objectives", "background",
                                                                                 "intro"):
            break
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if section_of(block.text) and following is not None and (
                following.kind == "item" or (index == start and not is_short(following.text))):
            break  # `Objectives` over a list, or one heading between the title and the text: not a tab label
        index += 1
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    if (index < len(blocks) and blocks[index].kind == "paragraph" and words(blocks[index].text) <= 15
            and after is not None and (after.kind in ("field", "heading", "caption") or field_at(blocks, index + 1))):
        return index + 1  # a one-sentence strapline above the page's fields
    if index > start and index < len(blocks) and blocks[index].kind == "paragraph":
        last = blocks[index - 1]
        if last.kind == "paragraph" and section_of(last.text) in ("aim", "objectives", "background"):
            return index - 1
    return index
