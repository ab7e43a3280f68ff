"""The SPARQL 1.1 Protocol without HTTP: check a query, pick formats, run it read-only with a row cap.

The endpoint is read-only and must never make the server fetch anything: updates are refused
(`ReadOnlyError`), `SERVICE` is refused, and FROM / FROM NAMED / `default-graph-uri` only name
graphs of the store (an unknown one is an empty graph). `execute` is the one function that runs
a query, so it can be moved into a worker process that a timeout can kill.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from kg.conneg import GRAPH_TYPES, MEDIA_TYPES, RESULT_TYPES, format_named, negotiate
from kg.namespaces import ID, PREFIXES
from kg.queries import labels
from kg.results import short
from kg.sparql_text import (
    dataset_iris,
    keywords,
    unescape_codepoints,
    with_limit,
)
from kg.store import QueryError, Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: Keywords that start a SPARQL Update operation.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                             "COPY", "WITH"})
#: The W3C format IRIs of the answers we serve, for the service description.
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "jsonld": "JSON-LD",
                "ntriples": "N-Triples", "rdfxml": "RDF_XML"}
#: For a CONSTRUCT or DESCRIBE, a results format name asked for by mistake means this graph format.
_GRAPH_FOR_RESULT = {"json": "jsonld", "xml": "rdfxml"}

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


class ReadOnlyError(QueryError):
    """An update or another write was sent to the read-only endpoint."""


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
        if graph not in stored and not graph.startswith(("http://", "https://")):
            raise QueryError(f"<{graph}> is not a graph of this store, and this endpoint never reads a file "
                             "or fetches a URL: default-graph-uri and named-graph-uri name stored graphs")


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
    return Answer(form=form, format=fmt, media_type=MEDIA_TYPES[fmt], body=body, truncated=truncated)


def service_description(endpoint: str, graphs: list[str]) -> Graph:
    """Describe the endpoint in the SPARQL 1.1 Service Description vocabulary."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("format", FORMATS)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    service = URIRef(endpoint + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in _FORMAT_IRIS.values():
        graph.add((service, SD.resultFormat, FORMATS[name]))
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
    """Serialise a small rdflib graph in one of the graph formats (turtle, jsonld, ntriples, rdfxml)."""
    names = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}
    return graph.serialize(format=names[fmt], encoding="utf-8")


@dataclass(frozen=True)
class Cell:
    """One value of a result shown to a person: its text, a link, and the full term as a tooltip."""

    text: str
    href: str | None = None
    title: str | None = None
    kind: str = "literal"


@dataclass
class Table:
    """An answer laid out for a page: column names and rows of cells, or a boolean for ASK."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


def local_path(iri: str) -> str | None:
    """Return the local page path of an equal-kg entity IRI (`/id/dp/seem`), or None.

    >>> local_path("https://w3id.org/equal-kg/id/body/dti")
    '/id/body/dti'
    >>> local_path("http://example.org/x") is None
    True
    """
    return "/id/" + iri[len(str(ID)):] if iri.startswith(str(ID)) else None


def answer_table(store: Store, answer: Answer) -> Table:
    """Lay out a JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) answer as a table with labels."""
    table = Table(form=answer.form, truncated=answer.truncated)
    if answer.form == "ask":
        table.boolean = bool(json.loads(answer.body)["boolean"])
        return table
    if answer.form == "graph":
        graph = Graph().parse(data=answer.body.decode("utf-8"), format="nt")
        table.variables = ["subject", "predicate", "object"]
        terms = [[_binding(t) for t in triple] for triple in sorted(graph)]
    else:
        document = json.loads(answer.body)
        table.variables = list(document["head"]["vars"])
        terms = [[row.get(name) for name in table.variables] for row in document["results"]["bindings"]]
    names = labels(store, {t["value"] for row in terms for t in row if t and t["type"] == "uri"}, limit=5000)
    table.rows = [[_cell(term, names) for term in row] for row in terms]
    return table


def _binding(term: object) -> dict[str, str]:
    """Encode an rdflib term like a SPARQL JSON binding."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _cell(term: dict | None, labels: dict[str, str]) -> Cell:
    if term is None:
        return Cell("", kind="unbound")
    value = str(term["value"])
    if term["type"] == "uri":
        href = local_path(value) or (value if value.startswith(("http://", "https://")) else None)
        return Cell(labels.get(value) or short(URIRef(value)), href=href, title=value, kind="uri")
    if term["type"] == "bnode":
        return Cell("_:" + value, kind="bnode")
    if term["type"] == "triple":
        return Cell(json.dumps(term["value"]), kind="triple")
    title = term.get("datatype") or (f"@{term['xml:lang']}" if term.get("xml:lang") else None)
    return Cell(value, title=title, kind="literal")


