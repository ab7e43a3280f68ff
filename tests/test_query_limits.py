"""Query limits of a real `kg serve`: timeout, row cap, concurrency, worker replacement (issue 7).

The server runs with small limits (2 s timeout, 2 workers, 1 queued query, 20 rows) on a disk
store holding the sample corpus; clients are plain HTTP and SPARQLWrapper. The timed assertions
are the guarantees the issue asks for: a query stops within the timeout plus one second, and the
next request is served within a second.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

TIMEOUT = 2.0
WORKERS = 2
QUEUE = 1
MAX_ROWS = 20
LIMITS = {"KG_QUERY_TIMEOUT": str(TIMEOUT), "KG_QUERY_WORKERS": str(WORKERS), "KG_QUERY_QUEUE": str(QUEUE),
          "KG_MAX_ROWS": str(MAX_ROWS)}

#: Queries that would run for minutes (or exhaust memory) on the sample store.
PATHOLOGICAL = {
    "cross-product-order-by": "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i",
    "alternative-path-star": "SELECT * { ?s (rdfs:label|!rdfs:label)* ?o }",
    "huge-order-by": "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(STR(?c)) ?f",
    "long-count": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
}
QUICK = "SELECT ?dp WHERE { ?dp a eq:DevelopmentPartnership } LIMIT 3"


@pytest.fixture(scope="module")
def limited_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A `kg serve` over the sample store with small query limits."""
    from tests.conftest import build_sample_root
    from tests.server import running_server

    path = build_sample_root(tmp_path_factory.mktemp("limits") / "store")
    with running_server(path, LIMITS) as url:
        yield url


def fetch(url: str, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes, float]:
    """GET a URL; return (status, headers, body, seconds), for error statuses too."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    return status, headers, body, time.monotonic() - started


def sparql(base: str, query: str, **params: str) -> tuple[int, dict[str, str], bytes, float]:
    """Send a query to the endpoint as a protocol GET."""
    return fetch(base + "/sparql?" + urllib.parse.urlencode({"query": query, **params}))


def assert_served_at_once(base: str) -> None:
    """A page and a query are both answered within a second."""
    status, _, _, seconds = fetch(base + "/")
    assert status == 200 and seconds < 1.0, (status, seconds)
    status, _, body, seconds = sparql(base, QUICK)
    assert status == 200 and seconds < 1.0, (status, seconds, body[:200])
    assert json.loads(body)["results"]["bindings"]


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_query_stops_within_the_timeout(limited_url: str, name: str) -> None:
    status, headers, body, seconds = sparql(limited_url, PATHOLOGICAL[name])
    assert seconds < TIMEOUT + 1.0, seconds
    assert status == 503, (status, body[:300])
    error = json.loads(body)["error"]
    assert "stopped" in error and ("2 s" in error or "MB of memory" in error), error
    assert "Retry-After" not in headers  # the same query would be stopped again
    assert_served_at_once(limited_url)


def test_editor_page_reports_a_stopped_query(limited_url: str) -> None:
    query = PATHOLOGICAL["long-count"]
    status, _, body, seconds = fetch(limited_url + "/query?" + urllib.parse.urlencode({"query": query}))
    assert seconds < TIMEOUT + 1.0, seconds
    assert status == 503
    assert "longer than 2 s and was stopped" in body.decode()
    assert_served_at_once(limited_url)


def test_sparqlwrapper_sees_the_timeout(limited_url: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(limited_url + "/sparql")
    client.setQuery(PATHOLOGICAL["long-count"])
    client.setReturnFormat(JSON)
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as raised:
        client.query()
    assert time.monotonic() - started < TIMEOUT + 1.0
    assert raised.value.code == 503
    assert "KG_QUERY_TIMEOUT" in json.loads(raised.value.read())["error"]


def test_beyond_workers_and_queue_the_server_is_busy_at_once(limited_url: str) -> None:
    results: list[tuple[int, dict[str, str], bytes, float]] = []
    slow = [threading.Thread(target=lambda: results.append(sparql(limited_url, PATHOLOGICAL["long-count"])))
            for _ in range(WORKERS + QUEUE)]
    for thread in slow:
        thread.start()
    time.sleep(0.7)  # every slow query is running or queued (on a loaded machine, maybe a little later)
    deadline = time.monotonic() + 1.0
    while (answer := sparql(limited_url, QUICK))[0] == 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    status, headers, body, seconds = answer
    assert status == 503 and seconds < 1.0, (status, seconds)
    assert int(headers["Retry-After"]) >= 1
    assert "busy" in json.loads(body)["error"]
    status, _, _, seconds = fetch(limited_url + "/")  # pages are still served
    assert status == 200 and seconds < 1.0
    for thread in slow:
        thread.join(30)
    assert sorted(r[0] for r in results) == [503] * (WORKERS + QUEUE)
    assert_served_at_once(limited_url)


def test_row_cap_is_the_servers_and_reported(limited_url: str) -> None:
    from SPARQLWrapper import CSV, JSON, SPARQLWrapper

    many = "SELECT ?s ?p ?o { ?s ?p ?o } LIMIT 500"
    for extra in ({}, {"max_rows": "500"}, {"limit": "500"}, {"rows": "500"}, {"timeout": "600"}):
        status, headers, body, _ = sparql(limited_url, many, **extra)
        assert status == 200
        document = json.loads(body)
        assert len(document["results"]["bindings"]) == MAX_ROWS, extra
        assert headers["X-Truncated"] == "true" and document["truncated"] is True
    client = SPARQLWrapper(limited_url + "/sparql")
    client.setQuery(many)
    client.setReturnFormat(CSV)
    result = client.query()
    assert result.info()["x-truncated"] == "true"
    assert len(result.convert().decode().strip().splitlines()) == MAX_ROWS + 1  # the header line, then rows
    client.setQuery("SELECT ?s { ?s a eq:DevelopmentPartnership } LIMIT 2")
    client.setReturnFormat(JSON)
    result = client.query()
    assert result.info()["x-truncated"] == "false" and len(result.convert()["results"]["bindings"]) == 2


def test_a_crashed_worker_is_replaced(limited_url: str) -> None:
    workers = _worker_pids(limited_url)
    assert len(workers) == WORKERS, workers
    os.kill(workers[0], signal.SIGKILL)
    for _ in range(4):  # every worker gets a turn: none of them is the dead one
        status, _, _, seconds = sparql(limited_url, QUICK)
        assert status == 200 and seconds < 1.0
    deadline = time.monotonic() + 5
    while (now := _worker_pids(limited_url)) and (len(now) != WORKERS or workers[0] in now):
        assert time.monotonic() < deadline, now
        time.sleep(0.1)
    assert workers[1] in now


def _worker_pids(base: str) -> list[int]:
    """Return the query workers of the server on `base`'s port: the children of its forkserver."""
    port = urllib.parse.urlsplit(base).port
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    children = {pid for pid, parent in parents.items() if parent == os.getpid()}
    server = next(pid for pid in children if f"KG_PORT={port}".encode() in _environ(pid))
    forkserver = next(pid for pid, parent in parents.items()
                      if parent == server and b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes())
    return sorted(pid for pid, parent in parents.items() if parent == forkserver)


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def test_a_query_past_the_memory_limit_is_stopped(sample_store) -> None:  # type: ignore[no-untyped-def]
    from kg.errors import QueryStopped
    from kg.sparql.pool import QueryPool

    # 768 MB is reached in about a second here; the longest timeout the pool takes leaves room for a
    # busy machine (a CI run once saw 1,024 MB take more than 25 s)
    with QueryPool(workers=1, queue_size=0, timeout=30, memory_mb=768) as pool:
        with pytest.raises(QueryStopped, match="more than 768 MB of memory"):
            pool.execute(sample_store, PATHOLOGICAL["cross-product-order-by"])
        assert json.loads(pool.execute(sample_store, "ASK { ?s ?p ?o }").body)["boolean"] is True


def test_stores_not_on_disk_run_in_process() -> None:
    from kg.sparql.pool import QueryPool
    from kg.store.opening import open_store

    with QueryPool(workers=1) as pool, open_store("memory:") as store:
        assert json.loads(pool.execute(store, "ASK {}").body)["boolean"] is True
        assert pool.pids() == []
