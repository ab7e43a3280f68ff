"""Read a DP summary from its blocks: the DP's name, its sections, theme, round and partners.

The DP's name comes from, in this order of trust: `--dp-name`, the title line (`NAME - Expanded
Acronym` gives the acronym and its expansion as an alias), a labelled field (`DP name: ...`),
then the prose (`the X DP`). A title that the text never repeats gives way to a name the prose
states. Sections come from `summary_layout`; where the aim has no heading, the opening text is
the aim, and the list after a lead-in line (`The objectives of the Partnership were to:`) the
objectives. Contact persons are never read.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.blocks import Block
from ingest.errors import IngestError
from ingest.figures import read_outcomes
from ingest.formats.plain import read_plain
from ingest.records import Cell, Summary
from ingest.summary_facts import read_facts
from ingest.summary_layout import Layout, lay_out
from ingest.summary_words import is_short
from ingest.text import BULLET, match_key, normalise_punctuation, one_line

_NOT_NAMES = {"the", "this", "that", "each", "every", "our", "a", "an", "its", "their", "which",
              "one", "other", "lead", "existing", "whole", "same", "how", "why", "what", "when", "where", "who",
              "during", "after", "before", "through", "since", "under", "between", "within"}
#: Words that start real DP names (`New Access`, `Equal Voices`) but also describe one (`the new DP`,
#: `This EQUAL DP`): dropped only at the start of a sentence, or when nothing follows them.
_MAYBE_NAMES = {"equal", "new", "uk", "gb"}
#: A DP's name as prose writes it: capitalised words, joined by a few lower-case ones.
_NAME_WORDS = r"[A-Z][\w&'\-]*(?:\s+(?:[A-Z][\w&'\-]*|of|and|for|in|the|on|to|into|at|with)){0,6}?"
_DP_SUFFIX = r"(?:DP|D\.P\.|Development\s+Partnership)"
_DP_NAME = re.compile(rf"\b({_NAME_WORDS})\s+{_DP_SUFFIX}\b")
#: A DP's name said to be one (`Foundations West, a Development Partnership`, `BEAM is an EQUAL DP`).
_DP_APPOSITION = re.compile(rf"\b({_NAME_WORDS})(?:\s*,\s*|\s+(?:is|was)\s+|\s+\()(?:an?|the)\s+(?:EQUAL\s+|new\s+)?"
                            rf"(?:{_DP_SUFFIX}|partnership\s+funded)\b")
#: A line that is only a name and the suffix (`Equal Forum Development Partnership`, `X DP summary`).
_DP_TITLE = re.compile(rf"^\s*({_NAME_WORDS})\s+{_DP_SUFFIX}(?:\s+[Ss]ummary)?\s*[.:]?\s*$")
_DP_LABELLED = re.compile(
    r"^\s*(?:DP\s+name|Name\s+of\s+(?:the\s+)?DP|Development\s+Partnership)\s*[:\-]\s*(.+?)\s*$",
    re.IGNORECASE,
)
#: Words that make a title's second half describe the document rather than expand the DP's name.
_DOCUMENT_WORDS = frozenset({"report", "summary", "evaluation", "newsletter", "profile", "page", "directory",
                             "strategy", "bulletin", "brochure", "presentation", "briefing", "update", "news"})
#: Where a title line's name ends and its expansion begins (`NAME - ...`, `NAME: ...`, `... (NAME)`).
_TITLE_SPLIT = re.compile(r"\s+[-:|]\s+|:\s+|\s*\(([^()]+)\)\s*$")
#: Words that say a text is about a DP, when it has no heading or field a summary would have.
_PROSE_SIGNAL = re.compile(r"\b(?:DPs?|Development Partnership|Partnership|project|EQUAL)\b")


def read_summary(path: str, text: str, dp_name: str | None = None,
                 themes: dict[str, str] | None = None) -> Summary:
    """Read a DP summary's text into a Summary record (see `read_summary_blocks`)."""
    return read_summary_blocks(path, read_plain(text, markdown=path.lower().endswith((".md", ".markdown"))),
                               dp_name, themes)


def read_summary_blocks(path: str, blocks: list[Block], dp_name: str | None = None,
                        themes: dict[str, str] | None = None, fmt: str = "text") -> Summary:
    """Read a DP summary's blocks into a Summary record.

    Args:
        path: the file name, for error messages and provenance.
        blocks: the document's blocks, from any format reader.
        dp_name: an explicit DP name that overrides detection.
        themes: theme wordings (match keys) to theme letters, to read a theme given by name.
    Raises:
        IngestError: the text is not recognisably a DP summary, or names no DP.
    """
    layout = lay_out(blocks)
    cells = layout.cells()
    prose = [(b.line, b.text) for b in layout.stray]  # a subtitle may name the DP (`How the NEP DP ...`)
    prose += [(cell.line, line) for cell in cells for line in cell.text.split("\n")]
    if not (layout.headings or layout.fields or any(c.column == "objectives" for c in cells)
            or any(_PROSE_SIGNAL.search(text) for _line, text in prose)):
        first = blocks[0].line if blocks else 1
        raise IngestError(path, "no recognisable summary heading (Aim, Objectives, Background, Target beneficiary "
                                "groups, Main Outcomes ...), field (Theme, Round, Partners) or Development "
                                "Partnership", first or 1)
    summary = Summary(path=path, dp_name="", dp_line=1, sections=[], format=fmt,
                      title=layout.title.text if layout.title else None)
    _name(summary, layout, prose, dp_name)
    if layout.title is not None:
        summary.sections.append(Cell(column="title", line=layout.title.line, text=layout.title.text))
    if not any(cell.column == "aim" for cell in cells):
        at = next((i for i, cell in enumerate(cells) if cell.column == "intro"), None)
        purpose = _statement_of_purpose(layout, opening_only=at is not None)
        if purpose is not None:
            cells.insert(0, purpose)  # `The purpose of TIDES was to ...`
        elif at is not None:
            cells[at] = Cell(column="aim", line=cells[at].line, text=cells[at].text)
    summary.sections.extend(cells)
    summary.private_lines = sorted(set(layout.private))
    summary.objectives = _objectives(layout)
    outcomes = [cell.text for cell in cells if cell.column == "outcomes"]
    summary.outcomes = read_outcomes("\n".join(outcomes)) if outcomes else []
    read_facts(summary, layout, themes or {})
    return summary


#: A sentence that states what a DP set out to do: the aim, wherever a page without an `Aim` heading puts it.
_PURPOSE = re.compile(r"\b(?:aim|aims|purpose|goal|mission|objective)\b[^.]{0,60}?\b(?:was|is|were|are)\s+to\b"
                      r"|\bset\s+out\s+to\b|\bexists?\s+to\b|\bwas\s+set\s+up\s+to\b|\baimed\s+to\b",
                      re.IGNORECASE)


def _statement_of_purpose(layout: Layout, opening_only: bool) -> Cell | None:
    """Return, as the aim, the first paragraph that states a purpose: in the opening text, or (when the
    page has no opening text) in a later section other than objectives, groups, outcomes or contacts."""
    skip = {"intro", "objectives", "beneficiaries", "outcomes", "contact", "activities"}
    ordered = [blocks for name, blocks in layout.sections if name == "intro"]
    if not opening_only:
        ordered += [blocks for name, blocks in layout.sections if name not in skip]
    for blocks in ordered:
        for block in blocks:
            if block.kind == "paragraph" and not is_short(block.text) and _PURPOSE.search(block.text):
                return Cell(column="aim", line=block.line, text=block.text)
    return None


def _name(summary: Summary, layout: Layout, prose: list[tuple[int, str]], override: str | None) -> None:
    """Find the DP's name and aliases: override, title, labelled field, prose, in that order."""
    body = " ".join(match_key(text) for _line, text in prose)
    found = _prose_name(prose, Path(summary.path).stem)
    labelled = next((f for f in layout.fields if f.fact == "name" and f.values[0].strip()), None)
    title = split_title(layout.title.text) if layout.title is not None else None
    if override:
        summary.dp_name, summary.name_source = clean_dp_name(override), "override"
    elif title and (_named_in(title, body) or not found or match_key(found[0]) in match_key(layout.title.text)):
        summary.dp_name, summary.aliases = title[0], title[1]
        summary.dp_line, summary.name_source = layout.title.line, "title"
    elif labelled is not None:
        named = split_title(labelled.values[0]) or (clean_dp_name(labelled.values[0]), [])
        summary.dp_name, summary.aliases, summary.dp_line = named[0], named[1], labelled.line
        summary.name_source = "field"
    elif found is not None:
        summary.dp_name, summary.dp_line, summary.name_source = found[0], found[1], "prose"
    elif title:
        summary.dp_name, summary.aliases = title[0], title[1]
        summary.dp_line, summary.name_source = layout.title.line, "title"  # type: ignore[union-attr]
    else:
        raise IngestError(summary.path, "no recognisable Development Partnership: no title line names one, and "
                                        "the text never does ('the X DP', 'X Development Partnership'); pass "
                                        "--dp-name", 1)
    if not summary.dp_name:
        raise IngestError(summary.path, "the DP's name is empty; pass --dp-name", summary.dp_line)
    others = [clean_dp_name(labelled.values[0])] if labelled is not None else []
    others += [one_line(f.values[0]) for f in layout.fields if f.fact == "fullname" and f.values[0].strip()]
    if _acronym(summary.dp_name):  # its expansion: a line under the title, or in brackets in the text
        others += [b.text for b in layout.stray if _initials_match(summary.dp_name, b.text) and _title_case(b.text)
                   and len(b.text.split()) >= len(summary.dp_name) - 1][:1]
        said = re.search(re.escape(summary.dp_name) + r"\s*\(([^()]{8,120})\)", " ".join(t for _n, t in prose))
        if said and _initials_match(summary.dp_name, said.group(1)):
            others.append(one_line(said.group(1)))
    if found is not None:
        others.append(found[0])
    words = summary.dp_name.split()
    for size in range(len(words) - 1, 1, -1):  # `Open Gate` for `Open Gate Kent`, when the text says so
        prefix = " ".join(words[:size])
        if body.count(match_key(prefix)) >= 2 and match_key(summary.dp_name) not in body:
            others.append(prefix)
            break
    for alias in others:
        if match_key(alias) != match_key(summary.dp_name) and alias not in summary.aliases and alias:
            summary.aliases.append(alias)


def _named_in(title: tuple[str, list[str]], body: str) -> bool:
    """Tell whether the text says the title's name, an alias, or the name's first words."""
    names = [title[0], *title[1]]
    first = " ".join(title[0].split()[:2])
    return any(f" {match_key(n)} " in f" {body} " for n in [*names, first] if match_key(n))


def split_title(text: str) -> tuple[str, list[str]] | None:
    """Read a DP's name and aliases from a title line; None if the line cannot be a DP's name.

    >>> split_title("ATLAS - Action for Training and Learning for Asylum Seekers")
    ('ATLAS', ['Action for Training and Learning for Asylum Seekers'])
    >>> split_title("Steps to Business Success (SBS)")
    ('SBS', ['Steps to Business Success'])
    >>> split_title("Equal Forum Development Partnership"), split_title("Open Gate Kent - Into work after prison")
    (('Equal Forum', []), ('Open Gate Kent', []))
    >>> split_title("Minutes of the Tyne Steps Development Partnership Board")
    ('Tyne Steps', [])
    """
    text = one_line(normalise_punctuation(text)).strip(" .:")
    text = re.sub(r"^(?:welcome\s+to\s+)?(?:(?:draft\s+)?(?:minutes|notes)\s+of\s+)?(?:the\s+)?", "", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\s+(?:DP|D\.P\.|Development\s+Partnership)(?:\s+summary|\s+(?:partnership\s+|steering\s+|"
                  r"management\s+)?(?:board|group|committee|meeting))?$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+summary$", "", text, flags=re.IGNORECASE)
    if not text or len(text.split()) > 24 or re.search(r"[.!?]$", text):
        return None
    cut = _TITLE_SPLIT.search(text)
    if cut is None or cut.start() == 0:
        return (clean_dp_name(text), []) if len(text.split()) <= 10 else None
    name, rest = text[:cut.start()].strip(), (cut.group(1) or text[cut.end():]).strip()
    if not rest or len(name.split()) > 10:
        return (clean_dp_name(name), []) if len(name.split()) <= 10 else None
    if _acronym(rest) and not _acronym(name):
        return clean_dp_name(rest), [name]
    document = _DOCUMENT_WORDS & set(match_key(rest).split())  # `- Final Report to ...` describes the page
    alias = [rest] if not document and (_title_case(rest) or (_acronym(name) and _initials_match(name, rest))) else []
    return clean_dp_name(name), alias


def _acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9&+\-]{1,11}", text.replace(" ", ""))) and len(text.split()) <= 2


def _title_case(text: str) -> bool:
    """Tell whether most of a phrase's long words are capitalised (an expansion, not a strapline)."""
    long_words = [w for w in text.split() if len(w) > 3]
    return bool(long_words) and sum(w[:1].isupper() for w in long_words) >= 0.75 * len(long_words)


def _initials_match(acronym: str, expansion: str) -> bool:
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", expansion)).upper()
    letters = re.sub(r"[^A-Z0-9]", "", acronym.upper())
    return bool(letters) and all(ch in initials for ch in letters)


def _objectives(layout: Layout) -> list[str]:
    """Return the objectives as items: list items, else the lines after a lead-in, else split text."""
    for name, blocks in layout.sections:
        if name != "objectives":
            continue
        items = [b.text for b in blocks if b.kind == "item"]
        if items:
            return items
        lines = [b.text for b in blocks if not b.text.endswith(":")]
        if len(lines) > 1:
            return lines
        return list_items("\n".join(b.text for b in blocks))
    return []


def clean_dp_name(name: str) -> str:
    """Strip articles, lead markers and 'DP' from a DP name.

    >>> clean_dp_name("the SEEM DP")
    'SEEM'
    >>> clean_dp_name("INSPIRE*")
    'INSPIRE'
    >>> clean_dp_name("Bristol City Council.")
    'Bristol City Council'
    """
    name = one_line(normalise_punctuation(name)).strip(" .,;:*\"'")
    name = re.sub(r"^(?:the)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:DP|D\.P\.|Development Partnership)$", "", name, flags=re.IGNORECASE)
    return name.strip(" .,;:*\"'")


def _name_words(words: list[str], sentence_start: bool, named_after: str = "") -> str:
    """Drop the words before a DP's name (`the`, `This EQUAL`); keep `New` or `Equal` that start one.

    At the start of a sentence `New Balance DP` may be the new Balance DP: the name is kept whole
    when the file is named after it (`named_after`, the match key of `new-balance.txt`'s stem).
    """
    while words and (words[0].lower() in _NOT_NAMES or (
            words[0].lower() in _MAYBE_NAMES and (sentence_start or len(words) == 1)
            and not (len(words) > 1 and match_key(" ".join(words)) in named_after))):
        words = words[1:]
        sentence_start = False
    if words and words[-1].lower() in ("the", "of", "a", "an", "and", "for", "to", "in", "on", "with"):
        return ""  # `Purpose of the DP`: a phrase about the DP, not its name
    return " ".join(words)


def detect_dp_name(lines: list[str], file_name: str = "") -> tuple[str, int] | None:
    """Find the DP a text is about: a labelled name, else the most named 'X DP'.

    >>> detect_dp_name(["The aim of the SEEM DP was to test.", "The DP covered it."])
    ('SEEM', 1)
    >>> detect_dp_name(["Development Partnership: Fair Chance"])
    ('Fair Chance', 1)
    """
    return _prose_name(list(enumerate(lines, start=1)), file_name)


def _prose_name(lines: list[tuple[int, str]], file_name: str = "") -> tuple[str, int] | None:
    """Find the DP named in numbered lines: a labelled name, a title-like line, else the most named 'X DP'."""
    for number, line in lines:
        labelled = _DP_LABELLED.match(line)
        if labelled and labelled.group(1).strip():
            return clean_dp_name(labelled.group(1)), number
    for number, line in lines:  # a title line: `Equal Forum Development Partnership`
        title = _DP_TITLE.match(line)
        if title and (name := _name_words(title.group(1).split(), sentence_start=False)):
            return clean_dp_name(name), number
    named_after = match_key(file_name.replace("_", " ").replace("-", " "))
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for number, line in lines:
        for match in [*_DP_NAME.finditer(line), *_DP_APPOSITION.finditer(line)]:
            sentence_start = line[:match.start()].rstrip()[-1:] in ("", ".", "!", "?", ":")
            words = _name_words(match.group(1).split(), sentence_start, named_after)
            if not words:
                continue
            name = clean_dp_name(words)
            counts[name] += 1
            first.setdefault(name, number)
    if not counts:
        return None
    for short in list(counts):  # `Impact` at the start of a sentence, `the Equal Impact DP` elsewhere
        longer = [name for name in counts if name.endswith(" " + short)
                  and all(word.lower() in _MAYBE_NAMES for word in name[:-len(short)].split())]
        if len(longer) == 1:
            counts[longer[0]] += counts.pop(short)
            first[longer[0]] = min(first[longer[0]], first.pop(short))
    best = max(counts, key=lambda name: (counts[name], -first[name]))
    return best, first[best]


def list_items(text: str) -> list[str]:
    """Split a section into list items: bullets, numbered lines, or lines.

    A lead-in line ending with ':' is not an item.

    >>> list_items("Key priorities were:\\n- one\\n- two")
    ['one', 'two']
    >>> list_items("to develop; to test")
    ['to develop', 'to test']
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    bullets = [line for line in lines if BULLET.match(line)]
    if bullets:
        items: list[str] = []
        for line in lines:
            if BULLET.match(line):
                items.append(BULLET.sub("", line).strip())
            elif items and not line.endswith(":"):
                items[-1] += " " + line
        return [item for item in items if item]
    if len(lines) == 1:
        parts = [part.strip() for part in re.split(r";\s*", lines[0]) if part.strip()]
        return parts
    return [line for line in lines if not line.endswith(":")]
