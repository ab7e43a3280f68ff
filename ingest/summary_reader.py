"""Read a DP summary: sections under varying headings, the DP's name, objectives and outcomes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.errors import IngestError
from ingest.records import Cell, Outcome, Summary
from ingest.text import match_key, normalise_punctuation, one_line

#: Heading wordings (as match keys) and the field each one introduces.
HEADINGS: dict[str, str] = {}
for _field, _wordings in {
    "aim": ["aim", "aims", "overall aim", "purpose", "aim of the dp", "aims and objectives", "mission"],
    "objectives": ["objectives", "key objectives", "main objectives", "key priorities",
                   "priorities", "objectives and activities", "key priorities and actions"],
    "background": ["background", "context", "rationale", "background and context", "origins"],
    "beneficiaries": ["target beneficiary groups", "beneficiary groups", "beneficiaries",
                      "target groups", "target beneficiaries", "target group", "who we work with",
                      "client groups"],
    "outcomes": ["main outcomes", "outcomes", "results", "key outcomes", "achievements",
                 "main results", "impact", "outcomes and results", "main achievements"],
    "region": ["region", "location", "geographical coverage", "area covered", "geographical area"],
    "partners": ["partners", "partnership", "dp partners", "members", "lead partner"],
    "activities": ["activities", "main activities", "approach", "methods", "work programme"],
    "theme": ["theme", "equal theme"],
    "name": ["dp name", "name of dp", "development partnership", "name of the dp", "dp", "title"],
}.items():
    for _wording in _wordings:
        HEADINGS[match_key(_wording)] = _field

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf\u2013o]|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,2}\))\s+")
_NOT_NAMES = {"the", "this", "that", "each", "every", "our", "a", "an", "its", "their", "which",
              "one", "other", "lead", "existing", "whole", "same"}
#: Words that start real DP names (`New Access`, `Equal Voices`) but also describe one (`the new DP`,
#: `This EQUAL DP`): dropped only at the start of a sentence, or when nothing follows them.
_MAYBE_NAMES = {"equal", "new", "uk", "gb"}
#: A DP's name as prose writes it: capitalised words, joined by a few lower-case ones.
_NAME_WORDS = r"[A-Z][\w&'\-]*(?:\s+(?:[A-Z][\w&'\-]*|of|and|for|in|the|on|to|into|at|with)){0,6}?"
_DP_SUFFIX = r"(?:DP|D\.P\.|Development\s+Partnership)"
_DP_NAME = re.compile(rf"\b({_NAME_WORDS})\s+{_DP_SUFFIX}\b")
#: A line that is only a name and the suffix (`Equal Forum Development Partnership`, `X DP summary`).
_DP_TITLE = re.compile(rf"^\s*({_NAME_WORDS})\s+{_DP_SUFFIX}(?:\s+[Ss]ummary)?\s*[.:]?\s*$")
_DP_LABELLED = re.compile(
    r"^\s*(?:DP\s+name|Name\s+of\s+(?:the\s+)?DP|Development\s+Partnership)\s*[:\-]\s*(.+?)\s*$",
    re.IGNORECASE,
)
_THEME = re.compile(r"\bTheme\s+([A-I])\b")
_ROUND = re.compile(r"\bRound\s+([12])\b", re.IGNORECASE)


def read_summary(path: str, text: str, dp_name: str | None = None) -> Summary:
    """Read a DP summary's text into a Summary record.

    Args:
        path: the file name, for error messages and provenance.
        text: the document's text.
        dp_name: an explicit DP name that overrides detection.
    Raises:
        IngestError: no heading is recognised, or no DP can be found.
    """
    text = normalise_punctuation(text)
    lines = text.split("\n")
    sections = _sections(lines)
    if not any(cell.column in HEADINGS.values() for cell in sections):
        raise IngestError(path, "no recognisable summary heading (Aim, Objectives, Background, "
                                "Target beneficiary groups, Main Outcomes ...)", 1)
    if dp_name:
        name, line = clean_dp_name(dp_name), 1
    else:
        found = detect_dp_name(lines, Path(path).stem)
        if found is None:
            raise IngestError(path, "no recognisable Development Partnership: the text never names "
                                    "one ('the X DP', 'X Development Partnership'); pass --dp-name", 1)
        name, line = found
    summary = Summary(path=path, dp_name=name, dp_line=line, sections=sections)
    objectives = summary.section("objectives")
    if objectives is not None:
        summary.objectives = list_items(objectives.text)
    outcomes = summary.section("outcomes")
    if outcomes is not None:
        summary.outcomes = read_outcomes(outcomes.text)
    theme = _THEME.search(text)
    summary.theme = theme.group(1) if theme else None
    round_ = _ROUND.search(text)
    summary.round = int(round_.group(1)) if round_ else None
    return summary


def _heading(line: str) -> tuple[str, str] | None:
    """Return (field, inline text) if a line is a section heading, else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 200:
        return None
    head, sep, rest = stripped.partition(":")
    key = match_key(head)
    if key in HEADINGS and (sep or len(head.split()) <= 5):
        return HEADINGS[key], rest.strip()
    if sep and not rest.strip() and 0 < len(head.split()) <= 5 and head[:1].isupper():
        return re.sub(r"\W+", "-", key).strip("-") or "section", ""
    return None


def _sections(lines: list[str]) -> list[Cell]:
    """Split lines into sections at headings; text before the first heading is 'intro'."""
    sections: list[Cell] = []
    column, start, body = "intro", 1, []

    def close() -> None:
        content = "\n".join(part.rstrip() for part in body).strip()
        if content:
            sections.append(Cell(column=column, line=start, text=content))

    following_text = [""] * (len(lines) + 1)  # the first non-blank line from each index on
    for index in range(len(lines) - 1, -1, -1):
        following_text[index] = lines[index] if lines[index].strip() else following_text[index + 1]
    for number, line in enumerate(lines, start=1):
        heading = _heading(line)
        if heading is not None and heading[0] not in HEADINGS.values():
            following = following_text[number]
            if not any(part.strip() for part in body) or _BULLET.match(following):
                heading = None  # a lead-in line ("Key priorities were:"), not a heading
        if heading is None:
            body.append(line)
            continue
        close()
        column, start, body = heading[0], number, [heading[1]] if heading[1] else []
    close()
    return sections


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
    return " ".join(words)


def detect_dp_name(lines: list[str], file_name: str = "") -> tuple[str, int] | None:
    """Find the DP a summary is about: a labelled name, else the most named 'X DP'.

    >>> detect_dp_name(["The aim of the SEEM DP was to test.", "The DP covered it."])
    ('SEEM', 1)
    >>> detect_dp_name(["Development Partnership: Fair Chance"])
    ('Fair Chance', 1)
    """
    for number, line in enumerate(lines, start=1):
        labelled = _DP_LABELLED.match(line)
        if labelled and labelled.group(1).strip():
            return clean_dp_name(labelled.group(1)), number
    for number, line in enumerate(lines, start=1):  # a title line: `Equal Forum Development Partnership`
        title = _DP_TITLE.match(line)
        if title and (name := _name_words(title.group(1).split(), sentence_start=False)):
            return clean_dp_name(name), number
    named_after = match_key(file_name.replace("_", " ").replace("-", " "))
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        for match in _DP_NAME.finditer(line):
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
    bullets = [line for line in lines if _BULLET.match(line)]
    if bullets:
        items: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                items.append(_BULLET.sub("", line).strip())
            elif items and not line.endswith(":"):
                items[-1] += " " + line
        return [item for item in items if item]
    if len(lines) == 1:
        parts = [part.strip() for part in re.split(r";\s*", lines[0]) if part.strip()]
        return parts
    return [line for line in lines if not line.endswith(":")]


_QUALIFIER = r"(?:(over|more than|almost|nearly|around|about|approximately|some|at least|up to|under|fewer than)\s+)?"
_FIGURE = re.compile(
    _QUALIFIER + r"(?<![\d.£-])(\d{1,3}(?:,\d{3})+|\d+)(?![\d/-])(\s*%|\s+per\s+cent)?\s+"
    r"(.+?)(?=\s+and\s+" + _QUALIFIER + r"\d|[,.;:!?()]|$)",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"\b((?:19|20)\d\d(?:\s*[-/]\s*\d{1,4})?)\b")


def read_outcomes(text: str) -> list[Outcome]:
    """Read outcome sentences and their figures (300 people, 150 social enterprises, 2003-4).

    >>> [(o.quantity, o.qualifier, o.unit, o.period) for o in read_outcomes(
    ...     "By 2003-4, partners had reached over 300 people and over 150 social enterprises.")]
    [(300, 'over', 'people', '2003-4'), (150, 'over', 'social enterprises', '2003-4')]
    """
    outcomes: list[Outcome] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])|\n+", text):
        sentence = sentence.strip()
        if not sentence:
            continue
        period = _PERIOD.search(sentence)
        found = False
        for match in _FIGURE.finditer(sentence):
            number = int(match.group(2).replace(",", ""))
            if 1900 <= number <= 2100 and not match.group(1):
                continue
            unit = re.split(r"\s+(?:in|by|during|since|from)\s+(?:the\s+)?(?:19|20)\d\d", match.group(4))[0]
            unit = unit.strip()
            if match.group(3):
                unit = "% " + unit
            outcomes.append(Outcome(text=sentence, quantity=number, unit=unit,
                                    qualifier=(match.group(1) or "").lower() or None,
                                    period=period.group(1).replace(" ", "") if period else None))
            found = True
        if not found:
            outcomes.append(Outcome(text=sentence, period=period.group(1) if period else None))
    return outcomes
