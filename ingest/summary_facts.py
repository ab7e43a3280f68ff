"""Read a summary's facts from its fields and lines: theme, round, region and partner organisations.

A field (`Theme` / `E - Promoting lifelong learning`, `Equal theme: Asylum seekers`, `Round` / `2`,
`Development Partnership Members:` and its list) is trusted first; then a short line that states
a theme (`Theme A`); then the prose, when it names one theme only. A theme may be given by its
letter or by its name in any of the wordings the reference data knows.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.records import Cell, Partner, Summary
from ingest.summary_layout import FieldBlock, Layout
from ingest.summary_words import is_short
from ingest.text import CONTACT_DETAILS, match_key, normalise_punctuation

_THEME = re.compile(r"\bTheme\s*:?\s+([A-I])\b(?!['\w])")
_THEME_VALUE = re.compile(r"^\s*(?:(?:equal\s+)?theme\s*:?\s*)?([A-I])\s*(?:$|[-:.)/,]|\s+-)", re.IGNORECASE)
_ROUND = re.compile(r"\bRound\s*:?\s+([12]|one|two|I{1,2})\b|\b(first|second)\s+round\b", re.IGNORECASE)
_ROUND_WORDS = {"1": 1, "2": 2, "one": 1, "two": 2, "i": 1, "ii": 2, "first": 1, "second": 2}
#: A theme stated in a sentence (`Our theme is reconciling family and professional life.`).
_THEME_SENTENCE = re.compile(r"\btheme\s+(?:is|was|of)\s+([^.;:]{6,90})", re.IGNORECASE)
#: Partners listed in a sentence (`Our members are A, B and C.`).
_PARTNER_SENTENCE = re.compile(r"\b(?:our|the|its|other)\s+(?:partners|members|partner\s+organisations)\s+"
                               r"(?:are|were|include|included|are:|were:)\s*:?\s+(.+?)\.(?:\s|$)", re.IGNORECASE)
_LEAD_MARK = re.compile(r"\s*[(\[]\s*(?:the\s+)?lead(?:\s+(?:partner|organisation|organization|body|agency))?"
                        r"\s*[)\]]\s*|\s+-\s+lead(?:\s+partner)?\s*$|\*+\s*$", re.IGNORECASE)
#: Theme words too common to tell one theme from another.
_THEME_STOP = {"and", "the", "of", "to", "in", "for", "a", "on", "all", "theme", "equal", "supporting",
               "promoting", "market", "labour", "life", "work"}


def read_facts(summary: Summary, layout: Layout, themes: dict[str, str]) -> None:
    """Read theme, round, region and partners from the fields, else from short lines and prose."""
    for found in layout.fields:
        cell = Cell(column=_FIELD_COLUMNS.get(found.fact, "field"), line=found.line,
                    text=f"{found.label}: " + "\n".join(found.values))
        if found.fact == "theme" and summary.theme is None:
            summary.theme = theme_letter(" ".join(found.values), themes)
            if summary.theme:
                summary.theme_source, summary.theme_cell = "field", cell
        elif found.fact == "round" and summary.round is None:
            summary.round = _round(" ".join(found.values), whole=True)
        elif found.fact == "region":
            summary.sections.append(cell)
        elif found.fact in ("partners", "lead"):
            summary.sections.append(cell)
            _partners(summary, found, cell)
    lines = [(Cell(column="line", line=b.line, text=b.text), b.text) for b in layout.stray]  # never the title's cell
    lines += [(cell, line) for cell in summary.sections if cell.column not in ("partners", "region", "field")
              for line in cell.text.split("\n")]
    if summary.theme is None:
        for cell, line in lines:
            letter = _theme_in_line(line, themes)
            if letter:
                summary.theme, summary.theme_source, summary.theme_cell = letter, "line", cell
                break
    if summary.theme is None:
        letters = {m.group(1): cell for cell, line in lines for m in _THEME.finditer(line)}
        if len(letters) == 1:
            (letter, cell), = letters.items()
            summary.theme, summary.theme_source, summary.theme_cell = letter, "prose", cell
    if summary.theme is None:  # `Our theme is reconciling family and professional life.`
        named = {letter: cell for cell, line in lines for m in _THEME_SENTENCE.finditer(line)
                 if (letter := theme_letter(m.group(1), themes))}
        if len(named) == 1:
            (letter, cell), = named.items()
            summary.theme, summary.theme_source, summary.theme_cell = letter, "prose", cell
    if summary.round is None:
        rounds = {found for _cell, line in lines if (found := _round(line))}
        if len(rounds) == 1:
            summary.round = rounds.pop()
    if not summary.partners:  # `Our members are A, B and C.`
        for cell, line in lines:
            listed = _PARTNER_SENTENCE.search(line)
            if listed:
                names = [n for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?=[A-Z])", listed.group(1)) if n]
                if len(names) >= 2 and all(is_short(n, 10) for n in names):
                    _partners(summary, FieldBlock("partners", "partners", ["; ".join(names)], cell.line), cell)
                    break


#: Field facts and the section column their cell is stored under.
_FIELD_COLUMNS = {"theme": "theme", "round": "round", "region": "region", "partners": "partners", "lead": "partners"}


def _theme_in_line(line: str, themes: dict[str, str]) -> str | None:
    """Return the theme a short line states ('Theme A', 'Equal theme: asylum seekers'), or None."""
    if not is_short(line, 16):
        return None
    found = _THEME.search(line)
    if found:
        return found.group(1)
    label, colon, value = line.partition(":")
    if colon and "theme" in label.lower():
        return theme_letter(value, themes)
    return None


def theme_letter(text: str, themes: dict[str, str]) -> str | None:
    """Return the theme a field's value gives: a letter, or the theme's name in any wording.

    >>> themes = {"reconciling family and professional life": "G", "asylum seeker": "I"}
    >>> theme_letter("G - Reconciling family and professional life", {}), theme_letter("Theme C", {})
    ('G', 'C')
    >>> theme_letter("Reconciling work and family life", themes), theme_letter("Asylum seekers", themes)
    ('G', 'I')
    """
    text = normalise_punctuation(text)
    letter = _THEME_VALUE.match(text) or _THEME.search(text)
    if letter:
        return letter.group(1).upper()
    key = match_key(text)
    if key in themes:
        return themes[key]
    words = set(key.split()) - _THEME_STOP
    if not words:
        return None
    scores: Counter[str] = Counter()
    for wording, theme in themes.items():
        known = set(wording.split()) - _THEME_STOP
        if known:
            overlap = len(words & known) / len(words | known)
            scores[theme] = max(scores[theme], overlap)
    best = scores.most_common(2)
    if best and best[0][1] >= 0.5 and (len(best) == 1 or best[1][1] < best[0][1]):
        return best[0][0]
    return None


def _round(text: str, whole: bool = False) -> int | None:
    """Return the round a text states: `Round 2` anywhere, or a field's value (`2`, `two`, `II`)."""
    found = _ROUND.search(text)
    if found:
        return _ROUND_WORDS[(found.group(1) or found.group(2)).lower()]
    if whole:
        value = re.match(r"^\s*([12]|one|two|I{1,2})\b", text, re.IGNORECASE)
        if value:
            return _ROUND_WORDS[value.group(1).lower()]
    return None


def _partners(summary: Summary, found: FieldBlock, cell: Cell) -> None:
    """Add the partner organisations a members or lead-partner field lists."""
    names: list[str] = []
    for value in found.values:
        parts = re.split(r"\s*;\s*", value)
        if len(parts) == 1 and value.count(",") >= 2 and len(found.values) == 1:
            parts = re.split(r"\s*,\s*(?:and\s+)?", value)
        names.extend(part for part in parts if part.strip())
    for raw in names:
        lead = found.fact == "lead" or bool(_LEAD_MARK.search(raw))
        name = _LEAD_MARK.sub(" ", raw).strip(" .,;:-")
        if not name or not is_short(name, 14) or CONTACT_DETAILS.search(name):
            continue  # a contact's line under the members is no partner
        known = next((i for i, p in enumerate(summary.partners) if match_key(p.name) == match_key(name)), None)
        if known is None:
            summary.partners.append(Partner(name=name, cell=cell, lead=lead))
        elif lead and not summary.partners[known].lead:
            summary.partners[known] = Partner(name=summary.partners[known].name, cell=summary.partners[known].cell,
                                              lead=True)


