"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, run from their manifest.

Query and bad-query cases must pass as written; update cases must be refused with 4xx. The data
files are preloaded into the named graphs the cases name. Skipped when ../shared/w3c is absent.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.settings import Settings
from kg.store import open_store

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11-protocol"
if not FOLDER.exists():
    FOLDER = Path("/work/shared/w3c/sparql11-protocol")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

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


@pytest.fixture(scope="module")
def w3c_client(tmp_path_factory: pytest.TempPathFactory):
    """The app over a store holding data1-3.nt in the graphs the manifest names."""
    from web.app import create_app

    path = tmp_path_factory.mktemp("w3c") / "store"
    manifest, _ = _manifest()
    with open_store(path) as store:
        for data in set(manifest.objects(None, UT.graphData)):
            source, name = manifest.value(data, UT.graph), manifest.value(data, RDFS.label)
            triples = Graph().parse(FOLDER / Path(str(source)).name, format="nt")
            store.replace_graph(str(name), triples)
    with open_store(path, read_only=True) as store:
        yield create_app(Settings(store=str(path)), store).test_client(), manifest


def _check_format(response, expected: str, boolean) -> None:
    media = response.headers["Content-Type"].split(";")[0]
    if expected == "RDF":
        parser = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}[media]
        Graph().parse(data=response.data, format=parser)
        return
    assert media in {"application/sparql-results+json", "application/sparql-results+xml"} or (
        expected == "tabular" and media in {"text/csv", "text/tab-separated-values"})
    if boolean is not None:
        if media.endswith("json"):
            got = json.loads(response.data)["boolean"]
        else:
            got = ET.fromstring(response.data).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
        assert got == boolean.toPython()


@pytest.mark.parametrize("case", _cases())
def test_w3c_protocol_case(w3c_client, case: str) -> None:
    client, manifest = w3c_client
    test = next(s for s in manifest.subjects(RDF.type, MF.ProtocolTest) if str(s).endswith("#" + case))
    requests = list(Collection(manifest, manifest.value(manifest.value(test, MF.action), HT.requests)))
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
        response = client.open(path, method=str(manifest.value(request, HT.methodName)), data=data,
                               headers=headers, content_type=content_type)
        expected = manifest.value(request, HT.resp)
        statuses = set(manifest.objects(expected, MF.expectedStatus))
        if case.startswith("update_"):  # a read-only endpoint refuses the update that starts every case
            assert number == 0 and 400 <= response.status_code < 500, (case, response.status_code)
            return
        if HTS.StatusCode4xx in statuses:
            assert 400 <= response.status_code < 500, (case, response.status_code, response.data[:200])
            continue
        assert response.status_code < 400, (case, response.status_code, response.data[:300])
        fmt = manifest.value(expected, MF.expectedFormat)
        if fmt is not None:
            _check_format(response, str(fmt), manifest.value(expected, MF.expectedBoolean))
