"""Whole-graph downloads, the published JSON-LD context and the vocabulary, parsed back."""

from __future__ import annotations

import json

import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

CONTEXT_URL = "https://w3id.org/equal-kg/ns/context.jsonld"


def only_our_context(client):  # type: ignore[no-untyped-def]
    """A pyld document loader that serves our published context and refuses every other URL."""

    def load(url, options=None):  # type: ignore[no-untyped-def]
        if url in (CONTEXT_URL, "http://localhost/ns/context.jsonld"):
            body = client.get("/ns/context.jsonld").get_json()
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": body}
        raise jsonld.JsonLdError(f"refused to fetch {url}", "jsonld.LoadDocumentError",
                                 code="loading document failed")

    return load


def assert_same_as_store(dataset: Dataset, store) -> None:  # type: ignore[no-untyped-def]
    for name in store.graphs():
        assert isomorphic(dataset.graph(URIRef(name)), store.graph(name)), name


def test_jsonld_export_expands_to_the_stores_graphs(client, sample_store) -> None:
    response = client.get("/export/graph.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert 'filename="equal-kg.jsonld"' in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    loader = only_our_context(client)
    # as served (context inline), and as a user would publish it (context by URL): same graphs
    for document in (data, {**data, "@context": CONTEXT_URL}):
        expanded = jsonld.expand(document, {"documentLoader": loader})
        nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads", "documentLoader": loader})
        dataset = Dataset()
        dataset.parse(data=nquads, format="nquads")
        assert_same_as_store(dataset, sample_store)


@pytest.mark.parametrize("suffix, media, fmt, quads", [
    ("nq", "application/n-quads", "nquads", True), ("trig", "application/trig", "trig", True),
    ("ttl", "text/turtle", "turtle", False), ("nt", "application/n-triples", "nt", False),
])
def test_rdf_exports_round_trip(client, sample_store, suffix: str, media: str, fmt: str, quads: bool) -> None:
    response = client.get(f"/export/graph.{suffix}")
    assert response.status_code == 200 and response.mimetype == media
    assert response.headers["Content-Disposition"] == f'attachment; filename="equal-kg.{suffix}"'
    text = response.get_data(as_text=True)
    if quads:
        dataset = Dataset()
        dataset.parse(data=text, format=fmt)
        assert_same_as_store(dataset, sample_store)
    else:
        union = Graph()
        for s, p, o, _ in sample_store.quads():
            union.add((s, p, o))
        assert isomorphic(Graph().parse(data=text, format=fmt), union)


def test_unknown_export_suffix_is_a_404(client) -> None:
    assert client.get("/export/graph.xlsx").status_code == 404


def test_export_page_links_every_download(client) -> None:
    html = client.get("/export").get_data(as_text=True)
    for suffix in ("jsonld", "ttl", "nq", "nt", "trig"):
        assert f'href="/export/graph.{suffix}"' in html


def test_published_context_is_served_and_matches_the_shipped_file(client) -> None:
    from kg.rdf.reference import ontology_path

    response = client.get("/ns/context.jsonld")
    assert response.mimetype == "application/ld+json"
    assert response.get_json() == json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))


def test_vocabulary_as_turtle_and_as_a_page(client) -> None:
    response = client.get("/ns", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (URIRef("https://w3id.org/equal-kg/ns#targets"), None, None) in graph
    assert client.get("/ns").status_code == 303
    page = client.get("/vocabulary").get_data(as_text=True)
    assert 'id="targets"' in page and "eq:DevelopmentPartnership" in page
