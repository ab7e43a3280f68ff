"""Export the whole graph, or one entity, as JSON-LD, Turtle, TriG, N-Quads or N-Triples."""

from __future__ import annotations

import io
import json
from typing import BinaryIO

from rdflib import Graph

from kg.namespaces import PREFIXES
from kg.store import Store

#: Export formats, their media types and file suffixes.
FORMATS: dict[str, tuple[str, str]] = {
    "jsonld": ("application/ld+json", ".jsonld"),
    "turtle": ("text/turtle", ".ttl"),
    "trig": ("application/trig", ".trig"),
    "nquads": ("application/n-quads", ".nq"),
    "ntriples": ("application/n-triples", ".nt"),
}


def jsonld_context() -> dict[str, object]:
    """Return the JSON-LD @context equal-kg publishes: its prefixes.

    No `@vocab`: prefixes such as `level:` and `theme:` share names with properties
    (`eq:level`, `eq:theme`), and a vocabulary would make those keys ambiguous.
    """
    return dict(PREFIXES)


def export_store(store: Store, fmt: str) -> bytes:
    """Serialise the whole store in memory (see `write_export`); for small stores and tests."""
    buffer = io.BytesIO()
    write_export(store, fmt, buffer)
    return buffer.getvalue()


def write_export(store: Store, fmt: str, output: BinaryIO) -> None:
    """Stream the whole store into a binary file, in constant memory.

    JSON-LD is the engine's expanded form (absolute IRIs, one `@graph` per named graph) under the
    published `@context`, so clients can compact it with the prefixes; the engine writes it about
    40 times faster than rdflib compacts it, without holding the graph in memory.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt != "jsonld":
        store.dump_to(output, fmt)
        return
    output.write(b'{"@context": ' + json.dumps(jsonld_context()).encode() + b',\n"@graph": ')
    store.dump_to(output, "jsonld")
    output.write(b"}\n")


def export_graph(graph: Graph, fmt: str) -> bytes:
    """Serialise a small rdflib graph (one entity's description) in an export format."""
    if fmt == "jsonld":
        return _jsonld(graph)
    names = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig"}
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.serialize(format=names[fmt]).encode("utf-8")


def _jsonld(graph: Graph) -> bytes:
    """Serialise as JSON-LD compacted with the published context (never fetched)."""
    context = jsonld_context()
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    data = json.loads(text)
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
