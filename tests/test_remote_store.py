"""The store on a real Virtuoso: ingest, pages, search and partners answer as on the embedded store.

The sample corpus and the test documents are ingested into Virtuoso with `kg ingest --store URL`;
the answers are compared with the embedded store holding the same documents (`sample_store`,
and the `server_url` service). The graphs written here are dropped at the start and the end.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from ingest.pipeline import sample_corpus
from kg.errors import EngineError, QueryError, StoreError
from kg.rdf.namespaces import BASE
from kg.read.queries import dps_targeting, stats
from kg.read.resolve import resolve_body
from kg.settings import Settings
from kg.store.base import Store
from kg.store.location import parse_location
from kg.store.opening import open_store
from kg.store.remote import REQUEST_BYTES, STAGING, RemoteStore
from tests.conftest import GOOD_DOCUMENTS
from tests.server import running_server
from tests.virtuoso import settings_for

TEST_GRAPH = "http://example.org/kg-test/graph"


def _settings(env: dict[str, str]) -> Settings:
    return Settings.from_env(env)


def _clear(store: Store) -> None:
    for graph in store.graphs():
        store.remove_graph(graph)


@pytest.fixture(scope="module")
def remote_env(virtuoso_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Settings of a Virtuoso holding the sample corpus and the test documents, ingested by `kg ingest`."""
    env = {**settings_for(virtuoso_url), "KG_INDEX": str(tmp_path_factory.mktemp("remote") / "index")}
    with open_store(virtuoso_url, settings=_settings(env)) as store:
        _clear(store)
        done = subprocess.run([sys.executable, "-m", "web.cli", "ingest", "--store", virtuoso_url,
                               str(sample_corpus()), *map(str, GOOD_DOCUMENTS)],
                              env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        yield env
        _clear(store)


@pytest.fixture
def remote(remote_env: dict[str, str]) -> Iterator[RemoteStore]:
    """The Virtuoso store, opened as the app opens it."""
    with open_store(remote_env["KG_STORE"], settings=_settings(remote_env)) as store:
        assert isinstance(store, RemoteStore)
        yield store


@pytest.fixture(scope="module")
def remote_server(remote_env: dict[str, str]) -> Iterator[str]:
    """A real `kg serve` over the Virtuoso store."""
    with running_server(remote_env["KG_STORE"], extra_env=remote_env) as url:  # type: ignore[arg-type]
        yield url


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _json(base: str, path: str) -> object:
    status, body = _get(base + path)
    assert status == 200, (path, body[:300])
    return json.loads(body)


# ---- the store ----

def test_ingest_gives_the_same_stats(remote_env: dict[str, str], sample_store: Store) -> None:
    done = subprocess.run([sys.executable, "-m", "web.cli", "stats", "--format", "json"],
                          env={**os.environ, **remote_env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == asdict(stats(sample_store))


def test_every_quad_comes_back_exactly(remote: RemoteStore, sample_store: Store) -> None:
    def exact(quads):  # the lexical form, datatype and language of every literal, not only its value
        return {(s, p, (str(o), getattr(o, "datatype", None), getattr(o, "language", None)), g)
                for s, p, o, g in quads}

    assert exact(remote.quads()) == exact(sample_store.quads())
    assert remote.graphs() == sample_store.graphs()
    assert remote.count() == sample_store.count()


def test_dps_targeting_a_body_are_the_same(remote: RemoteStore, sample_store: Store) -> None:
    for name in ("ODPM", "DTI", "DWP", "Jobcentre Plus", "RDAs", "SBS"):
        body = resolve_body(sample_store, name)
        assert body is not None and resolve_body(remote, name) == body
        remote_answers, local_answers = dps_targeting(remote, body), dps_targeting(sample_store, body)
        assert remote_answers
        assert sorted(remote_answers, key=repr) == sorted(local_answers, key=repr)  # ties: any order


def test_literals_keep_their_datatype_language_and_spaces(remote: RemoteStore) -> None:
    subject, p = URIRef("http://example.org/kg-test/s"), URIRef("http://example.org/kg-test/p")
    values = [Literal("  spaced\nlines\t"), Literal("déjà vu ✓ 𝄞"), Literal('say "hi" \\ back'),
              Literal("Ministry", lang="en"), Literal("2005", datatype=XSD.gYear),
              Literal("2003-04-01", datatype=XSD.date), Literal("42", datatype=XSD.integer),
              Literal("false", datatype=XSD.boolean), Literal("true", datatype=XSD.boolean),
              Literal("x", datatype=URIRef("http://example.org/kg-test/datatype"))]
    graph = Graph()
    for value in values:
        graph.add((subject, p, value))
    try:
        remote.replace_graph(TEST_GRAPH, graph)
        back = remote.graph(TEST_GRAPH)
        assert {(str(o), o.datatype, o.language) for o in back.objects()} == \
            {(str(o), o.datatype, o.language) for o in values}
        rows = remote.select(f"SELECT ?o WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}").rows
        assert {row["o"] for row in rows} == set(values)
    finally:
        remote.remove_graph(TEST_GRAPH)


def test_a_large_graph_is_staged_then_moved_into_place(remote: RemoteStore) -> None:
    graph = Graph()
    p = URIRef("http://example.org/kg-test/text")
    for i in range(12000):  # about 2.5 MB of N-Triples: more than one request
        graph.add((URIRef(f"http://example.org/kg-test/n{i}"), p, Literal(f"value {i} " + "x" * 120)))
    assert len(graph.serialize(format="nt").encode()) > REQUEST_BYTES
    try:
        remote.replace_graph(TEST_GRAPH, graph)
        assert remote.count(TEST_GRAPH) == 12000
        assert not remote.has_graph(STAGING + TEST_GRAPH)
        small = Graph()
        small.add((URIRef("http://example.org/kg-test/n0"), p, Literal("replaced")))
        remote.replace_graph(TEST_GRAPH, small)
        assert isomorphic(remote.graph(TEST_GRAPH), small)
    finally:
        remote.remove_graph(TEST_GRAPH)
    assert not remote.has_graph(TEST_GRAPH)
    assert remote.remove_graph(TEST_GRAPH) is False


def test_queries_get_the_standard_prefixes_and_errors_are_named(remote: RemoteStore) -> None:
    assert remote.ask("ASK { dp:seem eq:theme theme:D }")
    with pytest.raises(EngineError, match="refused"):  # a query of the code's own: our bug, not a client's
        remote.select("SELECT ?x WHERE { ?x eq:targets }")
    with pytest.raises(QueryError, match="refused"):  # the same written by a person
        remote.query_serialized("SELECT ?x WHERE { ?x eq:targets }")
    with pytest.raises(QueryError, match="expected a SELECT"):
        remote.select("ASK { ?s ?p ?o }")


def test_a_read_only_remote_store_refuses_writes(remote_env: dict[str, str]) -> None:
    with open_store(remote_env["KG_STORE"], read_only=True, settings=_settings(remote_env)) as store, \
            pytest.raises(StoreError, match="read-only"):
        store.replace_graph(TEST_GRAPH, Graph())


def test_wrong_credentials_and_unreachable_endpoints_say_which_url(remote_env: dict[str, str]) -> None:
    wrong = _settings({**remote_env, "KG_STORE_PASSWORD": "not-the-password"})
    with open_store(remote_env["KG_STORE"], settings=wrong) as store, pytest.raises(StoreError) as error:
        store.replace_graph(TEST_GRAPH, Graph())
    assert remote_env["KG_STORE_UPDATE"] in str(error.value) and "401" in str(error.value)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"  # nothing listens there
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL endpoint {closed}"):
        open_store(closed, settings=Settings())


def test_a_silent_endpoint_times_out(remote_env: dict[str, str]) -> None:
    with socket.socket() as sock:  # accepts connections (the kernel's backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        with pytest.raises(StoreError, match=r"did not answer within 0\.5 s"):
            open_store(url, settings=Settings(query_timeout=0.5))


def test_the_index_of_a_remote_store_is_local(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    expected = tmp_path / "equal-kg" / "index-db.example-8890"
    assert parse_location("http://db.example:8890/sparql").default_index() == str(expected)
    assert parse_location("https://db.example/sparql").default_index().endswith("index-db.example-443")


# ---- the service over Virtuoso ----

def _unordered(value: object) -> object:
    """A JSON value with its lists sorted: engines may return rows that tie in ORDER BY in any order."""
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _difference(a: object, b: object, path: str = "") -> str | None:
    """Where two JSON values first differ (a path and both values), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = _difference(a.get(key), b.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := _difference(x, y, f"{path}[{i}]"))), None)
    if isinstance(a, list) and isinstance(b, list):
        only_a, only_b = [x for x in a if x not in b], [x for x in b if x not in a]
        return f"{path}: only in the first {only_a!r:.600}; only in the second {only_b!r:.600}"
    return None if a == b else f"{path}: {a!r:.300} != {b!r:.300}"


def _parts(page: bytes) -> list[str]:
    """A page cut into lines and list items, sorted: the same content, whatever order ties come in."""
    return sorted(re.split(r"\n|(?=<li[ >])|(?=<tr[ >])", page.decode("utf-8")))


@pytest.mark.parametrize("path", ["/api/stats", "/api/bodies", "/api/bodies/odpm/dps", "/api/bodies/dti",
                                  "/api/dps/seem", "/api/dps/careworks", "/api/themes/D", "/api/documents",
                                  "/api/bodies?format=csv", "/api/partners?dp=careworks&scope=other-first",
                                  "/api/partners?dp=seem", "/api/partners?body=DTI,ODPM"])
def test_api_answers_are_the_same(remote_server: str, server_url: str, path: str) -> None:
    remote_status, remote_body = _get(remote_server + path)
    local_status, local_body = _get(server_url + path)
    assert remote_status == local_status == 200, remote_body[:300]
    if "format=csv" in path or "/api/partners" in path or path == "/api/documents":
        assert remote_body == local_body  # rankings and sorted lists: the same order too
    else:
        assert _difference(_unordered(json.loads(remote_body)), _unordered(json.loads(local_body))) is None


@pytest.mark.parametrize("path", ["/id/body/odpm", "/id/body/dti", "/id/dp/seem", "/id/dp/fair-chance",
                                  "/id/theme/D", "/id/doc/theme-d-mainstreaming-strategy-2005", "/dps",
                                  "/bodies", "/themes", "/partners?dp=careworks", "/network/matrix"])
def test_pages_are_the_same(remote_server: str, server_url: str, path: str) -> None:
    remote_status, remote_page = _get(remote_server + path)
    local_status, local_page = _get(server_url + path)
    assert remote_status == local_status == 200, remote_page[:300]
    assert _parts(remote_page) == _parts(local_page)


def test_entity_rdf_is_the_same(remote_server: str, server_url: str) -> None:
    for path, fmt in (("/id/dp/seem.jsonld", "json-ld"), ("/id/body/odpm.ttl", "turtle")):
        remote_graph = Graph().parse(data=_get(remote_server + path)[1], format=fmt)
        local_graph = Graph().parse(data=_get(server_url + path)[1], format=fmt)
        assert len(remote_graph) > 0 and isomorphic(remote_graph, local_graph)


@pytest.mark.parametrize("query", ["q=who:ODPM&facet=theme:D", "q=Department+of+Trade+and+Industry",
                                   "q=socail+enterprize", "q=%22social+enterprise%22+AND+procure*&facet=kind:row"])
def test_search_results_are_the_same(remote_server: str, server_url: str, query: str) -> None:
    remote_results, local_results = (_json(base, "/api/search?" + query) for base in (remote_server, server_url))
    for results in (remote_results, local_results):  # the index is built from the store by SPARQL
        results.pop("took_ms")  # type: ignore[union-attr]
        # the names a body expands to, and the texts snippets come from, are in query order
        results["expanded"] = sorted(re.findall(r"\w+", results["expanded"]))  # type: ignore[index]
        for hit in results["hits"]:  # type: ignore[index]
            hit.pop("snippets")
    for results in (remote_results, local_results):  # hits with equal scores may come in either order
        results["hits"].sort(key=lambda hit: (-hit["score"], hit["id"]))  # type: ignore[index]
    assert remote_results == local_results  # the same hits, ranked the same, with the same facets
    assert remote_results["total"] > 0  # type: ignore[index]


def test_the_sparql_endpoint_answers_from_virtuoso(remote_server: str, server_url: str) -> None:
    query = urllib.parse.quote("SELECT ?dp WHERE { ?dp eq:targets body:odpm } ORDER BY ?dp")
    remote_rows, local_rows = (_json(base, f"/sparql?query={query}") for base in (remote_server, server_url))
    assert remote_rows == local_rows
    assert remote_rows["results"]["bindings"]  # type: ignore[index]


@pytest.mark.parametrize("query", [
    "INSERT DATA { GRAPH <http://example.org/kg-test/x> { <http://a/> <http://b/> <http://c/> } }",
    "DROP GRAPH <https://w3id.org/equal-kg/graph/curated>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "DEFINE get:soft \"replace\" SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }",
    "SELECT (bif:sprintf('%s', 'x') AS ?x) WHERE { }",
])
def test_the_sparql_endpoint_still_refuses_writes_and_fetches(remote_server: str, remote: RemoteStore,
                                                              query: str) -> None:
    before = remote.count()
    data = urllib.parse.urlencode({"query": query}).encode()
    try:
        with urllib.request.urlopen(remote_server + "/sparql", data=data, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status in (400, 403)
    assert remote.count() == before
    assert not remote.has_graph("http://example.org/kg-test/x")
    assert remote.has_graph(f"{BASE}graph/curated")
