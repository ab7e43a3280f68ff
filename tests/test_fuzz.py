"""Generated inputs (hypothesis): the document readers, the SPARQL endpoint and search never crash.

- Readers: random bytes and text built from headings, tabs, table rows, HTML, bullets, figures,
  odd Unicode and huge lines give a record, or an IngestError naming the file and the line.
- SPARQL: queries from a grammar of fragments with random junk spliced in, with random `format`,
  `Accept` and `default-graph-uri`, get an answer or a 4xx with a message, never a 5xx; the
  fragments include SERVICE calls to the canary, which must never be reached.
- Search: random `q`, `facet`, `page` and `page_size` get results or a message, never a 5xx.
Most cases use the in-process app (Flask's test client, queries still in the worker pool); a
smaller batch goes over HTTP to real `kg serve`s. EXAMPLES sets the counts (docs/security.md).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef

from ingest.errors import IngestError
from ingest.formats.plain import read_plain
from ingest.pipeline import load_gazetteer
from ingest.records import Strategy, Summary
from ingest.source import decode
from ingest.strategy_reader import is_strategy, read_strategy
from ingest.summary_reader import read_summary
from kg.settings import Settings
from kg.store.opening import open_store
from tests.hostile_inputs import http

#: Examples per test; the sum is the number of generated cases.
EXAMPLES = {"readers_text": 1200, "readers_bytes": 400, "sparql": 1000, "search": 600,
            "sparql_http": 250, "search_http": 200}
PATH = "fuzzed/document.txt"
LEVELS = load_gazetteer().levels
EQ = Namespace("https://w3id.org/equal-kg/ns#")


def fuzz(examples: int) -> settings:
    """Hypothesis settings for one generated test: its number of examples, no deadline."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))

# ---- documents ----

FRAGMENTS = [
    "Aim", "AIMS:", "Objectives", "Key objectives\n", "Background:", "Main Outcomes", "Target beneficiary groups",
    "Region:", "Partners:", "DP name: ", "the SEEM DP", "Fair Chance Development Partnership", "Theme D",
    "Round 2", "Equal Round 2: Theme D mainstreaming strategy 2005\n",
    "WHAT\tWHO\tWHEN\tHOW\tWHY\tDPs\n", "WHAT?\tWHO? The key audiences: Local, Regional\tDPs involved (indicate",
    "1. Trading opportunities- public procurement\t\t\t\t\t\n", "5.Other\t\t\n",
    "\t", "\t\t\t", "\n", "\n\n", "\r\n", "\r", " ", ":", ";", ",", "*", "(", ")", "- ", "1. ", "a) ", "\u2022 ",
    "Local/Regional: ", "National: ", "European:", "Local/ regional:", "agencies; Business Innovation agencies",
    "OPDM", "DTI, DfES", "Futurebuilders (Home Office)", "INSPIRE*", "To be completed", "etc.", ". . . .",
    "<p>", "</p>", "<b>", "<br/>", "&amp;", "&lol9;", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "over 300 people", "150 social enterprises", "45%", "2003-4", "1,200", "per cent",
    "\u201cquoted\u201d", "\u2013", "\u00a0", "\u200b", "\u202e", "\ufeff", "e\u0301", "\U0001f600", "\u0000",
    "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "Ω≈ç√", "ﬁ", "İ", "ß",
]
PARTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map("".join)
HUGE = st.builds(lambda fragment, count: fragment * count, st.sampled_from(FRAGMENTS), st.integers(200, 3000))
CELL = st.one_of(PARTS.map(lambda t: t.replace("\t", " ").replace("\n", " ")), st.sampled_from(FRAGMENTS[20:]))
#: A summary: a title naming the DP, then headings with generated bodies.
SUMMARY = st.builds(lambda name, sections: f"{name} Development Partnership\n\n" + "".join(
    f"{heading}\n{body}\n\n" for heading, body in sections), CELL,
    st.lists(st.tuples(st.sampled_from(FRAGMENTS[:12]), PARTS), min_size=1, max_size=6))
#: A strategy: a title, prose, the header row, then rows of generated cells (sections, continuations).
STRATEGY = st.builds(lambda title, prose, rows: f"{title}\n{prose}\nWHAT\tWHO\tWHEN\tHOW\tWHY\tDPs\n" + "".join(
    "\t".join(row) + "\n" for row in rows), st.sampled_from(FRAGMENTS[12:15]), PARTS,
    st.lists(st.lists(CELL, min_size=1, max_size=7), max_size=12))


def splice(text: str, piece: str | None, at: int) -> str:
    """Insert a piece (a huge line, junk) into a text at a position taken modulo its length."""
    at %= len(text) + 1
    return text[:at] + (piece or "") + text[at:]


#: A document: free fragments, a summary or a strategy, with a huge line spliced in one time in four.
TEXT = st.builds(splice, st.one_of(PARTS, SUMMARY, STRATEGY), st.one_of(st.none(), st.none(), st.none(), HUGE),
                 st.integers(0, 10**6))


def read(data: bytes) -> Summary | Strategy | IngestError:
    """Read bytes as `kg ingest` does: decode, tell a strategy from a summary, read it."""
    try:
        text = decode(PATH, data)
        return read_strategy(PATH, text, LEVELS) if is_strategy(read_plain(text)) else read_summary(PATH, text)
    except IngestError as error:
        assert error.path == PATH and str(error).startswith(PATH)
        assert (error.line is not None and error.line >= 1) or error.reason == "the file is empty", error
        return error


@fuzz(EXAMPLES["readers_text"])
@given(text=TEXT)
def test_readers_give_a_record_or_an_error_naming_file_and_line(text: str) -> None:
    result = read(text.encode("utf-8", errors="surrogatepass"))
    assert isinstance(result, Summary | Strategy | IngestError)


@fuzz(EXAMPLES["readers_bytes"])
@given(data=st.binary(max_size=2000) | st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(
    lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass") + b"\xff\xfe\x00\xc3"))
def test_readers_refuse_bytes_that_are_not_text_with_a_line(data: bytes) -> None:
    assert isinstance(read(data), Summary | Strategy | IngestError)


# ---- SPARQL ----

VARS = ["?s", "?p", "?o", "?x", "$y", "?g"]
NODES = ["<http://x/a>", "body:dti", "dp:seem", "_:b", "[]", "(1 ?x)", "<>", "<relative>", "nope:undeclared"]
LITERALS = ['"text"', '"t"@en', "1", "-1.5e3", "true", '"\\u0041"', "'''long'''", '"x"^^xsd:date']
PATHS = ["eq:targets", "rdfs:label", "a", "eq:targets*", "(eq:targets|!eq:targets)*", "^rdfs:label",
         "eq:targets/rdfs:label", "!(a|^a)", "a+"]
EXPRESSIONS = ["?x > 1", "BOUND(?x)", "REGEX(?o, \"(\")", "?o = <http://x/a>", "STRLEN(?o) < 3", "1/0",
               "LANG(?o) = 'en'", "?s IN (1, 2)", "NOT EXISTS { ?s ?p ?o }", "COALESCE(?x, 1)", "?x<2", "CONCAT()"]


def patterns(canary: str) -> st.SearchStrategy[str]:
    """Group graph patterns, nested a few levels, some calling SERVICE on the canary."""
    triple = st.builds(lambda s, p, o: f"{s} {p} {o}", st.sampled_from(VARS + NODES), st.sampled_from(VARS + PATHS),
                       st.sampled_from(VARS + NODES + LITERALS))
    leaf = st.one_of(triple, st.sampled_from([
        f"SERVICE <{canary}/sparql> {{ ?s ?p ?o }}", f"SERVICE SILENT <{canary}/s> {{}}",
        f"?s ?p ?o ;SERVICE<{canary}/glued>{{}}", f"FILTER(?x<2)SERVICE#>\n<{canary}/lt> {{}}",
        "GRAPH ?g { ?s ?p ?o }", "VALUES ?x { 1 2 }", "BIND(1 AS ?x)"]),
        st.sampled_from(EXPRESSIONS).map(lambda e: f"FILTER({e})"))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(" . ".join),
        inner.map(lambda p: f"OPTIONAL {{ {p} }}"), inner.map(lambda p: f"MINUS {{ {p} }}"),
        st.tuples(inner, inner).map(lambda t: f"{{ {t[0]} }} UNION {{ {t[1]} }}"),
        inner.map(lambda p: f"{{ SELECT * WHERE {{ {p} }} LIMIT 3 }}")), max_leaves=6)


def queries(canary: str) -> st.SearchStrategy[str]:
    """Whole queries (every form, modifiers), with random junk spliced in at a random place."""
    form = st.sampled_from(["SELECT *", "SELECT ?s ?o", "SELECT DISTINCT ?s", "SELECT (COUNT(*) AS ?n)", "ASK",
                            "CONSTRUCT WHERE", "CONSTRUCT { ?s ?p ?o } WHERE", "DESCRIBE ?s WHERE", "DESCRIBE <x>",
                            "SELECT * FROM <http://x/g> FROM NAMED <file:///etc/passwd>", "INSERT DATA", "LOAD"])
    tail = st.sampled_from(["", "LIMIT 5", "LIMIT -1", "LIMIT 99999999999999999999", "OFFSET 2", "ORDER BY ?s",
                            "ORDER BY DESC(STR(?o))", "GROUP BY ?s", "GROUP BY ?s HAVING (COUNT(*) > 1)"])
    query = st.builds(lambda f, p, t: f"{f} {{ {p} }} {t}", form, patterns(canary), tail)
    junk = st.text(alphabet=st.sampled_from(list("{}()<>?$#\"'\\:;.,*^|!/ \n\tSERVICEunicode\u00e9\u0000")),
                   min_size=1, max_size=8)
    return st.builds(splice, query, st.one_of(st.none(), junk), st.integers(0, 10**6))


PARAMS = {"format": ["", "json", "xml", "csv", "tsv", "turtle", "jsonld", "ntriples", "rdfxml", "bogus", "\u0000"],
          "default-graph-uri": ["", "http://x/g", "not an iri", "file:///etc/passwd", "_:b", "<http://x>"],
          "Accept": ["*/*", "text/csv;q=x", "application/sparql-results+xml", "text/turtle", "image/png", ",,,"]}


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store small enough that any generated query (cross products, paths) answers at once."""
    path = tmp_path_factory.mktemp("fuzz") / "tiny"
    with open_store(path) as store:
        for index, name in enumerate(("http://x/g", "https://w3id.org/equal-kg/graph/doc/tiny")):
            graph = Graph()
            for n in range(6):
                graph.add((URIRef(f"https://w3id.org/equal-kg/id/dp/d{n}"), EQ.targets,
                           URIRef(f"https://w3id.org/equal-kg/id/body/b{(n + index) % 4}")))
                graph.add((URIRef(f"https://w3id.org/equal-kg/id/body/b{n}"), URIRef(str(EQ) + "label"),
                           Literal(f"Body {n}", lang="en")))
            store.replace_graph(name, graph)
    return path


@pytest.fixture(scope="module")
def tiny_client(tiny_store: Path):
    from web.app import create_app

    with open_store(tiny_store, read_only=True) as store:
        app = create_app(Settings(store=str(tiny_store), query_timeout=10.0, max_rows=50), store)
        yield app.test_client()


def check_sparql(status: int, body: bytes) -> None:
    assert status < 500, (status, body[:400])
    if status >= 400:
        assert b'"error"' in body or b'class="error"' in body, body[:400]


def test_generated_sparql_requests_get_an_answer_or_a_4xx(tiny_client, canary) -> None:
    before = canary.count()

    @fuzz(EXAMPLES["sparql"])
    @given(query=queries(canary.url), fmt=st.sampled_from(PARAMS["format"]),
           graph=st.sampled_from(PARAMS["default-graph-uri"]), accept=st.sampled_from(PARAMS["Accept"]),
           how=st.sampled_from(["get", "form", "direct", "editor"]))
    def run(query: str, fmt: str, graph: str, accept: str, how: str) -> None:
        params = {"query": query, **({"format": fmt} if fmt else {}), **({"default-graph-uri": graph} if graph else {})}
        headers = {"Accept": accept}
        if how == "get":
            response = tiny_client.get("/sparql", query_string=params, headers=headers)
        elif how == "form":
            response = tiny_client.post("/sparql", data=params, headers=headers)
        elif how == "direct":
            response = tiny_client.post("/sparql", data=query.encode("utf-8", "surrogatepass"), headers=headers,
                                        content_type="application/sparql-query")
        else:
            response = tiny_client.get("/query", query_string={"query": query})
        check_sparql(response.status_code, response.data)

    run()
    assert canary.count() == before, canary.reached()[before:]


@pytest.fixture(scope="module")
def tiny_server(tiny_store: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real `kg serve` over a copy of the tiny store."""
    import shutil

    from tests.server import running_server

    copy = tmp_path_factory.mktemp("fuzz-served") / "tiny"
    shutil.copytree(tiny_store, copy)
    with running_server(copy, {"KG_QUERY_TIMEOUT": "10"}) as url:
        yield url


def test_generated_sparql_over_http_gets_an_answer_or_a_4xx(tiny_server: str, canary) -> None:
    before = canary.count()

    @fuzz(EXAMPLES["sparql_http"])
    @given(query=queries(canary.url), fmt=st.sampled_from(PARAMS["format"]),
           graph=st.sampled_from(PARAMS["default-graph-uri"]))
    def run(query: str, fmt: str, graph: str) -> None:
        params = {"query": query.encode("utf-8", "surrogatepass"), **({"format": fmt} if fmt else {}),
                  **({"default-graph-uri": graph} if graph else {})}
        status, _, body = http("GET", f"{tiny_server}/sparql?{urlencode(params)}")
        check_sparql(status, body)

    run()
    assert canary.count() == before, canary.reached()[before:]


# ---- search ----

SEARCH_WORDS = ["social", "DTI", "ODPM", "who:", "theme:", "what:", "aim:", "AND", "OR", "NOT", "\"", "(", ")", "*",
                "?", "~", "~2", "^2", "[a TO b]", "{", "}", ":", "-", "+", "!", "&&", "||", "/", "\\", "é", "\u0000",
                "\x7f", "\u202e", "\U0001f600", "lone parents", "child*", "procur~", "nosuchfield:x", " ", "'"]
SEARCH = {
    "q": st.one_of(st.lists(st.sampled_from(SEARCH_WORDS), max_size=12).map("".join), st.text(max_size=40),
                   st.integers(0, 1500).map(lambda n: "a " * n)),
    "facet": st.lists(st.one_of(st.sampled_from(["theme:d", "kind:row", "body:dti", "level:national", "x", ":",
                                                 "theme:", "colour:red", "theme:\u0000"]), st.text(max_size=12)),
                      max_size=3),
    "page": st.one_of(st.integers(-5, 10**6).map(str), st.sampled_from(["", "abc", "1e3", "99999999999999999999"])),
    "page_size": st.one_of(st.integers(-5, 10**9).map(str), st.sampled_from(["", "x", "0x10"])),
}


def search_params(q: str, facets: list[str], page: str, page_size: str) -> list[tuple[str, str]]:
    return [("q", q), *(("facet", f) for f in facets), ("page", page), ("page_size", page_size)]


def test_generated_search_requests_get_results_or_a_message(client) -> None:  # type: ignore[no-untyped-def]
    @fuzz(EXAMPLES["search"])
    @given(q=SEARCH["q"], facets=SEARCH["facet"], page=SEARCH["page"], page_size=SEARCH["page_size"],
           page_too=st.booleans())
    def run(q: str, facets: list[str], page: str, page_size: str, page_too: bool) -> None:
        params = search_params(q, facets, page, page_size)
        api = client.get("/api/search", query_string=params)
        assert api.status_code in (200, 400), (params, api.status_code, api.data[:300])
        assert api.status_code == 200 or api.get_json()["error"]
        if page_too:  # the page costs a render: every other case
            assert client.get("/search", query_string=params).status_code == 200, params

    run()


def test_generated_search_over_http_gets_results_or_a_message(server_url: str) -> None:
    @fuzz(EXAMPLES["search_http"])
    @given(q=SEARCH["q"], facets=SEARCH["facet"], page=SEARCH["page"], page_size=SEARCH["page_size"])
    def run(q: str, facets: list[str], page: str, page_size: str) -> None:
        pairs = search_params(q, facets, page, page_size)
        query = urlencode([(key, value.encode("utf-8", "surrogatepass")) for key, value in pairs])
        status, _, body = http("GET", f"{server_url}/api/search?{query}")
        assert status in (200, 400), (query, status, body[:300])
        if len(q) % 2:  # the page costs a render: about every other case
            status, _, body = http("GET", f"{server_url}/search?{query}")
            assert status == 200, (query, status, body[:300])

    run()
