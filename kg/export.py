"""Export the whole graph, or one entity, as JSON-LD, Turtle, TriG, N-Quads or N-Triples."""

from __future__ import annotations

import json

from rdflib import Dataset, Graph, URIRef

from kg.namespaces import PREFIXES
from kg.store import RDF_FORMATS, Store

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
    """Serialise the whole store; JSON-LD keeps one @graph per named graph, compacted."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in RDF_FORMATS:
        return store.dump(fmt)
    dataset = Dataset()
    for s, p, o, graph in store.quads():
        dataset.graph(URIRef(graph)).add((s, p, o))
    return _jsonld(dataset)


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
