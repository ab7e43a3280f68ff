"""Serialised SPARQL answers: documents built from solutions, and the rows an engine's document holds.

The endpoint's fast path lets the engine serialise a SELECT answer itself (`kg.store.embedded`); the row
counts here tell whether that answer stayed under the row cap without parsing it. Answers the
engine cannot serialise (a remote engine's, or one cut at the cap) are built here from solutions.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.rdf.formats import FORMATS, RESULTS

#: A literal with no language and this datatype is a plain string (RDF 1.1).
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

def engine_format(name: str) -> Any:
    """Return the engine's format for a format name of `kg.rdf.formats`: an `ox.QueryResultsFormat`
    for SPARQL results (`json`, `csv`...), an `ox.RdfFormat` for RDF (`turtle`, `nquads`...)."""
    served = FORMATS[name]
    if RESULTS in served.holds:
        return ox.QueryResultsFormat.from_extension(served.extension)
    return ox.RdfFormat.from_extension(served.extension)


def to_rdflib(term: Any) -> Node:
    """Convert an engine term to the equivalent rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # a plain literal is an xsd:string in RDF 1.1
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def json_term(term: Any) -> dict[str, Any]:
    """Encode a pyoxigraph term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject),
                                            "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    raise TypeError(f"unsupported term {term!r}")


def graph_document(triples: list[Any], graph_format: str, prefixes: dict[str, str]) -> bytes:
    """Serialise triples in a graph format (Turtle with the standard prefixes)."""
    rdf_format = engine_format(graph_format)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes if rdf_format == ox.RdfFormat.TURTLE else None)


def results_document(boolean: bool | None, variables: list[str], solutions: list[Any], results_format: str,
                     truncated: bool | None = None) -> bytes:
    """Serialise an ASK answer (`boolean`) or SELECT solutions; JSON SELECT answers carry `truncated` if given."""
    if boolean is not None:
        document: dict[str, Any] = {"head": {}, "boolean": boolean}
    else:
        document = {"head": {"vars": variables}, "results": {"bindings": [
            {name: json_term(s[name]) for name in variables if s[name] is not None} for s in solutions]}}
    if results_format == "json" and boolean is None and truncated is not None:
        document["truncated"] = truncated  # a marker SPARQL clients ignore, as Datasette does
    data = json.dumps(document, ensure_ascii=False).encode()
    if results_format == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=engine_format(results_format))


def rows_at_most(body: bytes, results_format: str) -> int:
    """Return an upper bound of the rows in an engine's serialised SELECT answer, without parsing it.

    Counts row separators; a literal holding one only makes the bound larger (`exact_rows` then tells).
    """
    if results_format == "json":
        return 0 if b'"bindings":[]' in body else body.count(b"},{") + 1
    if results_format == "xml":
        return body.count(b"<result>")  # a literal's '<' is escaped: exact
    return body.count(b"\n") - 1  # the header line; CSV can hold line breaks in a quoted value


def exact_rows(body: bytes, results_format: str) -> int:
    """Return the number of rows of a serialised SELECT answer, parsing it where separators can mislead."""
    if results_format == "json":
        return len(json.loads(body)["results"]["bindings"])
    if results_format == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    return rows_at_most(body, results_format)  # TSV escapes line breaks, XML escapes '<'


def with_truncated(body: bytes, results_format: str, truncated: bool) -> bytes:
    """Add the `truncated` marker to an engine's JSON SELECT answer (its last byte closes the document)."""
    if results_format != "json":
        return body
    return body[:-1] + (b',"truncated":true}' if truncated else b',"truncated":false}')


def iri_triples(triples: list[tuple[str, str, str]]) -> list[Any]:
    """Return triples of IRIs (given as text) as engine triples, to serialise with an answer's own."""
    return [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o)) for s, p, o in triples]


def rdf_document(triples: list[Any], fmt: str, prefixes: dict[str, str]) -> bytes:
    """Serialise engine triples as Turtle (with the prefixes), N-Triples, or JSON-LD under a `@context`
    of the prefixes (the engine's expanded form, as the whole-graph export writes it)."""
    if fmt != "jsonld":
        return graph_document(triples, fmt, prefixes)
    return jsonld_head(prefixes) + ox.serialize(triples, format=ox.RdfFormat.JSON_LD) + b"}\n"


def jsonld_head(context: dict[str, str]) -> bytes:
    """Return the opening of a JSON-LD document whose `@graph` the engine writes next (then `}`)."""
    return b'{"@context": ' + json.dumps(context, ensure_ascii=False).encode() + b',\n"@graph": '
