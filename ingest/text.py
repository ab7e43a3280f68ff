"""Text clean-up shared by the readers: HTML in cells, curly quotes, dashes, placeholders."""

from __future__ import annotations

import html
import re

#: A list bullet: a symbol, a number or a letter with `.` or `)`, then a space.
BULLET = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2013\u2014\u00b7o]|\d{1,2}[.)]|[a-z][.)]"
                    r"|\([a-z0-9]{1,2}\))\s+")
#: A telephone number or an e-mail address: contact details, which are never stored.
CONTACT_DETAILS = re.compile(r"(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b"
                             r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_BLOCK_TAGS = {"p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00ad": "",
})
#: Cell texts that hold no content, compared after normalisation.
PLACEHOLDERS = frozenset({
    "to be completed", "to be confirmed", "tbc", "tba", "tbd", "n/a", "na", "none", "-", "--",
    "?", "...", "xx", "xxx", "to follow", "to be decided", "to be agreed",
})


def without_contact_details(text: str) -> str:
    """Replace telephone numbers and e-mail addresses in a text.

    >>> without_contact_details("Call Ann on 0161 496 0732 or ann@example.org.")
    'Call Ann on [not stored] or [not stored].'
    """
    return CONTACT_DETAILS.sub("[not stored]", text)


def normalise_punctuation(text: str) -> str:
    """Replace curly quotes, dashes and ellipses by plain ASCII ones.

    >>> normalise_punctuation("Regional Centre\u2019s \u2013 \u201ctoolkit\u201d")
    'Regional Centre\\'s - "toolkit"'
    """
    return text.translate(_TRANSLATE)


def strip_html(text: str) -> str:
    """Remove simple HTML tags; block tags become paragraph breaks (newlines).

    >>> strip_html("<p>SEASY SEEM</p>")
    'SEASY SEEM'
    >>> strip_html("<p>a</p> <p>b &amp; c</p>")
    'a\\nb & c'
    """
    def replace(match: re.Match[str]) -> str:
        return "\n" if match.group(1).lower() in _BLOCK_TAGS else ""

    text = _TAG.sub(replace, text)
    text = html.unescape(text)
    lines = [_SPACES.sub(" ", part).strip() for part in text.split("\n")]
    return "\n".join(part for part in lines if part)


def clean_cell(text: str) -> str:
    """Return a cell's text without HTML, with plain punctuation and no placeholder.

    Paragraphs inside a cell stay separated by newlines.

    >>> clean_cell("<p>Varied \u2013 Plunkett Conference</p>")
    'Varied - Plunkett Conference'
    >>> clean_cell(" To be completed ")
    ''
    """
    text = strip_html(normalise_punctuation(text))
    if is_placeholder(text):
        return ""
    return text


def is_placeholder(text: str) -> bool:
    """Tell whether a cell's text is a placeholder rather than content.

    >>> is_placeholder("To be completed.")
    True
    >>> is_placeholder("Varied")
    False
    """
    return text.strip().strip(".").strip().lower() in PLACEHOLDERS


def one_line(text: str) -> str:
    """Collapse all white space (including paragraph breaks) to single spaces."""
    return " ".join(text.split())


def match_key(text: str) -> str:
    """Return the key names are compared by: case, punctuation, apostrophes and plurals folded.

    >>> match_key("Regional Centre's of (Procurement) Excellence")
    'regional centre of procurement excellence'
    >>> match_key("Local Authorities") == match_key("local authority")
    True
    >>> match_key("LSCs") == match_key("LSC")
    True
    """
    text = normalise_punctuation(text).lower().replace("&", " and ")
    text = re.sub(r"'s\b", "", text).replace("'", "")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(_singular(word) for word in words)


def _singular(word: str) -> str:
    """Fold a plural English word to its singular, conservatively."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
