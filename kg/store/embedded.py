"""The embedded engine: the store in an Oxigraph database, on disk (RocksDB) or in memory.

The default graph is the RDF merge of the named graphs: each triple once, however many
documents state it, so counts and aggregates come out right (pyoxigraph 0.5's union default
graph repeats a triple once per graph). It is kept in Oxigraph's own default graph, updated in
the same transaction as every write, and left out of exports, counts and `graphs()`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.errors import EngineError, QueryError, StoreError
from kg.rdf import ntriples
from kg.rdf.namespaces import PREFIXES, sparql_prefixes
from kg.store.answers import (
    engine_format,
    exact_rows,
    graph_document,
    results_document,
    rows_at_most,
    to_rdflib,
    with_truncated,
)
from kg.store.base import SelectResult, Store
from kg.store.leases import lease_snapshot
from kg.store.location import MEMORY, Location
from kg.store.merge import merge_in, merge_out

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _engine_errors(written_by_a_person: bool = False) -> Iterator[None]:
    """Name the engine's failures: on a person's query, QueryError with the engine's message; on a query
    the code wrote, EngineError (a bug of ours), or StoreError when the database cannot be read."""
    try:
        yield
    except (SyntaxError, ValueError, OSError, RuntimeError) as error:
        if written_by_a_person:
            what = "SPARQL syntax error" if isinstance(error, SyntaxError) else "query failed"
            raise QueryError(f"{what}: {error}") from None
        if isinstance(error, OSError):
            raise StoreError(f"cannot read the store: {error}") from None
        raise EngineError(f"the engine refused a query of ours: {error}") from error


def _replacement(graph: str, triples: Graph) -> str:
    """Return the SPARQL update that replaces a named graph's content with `triples`, merge included."""
    return (f"{merge_out([graph])} ;\nDROP SILENT GRAPH <{graph}> ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.lines(triples)}\n}} }} ;\n{merge_in([graph])}")


class EmbeddedStore(Store):
    """The store in an Oxigraph database: on disk (RocksDB) or in memory."""

    def __init__(self, engine: ox.Store, location: str, index_location: str = "", merged: bool = True) -> None:
        super().__init__(location, index_location)
        self._engine = engine
        #: True when the default graph holds the merge of the named graphs; False only for an older
        #: database opened read-only, read over the engine's union (duplicates included).
        self.merged = merged
        #: Whatever keeps the store's files from being cleaned up while it is open (a snapshot lease).
        self.lease: Any = None
        #: True while no one else can read this database (a snapshot being written): bulk writes are safe.
        self.private = False

    # ---- reading ----

    def _run(self, sparql: str, written_by_a_person: bool = False) -> Any:
        """Run a query over the merge; a failure is the person's QueryError for their text, else our EngineError."""
        with _engine_errors(written_by_a_person):
            return self._engine.query(sparql_prefixes() + sparql, use_default_graph_as_union=not self.merged)

    def select(self, sparql: str) -> SelectResult:
        """Run a SELECT query over the merge of all graphs; standard prefixes are declared."""
        result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        variables = [v.value for v in result.variables]
        rows = [{name: (to_rdflib(solution[name]) if solution[name] is not None else None)
                 for name in variables} for solution in result]
        return SelectResult(variables, rows)

    def values(self, sparql: str) -> list[dict[str, str | None]]:
        """Run a SELECT like `select`, but give each value as a plain string (an IRI, a literal's text).

        Bulk reads that only need text (the search index) skip building rdflib terms: at 5,000 DPs
        that conversion took longer than the queries.
        """
        result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{name: (None if solution[name] is None else solution[name].value) for name in names}
                for solution in result]

    def ask(self, sparql: str) -> bool:
        """Run an ASK query over the merge of all graphs."""
        result = self._run(sparql)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def construct(self, sparql: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; return the triples as an rdflib Graph."""
        result = self._run(sparql)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                       to_rdflib(triple.object)))
        return graph

    def construct_triples(self, sparql: str) -> list[Any]:
        """Run a CONSTRUCT query; return its distinct triples as the engine's own (to serialise with
        `kg.store.answers.rdf_document` without building rdflib terms)."""
        result = self._run(sparql)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        with _engine_errors():
            return list(dict.fromkeys(result))

    def query_serialized(self, sparql: str, results_format: str = "json",
                         graph_format: str = "turtle") -> tuple[str, bytes]:
        """Run any query and serialise its answer; return (query form, bytes).

        The query form is 'select', 'ask' or 'graph'; SELECT and ASK answers use
        `results_format`, CONSTRUCT and DESCRIBE answers `graph_format`.
        """
        result = self._run(sparql, written_by_a_person=True)
        if isinstance(result, ox.QueryTriples):
            return "graph", result.serialize(format=engine_format(graph_format))
        form = "ask" if isinstance(result, ox.QueryBoolean) else "select"
        return form, result.serialize(format=engine_format(results_format))

    def run_protocol_query(self, sparql: str, *, dataset: tuple[list[str], list[str]] | None = None,
                           union: bool = True, max_rows: int = 10000, results_format: str = "json",
                           graph_format: str = "turtle", base_iri: str | None = None,
                           capped: str | None = None) -> tuple[str, bytes, bool]:
        """As `Store.run_protocol_query`; with `capped` (the SELECT under a LIMIT of `max_rows + 1`) the
        engine serialises the answer itself, the fast path, unless it holds more than `max_rows` rows."""
        options: dict[str, Any] = {"prefixes": PREFIXES, "base_iri": base_iri}
        if dataset is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset[0]]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset[1]]
        elif union and not self.merged:
            options["use_default_graph_as_union"] = True
        body = None if capped is None else self._serialized(capped, options, results_format)
        if body is not None and (rows_at_most(body, results_format) <= max_rows
                                 or exact_rows(body, results_format) <= max_rows):
            return "select", with_truncated(body, results_format, False), False
        with _engine_errors(written_by_a_person=True):
            result = self._engine.query(sparql, **options)
            if isinstance(result, ox.QueryBoolean):
                return "ask", result.serialize(format=engine_format(results_format)), False
            items = list(islice(result, max_rows + 1))
        truncated = len(items) > max_rows
        if isinstance(result, ox.QueryTriples):
            return "graph", graph_document(items[:max_rows], graph_format, PREFIXES), truncated
        variables = [v.value for v in result.variables]
        return "select", results_document(None, variables, items[:max_rows], results_format, truncated), truncated

    def _serialized(self, sparql: str, options: dict[str, Any], results_format: str) -> bytes | None:
        """Run a SELECT and let the engine serialise its answer; None if it does not parse."""
        with _engine_errors(written_by_a_person=True):
            try:
                result = self._engine.query(sparql, **options)
            except SyntaxError:
                return None  # the query as the user wrote it then tells what is wrong
            return result.serialize(format=engine_format(results_format))

    def graphs(self) -> list[str]:
        """Return the IRIs of all named graphs."""
        return sorted(graph.value for graph in self._engine.named_graphs()
                      if isinstance(graph, ox.NamedNode))

    def has_graph(self, graph: str) -> bool:
        """Tell whether a named graph exists and holds triples."""
        node = ox.NamedNode(graph)
        return any(True for _ in self._engine.quads_for_pattern(None, None, None, node))

    def graph(self, graph: str) -> Graph:
        """Return a copy of one named graph as an rdflib Graph."""
        out = Graph(identifier=URIRef(graph))
        for quad in self._engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            out.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return out

    def count(self, graph: str | None = None) -> int:
        """Count the quads in one named graph, or in all of them (counted by the engine, not in Python)."""
        if not graph:
            merge = self._engine.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
            return len(self._engine) - int(next(iter(merge))[0].value)
        return sum(1 for _ in self._engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def dump_to(self, output: BinaryIO, fmt: str) -> None:
        """Stream the whole store into a binary file: quad formats and `jsonld` (expanded, one
        `@graph` per named graph) keep the graphs, triple formats get their union."""
        rdf_format = engine_format(fmt)
        if rdf_format.supports_datasets:  # the named graphs, one by one: the merge is no document's
            ox.serialize(self._named_quads(), output, format=rdf_format)
        elif self.merged:
            self._engine.dump(output, format=rdf_format, from_graph=ox.DefaultGraph())
        else:
            triples = self._engine.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                         use_default_graph_as_union=True)
            triples.serialize(output, format=rdf_format)

    def _named_quads(self) -> Iterator[ox.Quad]:
        """Yield the quads of every named graph, graph by graph (as fast as the engine's own dump)."""
        for graph in self._engine.named_graphs():
            yield from self._engine.quads_for_pattern(None, None, None, graph)

    def quads(self) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield every quad of the named graphs as rdflib terms and its graph IRI."""
        for quad in self._named_quads():
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                   quad.graph_name.value)

    def backup(self, target: str | Path) -> None:
        """Copy the database to a new directory: a RocksDB checkpoint, hard links to its immutable files."""
        try:
            self._engine.backup(str(target))
        except OSError as error:
            raise StoreError(f"cannot copy the store to {target}: {error}") from None

    # ---- writing ----

    def replace_graph(self, graph: str, triples: Graph) -> None:
        """Replace a named graph's content with `triples`, atomically.

        Readers see the old graph or the new one, never a mix: the drop and the insert run
        as one SPARQL update, which Oxigraph applies in a single transaction.
        """
        self._write(_replacement(graph, triples), graph)

    def replace_graphs(self, graphs: list[tuple[str, Graph]]) -> None:
        """Replace several named graphs at once: the fast path of an ingest.

        A private store (a snapshot no reader sees until it is published) drops the graphs and
        bulk-loads the new triples, about three times faster than one transaction per graph;
        a shared one applies all the replacements as one update, so readers see all or none.
        """
        if not self.private:
            if graphs:
                self._write(" ;\n".join(_replacement(graph, triples) for graph, triples in graphs),
                            ", ".join(graph for graph, _ in graphs[:3]))
            return
        try:
            stored = [graph for graph, _ in graphs if self.has_graph(graph)]
            if stored:
                self._engine.update(merge_out(stored))
            for graph in stored:
                self._engine.remove_graph(ox.NamedNode(graph))
            # N-Quads (parsed fastest): each triple in its graph and in the default graph, the merge
            data = "".join(ntriples.lines(triples, graph, merge=True) for graph, triples in graphs)
            self._engine.bulk_load(data.encode(), format=ox.RdfFormat.N_QUADS)
        except (OSError, ValueError, SyntaxError, RuntimeError) as error:  # RuntimeError: opened read-only
            raise StoreError(f"could not write {len(graphs)} graphs: {error}") from None

    def _write(self, update: str, what: str) -> None:
        """Apply a SPARQL update that writes data; StoreError names what was being written."""
        try:
            self._engine.update(update)
        except (OSError, ValueError, SyntaxError, RuntimeError) as error:  # RuntimeError: opened read-only
            raise StoreError(f"could not write graph <{what}>: {error}") from None

    def build_merge(self) -> None:
        """Fill the default graph with the merge of the named graphs, in one transaction.

        Done once, when a database written before the merge existed is opened for writing:
        about 30 s and 40% more disk at 5,000 DPs (docs/sparql.md).
        """
        log.info("building the merged default graph of %s (once)", self.location)
        self._write("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "default")
        self.merged = True

    def remove_graph(self, graph: str) -> bool:
        """Remove a named graph; return False if it did not exist."""
        if not self.has_graph(graph):
            return False
        self._write(f"{merge_out([graph])} ;\nDROP SILENT GRAPH <{graph}>", graph)
        return True

    def close(self) -> None:
        """Flush and release the store."""
        if not hasattr(self, "_engine"):
            return
        with contextlib.suppress(OSError, RuntimeError):  # read-only stores cannot flush
            self._engine.flush()
        del self._engine
        if self.lease is not None:
            self.lease.release()
            self.lease = None


def open_embedded(location: Location, read_only: bool = False) -> EmbeddedStore:
    """Open an Oxigraph database: in memory, or in a directory (created if absent unless `read_only`).

    A database opened read-only takes a reader's lease on the snapshot it belongs to, if any, so
    that the snapshot is not cleaned up while it is open. One written before the merge existed is
    merged once when opened for writing.

    Raises:
        StoreError: the directory is in use by another process, or cannot be read.
    """
    if location.kind == MEMORY:
        return EmbeddedStore(ox.Store(), location.text)
    assert location.path is not None
    path = location.path
    try:
        if read_only:
            lease = lease_snapshot(path)  # a snapshot's database: keep it from cleanup while open
            engine = ox.Store.read_only(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            engine = ox.Store(str(path))
    except OSError as error:
        message = str(error)
        if "lock" in message.lower():
            message = "the store is in use by another process (a running `kg serve` or ingest)"
        raise StoreError(f"cannot open store at {path}: {message}") from None
    store = EmbeddedStore(engine, str(path), merged=_has_merge(engine))
    store.lease = lease if read_only else None
    if not store.merged and not read_only:
        store.build_merge()
    return store


def _has_merge(engine: ox.Store) -> bool:
    """Tell whether a database keeps the merge in its default graph (or is empty, so has nothing to merge).

    Databases written before the merge existed have named graphs and an empty default graph.
    """
    if next(iter(engine.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return True
    return next(iter(engine.quads_for_pattern(None, None, None, None)), None) is None
