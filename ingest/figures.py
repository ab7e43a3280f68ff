"""Read outcome sentences and the figures in them (300 people, over 150 social enterprises, 2003-4, £2,400)."""

from __future__ import annotations

import re

from ingest.records import Outcome

_QUALIFIER = r"(?:(over|more than|almost|nearly|around|about|approximately|some|at least|up to|under|fewer than)\s+)?"
_FIGURE = re.compile(
    _QUALIFIER + r"(?<![\d.,/-])(£\s?)?(?!(?:19|20)\d\d(?![\d,]))(\d{1,3}(?:,\d{3})+|\d+)(?![\d/-])"
    r"(\s*%|\s+per\s+cent)?\s+"
    r"(.+?)(?=\s+and\s+" + _QUALIFIER + r"\d|[,.;:!?()]|$)",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"\b((?:19|20)\d\d(?:\s*[-/]\s*\d{1,4})?)\b")


def read_outcomes(text: str) -> list[Outcome]:
    """Read outcome sentences and their figures (300 people, 150 social enterprises, 2003-4).

    >>> [(o.quantity, o.qualifier, o.unit, o.period) for o in read_outcomes(
    ...     "By 2003-4, partners had reached over 300 people and over 150 social enterprises.")]
    [(300, 'over', 'people', '2003-4'), (150, 'over', 'social enterprises', '2003-4')]
    >>> [(o.quantity, o.unit) for o in read_outcomes("Savings of £2,400 for each post; 9,400 sessions in 2005")]
    [(2400, '£ for each post'), (9400, 'sessions')]
    """
    outcomes: list[Outcome] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])|\n+", text):
        sentence = sentence.strip()
        if not sentence:
            continue
        period = _PERIOD.search(sentence)
        found = False
        for match in _FIGURE.finditer(sentence):
            number = int(match.group(3).replace(",", ""))
            unit = re.split(r"\s+(?:in|by|during|since|from)\s+(?:the\s+)?(?:19|20)\d\d", match.group(5))[0]
            unit = unit.strip()
            if match.group(4):
                unit = "% " + unit
            elif match.group(2):
                unit = "£ " + unit
            outcomes.append(Outcome(text=sentence, quantity=number, unit=unit,
                                    qualifier=(match.group(1) or "").lower() or None,
                                    period=period.group(1).replace(" ", "") if period else None))
            found = True
        if not found:
            outcomes.append(Outcome(text=sentence, period=period.group(1) if period else None))
    return outcomes
