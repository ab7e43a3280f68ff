"""Hostile inputs against a real `kg serve` and the `kg` CLI: nothing fetched, nothing written, a clear 4xx.

A canary server records every connection, and the inputs name its URL: SERVICE (however it is
hidden), FROM and FROM NAMED, the protocol's dataset parameters, LOAD, JSON-LD `@context`s and
XML entities; `file:` URLs name a secret file. Every request must be refused with a 4xx and a
message (JSON under /sparql and /api, an HTML page elsewhere), except FROM and the dataset
parameters, which only name graphs of the store and are answered from it (an unknown graph is
empty). After each test: 0 connections reached the canary, no answer holds the secret, the store
holds the same quads, the server still answers and its log holds no traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.hostile_inputs import (
    MALFORMED_QUERIES,
    ODD_PARAMETERS,
    UPDATES,
    dataset_queries,
    gsp_bodies,
    hostile_documents,
    http,
    service_queries,
)

MAX_BODY = 65536
SECRET = "s3cret-canary-7f1d"


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local file no request may ever read: its content must never appear in an answer."""
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(f"<http://x/{SECRET}> <http://x/p> \"{SECRET}\" .\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A real `kg serve` over its own sample store, with a small body limit and its log in a file."""
    from tests.conftest import build_sample_root
    from tests.server import running_server

    folder = tmp_path_factory.mktemp("hostile")
    path = build_sample_root(folder / "store")
    log = folder / "serve.log"
    with running_server(path, {"KG_MAX_BODY": str(MAX_BODY)}, log=log) as url:
        yield {"url": url, "store": path, "log": log, "baseline": snapshot(url)}


def snapshot(url: str) -> tuple[int, str]:
    """The store as the server shows it: (quad count, digest of the sorted N-Quads export)."""
    status, _, body = http("GET", url + "/sparql?query=" + quote(
        "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"),
        headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body[:300]
    count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    status, _, dump = http("GET", url + "/export/graph.nq")
    assert status == 200
    return count, hashlib.sha256(b"\n".join(sorted(dump.splitlines()))).hexdigest()


@pytest.fixture(autouse=True)
def _nothing_reached_out(request, canary, served):  # type: ignore[no-untyped-def]
    """After each test: no connection reached the canary (one for the control), no traceback logged."""
    before = canary.count()
    yield
    expected = 1 if request.node.name.startswith("test_control") else 0
    assert canary.count() == before + expected, f"outbound connections: {canary.reached()[before:]}"
    log = served["log"].read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]


def unchanged(served) -> None:  # type: ignore[no-untyped-def]
    """Assert the store holds exactly the quads it held when the server started."""
    assert snapshot(served["url"]) == served["baseline"], "the store changed"


def refused(status: int, headers: dict[str, str], body: bytes, path: str, *, word: str = "") -> str:
    """Assert a clear refusal: a 4xx with a message, JSON under /sparql and /api, a page elsewhere."""
    assert 400 <= status < 500, (status, path, body[:300])
    text = body.decode("utf-8", errors="replace")
    assert "Traceback" not in text and SECRET not in text
    if path.startswith(("/sparql", "/api/")):
        assert headers.get("Content-Type", "").startswith("application/json"), (path, headers)
        message = json.loads(body)["error"]
    else:
        assert headers.get("Content-Type", "").startswith("text/html"), (path, headers)
        found = re.search(r"<p class=\"(?:search-)?error\"[^>]*>(.*?)</p>", text, re.DOTALL)
        assert found, text[:500]
        message = found.group(1)
    assert message.strip(), (status, path)
    assert word.lower() in message.lower(), (word, message)
    return message


# ---- SPARQL: SERVICE, FROM, the dataset, updates, LOAD ----

def test_control_the_engine_alone_follows_service_and_the_canary_sees_it(canary) -> None:
    """Without the endpoint's checks, pyoxigraph connects to any SERVICE IRI: the threat is real."""
    import pyoxigraph

    with contextlib.suppress(OSError, RuntimeError):  # the canary answers no SPARQL results
        list(pyoxigraph.Store().query(f"SELECT * {{ SERVICE <{canary.url}/control> {{ ?s ?p ?o }} }}"))


@pytest.mark.parametrize("name", sorted(service_queries("http://canary")))
def test_service_is_refused_however_it_is_written(served, canary, name: str) -> None:
    query = service_queries(canary.url)[name]
    url = served["url"]
    for method, path, body, content_type in (
            ("GET", "/sparql?query=" + quote(query), None, None),
            ("POST", "/sparql", "query=" + quote(query), "application/x-www-form-urlencoded"),
            ("POST", "/sparql", query, "application/sparql-query"),
            ("GET", "/query?query=" + quote(query), None, None)):
        status, headers, answer = http(method, url + path, body, content_type=content_type)
        refused(status, headers, answer, path, word="SERVICE")


def test_kg_query_refuses_service_too(served, canary) -> None:
    queries = service_queries(canary.url)
    for name in ("plain", "glued-prefixed-name", "hidden-by-less-than", "codepoint-escape"):
        query = queries[name]
        done = subprocess.run([sys.executable, "-m", "web.cli", "query", "--store", str(served["store"]), query],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0 and "SERVICE" in done.stderr, (name, done.stdout, done.stderr)


@pytest.mark.parametrize("name", sorted(dataset_queries("http://canary", "file:///secret")))
def test_from_and_dataset_parameters_only_name_store_graphs(served, canary, secret_file, name: str) -> None:
    """FROM and FROM NAMED naming anything but a stored graph, and dataset parameters naming a file, are
    refused (400); an unknown http(s) graph in default-graph-uri / named-graph-uri is empty (W3C). No fetch."""
    params = dataset_queries(canary.url, secret_file.as_uri())[name]
    path = "/sparql?" + "&".join(f"{key}={quote(value)}" for key, value in params)
    status, headers, body = http("GET", served["url"] + path, headers={"Accept": "application/sparql-results+json"})
    assert SECRET not in body.decode() and "root:" not in body.decode()
    if name.startswith(("from", "ask-from")) or name.endswith("-uri-file"):  # GRAPH <file:...> is just empty
        message = refused(status, headers, body, "/sparql")
        assert "not a graph of this store" in message, message
        return
    assert status == 200, body[:300]
    answer = json.loads(body)
    assert answer.get("boolean") in (None, False) and answer.get("results", {}).get("bindings", []) == []


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updates_and_load_are_refused_on_every_channel(served, canary, secret_file, name: str) -> None:
    update = UPDATES[name].replace("{canary}", canary.url).replace("{secret}", secret_file.as_uri())
    url = served["url"]
    for method, path, body, content_type in (
            ("GET", "/sparql?query=" + quote(update), None, None),
            ("GET", "/sparql?update=" + quote(update), None, None),
            ("POST", "/sparql", "query=" + quote(update), "application/x-www-form-urlencoded"),
            ("POST", "/sparql", "update=" + quote(update), "application/x-www-form-urlencoded"),
            ("POST", "/sparql", update, "application/sparql-update"),
            ("POST", "/sparql", update, "application/sparql-query"),
            ("GET", "/query?query=" + quote(update), None, None)):
        status, headers, answer = http(method, url + path, body, content_type=content_type)
        refused(status, headers, answer, path)
    unchanged(served)


@pytest.mark.parametrize("query", MALFORMED_QUERIES)
def test_malformed_sparql_is_a_400_with_the_parser_message(served, query: str) -> None:
    status, headers, body = http("GET", served["url"] + "/sparql?query=" + quote(query))
    message = refused(status, headers, body, "/sparql")
    assert status == 400 and re.match(r"SPARQL syntax error: error at \d+:\d+: ", message), message
    status, headers, body = http("GET", served["url"] + "/query?query=" + quote(query))
    assert status == 400 and "Traceback" not in body.decode()


# ---- writes and bodies on every route ----

def test_graph_store_writes_are_refused_on_every_route(served, canary, client) -> None:
    """PUT, POST, DELETE and PATCH of Turtle, JSON-LD (remote @context) and RDF/XML (entities), everywhere."""
    routes = sorted({rule.rule for rule in client.application.url_map.iter_rules()})
    fill = {"<path:path>": "dp/seem", "<slug>": "dti", "<letter>": "D", "<fmt>": "json", "<suffix>": "ttl",
            "<name>": "vis-network.min.js", "<path:filename>": "style.css"}
    count = 0
    for route in routes:
        for key, value in fill.items():
            route = route.replace(key, value)
        for method in ("PUT", "POST", "DELETE", "PATCH"):
            for suffix in ("", "?default", "?graph=" + quote(canary.url + "/g")):
                for content_type, body in gsp_bodies(canary.url).items():
                    if method == "POST" and route == "/sparql" and suffix:
                        continue  # a POST to /sparql with a body is a query request, covered below
                    status, headers, answer = http(method, served["url"] + route + suffix, body,
                                                   content_type=content_type)
                    message = refused(status, headers, answer, route)
                    if status == 405:
                        assert "read-only" in message and headers.get("Allow"), (route, headers)
                    count += 1
    assert count > 1000
    unchanged(served)


def test_hostile_bodies_posted_to_the_endpoint_are_refused_quickly(served, canary) -> None:
    """JSON-LD and RDF/XML bodies (billion laughs, external entities) where the endpoint reads a body."""
    for content_type, body in gsp_bodies(canary.url).items():
        for as_type in (content_type, "application/sparql-query", "application/xml", "text/xml"):
            status, headers, answer = http("POST", served["url"] + "/sparql", body, content_type=as_type)
            refused(status, headers, answer, "/sparql")
        status, headers, answer = http("POST", served["url"] + "/sparql", "query=" + quote(body),
                                       content_type="application/x-www-form-urlencoded")
        refused(status, headers, answer, "/sparql")


def test_kg_ingest_reads_rdf_files_as_plain_text_or_refuses_them(tmp_path: Path, canary, secret_file) -> None:
    """.jsonld, .rdf and .xml files (remote contexts, entities) are never parsed as RDF: nothing resolves."""
    store, paths = tmp_path / "store", []
    for name, text in hostile_documents(canary.url, secret_file.as_uri()).items():
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "web.cli", "ingest", "--store", str(store), *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    for path in paths:  # each file is refused with its name, or loaded as a plain-text document
        assert f"error: {path}" in done.stderr or path.stem in done.stdout, (path, done.stdout, done.stderr)
    if "Loaded 0 document" not in done.stdout:
        dump = subprocess.run([sys.executable, "-m", "web.cli", "export", "--store", str(store), "--format",
                               "nquads"], capture_output=True, text=True, timeout=120).stdout
        assert SECRET not in dump and "lollollol" not in dump  # entities stayed unexpanded text
        assert "&lol9; and &ext; and &file;" in dump


# ---- sizes, encodings, parameters ----

def test_oversized_bodies_get_413_with_a_message(served) -> None:
    url = served["url"]
    for body, content_type in ((b"a" * (MAX_BODY + 1), "application/sparql-query"),
                               (b"query=" + b"a" * MAX_BODY, "application/x-www-form-urlencoded")):
        status, headers, answer = http("POST", url + "/sparql", body, content_type=content_type)
        assert status == 413 and "KG_MAX_BODY" in refused(status, headers, answer, "/sparql")
    chunks = b"".join(b"%x\r\n%s\r\n" % (4096, b"a" * 4096) for _ in range(MAX_BODY // 4096 + 1))
    reply = raw(url, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks + b"0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    # a client announcing a gigabyte is answered at once, without the server reading (or buffering) it
    reply = raw(url, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000000000\r\nConnection: close\r\n\r\nASK {}")
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]


def test_odd_parameters_get_a_4xx_or_a_page_never_a_500(served) -> None:
    """Malformed search syntax, out-of-range pages, facet junk, NUL bytes, invalid UTF-8 escapes, odd paths."""
    for path in ODD_PARAMETERS:
        status, headers, body = http("GET", served["url"] + path)
        assert status < 500, (path, status, body[:300])
        if status >= 400:
            refused(status, headers, body, path.split("?")[0])
        elif path.startswith("/search?"):
            assert b'class="search-error"' in body or b"search-total" in body, (path, body[-500:])


def test_bytes_no_url_may_hold_get_an_answer_never_a_500(served) -> None:
    for line in (b"GET /id/\xff\x00 HTTP/1.1", b"GET /search?q=\x00\xff HTTP/1.1", b"GET /\x00 HTTP/1.1",
                 b"GET /sparql?query=%ff%fe%00 HTTP/1.1", b"GET /api/search?q=\xc3\x28 HTTP/1.1"):
        reply = raw(served["url"], line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert re.match(rb"HTTP/1\.1 [24]\d\d", reply), (line, reply[:200])
        assert b"Traceback" not in reply


def test_the_store_is_unchanged_and_the_server_answers(served) -> None:
    """Last: after every hostile request above, the same quads, and the server still serves pages and queries."""
    unchanged(served)
    assert http("GET", served["url"] + "/")[0] == 200
    assert http("GET", served["url"] + "/sparql?query=" + quote("ASK { ?s ?p ?o }"))[0] == 200
    assert http("GET", served["url"] + "/api/search?q=social")[0] == 200


def raw(url: str, request: bytes) -> bytes:
    """Send bytes as they are on a new connection; return what the server answers before closing."""
    host, port = url.rsplit("/", 1)[-1].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before reading a refused body
            sock.sendall(request)
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except ConnectionResetError:
            pass  # closed after answering: what arrived is the answer
    return reply
