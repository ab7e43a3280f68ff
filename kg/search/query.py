"""Search query text: check it, expand body names with their aliases, parse it with whoosh.

Checks come first so that a malformed query gets a message a person can act on; whoosh's
parser is then run inside a guard, since it is known to raise on some inputs.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
from whoosh.query import FuzzyTerm, NullQuery, Or, Query, Term

from kg.errors import SearchError
from kg.rdf.namespaces import BODY_NAMES, CURATED_GRAPH
from kg.search.index import FACETS, TEXT_FIELDS, make_schema
from kg.store.base import Store

#: Fields searched when a term names no field, and how much a match in each counts (tuned against the
#: judged queries of tests/search_judgments.json, docs/search.md): what a strategy row is about and a
#: DP's aim count above the names of bodies and the aliases that mention a word in passing.
DEFAULT_FIELDS = {"name": 2.5, "aliases": 1.0, "what": 3.0, "aim": 3.0, "objectives": 1.5, "policy": 1.5,
                  "beneficiaries": 2.0, "who": 1.5, "places": 3.0, "content": 1.0}
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
#: Most names one body adds to a query when it is expanded.
MAX_NAMES = 12

_TOKEN = re.compile(r'''(?P<quote>"[^"]*"?)
    |(?P<field>[A-Za-z_]+:(?:"[^"]*"?|\([^()]*\)|[^\s()"]+)?)
    |(?P<paren>[()])
    |(?P<word>[^\s()"]+)''', re.X)


def name_key(text: str) -> tuple[str, ...]:
    """Return the words of a name, lowercased, as alias lookups compare them.

    >>> name_key("Department of Trade & Industry")
    ('department', 'of', 'trade', 'industry')
    """
    return tuple(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass
class Aliases:
    """Every name of every curated body: label, abbreviations, aliases and known typos."""

    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    longest: int = 1

    def add(self, body: str, name: str) -> None:
        """Record one name of a body."""
        key = name_key(name)
        if not key or name in self.names[body]:
            return
        self.names[body].append(name)
        self.keys[key].add(body)
        self.longest = max(self.longest, len(key))

    def match(self, words: list[str]) -> set[str]:
        """Return the bodies known by exactly these words (short abbreviations must match case)."""
        bodies = self.keys.get(name_key(" ".join(words)), set())
        if len(words) == 1 and bodies and not (words[0].isupper() or len(words[0]) >= 5):
            return {b for b in bodies if words[0] in self.names[b]}
        return bodies

    @classmethod
    def from_store(cls, store: Store) -> Aliases:
        """Load the names of the bodies in the curated graph."""
        aliases = cls()
        rows = store.select(f"""SELECT ?b ?name WHERE {{ GRAPH <{CURATED_GRAPH}> {{ ?b a eq:Body ;
            {BODY_NAMES} ?name }} }} ORDER BY ?b""").rows
        for row in rows:
            aliases.add(str(row["b"]), str(row["name"]))
        return aliases


def check(text: str) -> None:
    """Raise SearchError with a helpful message if the query is malformed.

    >>> check('"social enterprise" AND (DTI OR ODPM)')
    >>> check('(((')
    Traceback (most recent call last):
    kg.errors.SearchError: Unbalanced brackets: 3 '(' but 0 ')'. Close each '(' with ')'.
    """
    if text.count('"') % 2:
        raise SearchError('Unbalanced quotes: a phrase opened with " is never closed. Add the closing ".')
    bare = re.sub(r'"[^"]*"', '"q"', text)
    if bare.count("(") != bare.count(")"):
        raise SearchError(f"Unbalanced brackets: {bare.count('(')} '(' but {bare.count(')')} ')'. "
                          "Close each '(' with ')'.")
    depth = 0
    for char in bare:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise SearchError("Unbalanced brackets: a ')' comes before its '('.")
    tokens = [m for m in _TOKEN.finditer(bare)]
    words = [m.group() for m in tokens if m.lastgroup == "word"]
    if words and all(w in OPERATORS for w in words) and not any(m.lastgroup in ("quote", "field")
                                                                  for m in tokens):
        raise SearchError(f"'{' '.join(words)}' is only an operator: give words around it, "
                          "e.g. DTI AND procurement.")
    previous = "("
    for match in tokens:
        token, kind = match.group(), match.lastgroup
        if kind == "word" and token in OPERATORS and (previous == "(" or (previous in OPERATORS
                                                                          and token != "NOT")):
            raise SearchError(f"'{token}' needs a word before it (or use NOT word).")
        if kind == "paren" and token == ")" and previous in OPERATORS:
            raise SearchError(f"'{previous}' needs a word after it.")
        if kind == "field":
            name, _, value = token.partition(":")
            if name not in TEXT_FIELDS and name not in FACETS:
                raise SearchError(f"Unknown field '{name}'. Fields: {', '.join(TEXT_FIELDS + FACETS)}.")
            if not value or value.strip('"*?() ') == "":
                raise SearchError(f"'{name}:' needs a value, e.g. {name}:procurement.")
        if kind == "word" and token.strip("*?~^") == "":
            raise SearchError(f"'{token}' alone matches nothing: put it in a word (procure*), not on its own.")
        previous = token if kind in ("word", "paren") else "term"
    if previous in OPERATORS:
        raise SearchError(f"'{previous}' needs a word after it.")


def expand(text: str, aliases: Aliases) -> str:
    """Rewrite a query so that body names also match the body's other names; quotes are kept as written.

    >>> aliases = Aliases()
    >>> for name in ("Department of Trade and Industry", "DTI"): aliases.add("dti", name)
    >>> expand("dti procurement", aliases)
    'dti procurement'
    >>> expand("DTI procurement", aliases)
    '(DTI OR "Department of Trade and Industry") procurement'
    >>> expand('who:DTI "DTI"', aliases)
    'who:(DTI OR "Department of Trade and Industry") "DTI"'
    """
    tokens = list(_TOKEN.finditer(text))
    out: list[str] = []
    position = 0
    index = 0
    while index < len(tokens):
        match = tokens[index]
        out.append(text[position:match.start()])
        position = match.end()
        if match.lastgroup == "field":
            out.append(_expand_field(match.group(), aliases))
            index += 1
            continue
        if not _plain(match):
            out.append(match.group())
            index += 1
            continue
        run = index
        while run < len(tokens) and _plain(tokens[run]) and run - index < aliases.longest:
            run += 1
        for end in range(run, index, -1):
            words = [t.group() for t in tokens[index:end]]
            bodies = aliases.match(words)
            if bodies:
                original = tokens[index].group() if end - index == 1 else f'"{" ".join(words)}"'
                out.append(_alternatives(original, bodies, aliases))
                position = tokens[end - 1].end()
                index = end
                break
        else:
            out.append(match.group())
            index += 1
    out.append(text[position:])
    return "".join(out)


def _plain(match: re.Match[str]) -> bool:
    """Tell whether a token is a plain word (no operator, wildcard, fuzzy or boost mark)."""
    token = match.group()
    return match.lastgroup == "word" and token not in OPERATORS and not any(c in token for c in "*?~^:[]{}")


def _alternatives(original: str, bodies: set[str], aliases: Aliases) -> str:
    names = [original]
    for body in sorted(bodies):
        for name in aliases.names[body]:
            quoted = '"' + name.replace('"', "") + '"'
            if name_key(name) != name_key(original) and quoted not in names and len(names) < MAX_NAMES:
                names.append(quoted)
    return original if len(names) == 1 else "(" + " OR ".join(names) + ")"


def _expand_field(token: str, aliases: Aliases) -> str:
    name, _, value = token.partition(":")
    if name not in TEXT_FIELDS or not value or value[0] in '"(' or any(c in value for c in "*?~^"):
        return token
    bodies = aliases.match([value])
    return f"{name}:{_alternatives(value, bodies, aliases)}" if bodies else token


_SCHEMA = make_schema()


def parse(text: str) -> Query:
    """Parse (checked, expanded) query text into a whoosh query; SearchError if whoosh cannot."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), _SCHEMA, fieldboosts=DEFAULT_FIELDS)
    parser.add_plugin(FuzzyTermPlugin())
    with whoosh_failures("Could not understand the query ({}); try simpler words, or put a phrase in quotes."):
        return parser.parse(text)


@contextlib.contextmanager
def whoosh_failures(message: str) -> Iterator[None]:
    """Blame the query for an error raised inside whoosh, which raises many types on odd input.

    `message` names the error type at `{}`. An error raised in our own code is not the query's
    fault and goes on as it is (a 500 and a logged traceback, not a 400).
    """
    try:
        yield
    except SearchError:
        raise
    except Exception as error:
        if not _raised_in_whoosh(error):
            raise
        raise SearchError(message.format(type(error).__name__)) from None


def _raised_in_whoosh(error: BaseException) -> bool:
    """Tell whether an exception was raised inside whoosh: some frame below the guard is whoosh's (an error
    it meets in the standard library, such as `re`, counts), and none of them is ours beneath it."""
    frame = error.__traceback__
    inside = False
    while frame is not None:
        module = str(frame.tb_frame.f_globals.get("__name__", ""))
        if module.startswith("whoosh"):
            inside = True
        elif inside and module.startswith(("kg.", "web.", "ingest.")):
            return False  # whoosh called back into our code, which failed: ours
        frame = frame.tb_next
    return inside


def edit_distance(a: str, b: str) -> int:
    """Count the edits (insert, delete, substitute, swap two neighbours) that turn a into b.

    >>> edit_distance("socail", "social"), edit_distance("procurment", "procurement")
    (1, 1)
    >>> edit_distance("opdm", "odpm"), edit_distance("dti", "dwp")
    (1, 2)
    """
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _near(reader: Any, fieldname: str, text: str, distance: int, prefix: int) -> list[str]:
    """Return up to 50 indexed words of a field within an edit distance of a word, sharing its prefix."""
    found = []
    for raw in reader.expand_prefix(fieldname, text[:prefix]):
        word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if abs(len(word) - len(text)) <= distance and edit_distance(word, text) <= distance:
            found.append(word)
            if len(found) == 50:
                break
    return found


def fuzzy(query: Query, reader: Any, every_word: bool = False) -> Query:
    """Replace fuzzy terms (and, with `every_word`, every word) by the indexed words within their distance.

    Whoosh 2.7's own FuzzyTerm finds nothing on Python 3 (its candidate words come back as str,
    not bytes), so the candidates are looked up here and searched as plain terms.
    """
    def loosen(node: Query) -> Query:
        if getattr(node, "fieldname", None) in FACETS:
            return node
        if isinstance(node, FuzzyTerm):
            distance, prefix = node.maxdist, node.prefixlength
        elif every_word and type(node) is Term and isinstance(node.text, str) and len(node.text) > 2:
            distance, prefix = (1 if len(node.text) < 5 else 2), 1
        else:
            return node
        words = _near(reader, node.fieldname, node.text, distance, max(prefix, 1))
        if not words:
            return NullQuery
        return Or([Term(node.fieldname, word, boost=node.boost * (1.0 if word == node.text else 0.5))
                   for word in words])
    return query.accept(loosen)
