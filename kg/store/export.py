"""Export the whole graph, or one entity, as JSON-LD, Turtle, TriG, N-Quads or N-Triples."""

from __future__ import annotations

from typing import Any, BinaryIO

from kg.errors import RequestError
from kg.rdf.formats import EXPORT_FORMATS
from kg.rdf.namespaces import PREFIXES
from kg.store.answers import jsonld_head, rdf_document
from kg.store.base import Store


def jsonld_context() -> dict[str, object]:
    """Return the JSON-LD @context equal-kg publishes: its prefixes.

    No `@vocab`: prefixes such as `level:` and `theme:` share names with properties
    (`eq:level`, `eq:theme`), and a vocabulary would make those keys ambiguous.
    """
    return dict(PREFIXES)


def write_export(store: Store, fmt: str, output: BinaryIO) -> None:
    """Stream the whole store into a binary file, in constant memory.

    JSON-LD is the engine's expanded form (absolute IRIs, one `@graph` per named graph) under the
    published `@context`, so clients can compact it with the prefixes; the engine writes it about
    40 times faster than rdflib compacts it, without holding the graph in memory.
    """
    if fmt not in EXPORT_FORMATS:
        raise RequestError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt != "jsonld":
        store.dump_to(output, fmt)
        return
    output.write(jsonld_head(jsonld_context()))
    store.dump_to(output, "jsonld")
    output.write(b"}\n")


def export_triples(triples: list[Any], fmt: str) -> bytes:
    """Serialise engine triples (one entity's description, `kg.read.entities.Description`) in an export
    format: JSON-LD is the engine's expanded form under the published `@context`, as the whole
    export's is (rdflib's compaction took 44 ms for the DWP's 2,500 triples, the engine 2)."""
    return rdf_document(triples, fmt, jsonld_context() if fmt == "jsonld" else PREFIXES)
