"""SPARQL text read token by token, without an engine: keywords, dataset clauses, GRAPH names, LIMIT.

The endpoint checks a query (`kg.sparql.protocol`) and a remote store adapts it (`kg.store.remote`) from these;
the engine itself parses the query once, when it runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.errors import QueryError
from kg.rdf.namespaces import PREFIXES

# Tokens that hide words: comments, IRIs, strings, variables, prefixed names, blank node labels.
# Possessive quantifiers keep the scan linear: a run of name characters is read once, whatever follows.
TOKENS = re.compile(r"""
    (?P<skip>
        \#[^\n\r]*+
      | <[^<>"{}|^`\\\x00-\x20]*+>
      | '''(?:\\.|[^\\])*?''' | \"\"\"(?:\\.|[^\\])*?\"\"\"
      | '(?:\\.|[^'\\\n\r])*+' | "(?:\\.|[^"\\\n\r])*+"
      | [?$][^\W]++
      | _:[^\W][\w.\-]*+
      | (?:[^\W\d_][\w.\-]*+)?:(?:\\.|%[0-9A-Fa-f]{2}|[\w.\-:])*+
    )
  | (?P<name>[^\W\d][\w.\-]*+)
  | [\s\d{}()\[\].,;*=!&|+\-/^@]++
  | .
""", re.VERBOSE | re.DOTALL)
# An absolute IRI as RFC 3987 writes it (without IP-literal hosts, which no equal-kg IRI has): what the
# engine reads as an IRI, so that a name a person typed is refused here, not by the engine's parser.
_UCS = "\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF" + "".join(f"\\U{p:04X}0000-\\U{p:04X}FFFD" for p in range(1, 15))
_PRIVATE = "\uE000-\uF8FF\U000F0000-\U000FFFFD\U00100000-\U0010FFFD"
_PCT = r"%[0-9A-Fa-f]{2}"
_UNRESERVED = rf"A-Za-z0-9\-._~{_UCS}"
_PCHAR = rf"(?:[{_UNRESERVED}!$&'()*+,;=:@]|{_PCT})"
_AUTHORITY = rf"(?:(?:[{_UNRESERVED}!$&'()*+,;=:]|{_PCT})*@)?(?:[{_UNRESERVED}!$&'()*+,;=]|{_PCT})*(?::[0-9]*)?"
_IRI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:"
                  rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/(?:{_PCHAR}+(?:/{_PCHAR}*)*)?|{_PCHAR}+(?:/{_PCHAR}*)*|)"
                  rf"(?:\?(?:{_PCHAR}|[/?{_PRIVATE}])*)?(?:#(?:{_PCHAR}|[/?])*)?")


def is_safe_iri(value: str) -> bool:
    """Tell whether a text is an absolute IRI the engine will read, safe in angle brackets in a query.

    >>> is_safe_iri("https://w3id.org/equal-kg/id/body/dti"), is_safe_iri("http://a/%zz"), is_safe_iri("x> }")
    (True, False, False)
    """
    return bool(_IRI.fullmatch(value))


def iri_ref(value: str) -> str:
    """Return an IRI in angle brackets, refusing characters that could break out of them.

    >>> iri_ref("https://w3id.org/equal-kg/id/body/dti")
    '<https://w3id.org/equal-kg/id/body/dti>'
    """
    if not is_safe_iri(value):
        raise QueryError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def iri_list(iris: Iterable[str]) -> str:
    """Return IRIs in angle brackets, separated by spaces (for VALUES), refusing unsafe ones (`iri_ref`).

    >>> iri_list(["http://x/a", "http://x/b"])
    '<http://x/a> <http://x/b>'
    """
    return " ".join(iri_ref(iri) for iri in iris)


def values_clause(var: str, iris: Iterable[str] | None) -> str:
    """Return a VALUES clause restricting a variable to IRIs, or nothing for 'all' (None).

    >>> values_clause("?s", ["http://x/a"])
    'VALUES ?s { <http://x/a> }'
    """
    if iris is None:
        return ""
    return f"VALUES {var} {{ {iri_list(iris)} }}"


_WORD = re.compile(r"[A-Za-z_]+")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def keywords(query: str) -> list[str]:
    """Return the bare words of a query, upper-cased, outside IRIs, strings, comments and names.

    >>> keywords('SELECT * { ?service <http://x/SERVICE> "SERVICE" } # SERVICE')
    ['SELECT']
    >>> keywords("ASK { ?s ?p ?o .SERVICE <http://a/> { ?s ?p ?o } }")
    ['ASK', 'SERVICE']
    >>> keywords("PREFIX service: <http://a/> ASK { service:x ?p ex:service }")
    ['PREFIX', 'ASK']
    """
    words = []
    for match in TOKENS.finditer(query):
        if match.group("name"):
            words.extend(word.upper() for word in _WORD.findall(match.group("name")))
    return words


def unescape_codepoints(query: str) -> str:
    r"""Apply SPARQL's `\u` and `\U` codepoint escapes, which the grammar allows anywhere in a query.

    >>> unescape_codepoints(r"\u0053ERVICE <x>")
    'SERVICE <x>'
    """
    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(char, query)


def with_limit(query: str, limit: int) -> str | None:
    """Return a SELECT query that gives at most `limit` solutions: its own LIMIT lowered, or one added.

    None where the query is no SELECT or its WHERE clause's end cannot be told from its tokens
    (braces in the projection or among the solution modifiers): such a query runs as written.

    >>> with_limit("SELECT ?s { ?s ?p ?o } ORDER BY ?s # end", 11)
    'SELECT ?s { ?s ?p ?o } ORDER BY ?s # end\\nLIMIT 11\\n'
    >>> with_limit("SELECT * { ?s ?p ?o } LIMIT 500 OFFSET 2", 11), with_limit("SELECT * { } LIMIT 5", 11)
    ('SELECT * { ?s ?p ?o } LIMIT 11 OFFSET 2', 'SELECT * { } LIMIT 5')
    >>> with_limit("SELECT * { ?s ?p ?x } VALUES ?x { 1 }", 11), with_limit("ASK { }", 11)
    ('SELECT * { ?s ?p ?x } \\nLIMIT 11\\nVALUES ?x { 1 }', None)
    """
    depth, form, where_done = 0, None, False
    limit_digits: tuple[int, int] | None = None
    after_limit, values_at = False, len(query)
    for match in TOKENS.finditer(query):
        token, name = match.group(0), match.group("name")
        if name:
            word = name.upper()
            if form is None and word in ("PREFIX", "BASE"):
                continue
            form = form or word
            if form != "SELECT" or (word in ("EXISTS", "VALUES") and depth == 0 and not where_done):
                return None  # not a SELECT, or EXISTS / VALUES braces before the WHERE clause
            if where_done and word == "VALUES":
                values_at = match.start()
                break
            after_limit = where_done and word == "LIMIT"
            continue
        if match.group("skip"):
            after_limit = False
            continue
        if after_limit and (digits := re.search(r"\d+", token)):
            limit_digits = (match.start() + digits.start(), match.start() + digits.end())
            after_limit = False
        for char in token:
            if char in "{}":
                if where_done:
                    return None  # braces among the solution modifiers (HAVING EXISTS {...})
                depth += 1 if char == "{" else -1
                where_done = depth == 0 and char == "}"
    if not where_done:
        return None
    if limit_digits is not None:
        start, end = limit_digits
        return query if int(query[start:end]) <= limit else f"{query[:start]}{limit}{query[end:]}"
    return f"{query[:values_at]}\nLIMIT {limit}\n{query[values_at:]}"


def names_graph(query: str) -> bool:
    """Tell whether a query has a GRAPH pattern on a fixed graph (an IRI or prefixed name, not a variable).

    >>> names_graph("SELECT * { GRAPH <http://g/> { ?s ?p ?o } }"), names_graph("ASK { GRAPH ?g { ?s ?p ?o } }")
    (True, False)
    >>> names_graph('SELECT * { ?s ?p "GRAPH <x>" } # GRAPH <y>')
    False
    """
    after_graph = False
    for match in TOKENS.finditer(query):
        token = match.group(0)
        if match.group("name"):
            after_graph = match.group("name").upper() == "GRAPH"
        elif after_graph and match.group("skip") and not token.startswith("#"):
            if not token.startswith(("?", "$")):
                return True
            after_graph = False
        elif after_graph and not token.isspace():
            after_graph = False
    return False


_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^<>]*)>", re.IGNORECASE)


def dataset_iris(query: str) -> list[str]:
    """Return the graphs a query's FROM and FROM NAMED clauses name (prefixed names expanded).

    >>> dataset_iris("PREFIX g: <http://g/> SELECT * FROM <http://a/x> FROM NAMED g:y { ?s ?p ?o }")
    ['http://a/x', 'http://g/y']
    >>> dataset_iris('SELECT * { ?s ?p "FROM <http://a/>" }')
    []
    """
    prefixes = {**PREFIXES, **dict(_PREFIX_DECLARATION.findall(query))}
    found: list[str] = []
    expecting = False
    for match in TOKENS.finditer(query):
        word, token = match.group("name"), match.group(0)
        if word:
            upper = word.upper()
            expecting = upper == "FROM" or (expecting and upper == "NAMED")
        elif expecting and match.group("skip"):
            if token.startswith("<"):
                found.append(token[1:-1])
            elif ":" in token and not token.startswith(("#", "?", "$", "_:", "'", '"')):
                prefix, _, local = token.partition(":")
                found.append(str(prefixes.get(prefix, prefix + ":")) + local)
            expecting = False
        elif expecting and not token.isspace():
            expecting = False
    return found
