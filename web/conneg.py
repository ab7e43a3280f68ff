"""Content negotiation: `Accept` parsing, and media types to format names from `kg.rdf.formats`.

Handlers never compare media types themselves: they hand the `Accept` header and one of the
tables below to `negotiate`, and get a format name back (the SPARQL endpoint, entity pages and
exports all share this).
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.errors import QueryError
from kg.rdf.formats import FORMATS, GRAPH, RESULTS, format_by_name, formats_holding

#: SELECT and ASK answers: media type -> format name (the served type first for each name).
RESULT_TYPES: dict[str, str] = formats_holding(RESULTS)
#: RDF graphs (CONSTRUCT, DESCRIBE, entity data, service description): media type -> format name.
GRAPH_TYPES: dict[str, str] = formats_holding(GRAPH)
#: The Content-Type each format name is served with (pages too).
MEDIA_TYPES: dict[str, str] = {**{f.name: f.media_type for f in FORMATS.values()}, "html": "text/html; charset=utf-8"}
#: For a CONSTRUCT or DESCRIBE, a results format name asked for by mistake means this graph format.
_GRAPH_FOR_RESULT = {"json": "jsonld", "xml": "rdfxml"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an `Accept` header into (media type, q) pairs, best first; stable among equals.

    >>> parse_accept("text/html;q=0.9, application/ld+json, */*;q=0.1")
    [('application/ld+json', 1.0), ('text/html', 0.9), ('*/*', 0.1)]
    >>> parse_accept(None)
    [('*/*', 1.0)]
    >>> parse_accept("text/turtle;q=zero")
    [('text/turtle', 0.0)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int]] = []
    for position, item in enumerate(header.split(",")):
        parts = [part.strip() for part in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        quality = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    ranges.sort(key=lambda r: (-r[1], -_specificity(r[0]), r[2]))
    return [(media, quality) for media, quality, _ in ranges]


def _specificity(media: str) -> int:
    if media == "*/*":
        return 0
    return 1 if media.endswith("/*") else 2


def _matches(pattern: str, media: str) -> bool:
    if pattern == "*/*":
        return True
    if pattern.endswith("/*"):
        return media.split("/", 1)[0] == pattern[:-2]
    return pattern == media


def negotiate(header: str | None, table: Mapping[str, str], default: str | None = None) -> str | None:
    """Return the format name in `table` the client prefers, or `default` if none is acceptable.

    A media range's quality is that of the most specific range matching it (RFC 9110 12.5.1);
    among equal qualities the table's order wins, so `*/*` gives the table's first format.

    >>> negotiate("text/csv, */*;q=0.5", RESULT_TYPES)
    'csv'
    >>> negotiate("*/*", GRAPH_TYPES)
    'turtle'
    >>> negotiate("text/html", GRAPH_TYPES, default="turtle")
    'turtle'
    >>> negotiate("application/*;q=0.8, application/n-triples;q=0.9", GRAPH_TYPES)
    'ntriples'
    >>> negotiate("text/turtle;q=0, application/ld+json;q=0.5", GRAPH_TYPES)
    'jsonld'
    """
    ranges = parse_accept(header)
    best: tuple[float, int] | None = None
    chosen = default
    for order, (media, name) in enumerate(table.items()):
        matching = [(q, _specificity(p)) for p, q in ranges if _matches(p, media)]
        if not matching:
            continue
        quality = max(matching, key=lambda m: (m[1], m[0]))[0]  # the most specific range decides
        if quality <= 0:
            continue
        if best is None or quality > best[0] or (quality == best[0] and order < best[1]):
            best, chosen = (quality, order), name
    return chosen


def format_named(value: str, table: Mapping[str, str]) -> str | None:
    """Resolve a `format=` value (a name such as `csv`, or a media type) against a table.

    >>> format_named("text/csv", RESULT_TYPES)
    'csv'
    >>> format_named("JSON", RESULT_TYPES)
    'json'
    >>> format_named("turtle", RESULT_TYPES) is None
    True
    """
    named = format_by_name(value)
    if named is not None and named.name in table.values():
        return named.name
    return table.get(value.strip().lower().split(";")[0].strip())


def choose_formats(accept: str | None, format_param: str | None = None) -> tuple[str, str]:
    """Return (results format, graph format) from a `format=` value or the `Accept` header.

    The answer's form is only known once the query runs, so both are chosen up front.

    >>> choose_formats("text/csv")
    ('csv', 'turtle')
    >>> choose_formats(None, "jsonld")
    ('json', 'jsonld')
    >>> choose_formats("*/*", "json")
    ('json', 'jsonld')

    Raises:
        QueryError: `format` names no format we serve.
    """
    if format_param:
        results = format_named(format_param, RESULT_TYPES)
        graph = format_named(format_param, GRAPH_TYPES)
        if results is None and graph is None:
            names = ", ".join(sorted({*RESULT_TYPES.values(), *GRAPH_TYPES.values()}))
            raise QueryError(f"unknown format {format_param!r}: use one of {names}")
        if graph is None:
            graph = _GRAPH_FOR_RESULT.get(results or "", "turtle")
        return results or "json", graph
    return (negotiate(accept, RESULT_TYPES, "json") or "json",
            negotiate(accept, GRAPH_TYPES, "turtle") or "turtle")
