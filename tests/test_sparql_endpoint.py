"""The SPARQL 1.1 Protocol endpoint: formats, datasets, read-only rules, row cap, CORS, clients."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.settings import Settings
from kg.sparql.protocol import SD, keywords
from kg.store.opening import open_store
from tests.conftest import iri
from web.conneg import negotiate, parse_accept

EQ = "https://w3id.org/equal-kg/ns#"
DTI_DPS = "SELECT ?dp WHERE { ?dp eq:targets body:dti } ORDER BY ?dp"
DESCRIBE_SEEM = "CONSTRUCT { dp:seem eq:targets ?b } WHERE { dp:seem eq:targets ?b }"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def json_rows(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return response.get_json(force=True)["results"]["bindings"]


def test_get_select_json_parses_back(client) -> None:
    response = client.get("/sparql", query_string={"query": DTI_DPS},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    dps = {row["dp"]["value"] for row in json_rows(response)}
    assert iri("dp", "seem") in dps and iri("dp", "careworks") in dps
    assert response.headers["X-Truncated"] == "false"


@pytest.mark.parametrize("how", ["form", "direct"])
def test_post_form_and_direct_give_the_same_answer(client, how: str) -> None:
    if how == "form":
        response = client.post("/sparql", data={"query": DTI_DPS})
    else:
        response = client.post("/sparql", data=DTI_DPS.encode(), content_type="application/sparql-query")
    get = client.get("/sparql", query_string={"query": DTI_DPS})
    assert json_rows(response) == json_rows(get)


def test_select_as_xml_csv_and_tsv(client) -> None:
    expected = {row["dp"]["value"] for row in json_rows(client.get("/sparql", query_string={"query": DTI_DPS}))}
    xml = client.get("/sparql", query_string={"query": DTI_DPS}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["Content-Type"] == "application/sparql-results+xml"
    root = ET.fromstring(xml.data)
    assert {uri.text for uri in root.iter(SRX + "uri")} == expected
    as_csv = client.get("/sparql", query_string={"query": DTI_DPS, "format": "csv"})
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert {row["dp"] for row in rows} == expected
    tsv = client.get("/sparql", query_string={"query": DTI_DPS}, headers={"Accept": "text/tab-separated-values"})
    lines = tsv.get_data(as_text=True).splitlines()
    assert lines[0] == "?dp" and {line.strip("<>") for line in lines[1:]} == expected


def test_ask_answers_a_boolean(client) -> None:
    yes = client.get("/sparql", query_string={"query": "ASK { dp:seem eq:targets body:dti }"})
    assert yes.get_json(force=True)["boolean"] is True
    no = client.get("/sparql", query_string={"query": "ASK { dp:seem eq:targets body:no-such-body }", "format": "xml"})
    assert ET.fromstring(no.data).find(SRX + "boolean").text == "false"


@pytest.mark.parametrize(("accept", "fmt", "media", "parser"), [
    ("text/turtle", None, "text/turtle", "turtle"),
    ("application/ld+json", None, "application/ld+json", "json-ld"),
    ("application/n-triples", None, "application/n-triples", "nt"),
    (None, "jsonld", "application/ld+json", "json-ld"),
    (None, "ntriples", "application/n-triples", "nt"),
    (None, "rdfxml", "application/rdf+xml", "xml"),
])
def test_construct_in_every_graph_format(client, accept, fmt, media, parser) -> None:
    response = client.get("/sparql", query_string={"query": DESCRIBE_SEEM, **({"format": fmt} if fmt else {})},
                          headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
    graph = Graph().parse(data=response.data, format=parser)
    assert (URIRef(iri("dp", "seem")), URIRef(EQ + "targets"), URIRef(iri("body", "dti"))) in graph


def test_describe_answers_a_graph(client) -> None:
    response = client.get("/sparql", query_string={"query": "DESCRIBE body:dti"}, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(graph) > 3 and (URIRef(iri("body", "dti")), None, None) in graph


def test_protocol_dataset_restricts_to_store_graphs(client) -> None:
    doc = client.get("/sparql", query_string={"query": "SELECT ?g WHERE { GRAPH ?g { ?g a eq:Document } }"})
    graphs = [row["g"]["value"] for row in json_rows(doc)]
    assert graphs
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**dataset) -> int:
        return int(json_rows(client.get("/sparql", query_string={"query": count, **dataset}))[0]["n"]["value"])

    union, one = n(), n(**{"default-graph-uri": graphs[0]})
    assert 0 < one < union
    assert n(**{"default-graph-uri": "http://example.org/not-in-the-store"}) == 0
    named = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                "named-graph-uri": graphs[0]})
    assert [row["g"]["value"] for row in json_rows(named)] == [graphs[0]]


def test_from_names_store_graphs_and_never_fetches(client) -> None:
    doc = json_rows(client.get("/sparql", query_string={"query": "SELECT ?g WHERE { GRAPH ?g { ?g a eq:Document } }"}))
    graph = doc[0]["g"]["value"]
    rows = json_rows(client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"}))
    assert int(rows[0]["n"]["value"]) > 0
    for source in ("file:///etc/passwd", "http://127.0.0.1:9/data.ttl"):
        response = client.get("/sparql", query_string={
            "query": f"SELECT ?s ?p ?o FROM <{source}> FROM NAMED <{source}> WHERE {{ ?s ?p ?o }}"})
        assert response.status_code == 400 and "not a graph of this store" in response.get_json()["error"]


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL", "DROP GRAPH <http://x/g>", "CREATE GRAPH <http://x/g>",
])
def test_updates_are_refused(client, query: str) -> None:
    for response in (client.get("/sparql", query_string={"query": query}),
                     client.get("/sparql", query_string={"update": query}),
                     client.post("/sparql", data={"update": query}),
                     client.post("/sparql", data=query.encode(), content_type="application/sparql-update")):
        assert response.status_code == 403
        assert "read-only" in response.get_json()["error"]
    assert json_rows(client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}))


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service ?endpoint { ?s ?p ?o } }",
])
def test_service_is_refused(client, query: str) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and "SERVICE" in response.get_json()["error"]


def test_words_inside_iris_strings_and_names_are_not_keywords() -> None:
    query = 'PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT ?service ' \
            '{ ?service a sd:Service ; sd:endpoint ?e FILTER(?e != "SERVICE") } # SERVICE'
    assert "SERVICE" not in keywords(query)


def test_malformed_query_is_a_400_with_the_parser_message(client) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE {\n ?s ?p"})
    assert response.status_code == 400
    assert "2:" in response.get_json()["error"]  # the line and column, as the query was written
    assert client.get("/sparql", query_string={"query": "ASK {", "format": "bogus"}).status_code == 400
    assert client.get("/sparql", query_string={"query": "ASK {}", "format": "bogus"}).status_code == 400


def test_protocol_mistakes_are_4xx(client) -> None:
    assert client.put("/sparql", query_string={"query": "ASK {}"}).status_code == 405
    assert client.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    assert client.post("/sparql", data=b"ASK {}", content_type="text/plain").status_code == 415
    assert client.post("/sparql", data=b"ASK {}").status_code == 415
    assert client.post("/sparql", data="ASK {}".encode("utf-16"),
                       content_type="application/sparql-query; charset=UTF-16").status_code == 415
    assert client.post("/sparql", data={"other": "1"}).status_code == 400


def test_rows_are_cut_at_max_rows_and_flagged(sample_store_path: Path) -> None:
    from web.app import create_app

    with open_store(sample_store_path, read_only=True) as opened:
        client = create_app(Settings(store=str(sample_store_path), max_rows=3), opened).test_client()
        query = "SELECT ?s WHERE { ?s a eq:Body } LIMIT 100"
        answer = client.get("/sparql", query_string={"query": query})
        body = answer.get_json(force=True)
        assert len(body["results"]["bindings"]) == 3 and body["truncated"] is True
        assert answer.headers["X-Truncated"] == "true"
        for fmt, count in (("csv", lambda d: len(d.splitlines()) - 1), ("tsv", lambda d: len(d.splitlines()) - 1)):
            response = client.get("/sparql", query_string={"query": query, "format": fmt})
            assert response.headers["X-Truncated"] == "true" and count(response.get_data(as_text=True)) == 3
        graph = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a eq:Body }", "format": "ntriples"})
        assert graph.headers["X-Truncated"] == "true"
        assert len(Graph().parse(data=graph.data, format="nt")) == 3
        small = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s a eq:Body } LIMIT 2"})
        assert small.get_json(force=True)["truncated"] is False and small.headers["X-Truncated"] == "false"


def test_cors_on_get_post_and_preflight(client, sample_store_path: Path) -> None:
    get = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    post = client.post("/sparql", data={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    preflight = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    for response in (get, post, preflight):
        assert response.status_code == 200
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    from web.app import create_app

    with open_store(sample_store_path, read_only=True) as opened:
        closed = create_app(Settings(store=str(sample_store_path), cors=False), opened).test_client()
        assert "Access-Control-Allow-Origin" not in closed.get("/sparql", query_string={"query": "ASK {}"}).headers


def test_service_description_parses_as_turtle(client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.data, format="turtle")
    service = next(graph.subjects(RDF.type, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert str(graph.value(service, SD.endpoint)).endswith("/sparql")
    names = set(graph.objects(None, SD.name))
    assert URIRef("https://w3id.org/equal-kg/graph/curated") in names and len(names) > 3
    people = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert people.status_code == 302 and people.headers["Location"].endswith("/query")


def test_accept_parsing_and_negotiation() -> None:
    assert parse_accept("text/csv;q=0.5, application/json") == [("application/json", 1.0), ("text/csv", 0.5)]
    table = {"text/turtle": "turtle", "application/ld+json": "jsonld"}
    assert negotiate("application/ld+json;q=0.9, text/turtle;q=0.8", table) == "jsonld"
    assert negotiate("image/png", table, "turtle") == "turtle"


# ---- real clients against a running `kg serve` ----

def test_sparqlwrapper_select_ask_construct(server_url: str) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server_url + "/sparql")
    client.setQuery("PREFIX eq: <https://w3id.org/equal-kg/ns#> PREFIX body: <https://w3id.org/equal-kg/id/body/> "
                    "SELECT ?dp WHERE { ?dp eq:targets body:odpm }")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert iri("dp", "seem") in {row["dp"]["value"] for row in rows}
    client.setQuery("ASK { <https://w3id.org/equal-kg/id/dp/seem> a ?type }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/equal-kg/id/body/dti> ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(iri("body", "dti")), None, None) in graph
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/equal-kg/id/body/dti> ?p ?o }")
    client.setReturnFormat("xml")  # SPARQLWrapper's default: RDF/XML for graphs, parsed into an rdflib Graph
    assert len(client.queryAndConvert()) == len(graph)


def test_sparqlwrapper_update_is_refused(server_url: str) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server_url + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    with pytest.raises((SPARQLWrapperException, OSError)):
        client.query()


def test_rdflib_sparqlstore_queries_the_endpoint(server_url: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(query_endpoint=server_url + "/sparql"))
    result = graph.query("PREFIX eq: <https://w3id.org/equal-kg/ns#> "
                         "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                         "SELECT ?dp ?n WHERE { ?dp eq:theme ?t . ?t skos:notation ?n } ")
    themes = {str(row.dp): str(row.n) for row in result}
    assert themes[iri("dp", "seem")] == "D" and themes[iri("dp", "careworks")] == "G"
    assert graph.query("ASK { <https://w3id.org/equal-kg/id/dp/seem> ?p ?o }").askAnswer is True
    construct = graph.query("CONSTRUCT { ?dp <http://x/name> ?l } WHERE { ?dp a "
                            "<https://w3id.org/equal-kg/ns#DevelopmentPartnership> ; "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    labels = {str(o) for o in construct.graph.objects(None, URIRef("http://x/name"))}
    assert len(labels) >= 13 and all(isinstance(o, Literal) for o in construct.graph.objects())


def test_endpoint_answers_json_over_real_http(server_url: str) -> None:
    import urllib.parse
    import urllib.request

    url = server_url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s a eq:Cell }"})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json",
                                                   "Origin": "http://example.org"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert int(json.load(response)["results"]["bindings"][0]["n"]["value"]) > 50
