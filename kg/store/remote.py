"""The store on a remote SPARQL 1.1 engine (Virtuoso, Fuseki, GraphDB...), for data past one machine.

`RemoteStore` is the second implementation of `kg.store.base.Store` beside the embedded one, over the SPARQL 1.1 Query
and Update protocols (`kg.store.client`). What it relies on from the engine:
- the default graph of a query without FROM is the merge of the named graphs, each triple once.
  Fuseki's `unionDefaultGraph` and GraphDB's default graph are; Virtuoso's union repeats a triple
  once per graph, so on Virtuoso the store keeps the merge in a graph of its own (`kg.rdf.namespaces.MERGE_GRAPH`),
  updated with every write, and queries it as the default graph (a `define input:` pragma);
  `GRAPH ?g` there still ranges over every graph of the engine, the merge graph included;
- the store's own graphs are the named graphs under `https://w3id.org/equal-kg/` (the engine's
  system graphs, such as Virtuoso's, and the merge are left out of graphs, counts and exports).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from itertools import islice
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg.errors import EngineError, QueryError, StoreError
from kg.rdf import ntriples
from kg.rdf.formats import FORMATS
from kg.rdf.namespaces import BASE, MERGE_GRAPH, PREFIXES, sparql_prefixes
from kg.rdf.sparql_text import TOKENS, iri_ref, is_safe_iri, keywords, names_graph
from kg.settings import Settings
from kg.store.answers import engine_format, graph_document, results_document, to_rdflib
from kg.store.base import SelectResult, Store
from kg.store.client import SparqlClient
from kg.store.merge import merge_in, merge_out

log = logging.getLogger(__name__)

#: The standard prefixes on one line, so the engine's error positions match the query's lines.
PREFIX_LINE = sparql_prefixes().replace("\n", " ")
#: Accept headers by query form (Virtuoso answers 406 when the first type does not fit the form).
#: JSON, not XML: pyoxigraph 0.5's XML results parser trims spaces and line breaks off literals.
ACCEPT = {"select": FORMATS["json"].media_type, "ask": FORMATS["json"].media_type,
          "graph": FORMATS["ntriples"].media_type}
#: Triples per INSERT DATA operation (Virtuoso's compiler gives up a little under 5,000 lines).
OP_TRIPLES = 1000
#: Largest update request; a graph that needs more is written to a staging graph, then moved.
REQUEST_BYTES = 2_000_000
#: Graphs being written in several requests live here until they are moved into place.
STAGING = "urn:equal-kg:staging:"
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_JSON = ox.QueryResultsFormat.JSON
_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def _canonical(term: Any) -> Any:
    """Undo a Virtuoso quirk: its JSON results write xsd:boolean values as 1 and 0."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    return term


def _canonical_solution(solution: Any, variables: list[str]) -> dict[str, Any]:
    return {name: _canonical(solution[name]) for name in variables}


def query_form(sparql: str) -> str:
    """Return a query's form: 'select', 'ask' or 'graph' (CONSTRUCT, DESCRIBE).

    >>> query_form("PREFIX ex: <http://x/> # SELECT\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'graph'

    Raises:
        QueryError: the text is not a SPARQL query (an update, or nothing).
    """
    for word in keywords(sparql):
        if word in ("PREFIX", "BASE"):
            continue
        if word in _FORMS:
            return _FORMS[word]
        break
    raise QueryError("only SELECT, ASK, CONSTRUCT and DESCRIBE queries can be run here")


def check_portable(sparql: str) -> None:
    """Refuse engine-specific escapes a public endpoint must not pass on (Virtuoso's pragmas, bif:, sql:).

    >>> check_portable('SELECT ("define bif:x" AS ?x) {}')
    >>> check_portable("DEFINE get:soft 'replace' SELECT * FROM <http://x/> { ?s ?p ?o }")
    Traceback (most recent call last):
    kg.errors.QueryError: engine-specific DEFINE pragmas are not accepted
    """
    if "DEFINE" in keywords(sparql):
        raise QueryError("engine-specific DEFINE pragmas are not accepted")
    for match in TOKENS.finditer(sparql):
        if (match.group("skip") or "").lstrip("<").lower().startswith(("bif:", "sql:")):
            raise QueryError("engine-specific functions (bif:, sql:) are not accepted")


class RemoteStore(Store):
    """A store whose quads live in a remote SPARQL 1.1 engine; same calls as the embedded one."""

    stable_order = False  # an engine may answer in any order: pages are sorted

    def __init__(self, url: str, *, update_url: str = "", user: str = "", password: str = "",
                 timeout: float = 20.0, read_only: bool = False) -> None:
        super().__init__(url)
        self.client = SparqlClient(url, update_url, user, password, timeout)
        self.read_only = read_only
        #: The graph that holds the merge of this store's graphs (on Virtuoso), or "" where the
        #: engine's own default graph is the merge; set by `open_remote`.
        self.merge_graph = ""

    def pragmas(self, sparql: str, union: bool = True) -> str:
        """Return the Virtuoso pragma that makes the merge graph the default graph of a query (with `union`).

        Not for a query with `GRAPH <iri>`: Virtuoso 7.2.5 then answers it with one empty solution,
        whatever the graph holds (`VALUES ?g { <iri> } GRAPH ?g` is right); such a query reads
        Virtuoso's own union. (`input:named-graph-exclude` empties the default graph: not used.)
        """
        if not self.merge_graph or not union or names_graph(sparql):
            return ""
        return f"define input:default-graph-uri <{self.merge_graph}> "

    @property
    def is_virtuoso(self) -> bool:
        """Tell whether the engine said it is Virtuoso (its `Server` header)."""
        return self.client.server.startswith("Virtuoso")

    # ---- talking to the engine ----

    @contextlib.contextmanager
    def _answer(self, sparql: str, form: str, params: list[tuple[str, str]] | None = None,
                prologue: str | None = None, written_by_a_person: bool = False) -> Iterator[tuple[Any, Any]]:
        """Run a query (over the merge unless a `prologue` is given); yield (parsed answer, response
        headers) while the response is open. The engine refusing a query the code wrote is our EngineError."""
        url = self.client.query_url
        prologue = self.pragmas(sparql) + PREFIX_LINE if prologue is None else prologue
        try:
            response = self.client.query(prologue + sparql, ACCEPT[form], params)
        except QueryError as error:
            if written_by_a_person:
                raise
            raise EngineError(str(error)) from error
        with response, self.client.reading(url):
            try:
                if form == "graph":
                    yield ox.parse(response, format=ox.RdfFormat.N_TRIPLES), response.headers
                else:
                    yield ox.parse_query_results(response, format=_JSON), response.headers
            except (SyntaxError, ValueError) as error:
                raise StoreError(f"unreadable answer from the SPARQL engine at {url}: {error}") from None

    def _solutions(self, sparql: str) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a SELECT query; return its variables and every solution (pyoxigraph terms), all or an error."""
        with self._answer(sparql, "select") as (solutions, headers):
            variables = [v.value for v in solutions.variables]
            rows = [{name: _canonical(solution[name]) for name in variables} for solution in solutions]
            cap = headers.get("X-SPARQL-MaxRows")
        if cap is not None and len(rows) >= int(cap):
            raise StoreError(f"the SPARQL engine at {self.location} cut the answer at {cap} rows: raise its "
                             "limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
        return variables, rows

    def _rows(self, sparql: str) -> list[dict[str, Any]]:
        return self._solutions(sparql)[1]

    def _update(self, text: str) -> None:
        """Send one update request (refused on a store opened read-only)."""
        if self.read_only:
            raise StoreError(f"the store at {self.location} was opened read-only")
        pragma = "define sql:big-data-const 1 " if self.is_virtuoso else ""  # Virtuoso: 6x faster INSERT DATA
        self.client.update(pragma + text)

    # ---- reading ----

    def select(self, sparql: str) -> SelectResult:
        """Run a SELECT query over the merge of all graphs; standard prefixes are declared."""
        if query_form(sparql) != "select":
            raise QueryError("expected a SELECT query")
        variables, solutions = self._solutions(sparql)
        rows = [{name: (to_rdflib(term) if term is not None else None) for name, term in solution.items()}
                for solution in solutions]
        return SelectResult(variables, rows)

    def values(self, sparql: str) -> list[dict[str, str | None]]:
        """Run a SELECT; give each value as a plain string (see `Store.values`)."""
        if query_form(sparql) != "select":
            raise QueryError("expected a SELECT query")
        _, solutions = self._solutions(sparql)
        return [{name: (term.value if term is not None else None) for name, term in solution.items()}
                for solution in solutions]

    def ask(self, sparql: str) -> bool:
        """Run an ASK query over the merge of all graphs."""
        if query_form(sparql) != "ask":
            raise QueryError("expected an ASK query")
        return bool(self._fetch(sparql, "ask")[0])

    def construct(self, sparql: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; return the triples as an rdflib Graph."""
        if query_form(sparql) != "graph":
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        with self._answer(sparql, "graph") as (triples, _):
            for t in triples:
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph

    def construct_triples(self, sparql: str) -> list[Any]:
        """Run a CONSTRUCT query; return its distinct triples as pyoxigraph terms (see `Store.construct_triples`)."""
        if query_form(sparql) != "graph":
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        with self._answer(sparql, "graph") as (triples, _):
            return list(dict.fromkeys(triples))

    def _fetch(self, sparql: str, form: str, limit: int | None = None, params: list[tuple[str, str]] | None = None,
               prologue: str | None = None, written_by_a_person: bool = False
               ) -> tuple[Any, list[str], list[Any], bool]:
        """Run a query; return (ASK answer or None, variables, solutions or triples, cut by the engine)."""
        with self._answer(sparql, form, params, prologue, written_by_a_person) as (answer, headers):
            if form == "ask":
                return bool(answer), [], [], False
            variables = [v.value for v in answer.variables] if form == "select" else []
            items = [_canonical_solution(s, variables) if form == "select" else s
                     for s in (answer if limit is None else islice(answer, limit))]
            return None, variables, items, headers.get("X-SPARQL-MaxRows") is not None

    def query_serialized(self, sparql: str, results_format: str = "json",
                         graph_format: str = "turtle") -> tuple[str, bytes]:
        """Run any query and serialise its answer; return (query form, bytes)."""
        form = query_form(sparql)
        boolean, variables, items, _ = self._fetch(sparql, form, written_by_a_person=True)
        return form, _serialize(form, boolean, variables, items, results_format, graph_format)

    def run_protocol_query(self, sparql: str, *, dataset: tuple[list[str], list[str]] | None = None,
                           union: bool = True, max_rows: int = 10000, results_format: str = "json",
                           graph_format: str = "turtle", base_iri: str | None = None,
                           capped: str | None = None) -> tuple[str, bytes, bool]:
        """Run a query for the SPARQL endpoint; return (query form, serialised answer, truncated).

        As `Store.run_protocol_query` (`capped` is not used: the answer is read, then serialised
        here); `dataset` goes to the engine as `default-graph-uri` /
        `named-graph-uri`, and `union` queries the merge. Engine-specific escapes
        (Virtuoso's DEFINE pragmas, `bif:` and `sql:` functions) are refused.
        """
        form = query_form(sparql)
        check_portable(sparql)
        params = None
        if dataset is not None:
            params = [("default-graph-uri", g) for g in dataset[0]] + [("named-graph-uri", g) for g in dataset[1]]
        base = f"BASE {iri_ref(base_iri)} " if base_iri and is_safe_iri(base_iri) else ""
        prologue = self.pragmas(sparql, union and dataset is None) + base + PREFIX_LINE
        boolean, variables, items, engine_cut = self._fetch(sparql, form, max_rows + 1, params, prologue,
                                                            written_by_a_person=True)
        truncated = len(items) > max_rows or engine_cut
        body = _serialize(form, boolean, variables, items[:max_rows], results_format, graph_format, truncated)
        return form, body, truncated

    def _ours(self, var: str = "?g") -> str:
        return f'FILTER(STRSTARTS(STR({var}), "{BASE}"))'

    def _graph_sizes(self) -> dict[str, int]:
        """Count the quads of each of this store's graphs (one grouped query: Virtuoso answers it
        from an index, where a FILTER on ?g over all quads took 60 times longer)."""
        rows = self._rows("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"].value: int(row["n"].value) for row in rows
                if isinstance(row["g"], ox.NamedNode) and row["g"].value.startswith(BASE)}

    def graphs(self) -> list[str]:
        """Return the IRIs of this store's named graphs (those under the equal-kg base IRI)."""
        return sorted(self._graph_sizes())

    def has_graph(self, graph: str) -> bool:
        """Tell whether a named graph exists and holds triples."""
        return self.ask(f"ASK {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}")

    def graph(self, graph: str) -> Graph:
        """Return a copy of one named graph as an rdflib Graph."""
        out = Graph(identifier=URIRef(graph))
        for row in self._rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}"):
            out.add((to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"])))
        return out

    def count(self, graph: str | None = None) -> int:
        """Count the quads in one named graph, or in all of this store's graphs."""
        if graph is None:
            return sum(self._graph_sizes().values())
        rows = self._rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value) if rows else 0

    def _quads(self) -> list[ox.Quad]:
        rows = self._rows(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]

    def dump_to(self, output: BinaryIO, fmt: str) -> None:
        """Write this store's graphs into a binary file (read whole: the engine sends one answer)."""
        output.write(self.dump(fmt))

    def dump(self, fmt: str) -> bytes:
        """Serialise this store's graphs (quad formats, `jsonld`) or their union (triple formats)."""
        rdf_format = engine_format(fmt)
        quads = self._quads()
        if rdf_format.supports_datasets:
            return ox.serialize(sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject))), format=rdf_format)
        triples = sorted(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads), key=str)
        return ox.serialize(triples, format=rdf_format)

    def quads(self) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield every quad of this store's graphs as rdflib terms and its graph IRI."""
        for quad in self._quads():
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                   quad.graph_name.value)

    # ---- writing ----

    def replace_graph(self, graph: str, triples: Graph) -> None:
        """Replace a named graph's content with `triples`.

        A graph that fits in one update request (most documents: up to ~2 MB of N-Triples) is
        written by one request, `DROP SILENT GRAPH; INSERT DATA...`: all or nothing, and atomic
        for readers where the engine isolates a request (Fuseki, GraphDB). Virtuoso 7.2 does not
        isolate readers: a query running meanwhile can see a mix of old and new triples. A larger
        graph is written to a staging graph in several requests, then moved into place by one
        `MOVE`; while it is written, queries over an engine's union also see the staging triples
        (not on Virtuoso, whose queries read the merge graph).
        """
        target = iri_ref(graph)
        lines = ntriples.lines(triples).splitlines()
        if any(isinstance(term, BNode) for triple in triples for term in triple):
            # Virtuoso refuses blank nodes in INSERT DATA; one INSERT..WHERE (never split) keeps their identity
            body = "\n".join(lines)
            requests = [[f"INSERT {{ GRAPH {target} {{\n{body}\n}} }} WHERE {{}}"]]
        else:
            requests = _batches(graph, lines)
        merge = self.merge_graph
        before, after = ([merge_out([graph], merge)], [merge_in([graph], merge)]) if merge else ([], [])
        try:
            if len(requests) <= 1:
                self._update(" ;\n".join([*before, f"DROP SILENT GRAPH {target}",
                                          *(requests[0] if requests else []), *after]))
                return
            staging = STAGING + graph
            staged = _batches(staging, lines)
            self._update(" ;\n".join([f"DROP SILENT GRAPH <{staging}>", *staged[0]]))
            for ops in staged[1:]:
                self._update(" ;\n".join(ops))
            self._update(" ;\n".join([*before, f"MOVE SILENT <{staging}> TO {target}", *after]))
        except StoreError as error:
            raise StoreError(f"could not write graph <{graph}>: {error}") from None

    def replace_graphs(self, graphs: list[tuple[str, Graph]]) -> None:
        """Replace several named graphs, one request (or staged series) per graph."""
        for graph, triples in graphs:
            self.replace_graph(graph, triples)

    def remove_graph(self, graph: str) -> bool:
        """Remove a named graph; return False if it did not exist."""
        if not self.has_graph(graph):
            return False
        before = [merge_out([graph], self.merge_graph)] if self.merge_graph else []
        self._update(" ;\n".join([*before, f"DROP SILENT GRAPH {iri_ref(graph)}"]))
        return True

    def use_merge(self) -> None:
        """On Virtuoso, query the merge graph as the default graph; build it if the store predates it
        (opened read-only, such a store is read as Virtuoso's union until it is opened for writing)."""
        if not self.is_virtuoso:
            return
        has_merge = self.ask(f"ASK {{ GRAPH <{MERGE_GRAPH}> {{ ?s ?p ?o }} }}")
        if not has_merge and self.graphs():
            if self.read_only:
                log.warning("%s has no merge graph <%s> yet: queries repeat triples stated in several "
                            "documents until the store is opened for writing", self.location, MERGE_GRAPH)
                return
            log.info("building the merge graph <%s> of %s (once)", MERGE_GRAPH, self.location)
            self._update(f"INSERT {{ GRAPH <{MERGE_GRAPH}> {{ ?s ?p ?o }} }} "
                         f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
        self.merge_graph = MERGE_GRAPH

    def check(self) -> None:
        """Check that the engine answers and that its default graph is the union of the named graphs.

        Raises:
            StoreError: it cannot be reached, or a triple of a named graph is not in its default graph.
        """
        rows = list(self._rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }} LIMIT 1"))
        if not rows:
            return
        s, p, o = (rows[0][name] for name in "spo")
        if not self.ask(f"ASK {{ {s} {p} {o} }}"):
            raise StoreError(f"the default graph of {self.location} is not the union of its named graphs: "
                             "equal-kg needs it (Fuseki: set tdb2:unionDefaultGraph true; see docs/remote.md)")

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def _serialize(form: str, boolean: bool | None, variables: list[str], items: list[Any], results_format: str,
               graph_format: str, truncated: bool | None = None) -> bytes:
    """Serialise an answer as `Store` does; JSON SELECT answers carry `truncated` when it is given."""
    if form == "graph":
        return graph_document(items, graph_format, PREFIXES)
    return results_document(boolean if form == "ask" else None, variables, items, results_format, truncated)


def _batches(graph: str, lines: list[str]) -> list[list[str]]:
    """Group N-Triples lines into INSERT DATA operations, and those into requests of bounded size."""
    requests: list[list[str]] = []
    size = REQUEST_BYTES
    for start in range(0, len(lines), OP_TRIPLES):
        op = f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines[start:start + OP_TRIPLES]) + "\n} }"
        op_size = len(op.encode("utf-8"))
        if size + op_size > REQUEST_BYTES:
            requests.append([])
            size = 0
        requests[-1].append(op)
        size += op_size
    return requests


def open_remote(url: str, settings: Settings | None = None, read_only: bool = False) -> RemoteStore:
    """Open the store at a SPARQL endpoint URL, with the update URL, credentials and timeout of the settings.

    Raises:
        StoreError: the endpoint cannot be reached, or does not query the union of its graphs by default.
        On Virtuoso, the merge graph is built if the store predates it (and is opened for writing).
    """
    settings = settings or Settings.from_env()
    store = RemoteStore(url, update_url=settings.store_update, user=settings.store_user,
                        password=settings.store_password, timeout=settings.query_timeout, read_only=read_only)
    store.check()
    store.use_merge()
    return store
