"""Errors of a real `kg serve`: a client's mistake is a clear 4xx, our own failure a clean, logged 500.

The server runs with FLASK_DEBUG=1 in its environment, to show that `kg serve` never runs in debug
mode. The internal error is provoked for real: the search index is corrupted under the running
server (as a failing disk would), with no change to the code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.hostile_inputs import http


@pytest.fixture(scope="module")
def debug_env_server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A `kg serve` over its own sample store, started with FLASK_DEBUG=1, its log in a file."""
    from tests.conftest import build_sample_root
    from tests.server import running_server

    folder = tmp_path_factory.mktemp("errors")
    path = build_sample_root(folder / "store")
    log = folder / "serve.log"
    env = {"FLASK_DEBUG": "1", "FLASK_ENV": "development", "KG_INDEX": str(folder / "index")}
    with running_server(path, env, log=log) as url:
        yield {"url": url, "folder": folder, "log": log}


def test_debug_mode_is_off_whatever_the_environment_says(debug_env_server) -> None:
    url = debug_env_server["url"]
    status, _, body = http("GET", url + "/api/stats")
    assert status == 200 and b"\n  " not in body  # Flask pretty-prints JSON in debug mode
    status, _, body = http("GET", url + "/no/such/page")
    assert status == 404 and b"Werkzeug" not in body and b"Traceback" not in body


def test_not_found_and_wrong_method_are_clear_4xx(debug_env_server) -> None:
    url = debug_env_server["url"]
    status, headers, body = http("GET", url + "/no/such/page")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "nothing is at /no/such/page" in body.decode()
    status, headers, body = http("GET", url + "/api/no-such-thing")
    assert status == 404 and json.loads(body)["error"] == "nothing is at /api/no-such-thing"
    status, headers, body = http("DELETE", url + "/api/dps")
    assert status == 405 and "GET" in headers["Allow"]
    assert json.loads(body)["error"] == "DELETE is not allowed on /api/dps: this service is read-only (allowed: GET)"
    status, headers, body = http("PUT", url + "/", "<a> <b> <c> .", content_type="text/turtle")
    assert status == 405 and "read-only" in body.decode() and headers["Content-Type"].startswith("text/html")


def test_an_internal_error_is_a_logged_500_that_shows_no_trace(debug_env_server) -> None:
    url, folder, log = debug_env_server["url"], debug_env_server["folder"], debug_env_server["log"]
    tables = list(Path(folder).rglob("*.toc"))  # written by the ingest; the server opens it on first search
    assert tables, "no search index found under the store folder"
    for table in tables:  # what a failing disk does to the index under the running server
        table.write_bytes(b"\x7fgarbage" * 8)
    references = []
    # a question not asked before: answers already given are remembered for the snapshot
    for path, media in (("/api/search?q=employers", "application/json"), ("/search?q=training", "text/html")):
        status, headers, body = http("GET", url + path)
        text = body.decode()
        assert status == 500 and headers["Content-Type"].startswith(media), (status, text[:300])
        for leak in ("Traceback", "Error:", "whoosh", "garbage", str(folder), 'File "'):
            assert leak not in text, (leak, text[:500])
        found = re.search(r"Internal error \(reference ([0-9a-f]{8})\): it has been logged\.", text)
        assert found, text[:500]
        references.append(found.group(1))
    logged = log.read_text(encoding="utf-8")
    for reference, path in zip(references, ("/api/search", "/search")):
        entry = logged[logged.index(f"Internal error {reference} on GET {path}"):]
        assert "Traceback (most recent call last)" in entry.split("Internal error ", 2)[1], logged[-2000:]
    assert http("GET", url + "/")[0] == 200  # the server goes on serving
    assert http("GET", url + "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")[0] == 200
