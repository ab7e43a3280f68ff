"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, run from their manifest.

All 34 cases run, in-process (Flask's test client) and over HTTP against a real `kg serve`:
- the 13 `query_*` cases pass as written (status, answer format, ASK booleans);
- the 14 `bad_*` cases get the 4xx they expect (the 7 `bad_update_*` ones are refused as updates);
- the 7 `update_*` cases: their first request, the update, must be refused with a 4xx and leave the
  store unchanged. Their later requests are not sent: they query for the update's effect, which a
  read-only endpoint never has. The data these cases would load by Graph Store Protocol writes
  (`data1.nt`-`data3.nt`) is preloaded into the graphs they name instead.
No case is skipped; the module skips only when ../shared/w3c is absent (a user's clone).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.settings import Settings
from kg.store.opening import open_store
from tests.hostile_inputs import http

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11-protocol"
if not FOLDER.exists():
    FOLDER = Path("/work/shared/w3c/sparql11-protocol")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
COUNT = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

pytestmark = pytest.mark.skipif(not (FOLDER / "manifest.ttl").exists(), reason="W3C protocol tests not present")


def _manifest() -> tuple[Graph, list[URIRef]]:
    graph = Graph().parse(FOLDER / "manifest.ttl", format="turtle", publicID="file:///manifest.ttl")
    root = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(root, MF.entries)))


def _cases() -> list[str]:
    if not (FOLDER / "manifest.ttl").exists():
        return []
    _, entries = _manifest()
    return [str(entry).rsplit("#", 1)[1] for entry in entries]


def _build(path: Path, manifest: Graph) -> Path:
    """A store holding data1-3.nt in the named graphs the manifest gives them."""
    with open_store(path) as store:
        for data in set(manifest.objects(None, UT.graphData)):
            source, name = manifest.value(data, UT.graph), manifest.value(data, RDFS.label)
            store.replace_graph(str(name), Graph().parse(FOLDER / Path(str(source)).name, format="nt"))
    return path


@pytest.fixture(scope="module")
def transports(tmp_path_factory: pytest.TempPathFactory):
    """The app in-process (test client) and a real `kg serve`, each over its own copy of the W3C data."""
    from tests.server import running_server
    from web.app import create_app

    manifest, _ = _manifest()
    folder = tmp_path_factory.mktemp("w3c")
    local, served = _build(folder / "local", manifest), _build(folder / "served", manifest)
    with open_store(local, read_only=True) as store, running_server(served) as url:
        yield {"client": create_app(Settings(store=str(local)), store).test_client(), "http": url}, manifest


def _send(transport, method: str, path: str, data: bytes | None, headers: dict[str, str],
          content_type: str | None) -> tuple[int, str, bytes]:
    """Send a request in-process or over HTTP; return (status, media type, body)."""
    if isinstance(transport, str):
        status, got, body = http(method, transport + path, data, content_type=content_type, headers=headers)
        media = got.get("Content-Type", "")
    else:
        response = transport.open(path, method=method, data=data, headers=headers, content_type=content_type)
        status, media, body = response.status_code, response.headers.get("Content-Type", ""), response.data
    return status, media.split(";")[0].strip(), body


def _quads(transport) -> int:  # type: ignore[no-untyped-def]
    status, _, body = _send(transport, "GET", COUNT, None, {"Accept": "application/sparql-results+json"}, None)
    assert status == 200, body[:300]
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _check_format(media: str, body: bytes, expected: str, boolean) -> None:  # type: ignore[no-untyped-def]
    if expected == "RDF":
        parser = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}[media]
        Graph().parse(data=body, format=parser)
        return
    assert media in {"application/sparql-results+json", "application/sparql-results+xml"} or (
        expected == "tabular" and media in {"text/csv", "text/tab-separated-values"})
    if boolean is not None:
        if media.endswith("json"):
            got = json.loads(body)["boolean"]
        else:
            got = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
        assert got == boolean.toPython()


def test_every_case_of_the_manifest_runs() -> None:
    kinds = Counter(case.split("_")[0] for case in _cases())
    assert kinds == {"query": 13, "update": 7, "bad": 14}, kinds


@pytest.mark.parametrize("how", ["client", "http"])
@pytest.mark.parametrize("case", _cases())
def test_w3c_protocol_case(transports, case: str, how: str) -> None:
    available, manifest = transports
    transport = available[how]
    test = next(s for s in manifest.subjects(RDF.type, MF.ProtocolTest) if str(s).endswith("#" + case))
    requests = list(Collection(manifest, manifest.value(manifest.value(test, MF.action), HT.requests)))
    before = _quads(transport) if case.startswith("update_") else None
    for number, request in enumerate(requests):
        path = str(manifest.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        headers = {}
        header_list = manifest.value(request, HT.headers)
        for header in Collection(manifest, header_list) if header_list else []:
            headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
        body = manifest.value(request, HT.body)
        data = str(manifest.value(body, CNT.chars)).encode("utf-8") if body is not None else None
        content_type = headers.pop("content-type", None)
        if content_type and "UTF-16" in content_type and data is not None:
            data = data.decode().encode("utf-16")
        status, media, answer = _send(transport, str(manifest.value(request, HT.methodName)), path, data,
                                      headers, content_type)
        expected = manifest.value(request, HT.resp)
        statuses = set(manifest.objects(expected, MF.expectedStatus))
        if case.startswith("update_"):  # a read-only endpoint refuses the update that starts every case
            assert number == 0 and 400 <= status < 500, (case, status)
            assert _quads(transport) == before, "a refused update changed the store"
            return
        if HTS.StatusCode4xx in statuses:
            assert 400 <= status < 500, (case, status, answer[:200])
            continue
        assert status < 400, (case, status, answer[:300])
        fmt = manifest.value(expected, MF.expectedFormat)
        if fmt is not None:
            _check_format(media, answer, str(fmt), manifest.value(expected, MF.expectedBoolean))
