"""The one interface of a store: what the rest of `kg` may ask of any engine that holds the quads.

One named graph per document, the curated data in its own graph, and a default graph that is
the RDF merge of the named graphs (each triple once, however many documents state it). Two
engines implement it: `kg.store.embedded` (Oxigraph on disk or in memory) and `kg.store.remote`
(a SPARQL 1.1 endpoint such as Virtuoso or Fuseki). `kg.store.opening` picks one for a location.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from rdflib import Graph, Literal
from rdflib.term import Node

from kg.rdf.namespaces import CURATED_GRAPH, EQ


@dataclass
class SelectResult:
    """Rows of a SELECT query as rdflib terms (None where a variable is unbound)."""

    variables: list[str]
    rows: list[dict[str, Node | None]]


class Store(ABC):
    """A quad store with the reads and writes equal-kg needs; queries see the merge of all graphs."""

    #: Whether a query without ORDER BY gives its solutions in the same order for the same data
    #: (Oxigraph reads its sorted indexes): paging may then skip the cost of sorting.
    stable_order = True

    def __init__(self, location: str, index_location: str = "") -> None:
        self.location = location
        #: Where this store's search index lives when it is tied to the store (a snapshot's index).
        self.index_location = index_location

    # ---- reading ----

    @abstractmethod
    def select(self, sparql: str) -> SelectResult:
        """Run a SELECT query over the merge of all graphs; standard prefixes are declared."""

    @abstractmethod
    def values(self, sparql: str) -> list[dict[str, str | None]]:
        """Run a SELECT like `select`, but give each value as a plain string (an IRI, a literal's text).

        Bulk reads that only need text (the search index) skip building rdflib terms: at 5,000 DPs
        that conversion took longer than the queries.
        """

    @abstractmethod
    def ask(self, sparql: str) -> bool:
        """Run an ASK query over the merge of all graphs."""

    @abstractmethod
    def construct(self, sparql: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; return the triples as an rdflib Graph."""

    @abstractmethod
    def construct_triples(self, sparql: str) -> list[Any]:
        """Run a CONSTRUCT query; return its distinct triples as the engine's own terms (to serialise
        with `kg.store.answers.rdf_document` without building rdflib terms)."""

    @abstractmethod
    def query_serialized(self, sparql: str, results_format: str = "json",
                         graph_format: str = "turtle") -> tuple[str, bytes]:
        """Run any query and serialise its answer; return (query form, bytes).

        The query form is 'select', 'ask' or 'graph'; SELECT and ASK answers use
        `results_format`, CONSTRUCT and DESCRIBE answers `graph_format`.
        """

    @abstractmethod
    def run_protocol_query(self, sparql: str, *, dataset: tuple[list[str], list[str]] | None = None,
                           union: bool = True, max_rows: int = 10000, results_format: str = "json",
                           graph_format: str = "turtle", base_iri: str | None = None,
                           capped: str | None = None) -> tuple[str, bytes, bool]:
        """Run a query for the SPARQL endpoint; return (query form, serialised answer, truncated).

        `dataset` is (default graphs, named graphs) from the protocol and overrides FROM; with
        `union` the default graph is the merge of all graphs, without it the query's own FROM /
        FROM NAMED pick graphs of this store (never fetched). At most `max_rows` solutions or
        triples are returned. Standard prefixes are known without being declared; relative IRIs
        resolve against `base_iri`. `capped` is the same SELECT with a LIMIT of `max_rows + 1`
        (`kg.rdf.sparql_text.with_limit`), for an engine that can serialise the answer itself.
        """

    @abstractmethod
    def graphs(self) -> list[str]:
        """Return the IRIs of this store's named graphs."""

    @abstractmethod
    def has_graph(self, graph: str) -> bool:
        """Tell whether a named graph exists and holds triples."""

    @abstractmethod
    def graph(self, graph: str) -> Graph:
        """Return a copy of one named graph as an rdflib Graph."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Count the quads in one named graph, or in all of them."""

    @abstractmethod
    def dump_to(self, output: BinaryIO, fmt: str) -> None:
        """Write the whole store into a binary file: quad formats and `jsonld` keep the named graphs,
        triple formats get their merge."""

    def dump(self, fmt: str) -> bytes:
        """Serialise the whole store in memory (see `dump_to`)."""
        buffer = io.BytesIO()
        self.dump_to(buffer, fmt)
        return buffer.getvalue()

    @abstractmethod
    def quads(self) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield every quad of the named graphs as rdflib terms and its graph IRI."""

    # ---- writing ----

    @abstractmethod
    def replace_graph(self, graph: str, triples: Graph) -> None:
        """Replace a named graph's content with `triples`, merge included."""

    def replace_graphs(self, graphs: list[tuple[str, Graph]]) -> None:
        """Replace several named graphs (an engine may do it faster, or as one transaction)."""
        for graph, triples in graphs:
            self.replace_graph(graph, triples)

    @abstractmethod
    def remove_graph(self, graph: str) -> bool:
        """Remove a named graph; return False if it did not exist."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ensure_reference(store: Store, reference: Graph, digest: str) -> bool:
    """Load the curated graph into the store unless this version is there; True if written.

    The version is the digest of the curated Turtle, kept as `eq:sha256` on the graph's IRI.
    """
    marker = f"ASK {{ GRAPH <{CURATED_GRAPH}> {{ <{CURATED_GRAPH}> eq:sha256 \"{digest}\" }} }}"
    if store.ask(marker):
        return False
    graph = Graph()
    graph += reference
    graph.add((CURATED_GRAPH, EQ.sha256, Literal(digest)))
    store.replace_graph(str(CURATED_GRAPH), graph)
    return True
