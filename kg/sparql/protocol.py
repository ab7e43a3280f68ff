"""The SPARQL 1.1 Protocol without HTTP: check a query, run it read-only with a row cap, describe the service.

The endpoint is read-only and must never make the server fetch anything: updates are refused
(`ReadOnlyError`), `SERVICE` is refused, and FROM / FROM NAMED / `default-graph-uri` only name
graphs of the store (an unknown one is an empty graph). `execute` is the one function that runs
a query, so it can be moved into a worker process that a timeout can kill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from kg.errors import QueryError, ReadOnlyError
from kg.rdf.formats import FORMATS, GRAPH, RESULTS
from kg.rdf.namespaces import PREFIXES
from kg.rdf.sparql_text import dataset_iris, is_safe_iri, keywords, unescape_codepoints, with_limit
from kg.store.base import Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: Keywords that start a SPARQL Update operation.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                             "COPY", "WITH"})

# SERVICE as the engine's parser reads it, found in the raw text. Oxigraph's parser needs no space
# around keywords (`?o;SERVICE<x>{}`, `trueSERVICE:x{}`, `SERVICESILENT<x>{}` all call out) and
# reads `<` as "less than" in an expression where a token scan sees an IRI (`FILTER(?x<2)SERVICE#>`
# then `<x> {` on the next line). So every occurrence of the word is looked at, except where it can
# only be part of a variable or a prefixed name, or follows a character no keyword can follow; it is
# a call when SILENT, an IRI, variable or prefixed name, then `{` come next (spaces and comments
# between). A call shape still open at the end of the window counts too, so padding hides nothing.
_SPACE = r"(?:\s|\#[^\n\r]*+)*+"
_IRI = r"<[^<>\"{}|^`\x00-\x20]*+"
_SERVICE_WORD = re.compile(r"SERVICE", re.IGNORECASE)
_SERVICE_CALL = re.compile(
    rf"{_SPACE}(?:SILENT{_SPACE})?(?:{_IRI}>|[?$]\w++|[\w.\-%\\]*+:[\w.\-%\\:]*+){_SPACE}\{{", re.IGNORECASE)
_SERVICE_OPEN = re.compile(
    rf"{_SPACE}(?:SILENT{_SPACE})?(?:{_IRI}|[?$]\w*+|[\w.\-%\\]*+(?::[\w.\-%\\:]*+)?){_SPACE}", re.IGNORECASE)
#: Read backwards from the word: inside a variable's name, inside a prefixed name, or after `/#<=@^`.
_IN_NAME_BEHIND = re.compile(r"\w{0,256}+[?$]|[\w.\-%\\]{0,256}+:|[/#<=@^]")
_SERVICE_WINDOW = 512


@dataclass(frozen=True)
class Answer:
    """A query's serialised answer: its form (select, ask, graph), format, media type and body."""

    form: str
    format: str
    media_type: str
    body: bytes
    truncated: bool


def calls_service(query: str) -> bool:
    """Tell whether the engine could read a SERVICE call in the text, however it is written.

    Conservative: a call glued to other tokens or behind a comment the engine does not see
    counts; the word inside a variable's name, a prefixed name or an IRI's path does not.

    >>> calls_service("SELECT * { ?s ?p ?o FILTER(?o<2)SERVICE#>\\n<http://x/> { ?a ?b ?c } }")
    True
    >>> calls_service("PREFIX : <http://x/> SELECT * { ?s ?p 1SERVICE:y{} }")
    True
    >>> calls_service("SELECT ?service ?endpoint { ?service sd:endpoint ?endpoint ; a sd:Service }")
    False
    """
    backwards = query[::-1]
    for match in _SERVICE_WORD.finditer(query):
        if _IN_NAME_BEHIND.match(backwards, len(query) - match.start()):
            continue
        end = min(len(query), match.end() + _SERVICE_WINDOW)
        if _SERVICE_CALL.match(query, match.end(), end):
            return True
        if end < len(query) and _SERVICE_OPEN.fullmatch(query, match.end(), end):
            return True
    return False


def check_query(query: str, words: list[str] | None = None) -> None:
    """Refuse a query the read-only endpoint will not run: empty, an update, or using SERVICE.

    `words` are the query's `keywords`, when the caller has them already.

    Raises:
        ReadOnlyError: the text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...).
        QueryError: the query is empty or uses SERVICE (a federated query would make us fetch).
    """
    if not query or not query.strip():
        raise QueryError("no query given: send it as `query=` or as an application/sparql-query body")
    words = [w for w in (keywords(query) if words is None else words) if w not in ("PREFIX", "BASE")]
    if words and words[0] in UPDATE_KEYWORDS:
        raise ReadOnlyError(f"this endpoint is read-only: SPARQL Update ({words[0]}) is not accepted")
    refuse_service(query, words)


def refuse_service(query: str, words: list[str] | None = None) -> None:
    """Raise QueryError if a query calls SERVICE: this service never fetches from other endpoints.

    The text is checked as written and with its `\\u` escapes applied (the grammar allows them anywhere).
    """
    unescaped = unescape_codepoints(query)
    texts = [query] if unescaped == query else [query, unescaped]
    words = keywords(query) if words is None else words
    if "SERVICE" in words or any("SERVICE" in keywords(text) for text in texts[1:]):
        raise QueryError("SERVICE (federated query) is not allowed: this endpoint never fetches "
                         "from other endpoints")
    if any(calls_service(text) for text in texts):
        raise QueryError("SERVICE (federated query) is not allowed: the query reads as a SERVICE call "
                         "(SERVICE, an IRI, variable or name, then {), even glued to other words or "
                         "after a comment; this endpoint never fetches from other endpoints")


def check_dataset(store: Store, clauses: list[str], parameters: list[str]) -> None:
    """Refuse a dataset that names what this endpoint will not read: it only ever reads its own graphs.

    A FROM / FROM NAMED graph must be stored (engines would fetch it from the web or a file). The
    protocol's default-graph-uri / named-graph-uri may name an unknown http(s) graph, which is an
    empty graph (as the W3C protocol tests expect), but never a file or another scheme.
    """
    if not clauses and not parameters:
        return
    stored = set(store.graphs())
    for graph in clauses:
        if graph not in stored:
            raise QueryError(f"FROM <{graph}>: not a graph of this store. FROM and FROM NAMED can only "
                             "name stored graphs (listed in the service description); this endpoint never "
                             "fetches a URL or reads a file")
    for graph in parameters:
        if not is_safe_iri(graph):
            raise QueryError(f"<{graph}> is not a valid IRI: default-graph-uri and named-graph-uri name graphs by IRI")
        if graph not in stored and not graph.startswith(("http://", "https://")):
            raise QueryError(f"<{graph}> is not a graph of this store, and this endpoint never reads a file "
                             "or fetches a URL: default-graph-uri and named-graph-uri name stored graphs")


def execute(store: Store, query: str, *, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, results_format: str = "json",
            graph_format: str = "turtle", max_rows: int = 10000, base_iri: str | None = None,
            checked: bool = False) -> Answer:
    """Check and run a query read-only; serialise at most `max_rows` rows in the chosen format.

    With no `default_graphs`/`named_graphs` (the protocol's dataset) and no FROM in the query,
    the default graph is the merge of all graphs. Relative IRIs resolve against `base_iri`
    (the endpoint's URL). `checked` says `check_query` has passed already (in the worker pool's parent).
    """
    words = keywords(query)
    if not checked:
        check_query(query, words)
    clauses = dataset_iris(query) if "FROM" in words else []
    check_dataset(store, clauses, [*(default_graphs or []), *(named_graphs or [])])
    dataset = None
    if default_graphs or named_graphs:
        dataset = (list(default_graphs or []), list(named_graphs or []))
    form, body, truncated = store.run_protocol_query(
        query, dataset=dataset, union=dataset is None and not clauses, max_rows=max_rows,
        results_format=results_format, graph_format=graph_format, base_iri=base_iri,
        capped=with_limit(query, max_rows + 1))
    fmt = graph_format if form == "graph" else results_format
    return Answer(form=form, format=fmt, media_type=FORMATS[fmt].media_type, body=body, truncated=truncated)


def service_description(endpoint: str, graphs: list[str]) -> Graph:
    """Describe the endpoint in the SPARQL 1.1 Service Description vocabulary."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("format", W3C_FORMATS)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    service = URIRef(endpoint + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for served in FORMATS.values():
        if RESULTS in served.holds or GRAPH in served.holds:
            graph.add((service, SD.resultFormat, W3C_FORMATS[served.w3c]))
    dataset = BNode()
    default = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
               Literal("The merge of all named graphs: each triple once, however many graphs hold it.", lang="en")))
    for name in graphs:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """Serialise a small rdflib graph (the service description, with its own prefixes) in a graph format;
    rdflib knows its serialisers by the media types of `kg.rdf.formats`."""
    return graph.serialize(format=FORMATS[fmt].media_type.split(";")[0], encoding="utf-8")
