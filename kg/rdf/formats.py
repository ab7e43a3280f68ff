"""The one table of formats equal-kg writes: SPARQL results, RDF graphs and datasets.

Each format has the name users give it (`format=turtle`, `kg export --format nquads`), the media
type it is served with, other media types and names clients use for it, its file extension, and
its IRI under <http://www.w3.org/ns/formats/>. Content negotiation (`web.conneg`), the engines'
serialisers (`kg.store.answers`, by extension), exports and the service description all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: What a format can hold: SPARQL SELECT/ASK answers, one graph, or a dataset of named graphs.
RESULTS, GRAPH, DATASET = "results", "graph", "dataset"


@dataclass(frozen=True)
class Format:
    """One serialisation format and every name it goes by."""

    name: str
    media_type: str
    extension: str
    holds: tuple[str, ...]
    w3c: str
    also_accepted: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        """The media types that ask for this format, the served one first (without parameters)."""
        return (self.media_type.split(";")[0], *self.also_accepted)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "application/sparql-results+json", "srj", (RESULTS,), "SPARQL_Results_JSON",
           ("application/json",), ("srj",)),
    Format("xml", "application/sparql-results+xml", "srx", (RESULTS,), "SPARQL_Results_XML",
           ("application/xml", "text/xml"), ("srx",)),
    Format("csv", "text/csv; charset=utf-8", "csv", (RESULTS,), "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values; charset=utf-8", "tsv", (RESULTS,), "SPARQL_Results_TSV"),
    Format("turtle", "text/turtle; charset=utf-8", "ttl", (GRAPH,), "Turtle", ("application/x-turtle",),
           ("ttl", "n3")),
    Format("jsonld", "application/ld+json", "jsonld", (GRAPH, DATASET), "JSON-LD", (), ("json-ld",)),
    Format("ntriples", "application/n-triples", "nt", (GRAPH,), "N-Triples", ("text/plain",),
           ("nt", "n-triples")),
    Format("rdfxml", "application/rdf+xml", "rdf", (GRAPH,), "RDF_XML", (), ("rdf+xml", "rdf", "xml-rdf")),
    Format("trig", "application/trig", "trig", (DATASET,), "TriG"),
    Format("nquads", "application/n-quads", "nq", (DATASET,), "N-Quads", (), ("nq", "n-quads")),
)}

#: The formats of the whole-store export, in the order they are offered.
EXPORT_FORMATS: tuple[str, ...] = ("jsonld", "turtle", "trig", "nquads", "ntriples")


def formats_holding(what: str) -> dict[str, str]:
    """Return media type -> format name for every format that can hold `what` (results, graph), in table order.

    >>> formats_holding(RESULTS)["text/csv"]
    'csv'
    """
    return {media: f.name for f in FORMATS.values() if what in f.holds for media in f.media_types}


def format_by_name(value: str) -> Format | None:
    """Find a format by its name, an alias (`json-ld`, `nt`) or its extension, in any case.

    >>> format_by_name("JSON-LD").name, format_by_name("ttl").name
    ('jsonld', 'turtle')
    """
    value = value.strip().lower()
    return FORMATS.get(value) or next((f for f in FORMATS.values() if value in f.aliases), None)
